"""From a review of every command's normal output as a controller and a CFO read it (screens, JSON, workbook,
memo): each test here failed on the code it was written against."""
from __future__ import annotations

from nexus.timing import Start


def test_a_start_rule_of_one_day_and_a_fixed_date_read_as_words():
    # Ohio's rule (1 day after the test is met) read '1 days' in the reasons, the Timeline and the memo;
    # Pennsylvania's 'from the next 04-01 after the measuring period closes'.
    assert Start("after_days", days=1).words() == "1 day after the test is met"
    assert Start("after_days", days=60).words() == "60 days after the test is met"
    assert Start("quarter_end_plus_months", months=1).words() == (
        "by the end of the month 1 month after the quarter in which the test is met")
    assert Start("next_date", on="04-01").words() == "from the next April 1 after the measuring period closes"
    assert Start("next_date", on="10-01").words() == "from the next October 1 after the measuring period closes"
