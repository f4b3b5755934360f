"""The dates `nexus check` gives per US state, checked as a sales-tax manager checks them by hand: orders written next
to each test in nexus's own layout, and every date (nexus since, collect from, register by, the period measured, the day
the test was crossed, the last day of nexus) worked out from the rule rows' own words before running nexus. The rule
each case rests on is named beside it (data/us-economic-nexus.json, data/registration-timing.json)."""
import json
from datetime import date, timedelta

from click.testing import CliRunner

from nexus.cli import cli

HEADER = ("Order ID,Created At,Customer Name,Ship Country,Ship State,SKU,Category,Channel,Type,Tax Exempt,Currency,"
          "Amount\n")


def orders(tmp_path, rows):
    """``rows`` of (day, state, amount[, channel]): a goods sale in USD each, sold direct unless a channel is given."""
    path = tmp_path / "orders.csv"
    lines = [f"O{i},{day} 12:00:00-05:00,Buyer,US,{state},SKU,goods,{rest[0] if rest else 'direct'},sale,no,USD,"
             f"{amount}\n" for i, (day, state, amount, *rest) in enumerate(rows)]
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return path


def every_day(first, count, state, amount, per_day=1):
    """``count`` sales of ``amount``, ``per_day`` a day from ``first``."""
    return [(first + timedelta(days=i // per_day), state, amount) for i in range(count)]


def check(path, as_of, *args):
    result = CliRunner().invoke(cli, ["check", "--sales", str(path), "--as-of", as_of, "--home", "US-OR", "--all",
                                      *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def finding(path, as_of, code):
    return next(f for f in json.loads(check(path, as_of, "--format", "json").stdout)["findings"]
                if f["jurisdiction"] == code)


def dates(f):
    """The finding's dates as a manager lists them."""
    return {key: f[key] for key in ("status", "nexus", "crossed_on", "nexus_since", "collect_from", "register_by",
                                    "action", "overdue_days")}


def windows(f):
    return [(w["since"], w["collect_from"], w["register_by"], w["until"], w["measured"]) for w in f["nexus_windows"]]


def test_california_current_or_previous_year_collects_from_the_sale_that_passes_usd_500000(tmp_path):
    """Cal. Code Regs. 1684(c): engaged in business 'immediately after the sale' that passes USD 500,000 in the
    current or preceding calendar year (nexus uses the day of that sale: it cannot order a day's sales). USD 300,000 on
    2025-02-01 and 200,000.01 on 2025-05-20: more than 500,000 on 2025-05-20; 2025 then keeps nexus through 2026."""
    path = orders(tmp_path, [("2025-02-01", "CA", "300000.00"), ("2025-05-20", "CA", "200000.01")])
    f = finding(path, "2026-12-07", "US-CA")
    assert f["period"]["label"] == "calendar year 2025" and f["sales"] == "500000.01"
    assert dates(f) == {"status": "exceeded", "nexus": "economic", "crossed_on": "2025-05-20",
                        "nexus_since": "2025-05-20", "collect_from": "2025-05-20", "register_by": "2025-05-20",
                        "action": "register-now", "overdue_days": 566}  # 2025-05-20 to 2026-12-07
    later = finding(path, "2027-01-05", "US-CA")
    assert later["status"] == "below" and later["nexus"] is None
    assert windows(later) == [("2025-05-20", "2025-05-20", "2025-05-20", "2026-12-31", "calendar year 2025")]


def test_florida_previous_year_duty_begins_on_1_january_and_marketplace_sales_do_not_count(tmp_path):
    """Fla. Stat. 212.0596: taxable remote sales over USD 100,000 in the previous calendar year, sales through a
    marketplace provider left out. USD 60,000 and 40,000.01 sold direct pass it on 2025-07-29; the USD 500,000 sold
    through a marketplace counts for nothing. 2025 is measured in 2026: nexus, collection and registration from
    2026-01-01. With the 100,000 sold through a marketplace instead, Florida is below (USD 60,000)."""
    path = orders(tmp_path, [("2025-03-01", "FL", "60000.00"), ("2025-07-29", "FL", "40000.01"),
                             ("2025-08-01", "FL", "500000.00", "marketplace")])
    f = finding(path, "2026-12-07", "US-FL")
    assert f["sales"] == "100000.01" and f["period"]["label"] == "calendar year 2025"
    assert dates(f) == {"status": "exceeded", "nexus": "economic", "crossed_on": "2025-07-29",
                        "nexus_since": "2026-01-01", "collect_from": "2026-01-01", "register_by": "2026-01-01",
                        "action": "register-now", "overdue_days": 340}
    (tmp_path / "m").mkdir()
    market = orders(tmp_path / "m", [("2025-03-01", "FL", "60000.00"),
                                     ("2025-07-29", "FL", "100000.00", "marketplace")])
    f = finding(market, "2026-12-07", "US-FL")
    assert (f["status"], f["nexus"], f["sales"]) == ("below", None, "60000.00")


def test_the_florida_duty_that_2025s_sales_decide_is_on_the_screen_before_1_january(tmp_path):
    """As of 2025-09-30 (and as late as 2025-12-31) the USD 100,000.01 sold in 2025 already decides Florida's duty from
    2026-01-01, whatever the last quarter sells. The screen said nothing of Florida: 2024, measured on those days, had
    no orders ('not covered'), and nothing had been sold in the last 90 days, so no crossing was projected. Expected:
    the day, said as met on the sales already made, not as a pace."""
    path = orders(tmp_path, [("2025-03-01", "FL", "60000.00"), ("2025-07-29", "FL", "40000.01")])
    for as_of in ("2025-09-30", "2025-12-31"):
        assert "Met ahead on the sales already made: US-FL 2026-01-01." in check(path, as_of).stdout
        f = finding(path, as_of, "US-FL")
        assert f["projected_crossing"] == "2026-01-01"
        assert f["projection"].startswith(f"met by the sales made to {as_of}")


def test_georgias_200_sales_are_met_before_its_usd_100000(tmp_path):
    """O.C.G.A. 48-8-2(8)(M.1)-(M.2): more than USD 100,000 or 200 or more retail sales in the current or previous
    year; a dealer collects from the next sale. 200 sales of USD 100, one a day from 2025-01-01: the 200th on
    2025-07-19 (31+28+31+30+31+30+19), with USD 20,000 sold; USD 100,000 more on 2025-10-01 passes the dollar test
    later and changes no date."""
    path = orders(tmp_path, every_day(date(2025, 1, 1), 200, "GA", "100.00") + [("2025-10-01", "GA", "100000.00")])
    f = finding(path, "2026-12-07", "US-GA")
    assert (f["sales"], f["transactions"]) == ("120000.00", 201)
    assert dates(f) == {"status": "exceeded", "nexus": "economic", "crossed_on": "2025-07-19",
                        "nexus_since": "2025-07-19", "collect_from": "2025-07-19", "register_by": "2025-07-19",
                        "action": "register-now", "overdue_days": 506}


def test_connecticut_measures_the_12_months_to_30_september_and_collects_for_the_year_from_1_october(tmp_path):
    """Conn. Gen. Stat. 12-407(a)(12): USD 100,000 AND 200 retail sales in the 12 months ending on the preceding 30
    September. 200 sales of USD 500 a day from 2024-10-01 (the 200th on 2025-04-18): met on 2025-09-30, collect and
    register from 2025-10-01 for the year to 2026-09-30; the 12 months to 2026-09-30 sold nothing, so nexus ends
    there."""
    path = orders(tmp_path, every_day(date(2024, 10, 1), 200, "CT", "500.00"))
    f = finding(path, "2026-06-30", "US-CT")
    assert f["period"]["label"] == "12 months to 30 September 2024-10-01 to 2025-09-30"
    assert dates(f) == {"status": "exceeded", "nexus": "economic", "crossed_on": "2025-04-18",
                        "nexus_since": "2025-09-30", "collect_from": "2025-10-01", "register_by": "2025-10-01",
                        "action": "register-now", "overdue_days": 272}
    assert windows(finding(path, "2026-12-07", "US-CT")) == [
        ("2025-09-30", "2025-10-01", "2025-10-01", "2026-09-30", "12 months to 30 September 2024-10-01 to 2025-09-30")]


def test_a_state_crossed_in_an_earlier_year_and_below_now_keeps_its_window(tmp_path):
    """Washington (RCW 82.04.067, current or preceding year): USD 100,000.01 on 2024-06-10 keeps nexus to 2025-12-31.
    Alabama (previous calendar year, more than USD 250,000): 2024's sales give nexus for 2025 only. As of 2026-12-07
    both are below, with no nexus today, and the ended window listed."""
    path = orders(tmp_path, [("2024-06-10", "WA", "100000.01"), ("2024-06-10", "AL", "250000.01")])
    wa, al = finding(path, "2026-12-07", "US-WA"), finding(path, "2026-12-07", "US-AL")
    assert (wa["status"], wa["nexus"], al["status"], al["nexus"]) == ("below", None, "below", None)
    assert windows(wa) == [("2024-06-10", "2024-06-10", "2024-06-10", "2025-12-31", "calendar year 2024")]
    assert windows(al) == [("2025-01-01", "2025-01-01", "2025-01-01", "2025-12-31", "calendar year 2024")]
    assert dates(finding(path, "2025-06-30", "US-AL"))["overdue_days"] == 180  # from 2025-01-01


def test_north_carolinas_200_transactions_count_as_of_june_2024_and_not_after(tmp_path):
    """N.C. Gen. Stat. 105-164.8(b)(3) until S.L. 2024-28 removed the 200 transactions from 2024-07-01: two sales of
    USD 50 a day from 2024-01-01 (268, USD 13,400) pass 200 on 2024-04-09 (day 100 of a leap year); collection 60
    days later, 2024-06-08. As of 2024-06-30 that duty is 22 days overdue; from 2024-07-01 only USD 100,000 counts, so
    the window ends on 2024-06-30 and its tax stays owed."""
    path = orders(tmp_path, every_day(date(2024, 1, 1), 268, "NC", "50.00", per_day=2))
    f = finding(path, "2024-06-30", "US-NC")
    assert dates(f) == {"status": "exceeded", "nexus": "economic", "crossed_on": "2024-04-09",
                        "nexus_since": "2024-04-09", "collect_from": "2024-06-08", "register_by": "2024-06-08",
                        "action": "register-now", "overdue_days": 22}
    after = finding(path, "2024-07-01", "US-NC")
    assert (after["status"], after["nexus"], after["transactions"]) == ("below", None, 268)
    assert windows(after) == [("2024-04-09", "2024-06-08", "2024-06-08", "2024-06-30", "calendar year 2024")]


def test_vermont_keeps_the_month_its_last_12_months_decided_to_its_last_day(tmp_path):
    """32 V.S.A. 9701(9)(F): each month's liability is decided by 'the 12-month period preceding the monthly period'.
    USD 100,000 sold on 2025-05-14 is found met at 2025-05-31 (collect and register from 2025-06-01) and decides every
    month to May 2026 (the 12 months to 30 April 2026 hold it); June 2026's 12 months do not. Tax is due through
    2026-05-31: nexus ended on 2026-05-30, and the USD 1,000 sold on 2026-05-31 was left out of the estimate."""
    path = orders(tmp_path, [("2025-05-14", "VT", "100000.00"), ("2026-05-31", "VT", "1000.00")])
    assert windows(finding(path, "2026-12-07", "US-VT")) == [
        ("2025-05-31", "2025-06-01", "2025-06-01", "2026-05-31", "12 whole months 2024-06-01 to 2025-05-31")]
    f = finding(path, "2026-05-31", "US-VT")
    assert (f["status"], f["nexus"], f["collect_from"]) == ("below", "economic", "2025-06-01")
    assert f["exposure"]["taxable_sales"] == "1000.00" and f["exposure"]["to"] == "2026-05-31"


def test_new_york_and_minnesota_keep_the_quarter_their_last_measure_decided_to_its_last_day(tmp_path):
    """New York (Tax Law 1101(b)(8)(iv)): more than USD 500,000 AND more than 100 sales in the immediately preceding
    four sales-tax quarters. 101 sales of USD 5,000 a day from 2025-03-01 (the 101st on 2025-06-09): the quarters to
    2025-08-31 meet it (collect from 2025-09-01), and so do those to 2026-02-28, which decide March to May 2026; those
    to 2026-05-31 hold 9 sales. Nexus to 2026-05-31, not 05-30. Minnesota (Minn. Stat. 297A.66, the 12 months ending
    with the last completed quarter): USD 100,000.01 on 2025-05-14 is met at 2025-06-30 (collect from the first of a
    month within 60 days: 2025-08-01) and decides every quarter to the one ending 2026-06-30."""
    path = orders(tmp_path, every_day(date(2025, 3, 1), 101, "NY", "5000.00") + [("2025-05-14", "MN", "100000.01")])
    ny = finding(path, "2025-12-31", "US-NY")
    assert (ny["crossed_on"], ny["nexus_since"], ny["collect_from"]) == ("2025-06-09", "2025-08-31", "2025-09-01")
    assert windows(finding(path, "2026-12-07", "US-NY")) == [
        ("2025-08-31", "2025-09-01", "2025-09-01", "2026-05-31", "four NY sales-tax quarters 2024-09-01 to 2025-08-31")]
    assert windows(finding(path, "2026-12-07", "US-MN")) == [
        ("2025-06-30", "2025-08-01", "2025-08-01", "2026-06-30", "12 months to quarter end 2024-07-01 to 2025-06-30")]


def test_new_york_registers_on_the_first_day_of_the_quarter_that_makes_the_seller_a_vendor(tmp_path):
    """Tax Law 1101(b)(8)(i)(E) and (iv): a seller is a vendor when 'the immediately preceding four sales tax quarters'
    hold more than USD 500,000 and more than 100 sales; DTF (Publication 750, N-19-1, TSB-M-19(1)S) asks it to register
    'immediately', and Tax Law 1134(a)(1) takes such a vendor out of the rule of registering 20 days before commencing
    business. 101 sales of USD 5,000 a day from 2025-03-01: the quarters to 2025-08-31 meet the test, so the seller is
    a vendor from 2025-09-01 (on 31 August the four quarters before the current one end on 31 May, with 92 sales):
    register by 2025-09-01, the day collection starts. nexus said 2025-08-31, a day before the seller was a vendor,
    and called it 'due today' on 31 August."""
    path = orders(tmp_path, every_day(date(2025, 3, 1), 101, "NY", "5000.00"))
    f = finding(path, "2025-08-31", "US-NY")
    assert dates(f) == {"status": "exceeded", "nexus": "economic", "crossed_on": "2025-06-09",
                        "nexus_since": "2025-08-31", "collect_from": "2025-09-01", "register_by": "2025-09-01",
                        "action": "register-by", "overdue_days": None}
    assert any("Register by 2025-09-01" in r for r in f["reasons"])
    later = finding(path, "2025-12-31", "US-NY")
    assert (later["register_by"], later["action"], later["overdue_days"]) == ("2025-09-01", "register-now", 121)


def test_texas_measures_the_preceding_twelve_calendar_months_with_its_marketplace_sales(tmp_path):
    """34 TAC 3.286: a remote seller with total Texas revenue (marketplace sales included) under USD 500,000 in the
    preceding twelve calendar months is not engaged in business; one that exceeds it collects 'no later than the first
    day of the fourth month after the month in which' it did; the Comptroller's termination form counts 'any 12
    calendar months'. USD 200,000 on 2025-01-10, 200,000 through a marketplace on 2025-04-10 and 100,000 on
    2025-07-15: the 12 calendar months August 2024 to July 2025 reach USD 500,000, found at the end of July; collect
    and register from 2025-11-01. They decide every month to January 2026 (January 2025 to December 2025 hold the
    sale of 10 January), so nexus lasts to 2026-01-31; it ended on 2026-01-09 when 12 months were counted from the
    as-of date, day by day."""
    path = orders(tmp_path, [("2025-01-10", "TX", "200000.00"), ("2025-04-10", "TX", "200000.00", "marketplace"),
                             ("2025-07-15", "TX", "100000.00")])
    f = finding(path, "2025-12-31", "US-TX")
    assert (f["sales"], f["crossed_on"], f["nexus_since"], f["collect_from"], f["register_by"]) == (
        "500000.00", "2025-07-15", "2025-07-31", "2025-11-01", "2025-11-01")
    assert windows(finding(path, "2026-12-07", "US-TX")) == [
        ("2025-07-31", "2025-11-01", "2025-11-01", "2026-01-31", "12 whole months 2024-08-01 to 2025-07-31")]


def test_texas_counts_no_sale_of_a_month_before_its_twelve_calendar_months(tmp_path):
    """USD 400,000 on 2024-07-20 and 100,000 on 2025-07-10: no twelve calendar months hold both (July 2024 to June 2025
    holds 400,000; August 2024 to July 2025 100,000), so Texas never had nexus. Counted over the 365 days to each day,
    the two met USD 500,000 on 2025-07-10, and nexus gave a duty from 2025-11-01 that Texas's rule does not impose."""
    path = orders(tmp_path, [("2024-07-20", "TX", "400000.00"), ("2025-07-10", "TX", "100000.00")])
    f = finding(path, "2025-12-31", "US-TX")
    assert (f["status"], f["nexus"], f["nexus_windows"]) == ("below", None, [])


def test_alaska_registers_within_30_days_of_the_1_january_its_last_calendar_year_meets_the_criteria(tmp_path):
    """ARSSTC Remote Seller Sales Tax Code .070 (BMC 4.16A.070): 'If a remote seller's gross statewide sales within
    the last calendar year meet or exceed the threshold criteria, the remote seller shall register', within 30 days of
    meeting them. USD 100,000 sold on 2025-07-10 makes 2025 meet them on 2026-01-01: nexus and collection from that
    day, registration by 2026-01-31. As of 2026-01-15 the deadline is ahead; nexus said 'register by 2025-08-09',
    159 days overdue, for a duty that begins in 2026."""
    path = orders(tmp_path, [("2025-07-10", "AK", "100000.00")])
    f = finding(path, "2026-01-15", "US-AK")
    assert dates(f) == {"status": "exceeded", "nexus": "economic", "crossed_on": "2025-07-10",
                        "nexus_since": "2026-01-01", "collect_from": "2026-01-01", "register_by": "2026-01-31",
                        "action": "register-by", "overdue_days": None}


def test_illinois_collects_for_one_year_whatever_version_of_its_test_reads_the_sales_on(tmp_path):
    """86 Ill. Adm. Code 131.115(b): the 12 months to each quarter end are measured; once met, collection from the
    first day of the next quarter 'for one year', then measured again. USD 100,000 sold on 2025-05-14 is met at
    2025-06-30: collect from 2025-07-01 to 2026-06-30; the 12 months to 2026-06-30 hold nothing. The rule's version
    from 2026-01-01 (its 200 transactions removed) reads the same sales on and is no new determination: nexus ran to
    2026-12-31, a year from that version's first day. Missouri (RSMo 144.605, one rule): collection within three months
    of the quarter's close, 2025-09-30, for 12 months, to 2026-09-29."""
    path = orders(tmp_path, [("2025-05-14", "IL", "100000.00"), ("2025-05-14", "MO", "100000.01")])
    il, mo = finding(path, "2026-12-07", "US-IL"), finding(path, "2026-12-07", "US-MO")
    assert (il["nexus"], mo["nexus"]) == (None, None)
    assert windows(il) == [
        ("2025-06-30", "2025-07-01", "2025-07-01", "2026-06-30", "12 months to quarter end 2024-07-01 to 2025-06-30")]
    assert windows(mo) == [
        ("2025-06-30", "2025-09-30", "2025-09-30", "2026-09-29", "12 months to quarter end 2024-07-01 to 2025-06-30")]


def permit_finding(path, as_of, code, registrations):
    return next(f for f in json.loads(check(path, as_of, "--registrations", str(registrations), "--format",
                                            "json").stdout)["findings"] if f["jurisdiction"] == code)


def test_a_permit_held_keeps_the_duty_in_texas_and_north_carolina_until_it_is_closed(tmp_path):
    """Texas (34 TAC 3.286, the Comptroller's termination form: a remote seller below the safe harbour stops only
    once it notifies the Comptroller) and North Carolina (Directive SD-24-1: a remote seller 'must continue to collect
    and remit sales and use tax and file returns until it cancels its registration') keep a permit holder liable until
    the permit is cancelled. USD 600,000 sold into Texas on 2025-01-15: found met at 2025-01-31, collection from
    2025-05-01; the twelve calendar months hold it to January 2026, so the test alone ends nexus on 2026-01-31.
    USD 100,000.01 into North Carolina on 2024-03-01: 2024 keeps nexus to 2025-12-31. Both permits are in the
    registrations file, written without the new column as files were before it. As of 2026-06-30 nexus said both had
    ended ('nexus ended', no action); the permits keep them: economic nexus, registered and collecting, the window
    open, and the reasons quote the state's words. A closing date of 2026-04-30 for the Texas permit ends its duty
    there."""
    path = orders(tmp_path, [("2025-01-15", "TX", "600000.00"), ("2026-03-10", "TX", "1000.00"),
                             ("2024-03-01", "NC", "100000.01")])
    regs = tmp_path / "regs.csv"
    regs.write_text("jurisdiction,registered_on,collecting_from,id,note\nUS-TX,2025-04-20,2025-05-01,TX-320001,\n"
                    "US-NC,2024-03-20,2024-04-30,NC-600001,\n", encoding="utf-8")
    tx, nc = (permit_finding(path, "2026-06-30", code, regs) for code in ("US-TX", "US-NC"))
    assert (tx["nexus"], tx["action"], tx["nexus_since"], tx["collect_from"]) == (
        "economic", "registered", "2025-01-31", "2025-05-01")
    assert windows(tx) == [("2025-01-31", "2025-05-01", "2025-05-01", None, "12 whole months 2024-02-01 to 2025-01-31")]
    held = tx["nexus_windows"][0]["permit_held"]
    assert (held["registration"], held["test_met_until"], held["closed_on"]) == (f"{regs}:2", "2026-01-31", None)
    assert "https://comptroller.texas.gov/web-forms/remote-seller/" in held["sources"]
    assert any(r.startswith("The sales test alone gave nexus to 2026-01-31, but the registrations file lists the "
                            "permit as held") and "notify the Comptroller" in r and "gives no closing date" in r
               for r in tx["reasons"])
    assert (nc["nexus"], nc["action"]) == ("economic", "registered")
    assert windows(nc) == [("2024-03-01", "2024-04-30", "2024-04-30", None, "calendar year 2024")]
    assert nc["nexus_windows"][0]["permit_held"]["test_met_until"] == "2025-12-31"
    closed = tmp_path / "closed.csv"
    closed.write_text("jurisdiction,registered_on,collecting_from,id,note,closed_on\n"
                      "US-TX,2025-04-20,2025-05-01,TX-320001,,2026-04-30\n", encoding="utf-8")
    tx = permit_finding(path, "2026-06-30", "US-TX", closed)
    assert (tx["nexus"], tx["action"]) == (None, None)
    assert windows(tx) == [("2025-01-31", "2025-05-01", "2025-05-01", "2026-04-30",
                            "12 whole months 2024-02-01 to 2025-01-31")]
    assert any("it ran to 2026-04-30, the permit's closing date" in r for r in tx["reasons"])


def test_a_permit_closed_before_the_as_of_date_is_not_listed_as_registered_where_nothing_requires_it(tmp_path):
    """The Texas permit closed on 2026-04-30 is not held on 2026-06-30: the screen listed it under 'Registered where
    nothing in the data requires it', a line that asks whether to deregister, and JSON among
    registrations_without_exposure. A permit still open there (Georgia's, its test ended on 2025-12-31) is."""
    path = orders(tmp_path, [("2025-01-15", "TX", "600000.00"), ("2024-03-01", "GA", "100000.01")])
    regs = tmp_path / "regs.csv"
    regs.write_text("jurisdiction,registered_on,collecting_from,id,note,closed_on\n"
                    "US-TX,2025-04-20,2025-05-01,TX-320001,,2026-04-30\nUS-GA,2024-02-01,,GA-1,,\n", encoding="utf-8")
    data = json.loads(check(path, "2026-06-30", "--registrations", str(regs), "--format", "json").stdout)
    assert [r["jurisdiction"] for r in data["summary"]["registrations_without_exposure"]] == ["US-GA"]
    assert "Registered where nothing in the data requires it: US-GA." in check(path, "2026-06-30", "--registrations",
                                                                               str(regs)).stdout


def test_a_permit_held_where_the_states_text_is_silent_leaves_the_test_to_end_the_duty(tmp_path):
    """Georgia (O.C.G.A. 48-8-2(8)(M.1), current or previous year): no text read keeps a permit holder liable after
    the test, so the window that 2024's USD 100,000.01 opens still ends on 2025-12-31 though the permit is held."""
    path = orders(tmp_path, [("2024-03-01", "GA", "100000.01"), ("2026-03-10", "GA", "1000.00")])
    regs = tmp_path / "regs.csv"
    regs.write_text("jurisdiction,registered_on,collecting_from,id,note,closed_on\nUS-GA,2024-02-01,,GA-1,,\n",
                    encoding="utf-8")
    ga = permit_finding(path, "2026-06-30", "US-GA", regs)
    assert (ga["nexus"], ga["action"]) == (None, None)
    assert windows(ga) == [("2024-03-01", "2024-03-01", "2024-03-01", "2025-12-31", "calendar year 2024")]
    assert ga["nexus_windows"][0]["permit_held"] is None


def test_a_permit_closed_before_it_was_taken_out_is_refused_naming_file_line_and_column(tmp_path):
    path = orders(tmp_path, [("2025-01-15", "TX", "600000.00")])
    regs = tmp_path / "regs.csv"
    regs.write_text("jurisdiction,registered_on,closed_on\nUS-TX,2025-04-20,2024-04-30\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--sales", str(path), "--as-of", "2026-06-30", "--home", "US-OR",
                                      "--registrations", str(regs)], catch_exceptions=False)
    assert result.exit_code == 2
    assert (f"{regs}:2: column 'closed_on' value '2024-04-30': is before registered_on 2025-04-20: a permit cannot "
            f"be closed before it was taken out") in result.output


def test_illinois_200_small_sales_in_2025_keep_their_year_of_collection_into_2026_and_say_sources_disagree(tmp_path):
    """86 Ill. Adm. Code 131.115(b): measured at each quarter end over the preceding 12 months, USD 100,000 or (until
    P.A. 104-0006 removed it from 2026-01-01, Bulletin FY 2026-12) 200 sales; once met, collection from the next
    quarter 'for one year'. 250 sales of USD 20, one a day from 2025-01-01 (the 200th on 2025-07-19, USD 5,000 in all):
    the 12 months to 2025-06-30 hold 181, those to 2025-09-30 all 250, so collection runs from 2025-10-01 to
    2026-09-30. Two sales of USD 20 in 2026 (2026-02-10, 2026-05-10). As of 2026-03-31 (161 sales, USD 3,220 in the
    12 months measured) and 2026-09-30 the year still runs: 181 and 364 days overdue, tax on USD 20 and USD 40. The
    same 250 sales from 2025-04-01 (the 200th on 2025-10-17) are met only at 2025-12-31, under the version that still
    counted sales: collection 2026-01-01 to 2026-12-31. Sales Tax Institute reads the removal as letting such a seller
    deregister from 2026-01-01: the finding keeps the year and says so, where it said nothing. A seller over USD
    100,000 (2025-05-14), whose test the version of 2026 goes on finding met, is told nothing of it."""
    def il(first, extra=()):
        (tmp_path / first).mkdir()
        return orders(tmp_path / first, every_day(date.fromisoformat(first), 250, "IL", "20.00")
                      + [("2026-02-10", "IL", "20.00"), ("2026-05-10", "IL", "20.00"), *extra])
    disagree = "On how long the duty lasts past 2025-12-31, when that version of the test ended, sources disagree"
    early = il("2025-01-01")
    march, september = finding(early, "2026-03-31", "US-IL"), finding(early, "2026-09-30", "US-IL")
    assert (march["sales"], march["transactions"], march["status"]) == ("3220.00", 161, "below")
    for f, overdue, taxed in ((march, 181, "20.00"), (september, 364, "40.00")):
        assert dates(f) == {"status": "below", "nexus": "economic", "crossed_on": None, "nexus_since": "2025-09-30",
                            "collect_from": "2025-10-01", "register_by": "2025-10-01", "action": "register-now",
                            "overdue_days": overdue}
        assert windows(f) == [("2025-09-30", "2025-10-01", "2025-10-01", "2026-09-30",
                               "12 months to quarter end 2024-10-01 to 2025-09-30")]
        assert f["exposure"]["taxable_sales"] == taxed
        assert any(r.startswith(disagree) and "131.115(b)" in r for r in f["reasons"])
    assert finding(early, "2026-10-01", "US-IL")["nexus"] is None
    late = il("2025-04-01")
    for as_of, overdue in (("2026-03-31", 89), ("2026-09-30", 272)):
        f = finding(late, as_of, "US-IL")
        assert (f["nexus"], f["nexus_since"], f["collect_from"], f["overdue_days"]) == (
            "economic", "2025-12-31", "2026-01-01", overdue)
        assert windows(f)[0][3] == "2026-12-31" and any(r.startswith(disagree) for r in f["reasons"])
    big = orders(tmp_path, [("2025-05-14", "IL", "100000.00"), ("2026-02-10", "IL", "20.00")])
    assert not any(r.startswith(disagree) for r in finding(big, "2026-03-31", "US-IL")["reasons"])


def test_a_permit_closed_before_a_later_crossing_does_not_cover_it_nor_a_duty_that_went_on_after_it(tmp_path):
    """A permit covers the days it was held. North Carolina (N.C.G.S. 105-164.8(b), current or previous calendar year,
    'register ... 60 days after a remote seller meets the Threshold'; SD-24-1: a seller that cancels 'and later
    becomes engaged in business' must 're-register'): permit registered 2021-01-01, closed 2023-06-30. USD 150,000
    on 2021-02-01 (nexus to 2022-12-31, collected under the permit from 2021-04-02: the USD 1,000 of 2022-06-01 is
    covered), then USD 150,000 again on 2025-03-10: a new obligation, collect and register by 2025-05-09, 236 days
    overdue on 2025-12-31; tax at stake on the USD 1,000 of 2025-09-10 only. It said 'registered' and estimated
    nothing. Georgia (silent on permits): 2024's USD 100,000.01 keeps nexus to 2025-12-31, the permit collected from
    2024-02-01 and was closed on 2025-06-30: as of 2025-09-30 register again by 2025-07-01 (91 days overdue, not
    counted from 2024), tax at stake on the USD 1,000 of 2025-08-01 only."""
    path = orders(tmp_path, [("2021-02-01", "NC", "150000.00"), ("2022-06-01", "NC", "1000.00"),
                             ("2025-03-10", "NC", "150000.00"), ("2025-09-10", "NC", "1000.00"),
                             ("2024-03-01", "GA", "100000.01"), ("2024-06-01", "GA", "1000.00"),
                             ("2025-08-01", "GA", "1000.00")])
    regs = tmp_path / "regs.csv"
    regs.write_text("jurisdiction,registered_on,collecting_from,id,note,closed_on\n"
                    "US-NC,2021-01-01,,NC-600001,,2023-06-30\nUS-GA,2024-02-01,,GA-7001,,2025-06-30\n",
                    encoding="utf-8")
    nc = permit_finding(path, "2025-12-31", "US-NC", regs)
    assert dates(nc) == {"status": "exceeded", "nexus": "economic", "crossed_on": "2025-03-10",
                         "nexus_since": "2025-03-10", "collect_from": "2025-05-09", "register_by": "2025-05-09",
                         "action": "register-now", "overdue_days": 236}
    assert (nc["registration"], nc["gap"], nc["exposure"]["taxable_sales"]) == (None, None, "1000.00")
    assert (f"The permit held earlier ({regs}:2, number ...0001, registered on 2021-01-01) was closed on 2023-06-30, "
            f"before this duty began (tax due from 2025-05-09): it does not cover it; the crossing after it is a new "
            f"obligation, dated as for a seller never registered there.") in nc["reasons"]
    ga = permit_finding(path, "2025-09-30", "US-GA", regs)
    assert (ga["action"], ga["register_by"], ga["overdue_days"], ga["registration"]) == (
        "register-now", "2025-07-01", 91, None)
    assert ga["exposure"]["taxable_sales"] == "1000.00"
    assert any(r.endswith("was closed on 2025-06-30, while nexus went on: tax from 2025-07-01 is not covered by it; "
                          "register again.") for r in ga["reasons"])
    result = check(path, "2025-12-31", "--registrations", str(regs))
    assert "Registered and collecting" not in result.stdout


def test_texas_dates_a_crossing_after_a_closed_permit_by_its_rule_for_a_terminated_remote_seller(tmp_path):
    """The Comptroller's termination form: 'A remote seller that terminates its use tax responsibilities must resume
    collection on the first day of the second month following any 12 calendar months in which total Texas revenue
    exceeds $500,000' (RSM reads 34 TAC 3.286 the same way), where a first crossing collects from the first day of
    the fourth month. Permit registered 2021-01-01, closed 2023-06-30; USD 600,000 on 2025-03-10: the twelve months to
    2025-03-31 exceed it, so collect and register by 2025-05-01 (not 2025-07-01), 244 days overdue on 2025-12-31; tax
    at stake on the USD 1,000 of 2025-09-10. It said 'registered' and estimated nothing."""
    path = orders(tmp_path, [("2025-03-10", "TX", "600000.00"), ("2025-09-10", "TX", "1000.00")])
    regs = tmp_path / "regs.csv"
    regs.write_text("jurisdiction,registered_on,collecting_from,id,note,closed_on\n"
                    "US-TX,2021-01-01,,TX-3200011,,2023-06-30\n", encoding="utf-8")
    tx = permit_finding(path, "2025-12-31", "US-TX", regs)
    assert dates(tx) == {"status": "exceeded", "nexus": "economic", "crossed_on": "2025-03-10",
                         "nexus_since": "2025-03-31", "collect_from": "2025-05-01", "register_by": "2025-05-01",
                         "action": "register-now", "overdue_days": 244}
    assert (tx["registration"], tx["exposure"]["taxable_sales"]) == (None, "1000.00")
    assert tx["nexus_windows"][0]["sources"][0] == "https://comptroller.texas.gov/web-forms/remote-seller/"
    assert any(r.startswith("Collect from 2025-05-01: from the first day of the 2nd month after the month the test is "
                            "met (US-TX's rule: \"A remote seller that terminates its use tax responsibilities must "
                            "resume collection") for r in tx["reasons"])
    assert any(r.endswith("dated by the state's rule for a seller that closed its permit.") for r in tx["reasons"])
    # Without a closed permit, the first crossing's fourth month: 2025-07-01.
    assert finding(path, "2025-12-31", "US-TX")["collect_from"] == "2025-07-01"


def test_a_permit_taken_out_after_the_test_stopped_carries_the_duty_from_that_day_not_the_days_before(tmp_path):
    """North Carolina (SD-24-1: a remote seller no longer over the threshold 'may choose to cancel its sales tax
    registration or remain registered. However, the remote seller must continue to collect ... until it cancels its
    registration'): the duty is the permit holder's. USD 100,000.01 on 2024-03-01 gives nexus to 2025-12-31 (current
    or previous year; collect from 2024-04-30, 60 days on); the permit is taken out late, on 2026-03-01, and still held.
    From 2026-03-01 the seller collects as a permit holder: nexus again, registered and collecting; 2026-01-01 to
    2026-02-28, with neither the test met nor a permit held, are in no window (the USD 1,000 of 2026-02-10 is not
    taxed, that of 2026-04-10 is collected). The late registration leaves 2024-2025 owed: the USD 1,000 of 2025-06-10,
    shown in Act now. Before, the window ended on 2025-12-31 and the permit was 'registered where nothing in the data
    requires it'. Georgia, whose text is silent, keeps that reading."""
    rows = [("2024-03-01", "NC", "100000.01"), ("2025-06-10", "NC", "1000.00"), ("2026-02-10", "NC", "1000.00"),
            ("2026-04-10", "NC", "1000.00")]
    path = orders(tmp_path, rows + [(day, "GA", amount) for day, _state, amount in rows])
    regs = tmp_path / "regs.csv"
    regs.write_text("jurisdiction,registered_on,collecting_from,id,note,closed_on\nUS-NC,2026-03-01,,NC-600001,,\n"
                    "US-GA,2026-03-01,,GA-7001,,\n", encoding="utf-8")
    data = json.loads(check(path, "2026-06-30", "--registrations", str(regs), "--format", "json").stdout)
    nc, ga = (next(f for f in data["findings"] if f["jurisdiction"] == code) for code in ("US-NC", "US-GA"))
    assert (nc["nexus"], nc["nexus_since"], nc["collect_from"], nc["action"], nc["gap"]) == (
        "economic", "2026-03-01", "2026-03-01", "registered", None)
    assert windows(nc) == [("2024-03-01", "2024-04-30", "2024-04-30", "2025-12-31", "calendar year 2024"),
                           ("2026-03-01", "2026-03-01", "2026-03-01", None, "calendar year 2024")]
    assert [w["start_rule"] for w in nc["nexus_windows"]] == ["after_days", "while_permit_held"]
    assert nc["nexus_windows"][1]["permit_held"]["test_met_until"] == "2025-12-31"
    assert (nc["exposure"]["from"], nc["exposure"]["to"], nc["exposure"]["taxable_sales"]) == (
        "2024-04-30", "2025-12-31", "1000.00")
    assert any(r.startswith("The sales test alone gave nexus to 2025-12-31; the registrations file lists the permit "
                            "as taken out after that") and r.endswith(
        "the duty runs again from 2026-03-01 and runs on: the registrations file gives no closing date (column "
        "closed_on) for the permit. 2026-01-01 to 2026-02-28, when the test was not met and no permit was held, are "
        "not in it: the state's words tie the duty to the permit held, not to the days before it was taken out.")
        for r in nc["reasons"])
    assert (ga["nexus"], ga["action"], windows(ga)[-1][3]) == (None, None, "2025-12-31")
    assert [r["jurisdiction"] for r in data["summary"]["registrations_without_exposure"]] == ["US-GA"]
    screen = check(path, "2026-06-30", "--registrations", str(regs)).stdout
    assert "US-NC   North Carolina" in screen and "Registered and collecting" not in screen


def test_consecutive_permits_for_one_state_each_cover_their_own_days(tmp_path):
    """A seller registered again after closing a permit writes two rows for the state: Texas permit 2021-01-01 to
    2023-06-30, and a new one from 2025-08-01. USD 600,000 on 2025-03-10: a terminated seller collects from 2025-05-01
    (the termination form's second month), so the new permit, taken out on 2025-08-01, leaves 92 days (2025-05-01 to
    2025-07-31) not collected, with the USD 2,000 of 2025-06-15 at stake; the USD 1,000 of 2025-09-10 is collected.
    Before, the file was refused ('US-TX is registered twice ... keep one row per registration'), and keeping only the
    new row lost the closed permit's days."""
    path = orders(tmp_path, [("2025-03-10", "TX", "600000.00"), ("2025-06-15", "TX", "2000.00"),
                             ("2025-09-10", "TX", "1000.00")])
    regs = tmp_path / "regs.csv"
    regs.write_text("jurisdiction,registered_on,collecting_from,id,note,closed_on\n"
                    "US-TX,2021-01-01,,TX-3200011,,2023-06-30\nTX,2025-08-01,,TX-3200099,,\n", encoding="utf-8")
    tx = permit_finding(path, "2025-12-31", "US-TX", regs)
    assert (tx["action"], tx["collect_from"], tx["gap"]) == (
        "registered", "2025-05-01", {"from": "2025-05-01", "to": "2025-07-31", "days": 92})
    assert (tx["registration"]["line"], tx["registration"]["registered_on"]) == (3, "2025-08-01")
    assert tx["exposure"]["taxable_sales"] == "2000.00"


def test_a_registration_for_a_place_nexus_has_no_rule_for_is_not_said_to_be_unneeded(tmp_path):
    """Brazil and Puerto Rico have no rule in nexus: nothing in the data can say their registrations are not needed,
    yet the screen listed them with Delaware's (a state without a sales tax) as 'Registered where nothing in the data
    requires it', which reads as leave to close them. They are listed apart, as not assessed, in JSON too."""
    path = orders(tmp_path, [("2025-03-10", "TX", "1000.00")])
    regs = tmp_path / "regs.csv"
    regs.write_text("jurisdiction,registered_on\nBR,2024-01-01\nUS-PR,2024-01-01\nUS-DE,2024-01-01\n",
                    encoding="utf-8")
    screen = check(path, "2025-12-31", "--registrations", str(regs)).stdout
    assert "Registered where nothing in the data requires it: US-DE.\n" in screen
    assert "Registered where nexus has no rule, so not assessed: BR, US-PR.\n" in screen
    summary = json.loads(check(path, "2025-12-31", "--registrations", str(regs), "--format", "json").stdout)["summary"]
    assert [r["jurisdiction"] for r in summary["registrations_without_exposure"]] == ["US-DE"]
    assert [r["jurisdiction"] for r in summary["registrations_not_assessed"]] == ["BR", "US-PR"]


def test_a_home_state_whose_permit_was_closed_lacks_its_permit_from_the_day_after(tmp_path):
    """A seller with a place of business in California must hold its permit whatever it sells. The registrations file's
    permit for California was closed on 2024-12-31: from 2025-01-01 the home has none, so 'register now', with tax at
    stake from 2025-01-01 (the USD 1,000 of 2025-03-10; the USD 1,000 of 2024-06-01 was collected under the permit).
    Before, the closed permit counted as held and the home said nothing."""
    path = orders(tmp_path, [("2024-06-01", "CA", "1000.00"), ("2025-03-10", "CA", "1000.00")])
    regs = tmp_path / "regs.csv"
    regs.write_text("jurisdiction,registered_on,collecting_from,id,note,closed_on\nUS-CA,2020-01-01,,CA-1234567,,"
                    "2024-12-31\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--sales", str(path), "--as-of", "2025-12-31", "--home", "US-CA",
                                      "--registrations", str(regs), "--format", "json"], catch_exceptions=False)
    ca = next(f for f in json.loads(result.stdout)["findings"] if f["jurisdiction"] == "US-CA")
    assert (ca["nexus"], ca["action"], ca["registration"]) == ("establishment", "register-now", None)
    assert (ca["exposure"]["from"], ca["exposure"]["taxable_sales"]) == ("2025-01-01", "1000.00")
    assert (f"The permit held earlier ({regs}:2, number ...4567, registered on 2020-01-01) was closed on 2024-12-31, "
            f"while nexus went on: tax from 2025-01-01 is not covered by it; register again.") in ca["reasons"]


def test_a_late_permit_after_a_terminated_sellers_crossing_carries_the_duty_from_its_own_day(tmp_path):
    """Texas: a permit of 2020 closed on 2021-06-30; USD 600,000 on 2024-01-15, found met at 2024-01-31, so the
    terminated seller collects from 2024-03-01 (the termination form's second month); the twelve calendar months hold
    it to 2025-01-31. A new permit taken out on 2025-06-01 carries the duty from that day (34 TAC 3.286: a holder
    collects until it notifies the Comptroller), not from the crossing's 2024-03-01, which the window of the late
    permit took before."""
    path = orders(tmp_path, [("2024-01-15", "TX", "600000.00"), ("2025-09-10", "TX", "1000.00")])
    regs = tmp_path / "regs.csv"
    regs.write_text("jurisdiction,registered_on,collecting_from,id,note,closed_on\nUS-TX,2020-01-01,,TX-1,,2021-06-30\n"
                    "US-TX,2025-06-01,,TX-2,,\n", encoding="utf-8")
    tx = permit_finding(path, "2025-12-31", "US-TX", regs)
    assert windows(tx) == [("2024-01-31", "2024-03-01", "2024-03-01", "2025-01-31",
                            "12 whole months 2023-02-01 to 2024-01-31"),
                           ("2025-06-01", "2025-06-01", "2025-06-01", None, "12 whole months 2023-02-01 to 2024-01-31")]
    assert (tx["nexus_since"], tx["collect_from"], tx["action"], tx["gap"]) == (
        "2025-06-01", "2025-06-01", "registered", None)
    assert tx["reasons"][-1].endswith("dated by the state's rule for a seller that closed its permit.")
