from counties.forms.members import *  # noqa: F403
