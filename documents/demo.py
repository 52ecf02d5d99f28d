"""Demo data of documents: Samburu's secretariat asks for the signed 2024/25 joint
work plan as a PDF. The request only queues the job (after the seed commits); the
worker that `make run` starts produces the file, as it would for a click. (2024/25 is a
design year: ``counties.demo_clock`` moves it to today.)"""

from counties.demo_clock import fiscal_year
from counties.models import Membership
from documents import services
from documents.kinds import KINDS
from documents.models import DocumentKind
from jwp.tenancy import county_context
from workplans.models import JointWorkPlan, PlanStatus


def seed(demo) -> None:
    samburu = demo.samburu
    with county_context([samburu]):
        membership = (
            Membership.objects.for_county(samburu)
            .select_related("county", "user")
            .get(user__email="secretariat@samburu.demo")
        )
        plan = (
            JointWorkPlan.objects.for_county(samburu)
            .filter(fiscal_year=fiscal_year("2024/25"), status=PlanStatus.SIGNED)
            .order_by("-version")
            .first()
        )
        if plan is not None:
            services.document_request(
                membership=membership, kind=KINDS[DocumentKind.WORKPLAN], target=plan
            )
