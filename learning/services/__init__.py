"""Every write of the learning app (issue 6, points 6–9). Rules: learning.services.rules."""

from learning.services.evaluations import (  # noqa: F401
    can_update_recommendation,
    close_out_carry,
    close_out_save,
    evaluation_save,
    next_plan,
    ratings_save,
    recommendation_add,
    recommendation_set_status,
)
from learning.services.reflection import (  # noqa: F401
    answer_add,
    answer_delete,
    brief_save,
    brief_set_status,
    lesson_delete,
    lesson_save,
    session_save,
)
from learning.services.rules import (  # noqa: F401
    can_add_lesson,
    can_contribute_to_visit,
    can_edit_lesson,
    is_secretariat,
)
from learning.services.visits import (  # noqa: F401
    action_add,
    action_set_status,
    finding_add,
    photo_add,
    photo_delete,
    visit_save,
)
