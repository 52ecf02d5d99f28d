"""Writes and rules of the counties app, one module per area.

``from counties import services`` then ``services.invitation_create(...)``:
every area's public functions are re-exported here.
"""

from counties.services.contacts import *  # noqa: F403
from counties.services.imports import *  # noqa: F403
from counties.services.meetings import *  # noqa: F403
from counties.services.members import *  # noqa: F403
from counties.services.organizations import *  # noqa: F403
from counties.services.stakeholders import *  # noqa: F403
from counties.services.structures import *  # noqa: F403
