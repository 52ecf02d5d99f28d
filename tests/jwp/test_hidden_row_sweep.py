"""The hidden-row sweep (issue 13, point 2): one hidden row of each kind, each with a
marker string, and every page, API, export and PDF that a partner of another
organization, the Assembly member, an observer and the neighbour county's secretariat
can reach is searched for the markers.

Hidden rows: UNICEF's budget line and commitment on a plan in co-creation (hidden
from the Nawiri partner until consolidation), a progress report in TWG review (hidden
from all three until shared), an unpublished learning brief (the secretariat's).
Every URL pattern of the product is fetched with the seeded ids; PDFs are both
downloaded (the secretariat's real jobs, read with pdftotext) and built in-process for
every document the viewer may request.
"""

import io
import re
import subprocess
from datetime import date
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import URLPattern, URLResolver, get_resolver

from counties.models import Membership, Organization
from documents import renderers
from documents.kinds import KINDS, may_request
from documents.models import DocumentJob
from jwp.roles import Role
from jwp.tenancy import county_context
from progress.models import ReportStatus
from tests import factories

pytestmark = pytest.mark.django_db

LINE = "HIDDEN-LINE-7f3a"
LINE_AMOUNT = ("7,345,678", "7345678")
COMMITMENT_AMOUNT = ("6,543,219", "6543219")
DRAFT = "HIDDEN-DRAFT-c41e"
BRIEF = "HIDDEN-BRIEF-9d2e"
# What each viewer must not see: partner-private contributions are hidden from the
# other partners only (the county's roles see every pledge); drafts from all three.
MARKERS = {
    "partner": (LINE, *LINE_AMOUNT, *COMMITMENT_AMOUNT, DRAFT, BRIEF),
    "assembly": (DRAFT, BRIEF),
    "observer": (DRAFT, BRIEF),
    "neighbour": (LINE, *LINE_AMOUNT, *COMMITMENT_AMOUNT, DRAFT, BRIEF),  # and signed out
}

# Not pages: the admin, signing out, switching language.
SKIP = re.compile(r"^(admin/|accounts/logout|i18n/|__debug__)")
PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def _patterns() -> list[str]:
    out: list[str] = []

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                out.append(prefix + str(p.pattern))

    walk(get_resolver().url_patterns)
    return [p for p in out if not SKIP.match(p) and not p.startswith("^")]


def _urls(pattern: str, values: dict[str, list]) -> list[str]:
    """Every URL of the pattern with the seeded values of its parameters."""
    urls = [pattern]
    for _conv, name in PARAM.findall(pattern):
        options = values.get(name, [1])
        urls = [re.sub(rf"<(?:\w+:)?{name}>", str(v), u, count=1) for u in urls for v in options]
    return ["/" + u.lstrip("^").rstrip("$") for u in urls]


