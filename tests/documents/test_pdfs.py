"""Each kind of document renders to a PDF whose text carries the names, titles,
dates and amounts of its object (read back with poppler's pdftotext)."""

import subprocess

import pytest

from documents.kinds import KINDS
from documents.models import JobStatus
from jwp.tenancy import county_context
from tests import factories
from tests.documents.conftest import ask, job_pdf, membership_of, pdf_text


def generate(user, county, kind, target, django_capture_on_commit_callbacks, **params):
    """Request through the service; the task runs (eagerly) when the request commits."""
    with django_capture_on_commit_callbacks(execute=True):
        job, created = ask(
            membership=membership_of(user, county), kind=KINDS[kind], target=target, params=params
        )
    assert created
    return factories.refresh(job)


@pytest.mark.django_db
def test_the_signed_work_plan_has_every_section_and_the_signature_block(
    county, secretariat, signed_plan, django_capture_on_commit_callbacks, tmp_path
):
    job = generate(secretariat, county, "workplan", signed_plan, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.DONE, job.error
    text = pdf_text(job_pdf(job), tmp_path)
    for section in range(1, 10):
        assert f"Section {section}:" in text
    for expected in (
        "County Government of Samburu",
        "Serikali ya Kaunti ya Samburu",
        "Samburu Resilience Joint Work Plan",
        "Rehabilitate Lodungokwe borehole",
        "Nawiri Resilience Programme",
        "Kenya Red Cross Society",
        "Reduce acute malnutrition among children",
        "Children under five screened",
        "Annual target 2024/25",
        "4,500",  # the M&E plan: the quarters' targets (2,000 + 2,500) added up
        "life of plan: 8,000",
        "Late release of county funds",
        "Jane Lenaiyasa",
        "County Secretary",
        "Amina Wekesa",
        "Chief of Party",
        "18 Jul 2024",
        "Decision ref. CEC/SBR/",  # the approval decision behind the signatures (wraps)
        "10 Jul 2024",
        "1,295,000.00",  # USD 10,000 at 129.5, in KES
        "4,545,000.00",  # the total
        f"Page 1 of {job.pages}",
    ):
        assert expected in text, expected
    assert "Not signed" not in text


@pytest.mark.django_db
def test_the_budget_sheet_has_the_templates_columns_totals_and_approvals(
    county, secretariat, signed_plan, django_capture_on_commit_callbacks, tmp_path
):
    job = generate(secretariat, county, "budget", signed_plan, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.DONE, job.error
    text = pdf_text(job_pdf(job), tmp_path)
    for expected in (
        "Joint Work Planning Budget",
        "Project title Samburu Resilience Joint Work Plan",
        "County name Samburu",
        "Budget year 2024/25",
        "Planning and Coordination",
        "County government contribution",
        "Implementing partner contribution",
        "KES 2,500,000.00",  # the county's line
        "KES 2,045,000.00",  # partners: 1,295,000 + 750,000
        "KES 4,545,000.00",
        "Approvals and signatures",
        "Jane Lenaiyasa",
        "Amina Wekesa",
        "18 Jul 2024",
    ):
        assert expected in text, expected


@pytest.mark.django_db
def test_the_sector_plan_record_has_steps_participation_and_the_assembly_resolution(
    county, secretariat, approved_sector_plan, django_capture_on_commit_callbacks, tmp_path
):
    job = generate(
        secretariat, county, "sectorplan", approved_sector_plan, django_capture_on_commit_callbacks
    )
    assert job.status == JobStatus.DONE, job.error
    text = pdf_text(job_pdf(job), tmp_path)
    for expected in (
        "Sector Plan Approval Record",
        "Water sector plan 2023–2027",
        "Resolution CA/SBR/45/2024",
        "The House adopts the Water Sector Plan.",
        "27 June 2024",
        "Align the targets with the CIDP.",
        "Water points and pasture",
        "3 comments received, 2 accepted after moderation, 1 answered",
        "Incorporated: 1",
        "47",  # the last step is listed
    ):
        assert expected in text, expected


@pytest.mark.django_db
def test_the_quarterly_report_counts_verified_results_and_draws_its_charts(
    county, secretariat, signed_plan, django_capture_on_commit_callbacks, tmp_path
):
    from workplans.models import JointActivity

    with county_context([county]):
        borehole = JointActivity.objects.for_county(county).get(title__contains="Lodungokwe")
    factories.ActivityProgressFactory(
        county=county,
        activity=borehole,
        plan=signed_plan,
        fiscal_year="2024/25",
        quarter=2,
        percent_complete=60,
        progress_made="Solar pump installed",
        challenges="Tank delivery late",
    )
    factories.ProgressReportFactory(
        county=county,
        plan=signed_plan,
        fiscal_year="2024/25",
        quarter=2,
        summary="Screening fell behind after the October rains.",
    )
    job = generate(
        secretariat, county, "report", signed_plan, django_capture_on_commit_callbacks, quarter=2
    )
    assert job.status == JobStatus.DONE, job.error
    assert job.params == {"fiscal_year": "2024/25", "quarter": 2}
    text = pdf_text(job_pdf(job), tmp_path)
    for expected in (
        # the progress app's report of the quarter: narrative and activity progress
        "Screening fell behind after the October rains.",
        "Solar pump installed",
        "60 %",
        "Tank delivery late",
        "Quarterly M&E Progress Report",
        "2024/25 Q2",
        "FY2025 Q1",  # October–December 2024 opens the USAID year
        "Children under five screened",
        "Nawiri Resilience Programme",
        "2,500",  # Q2 target
        "1,200",  # Q2 verified actual
        "-1,300",  # variance
        "48.0 %",
        "Off track",
        "Actual as % of target this quarter",
    ):
        assert expected in text, expected


@pytest.mark.django_db
def test_the_nomination_letter_names_the_organization_structure_and_due_date(
    county, secretariat, nomination, django_capture_on_commit_callbacks, tmp_path
):
    job = generate(
        secretariat, county, "nomination", nomination, django_capture_on_commit_callbacks
    )
    assert job.status == JobStatus.DONE, job.error
    text = pdf_text(job_pdf(job), tmp_path)
    for expected in (
        "Invitation to nominate a representative to the Samburu JWP Technical Working Group",
        "Nawiri Resilience Programme",
        "15 August 2025",
        "28 July 2025",
        "Please nominate your M&E lead.",
        "Grace Lekupe",
        f"JWP/{county.code}/2025/26/NOM/{nomination.pk}",
    ):
        assert expected in text, expected


@pytest.mark.django_db
def test_a_page_renders_to_a_non_blank_a4_png(
    county, secretariat, nomination, django_capture_on_commit_callbacks, tmp_path
):
    job = generate(
        secretariat, county, "nomination", nomination, django_capture_on_commit_callbacks
    )
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(job_pdf(job))
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    png = next(tmp_path.glob("p*.png")).read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width = int.from_bytes(png[16:20], "big")
    height = int.from_bytes(png[20:24], "big")
    assert (width, height) == (497, 702)  # A4 (210 × 297 mm) at 60 dpi, rounded up
    # Not blank: a page of text compresses far worse than an empty white page (~1 KB).
    assert len(png) > 8000


def test_css_strings_escape_quotes_and_backslashes():
    from documents.templatetags.documents_pdf import css_string

    assert css_string('Ukurasa "1"\\') == "Ukurasa \\22 1\\22 \\5c "


@pytest.mark.django_db
def test_every_font_is_dejavu_embedded_and_covers_kiswahili_text(
    county, secretariat, nomination, django_capture_on_commit_callbacks, tmp_path
):
    """The font stack starts with DejaVu Sans (installed everywhere we run; Latin
    Extended covers Kiswahili); every font is embedded, none is a fallback."""
    with county_context([county]):
        nomination.message = "Tafadhali mteue mwakilishi wenu — asanteni sana."
        nomination.save(update_fields=["message"])
    capture = django_capture_on_commit_callbacks
    job = generate(secretariat, county, "nomination", nomination, capture)
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(job_pdf(job))
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True)
    rows = fonts.stdout.splitlines()[2:]
    assert rows and all("DejaVu" in row.split()[0] for row in rows), fonts.stdout
    assert all(" yes yes yes " in row for row in rows), fonts.stdout  # embedded, subset, unicode
    text = pdf_text(job_pdf(job), tmp_path)
    assert "Tafadhali mteue mwakilishi wenu — asanteni sana." in text
    assert "Serikali ya Kaunti ya Samburu" in text
