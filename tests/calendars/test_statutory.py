"""The county budget calendar (PFM Act 2012) and the USAID season, computed per year."""

from datetime import date

from calendars import statutory
from jwp.fiscal import parse_year


def test_every_statutory_pfm_milestone_of_2025_26_with_its_legal_reference():
    milestones = statutory.pfm_milestones(parse_year("2025/26"))
    got = {m.key: (m.date, m.legal_reference) for m in milestones}
    assert got == {
        "pfm:quarterly-report:2024/25-q4": (date(2025, 7, 30), "PFM Act 2012 s.166"),
        "pfm:budget-circular:2025/26": (
            date(2025, 8, 30),
            "PFM Act 2012 s.128; PFM (County Governments) Regulations 2015 r.30",
        ),
        "pfm:adp:2025/26": (date(2025, 9, 1), "PFM Act 2012 s.126"),
        "pfm:cbrop:2025/26": (date(2025, 9, 30), "PFM Act 2012 s.118"),
        "pfm:quarterly-report:2025/26-q1": (date(2025, 10, 30), "PFM Act 2012 s.166"),
        "pfm:swg-reports:2025/26": (
            date(2026, 1, 31),
            "PFM (County Governments) Regulations 2015 r.30",
        ),
        "pfm:quarterly-report:2025/26-q2": (date(2026, 1, 31), "PFM Act 2012 s.166"),
        "pfm:cfsp:2025/26": (date(2026, 2, 28), "PFM Act 2012 s.117"),
        "pfm:budget-estimates:2025/26": (date(2026, 4, 30), "PFM Act 2012 s.129"),
        "pfm:quarterly-report:2025/26-q3": (date(2026, 4, 30), "PFM Act 2012 s.166"),
        "pfm:appropriation:2025/26": (date(2026, 6, 30), "PFM Act 2012 s.131"),
    }
    assert [m.date for m in milestones] == sorted(m.date for m in milestones)
    # They prepare next year's budget, and say so.
    assert "2026/27" in next(m.title for m in milestones if m.key == "pfm:adp:2025/26")


def test_the_milestones_fall_inside_their_year_and_keys_never_repeat_across_years():
    keys = []
    for label in ("2025/26", "2026/27", "2027/28"):
        year = parse_year(label)
        for m in statutory.pfm_milestones(year) + statutory.usaid_milestones(year):
            assert m.date in year, m
            keys.append(m.key)
    assert len(keys) == len(set(keys))


def test_the_cfsp_stays_on_28_february_in_a_leap_year():
    cfsp = next(m for m in statutory.pfm_milestones(parse_year("2027/28")) if "cfsp" in m.key)
    assert cfsp.date == date(2028, 2, 28)


def test_one_month_after_a_quarter_ends():
    assert statutory.one_month_after(date(2025, 9, 30)) == date(2025, 10, 30)
    assert statutory.one_month_after(date(2025, 12, 31)) == date(2026, 1, 31)
    assert statutory.one_month_after(date(2026, 1, 31)) == date(2026, 2, 28)
    assert statutory.one_month_after(date(2028, 1, 31)) == date(2028, 2, 29)


def test_the_usaid_planning_season_september_to_december_then_january_implementation():
    got = {m.key: (m.date, m.end) for m in statutory.usaid_milestones(parse_year("2026/27"))}
    assert got == {
        "usaid:planning-opens:FY2027": (date(2026, 9, 1), date(2026, 12, 31)),
        "usaid:fy-end:FY2026": (date(2026, 9, 30), None),
        "usaid:fy-start:FY2027": (date(2026, 10, 1), None),
        "usaid:planning-closes:FY2027": (date(2026, 12, 31), None),
        "usaid:implementation-starts:2027": (date(2027, 1, 1), None),
    }


def test_milestones_between_spans_years_and_cuts_at_the_range():
    items = statutory.milestones_between(
        statutory.pfm_milestones, date(2026, 6, 1), date(2026, 9, 1)
    )
    assert [m.key for m in items] == [
        "pfm:appropriation:2025/26",
        "pfm:quarterly-report:2025/26-q4",
        "pfm:budget-circular:2026/27",
        "pfm:adp:2026/27",
    ]
