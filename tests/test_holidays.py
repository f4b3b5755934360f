"""Public holidays on which a tax deadline moves (data/public-holidays.json, nexus.holidays)."""
from datetime import date

import pytest

from nexus import datafiles
from nexus.errors import RulesError
from nexus.holidays import holidays_of, parse_holidays

TABLE = datafiles.document("public-holidays.json")


def test_every_row_says_its_law_its_years_and_its_sources():
    for row in TABLE["rules"]:
        assert row["rule"] and row["notes"] and date.fromisoformat(row["last_verified"])
        assert row["sources"] and all(s.startswith("https://") for s in row["sources"])
        assert row["confidence"] in ("official", "secondary")


def test_koreas_holidays_hold_the_lunar_the_substitute_and_the_temporary_days_of_the_years_covered():
    """설날 of 2025 (lunar 12/30 to 1/2: 2025-01-28 to 01-30), the temporary holiday of 2025-01-27, the substitute
    holiday for 설날 of 2023 (설날 on Sunday 2023-01-22: Tuesday 01-24), as the almanac's list gives them."""
    korea = holidays_of("KR")
    assert (korea.covered_from, korea.covered_to) == (date(2020, 1, 1), date(2027, 12, 31))
    assert {date(2025, 1, 27), date(2025, 1, 28), date(2025, 1, 29), date(2025, 1, 30), date(2023, 1, 24)} <= korea.days
    assert korea.next_working_day(date(2025, 1, 25)) == date(2025, 1, 31)
    assert korea.next_working_day(date(2025, 7, 25)) == date(2025, 7, 25)
    assert not korea.covers(date(2028, 1, 25)) and holidays_of("JP") is None


@pytest.mark.parametrize("override, message", [
    ({"holidays": {"2031-01-01": "1월 1일"}}, "2031-01-01 lies outside covered_from to covered_to"),
    ({"sources": []}, "needs the 'rule' that moves deadlines and its 'sources'"),
    ({"covered_to": "soon"}, "'soon' is not a date"),
])
def test_the_loader_refuses_a_bad_row_and_names_it(override, message):
    row = {**TABLE["rules"][0], **override}
    with pytest.raises(RulesError, match="public-holidays.json row 1 \\(KR\\): .*" + message.replace("(", "\\(")):
        parse_holidays({"rules": [row]})