def _text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "pdf" in kind or body.startswith(b"%PDF"):
        return _pdf_text(body)
    if "spreadsheet" in kind or body.startswith(b"PK"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        return " ".join(
            str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row
        )
    return body.decode("utf-8", "replace")


def _pdf_text(data: bytes) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


def _leaks(text: str, viewer: str) -> list[str]:
    return [m for m in MARKERS[viewer] if m in text]


@pytest.fixture
def world(county, neighbour, secretariat, make_member, django_capture_on_commit_callbacks):
    nawiri = Organization.objects.create(name="Nawiri Resilience Programme", acronym="Nawiri")
    unicef = Organization.objects.create(name="UNICEF Kenya", acronym="UNICEF")
    co_creation = factories.JointWorkPlanFactory(county=county, status="co_creation")
    activity = factories.JointActivityFactory(
        county=county, plan=co_creation, lead_organization=nawiri
    )
    line = factories.BudgetLineFactory(
        county=county,
        activity=activity,
        contributor=unicef,
        comment=LINE,
        amount=Decimal(LINE_AMOUNT[1]),
    )
    commitment = factories.CommitmentFactory(
        county=county, activity=activity, contributor=unicef, amount=Decimal(COMMITMENT_AMOUNT[1])
    )
    factories.BudgetLineFactory(county=county, activity=activity, contributor=nawiri)

    signed = factories.JointWorkPlanFactory(
        county=county,
        status="signed",
        title="Signed joint work plan",
        fiscal_year="2024/25",
        start_date=date(2024, 7, 1),
        end_date=date(2025, 6, 30),
    )
    signed_activity = factories.JointActivityFactory(
        county=county,
        plan=signed,
        lead_organization=nawiri,
        start_date=date(2024, 9, 1),
        end_date=date(2025, 3, 31),
    )
    report = factories.ProgressReportFactory(
        county=county, plan=signed, quarter=3, status=ReportStatus.IN_REVIEW, summary=DRAFT
    )
    brief = factories.LearningBriefFactory(county=county, plan=signed, title=BRIEF)
    indicator = factories.IndicatorFactory(
        county=county, plan=signed, responsible_organization=nawiri
    )
    result = factories.ResultFactory(county=county, indicator=indicator)

    # The secretariat's own PDFs of what it may see: a partner, the Assembly and an
    # observer must not download them.
    from documents import services

    with county_context([county]):
        boss = Membership.objects.for_county(county).select_related("county").get(user=secretariat)
        with django_capture_on_commit_callbacks(execute=True):
            jobs = [
                services.document_request(membership=boss, kind=KINDS[k], target=t, params=p)[0]
                for k, t, p in (
                    ("workplan", co_creation, None),
                    ("budget", co_creation, None),
                    ("report", signed, {"quarter": 3}),
                )
            ]
    jobs = [factories.refresh(j) for j in jobs]
    assert all(j.status == "done" for j in jobs), [(j.kind, j.error) for j in jobs]
    # The planted markers are in those PDFs: the sweep would see a leak.
    assert LINE_AMOUNT[0] in _pdf_text(jobs[1].file.read())
    assert DRAFT in _pdf_text(factories.refresh(jobs[2]).file.read())

    values = {
        "county_slug": [county.slug],
        "plan_id": [co_creation.pk, signed.pk],
        "target_id": [co_creation.pk, signed.pk],
        "activity_id": [activity.pk, signed_activity.pk],
        "line_id": [line.pk],
        "commitment_id": [commitment.pk],
        "report_id": [report.pk],
        "brief_id": [brief.pk],
        "indicator_id": [indicator.pk],
        "result_id": [result.pk],
        "job_id": [j.pk for j in jobs],
        "organization_id": [unicef.pk],
        "kind": list(KINDS),
    }
    viewers = {
        "partner": make_member(county, Role.PARTNER, organization=nawiri),
        "assembly": make_member(county, Role.ASSEMBLY),
        "observer": make_member(county, Role.OBSERVER),
    }
    return {
        "values": values,
        "viewers": viewers,
        "plans": [co_creation, signed],
        "neighbour": make_member(neighbour, Role.SECRETARIAT),
    }


def test_no_page_api_export_or_pdf_shows_a_hidden_row(client, county, world):
    urls = [u for p in _patterns() for u in _urls(p, world["values"])]
    assert len(urls) > 300  # every app's routes were enumerated
    leaks, fetched = [], 0
    for name, user in world["viewers"].items():
        client.force_login(user)
        for url in urls:
            for query in ("", "?q=HIDDEN"):
                response = client.get(url + query)
                if response.status_code == 500:
                    leaks.append((name, url + query, "500"))
                if response.status_code != 200:
                    continue
                fetched += 1
                found = _leaks(_text(response), name)
                if found:
                    leaks.append((name, url + query, found))
    assert fetched > 300
    assert not leaks, "\n".join(map(str, leaks))


def test_no_pdf_a_viewer_may_request_prints_a_hidden_row(county, world):
    """Every document each viewer may request, built as the worker builds it."""
    built = 0
    for name, user in world["viewers"].items():
        with county_context([county]):
            membership = (
                Membership.objects.for_county(county).select_related("county").get(user=user)
            )
            for kind in KINDS.values():
                if kind.model.__name__ != "JointWorkPlan":
                    continue
                for plan in world["plans"]:
                    quarters = (1, 2, 3, 4) if kind.key == "report" else (None,)
                    for quarter in quarters:
                        params = (
                            {"fiscal_year": plan.fiscal_year, "quarter": quarter} if quarter else {}
                        )
                        if not may_request(kind, membership, plan, params or None):
                            continue
                        job = DocumentJob(
                            county=county, kind=kind.key, target_id=plan.pk, params=params
                        )
                        template, context = renderers.build(job)
                        built += 1
                        assert not _leaks(render_to_string(template, context), name), (
                            name,
                            kind.key,
                            plan.status,
                            quarter,
                        )
    assert built >= 6  # each viewer could request something: the sweep ran


def test_the_neighbour_county_reaches_none_of_it(client, county, neighbour, world):
    client.force_login(world["neighbour"])
    values = {**world["values"], "county_slug": [county.slug]}
    county_urls = [
        u
        for p in _patterns()
        if "<slug:county_slug>" in p and "api/" not in p
        for u in _urls(p, values)
    ]
    reached = []
    for url in county_urls:
        response = client.get(url)
        assert response.status_code != 500, url
        if response.status_code == 200:
            reached.append(url)
            assert not _leaks(_text(response), "neighbour"), url
    # Only the county's public pages answer someone from another county.
    assert all("/public" in u or "/participate" in u for u in reached), reached


def test_the_public_pages_show_none_of_it(client, world):
    """Signed out: every page and feed that answers anyone."""
    answered = 0
    for url in (u for p in _patterns() for u in _urls(p, world["values"])):
        response = client.get(url)
        assert response.status_code != 500, url
        if response.status_code == 200:
            answered += 1
            assert not _leaks(_text(response), "neighbour"), url
    assert answered >= 3  # the public pages were reached
