"""Demo data of the sector plan workflow.

Samburu: the Health plan 2023–2027, all 47 steps done and published (windows with
comments and responses, CEC comments by the CEC Member for Health, the committee
chair's records, the Assembly's resolution), and the Agriculture plan in progress at
step 18 with a participation window open *now*, so the public page takes comments as
soon as `make run` starts. Its Phase 1 sign-off (step 15) is blocked: one accepted
comment of step 12's window has no response yet, and the sector has no CEC member in
office; step 16 was done before it, with its reason. Turkana: an Agriculture plan in
set-up.
The Health plan's dates and every plan period are design ones (``counties.demo_clock``),
moved to today; the Agriculture plan is laid out relative to today.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from counties.demo_clock import fiscal_year, shift, year
from counties.models import Membership, OfficeKind, Sector, Ward
from counties.offices import office_holder
from counties.services.offices import office_assign, office_get_or_create
from jwp.tenancy import county_context
from sectorplans import services
from sectorplans.models import PARTICIPATION_WINDOWS, PlanStep, Response, SectorPlan

WINDOWS = dict(PARTICIPATION_WINDOWS)
WINDOW_TITLES = {
    7: "Sector context: what works and what does not",
    12: "Sector context and baseline, after the CEC's comments",
    18: "Vision, strategy and programmes",
    23: "Vision and strategy, after the CEC's comments",
    36: "Stakeholder validation of the full draft plan",
    41: "The County Assembly's call for final comments",
}
COMMENTS = [
    (
        "Water for livestock",
        "Lopiro Lekisio",
        "Wamba pastoralists' group",
        "Boreholes dry up by August. Plan for water points that serve both people and herds.",
    ),
    (
        "Mobile clinics",
        "",
        "Samburu Women Trust",
        "Mothers in Baragoi walk two days to a clinic. "
        "Please fund mobile outreach in the dry season.",
    ),
    (
        "Nutrition",
        "Esther Lenolkirna",
        "",
        "Add a target for children screened for malnutrition in every ward.",
    ),
]
RESPONSES = [
    (Response.INCORPORATED, "Programme 2 now includes 12 new water points shared with livestock."),
    (
        Response.PARTLY,
        "Mobile outreach is funded for Baragoi and Wamba; other wards follow in {later}.",
    ),
    (Response.NOT_INCORPORATED, "Nutrition targets sit in the CIDP indicator handbook, not here."),
]


def _pdf(title: str) -> SimpleUploadedFile:
    """A small, real PDF (one page with the title), so downloads open in a viewer."""
    text = title.replace("(", "").replace(")", "")
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return SimpleUploadedFile(f"{title}.pdf", out.getvalue(), content_type="application/pdf")


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _member(county, email: str, demo) -> Membership:
    return Membership.objects.for_county(county).get(user=demo.users[email])


def _record(number: int, day: date) -> dict:
    if number in (11, 22, 32):
        return {"body": "The CEC asks for costed priorities per ward.", "decided_on": day}
    if number in (27, 35):
        return {"body": "The sectoral committee asks for Baragoi to be covered.", "decided_on": day}
    if number == 43:
        return {
            "body": "Approved subject to the adjustments below.",
            "adjustments": f"Align the budget ceilings with the {fiscal_year('2024/25')} CFSP.",
            "decided_on": day,
        }
    if number == 46:
        return {
            "body": "The County Assembly approved the sector plan.",
            "decided_on": day,
            "reference": f"Hansard, {day.day} {day:%B %Y}; Resolution CA/SAM/07/{day.year}",
        }
    return {}


def _run_window(ps, actor, ward, *, comments: int, respond: bool, unanswered: int = 0) -> None:
    """Open and close a window with ``comments`` accepted comments, all answered but the
    last ``unanswered``."""
    opens, closes = _at(ps.planned_start, 8), _at(ps.due_date, 17)
    window = services.participation_window_open(
        plan_step=ps,
        membership=actor,
        title=WINDOW_TITLES[ps.step.number],
        invitation="Read the draft and tell us what matters in your ward.",
        opens_at=opens,
        closes_at=closes,
    )
    for index, (topic, name, org, body) in enumerate(COMMENTS[:comments]):
        comment = services.public_comment_submit(
            window=window,
            topic=topic,
            name=name,
            organization=org,
            body=body,
            ward=ward,
            now=opens + timedelta(days=index + 1),
        )
        services.public_comment_moderate(comment=comment, membership=actor, accept=True)
        if respond and index < comments - unanswered:
            response, reason = RESPONSES[index]
            services.public_comment_respond(
                comment=comment,
                membership=actor,
                response=response,
                reason=reason.format(later=year(2025)),
                now=closes + timedelta(days=2),
            )


def _walk(plan: SectorPlan, upto: int, actors: dict, ward, unanswered: dict | None = None) -> None:
    """Complete steps 1..upto on their planned dates, each by its own actor (an office's
    holder where ``actors`` names one by step number); ``unanswered`` leaves the last
    accepted comments of a window without a response."""
    unanswered = unanswered or {}
    steps = {ps.step.number: ps for ps in plan.steps.select_related("step", "plan__sector")}
    for number in range(1, upto + 1):
        ps = steps[number]
        role_actor = actors.get(number) or actors.get(ps.step.specific_actor, actors["default"])
        if number in WINDOWS:
            _run_window(
                ps,
                role_actor,
                ward,
                comments=2 if number == 41 else 3,
                respond=True,
                unanswered=unanswered.get(number, 0),
            )
        services.plan_step_complete(
            plan_step=ps,
            membership=role_actor,
            now=_at(ps.due_date, 18),  # after a window closing that day (17:00)
            notify_next=False,  # the story's past: those turns are over
            **_record(number, ps.due_date),
        )


def _hold(county, kind: str, sector, holder: Membership, by: Membership, since: date) -> None:
    """``holder`` holds the office from ``since``, unless someone already does then (the
    offices demo may have assigned it first)."""
    if office_holder(county=county, kind=kind, sector=sector, on=since) is None:
        office = office_get_or_create(county=county, kind=kind, sector=sector)
        office_assign(office=office, holder=holder, starts_on=since, by=by)


def seed(demo) -> None:
    today = timezone.localdate()
    samburu, turkana = demo.samburu, demo.turkana
    with county_context([samburu]):
        secretariat = _member(samburu, "secretariat@samburu.demo", demo)
        executive = _member(samburu, "executive@samburu.demo", demo)
        assembly = _member(samburu, "assembly@samburu.demo", demo)
        health = Sector.objects.for_county(samburu).get(slug="health")
        # The CEC Member for Health and the Health committee's chair, in office since
        # before the Health plan's first step.
        since = shift(date(2023, 1, 2))
        _hold(samburu, OfficeKind.CEC_SECTOR, health, executive, secretariat, since)
        _hold(samburu, OfficeKind.ASSEMBLY_CHAIR, health, assembly, secretariat, since)
        actors = {
            "default": _member(samburu, "sectorlead@samburu.demo", demo),
            "County Finance and Economic Planning": secretariat,
            "CEC": executive,
            "CEC and CBEF": executive,
            "Sectoral Committee": assembly,
            "Whole House": assembly,
            "Citizens/CSOs": secretariat,
            15: executive,  # the phase sign-offs: the CEC Member for Health's own act
            28: executive,
        }
        ward = Ward.objects.filter(county=samburu).order_by("code").first()
        plan = services.sector_plan_create(
            county=samburu,
            membership=secretariat,
            sector=health,
            period_start=year(2023),
            title=f"Samburu County Health Sector Plan {year(2023)}–{year(2027)}",
            lead=actors["default"].user,
        )
        services.plan_lay_out(plan=plan, membership=secretariat, start=shift(date(2023, 1, 9)))
        steps = {ps.step.number: ps for ps in plan.steps.select_related("step")}
        for number, kind, title in (
            (9, "baseline", "Health sector context and baseline"),
            (20, "vision_strategy", "Health vision, strategy and programmes (draft)"),
            (36, "pre_validation", "Health sector plan, pre-validation draft"),
            (44, "final", f"Samburu County Health Sector Plan {year(2023)}-{year(2027)}"),
        ):
            services.plan_document_upload(
                plan=plan,
                membership=secretariat,
                upload=_pdf(title),
                kind=kind,
                title=title,
                plan_step=steps[number],
                is_public=True,
            )
        _walk(plan, 47, actors, ward)

        agriculture = Sector.objects.for_county(samburu).get(mtef_sector="arud")
        in_progress = services.sector_plan_create(
            county=samburu,
            membership=secretariat,
            sector=agriculture,
            period_start=year(2023),
            title="Samburu County Agriculture, Rural and Urban Development Sector Plan "
            f"{year(2023)}–{year(2027)}",
        )
        # Step 18 (invite views on the vision) starts yesterday: its window is open now.
        services.plan_lay_out(plan=in_progress, membership=secretariat, start=today)
        offset = (today - timedelta(days=1)) - PlanStep.objects.for_county(samburu).get(
            plan=in_progress, step__number=18
        ).planned_start
        services.plan_lay_out(plan=in_progress, membership=secretariat, start=today + offset)
        # Agriculture has no CEC member in office: the secretariat records the CEC's
        # comments on its behalf, and the Phase 1 sign-off waits (see the module doc).
        _walk(
            in_progress,
            14,
            {**actors, "default": secretariat, "CEC": secretariat},
            ward,
            unanswered={12: 1},
        )
        steps = {ps.step.number: ps for ps in in_progress.steps.select_related("step", "plan")}
        services.plan_step_complete(
            plan_step=steps[16],
            membership=secretariat,
            now=_at(steps[16].due_date, 18),
            out_of_order_reason="Phase 2a started on schedule: the Phase 1 sign-off waits for "
            "the last response to the public's comments and for a CEC Member for Agriculture.",
        )
        services.plan_step_start(plan_step=steps[17], membership=secretariat)
        ps18 = steps[18]
        window = services.participation_window_open(
            plan_step=ps18,
            membership=secretariat,
            title="Vision, strategy and programmes for agriculture and livestock",
            invitation="The working group has drafted the sector's vision and programmes. "
            "Read the draft and tell us what your ward needs.",
            opens_at=timezone.now() - timedelta(days=1),
            closes_at=_at(today + timedelta(days=20), 17),
        )
        services.plan_document_upload(
            plan=in_progress,
            membership=secretariat,
            upload=_pdf("Agriculture vision and strategy (draft)"),
            kind="vision_strategy",
            title="Agriculture vision and strategy (draft)",
            plan_step=ps18,
            is_public=True,
        )
        first = services.public_comment_submit(
            window=window,
            topic="Livestock markets",
            organization="Maralal traders",
            body="Reopen the Suguta Marmar livestock market before the long rains.",
        )
        services.public_comment_moderate(comment=first, membership=secretariat, accept=True)
        services.public_comment_submit(
            window=window,
            topic="Irrigation",
            name="Daniel Lopeyok",
            body="Support small irrigation schemes along the Ewaso Nyiro.",
        )

    with county_context([turkana]):
        secretariat = _member(turkana, "secretariat@turkana.demo", demo)
        sector = Sector.objects.for_county(turkana).get(mtef_sector="arud")
        plan = services.sector_plan_create(
            county=turkana,
            membership=secretariat,
            sector=sector,
            period_start=year(2023),
            title="Turkana County Agriculture, Pastoral Economy and Fisheries Sector Plan",
        )
        services.plan_lay_out(plan=plan, membership=secretariat, start=today - timedelta(days=40))
        for number in range(1, 5):
            services.plan_step_complete(
                plan_step=plan.steps.select_related("step", "plan").get(step__number=number),
                membership=secretariat,
                notify_next=number == 4,  # only the last one's turn is now
            )
