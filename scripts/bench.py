"""`make bench`: page timings, query counts and first-load bytes on the demo data.

Run after `make run` has seeded the demo (or let `make bench` seed it). Numbers
are medians over repeated requests through Django's test client, in-process,
so they measure the application (views, queries, templates), not the network.
"""

import gzip
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jwp.settings")

import django

django.setup()

from django.contrib.staticfiles import finders  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from jwp.models import User  # noqa: E402

PAGES = [
    "/samburu/",
    "/samburu/members/",
    "/samburu/organizations/",
    "/samburu/sectors/",
    "/samburu/audit/",
    "/samburu/stakeholders/",
    "/samburu/stakeholders/matrix/",
    "/samburu/structures/",
    "/samburu/contacts/",
    "/samburu/meetings/",
    "/samburu/sector-plans/",
    "/samburu/sector-plans/public/",
    "/api/v1/counties/samburu/members/",
    "/api/v1/counties/samburu/wards/",
    "/api/v1/counties/samburu/stakeholders/",
    "/api/v1/counties/samburu/meetings/",
    "/api/v1/counties/",
]
STATIC = ["css/jwp.css", "js/jwp.js", "vendor/htmx-2.0.10.min.js"]
REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))


def main() -> None:
    setup_test_environment()
    client = Client()
    client.force_login(User.objects.get(email="secretariat@samburu.demo"))
    print(f"{'page':<40} {'median ms':>9} {'p95 ms':>7} {'queries':>7} {'gzip B':>7}")
    for url in PAGES:
        timings = []
        for _ in range(REPEAT):
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        p95 = sorted(timings)[int(len(timings) * 0.95) - 1]
        size = len(gzip.compress(response.content))
        print(
            f"{url:<40} {statistics.median(timings):>9.1f} {p95:>7.1f} {len(queries):>7} {size:>7}"
        )
    static_bytes = sum(len(gzip.compress(Path(finders.find(p)).read_bytes())) for p in STATIC)
    home = len(gzip.compress(client.get("/samburu/").content))
    print(
        f"first load of /samburu/ (HTML + CSS + JS, gzip): {home + static_bytes} bytes "
        f"(budget 61440)"
    )


def _big_plan(county, n_activities: int):
    """A signed plan of ``n_activities`` activities (each with a supporter and a county
    and a partner budget line) and three signatures: the bench's own data."""
    from datetime import date
    from decimal import Decimal

    from counties.models import Organization, Sector
    from workplans.models import (
        ActivitySupporter,
        BudgetComponent,
        BudgetLine,
        JointActivity,
        JointWorkPlan,
        Objective,
        PlanStatus,
        Signature,
    )

    orgs = list(Organization.objects.order_by("pk")[:6])
    sectors = list(Sector.objects.for_county(county).order_by("order")[:6])
    components = list(BudgetComponent.objects.for_county(county).order_by("order"))
    plan = JointWorkPlan.objects.create(
        county=county,
        fiscal_year="2031/32",
        title="Bench plan",
        lead_agency=orgs[0],
        start_date=date(2031, 7, 1),
        end_date=date(2032, 6, 30),
        status=PlanStatus.SIGNED,
    )
    objectives = [
        Objective.objects.create(
            county=county, plan=plan, statement=f"Objective {i}", priority_area="Resilience"
        )
        for i in range(1, 6)
    ]
    activities = JointActivity.objects.bulk_create(
        JointActivity(
            county=county,
            plan=plan,
            title=f"Activity {i}: community water and pasture management",
            description="Training, equipment and follow-up visits in the ward.",
            sector=sectors[i % len(sectors)],
            objective=objectives[i % 5],
            lead_organization=orgs[i % len(orgs)],
            start_date=date(2031, 7 + i % 6, 1),
            end_date=date(2032, 1 + i % 6, 28),
            expected_output="Households reached and committees trained",
        )
        for i in range(n_activities)
    )
    ActivitySupporter.objects.bulk_create(
        ActivitySupporter(county=county, activity=a, organization=orgs[(i + 1) % len(orgs)])
        for i, a in enumerate(activities)
    )
    BudgetLine.objects.bulk_create(
        BudgetLine(
            county=county,
            activity=a,
            contributor=None if k == 0 else orgs[(i + 2) % len(orgs)],
            component=components[i % len(components)],
            amount=Decimal(100000 + i * 1000),
        )
        for i, a in enumerate(activities)
        for k in (0, 1)
    )
    for capacity, organization in (
        ("county_secretary", None),
        ("cec_finance", None),
        ("partner", orgs[1]),
    ):
        Signature.objects.create(
            county=county,
            plan=plan,
            capacity=capacity,
            organization=organization,
            signer_name="Bench Signatory",
            signer_title="Title",
            signed_at=time_now(),
        )
    return plan


def time_now():
    from django.utils import timezone

    return timezone.now()


def bench_documents(n_activities: int = 250) -> None:
    """Seconds to render the signed JWP PDF of a plan of 250 activities (target ≤ 5 s)
    and a quarterly M&E report, in-process as the worker does (queries, template,
    WeasyPrint); the data is rolled back. CPU seconds are shown too: on a shared
    machine the wall clock also counts the other processes."""
    from django.db import transaction

    from counties.models import County
    from documents.models import DocumentJob, DocumentKind
    from documents.renderers import render
    from jwp.tenancy import county_context
    from workplans.models import JointWorkPlan, PlanStatus

    county = County.objects.get(slug="samburu")
    with county_context([county]):
        plan = _big_plan(county, n_activities)
        # The demo's signed plan: its fiscal year depends on the year the demo was seeded.
        signed = (
            JointWorkPlan.objects.for_county(county)
            .filter(status=PlanStatus.SIGNED, version=1)
            .exclude(pk=plan.pk)
            .get()
        )
        cases = [
            (f"signed JWP PDF, {n_activities} activities", DocumentKind.WORKPLAN, plan, {}),
            (
                f"quarterly M&E report {signed.fiscal_year} Q2",
                DocumentKind.REPORT,
                signed,
                {"quarter": 2},
            ),
        ]
        # A worker loads WeasyPrint (pango, fonts, its stylesheets) once, not per job.
        from weasyprint import HTML

        HTML(string="<p>warm-up</p>").render()
        print(f"{'document':<40} {'wall s':>7} {'cpu s':>6} {'pages':>6} {'KB':>6}")
        for label, kind, target, params in cases:
            job = DocumentJob.objects.create(
                county=county, kind=kind, target_id=target.pk, params=params, title=label
            )
            start, cpu = time.perf_counter(), time.process_time()
            rendered = render(job)
            wall, cpu = time.perf_counter() - start, time.process_time() - cpu
            kb = len(rendered.pdf) // 1024
            print(f"{label:<40} {wall:>7.2f} {cpu:>6.2f} {rendered.pages:>6} {kb:>6}")
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
    bench_documents()
