from counties.forms.contacts import *  # noqa: F403
from counties.forms.imports import *  # noqa: F403
from counties.forms.members import *  # noqa: F403
from counties.forms.offices import *  # noqa: F403
from counties.forms.stakeholders import *  # noqa: F403
