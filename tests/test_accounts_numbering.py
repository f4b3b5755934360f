"""Numbering as an accountant would: siblings, the chart's step, blocks, headers, digit counts, padding, letters.

Each chart is small and written next to the numbers it must give; every test asserts the exact numbers.
"""
import re

import pytest

from conftest import SAMPLES

from nexus import accounts
from nexus.account_records import Jurisdiction, Ledger
from nexus.chart import read_chart
from nexus.numbering import BlockFull, Numberer, natural_key

#: Real currencies for the banks that fill a chart (a chart's currency is an ISO 4217 code), none of them proposed.
FILLER = ("CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "RON", "ISK", "TRY")


def numbers(write, text, codes=(), places=()):
    coa = read_chart(write("coa.csv", text))
    return {p.purpose: p.number for p in accounts.plan(coa, list(codes), list(places))}


def test_tight_block_at_step_one(write):
    got = numbers(write, """
        Number,Name,Type,Currency
        1001,Bank - USD,Bank,USD
        1002,Bank - EUR,Bank,EUR
        1003,Bank - GBP,Bank,GBP
        1101,Stripe clearing - USD,Current asset,USD
        1102,Stripe clearing - EUR,Current asset,EUR
        1103,Stripe clearing - GBP,Current asset,GBP
    """, ["JPY"])
    assert (got["bank:JPY"], got["clearing:JPY"]) == ("1004", "1104")


def test_a_zero_padded_chart_numbers_its_classes_in_the_digit_after_the_zeros(write):
    """01010 is an asset in a chart whose classes are 01000-01999, 02000-02999...: never 00910, 10000 or 80000.

    The chart numbers as the same chart without its leading zero does, each number padded back.
    """
    def chart(zero):
        banks = "\n".join(f"{zero}10{i}0,Bank {i},Bank,{FILLER[i]},{zero}1000" for i in range(1, 10))
        return (f"Number,Name,Type,Currency,Parent\n{zero}1000,Cash and bank,Bank,,\n{banks}\n"
                f"{zero}1100,Accounts receivable,Receivable,USD,\n{zero}2100,Sales tax payable - Texas (US-TX),"
                f"Current liability,USD,\n{zero}6000,Rent,Expense,,\n")

    plain = numbers(write, chart(""), ["JPY", "EUR"])
    padded = numbers(write, chart("0"), ["JPY", "EUR"])
    assert (plain["bank:JPY"], plain["clearing:JPY"], plain["rounding"]) == ("1210", "1300", "8000")
    assert padded == {purpose: "0" + number for purpose, number in plain.items()}


def test_full_block_opens_the_closest_empty_block_keeping_the_header_free(write):
    banks = "\n".join(f"10{i}0,Bank {i},Bank,{FILLER[i]},1000" for i in range(1, 10))
    got = numbers(write, "Number,Name,Type,Currency,Parent\n1000,Cash and bank,Bank,,\n" + banks +
                  "\n1100,Accounts receivable,Receivable,USD,\n1200,Inventory,Current asset,,\n", ["JPY"])
    assert got["bank:JPY"] == "1310"  # 1000-1099 full; 1100 and 1200 in use; 1300 empty, at the banks' offset 10


def test_header_accounts_are_never_taken_on_a_six_digit_chart(write):
    got = numbers(write, """
        Number,Name,Type,Currency,Parent
        100000,Assets,Header,,
        110000,Cash and bank,Bank,,100000
        110100,Bank - USD,Bank,USD,110000
        110200,Bank - EUR,Bank,EUR,110000
        120000,Receivables,Header,,100000
        120100,Accounts receivable,Receivable,USD,120000
        130000,Clearing accounts,Header,,100000
        130100,Stripe clearing - USD,Current asset,USD,130000
    """, ["SGD", "XCG"])
    assert (got["bank:SGD"], got["bank:XCG"], got["clearing:SGD"], got["clearing:XCG"]) == (
        "110300", "110400", "130200", "130300")


def test_a_full_six_digit_block_leaves_the_next_block_s_head_for_a_header(write):
    banks = "\n".join(f"110{i}00,Bank {i},Bank,{FILLER[i]},110000" for i in range(1, 10))
    got = numbers(write, "Number,Name,Type,Currency,Parent\n110000,Cash and bank,Bank,,\n" + banks + "\n",
                  ["JPY"])
    assert got["bank:JPY"] == "111100"


@pytest.mark.parametrize("rows, expected", [
    (("1010", "1020"), "1030"),                    # 4 digits, step 10
    (("01010", "01020"), "01030"),                 # 5 digits, zero padded
    (("101000", "102000"), "103000"),              # 6 digits, step 1000
    (("11010000", "11020000"), "11030000"),        # 8 digits, step 10000
    (("00100", "00110"), "00120"),                 # leading zeros kept
    (("090", "091"), "092"),                       # 3 digits (Xero's own chart)
    (("B1010", "B1020"), "B1030"),                 # letters before the digits
    (("BNK-010", "BNK-020"), "BNK-030"),           # letters and a separator
])
def test_digit_count_padding_and_letters_are_kept(write, rows, expected):
    text = "Number,Name,Type,Currency\n" + "".join(f"{n},Bank {i},Bank,{FILLER[i]}\n" for i, n in enumerate(rows))
    assert numbers(write, text, ["JPY"])["bank:JPY"] == expected


def test_existing_gaps_after_the_last_then_in_step(write):
    text = "Number,Name,Type,Currency\n1010,Bank - USD,Bank,USD\n1030,Bank - EUR,Bank,EUR\n1040,Bank - GBP,Bank,GBP\n"
    assert numbers(write, text, ["JPY"])["bank:JPY"] == "1050"  # after the last, not into the gap
    full = "Number,Name,Type,Currency\n1010,Bank - USD,Bank,USD\n" + "".join(
        f"10{i}0,Bank {i},Bank,{FILLER[i]}\n" for i in range(3, 10))
    assert numbers(write, full, ["JPY"])["bank:JPY"] == "1020"  # the block is full after 1090: the gap at 1020


def test_sub_accounts_continue_under_their_parent(write):
    coa = read_chart(write("coa.csv", """
        Account Code,Account Name,Account Type,Currency,Parent
        1010,Banks,Bank,,
        1010.01,Bank - USD,Bank,USD,1010
        1010.02,Bank - EUR,Bank,EUR,1010
    """))
    bank = next(p for p in accounts.plan(coa, ["CHF"], []) if p.purpose == "bank:CHF")
    assert (bank.number, bank.parent, bank.parents) == ("1010.03", "1010", (("1010", "Banks"),))


def test_a_chart_with_every_kind_already_present_gets_no_proposal(write):
    coa = read_chart(write("coa.csv", """
        Number,Name,Type,Currency
        1010,Bank - USD,Bank,USD
        1020,Bank - JPY,Bank,JPY
        1210,Provider clearing - USD,Current asset,USD
        1220,Provider clearing - JPY,Current asset,JPY
        2110,Sales tax payable - Texas (US-TX),Current liability,USD
        2210,Accrued sales tax exposure - Texas (US-TX),Current liability,
        6200,Tax exposure expense,Expense,
        7010,Realized FX gain/loss,Other income,
        7020,Unrealized FX gain/loss,Other income,
        8010,Currency rounding,Other expense,
        8020,Tax interest and penalties,Other expense,
    """))
    texas = Jurisdiction("US-TX", "Texas", "Sales tax", "USD", "nexus", True)
    assert accounts.plan(coa, ["USD", "JPY"], [texas]) == []


def test_a_kind_the_chart_lacks_starts_its_conventional_range(write):
    got = numbers(write, "Number,Name,Type,Currency\n1010,Bank - USD,Bank,USD\n1020,Bank - EUR,Bank,EUR\n",
                  ["USD", "EUR"])
    assert (got["fx-realized"], got["fx-unrealized"], got["rounding"]) == ("7000", "7010", "8000")


def test_a_block_with_no_room_left_names_the_block(write):
    text = "Number,Name,Type,Currency\n" + "".join(f"{n},Bank {n},Bank,{FILLER[n % 10]}\n" for n in range(10, 20))
    coa = read_chart(write("coa.csv", text))
    with pytest.raises(BlockFull) as found:
        accounts.plan(coa, ["JPY"], [])
    assert str(found.value) == ("no free number for Bank - JPY (bank): block 10-19 is full at step 1, and no empty "
                                "block of 10 numbers nor any free number is left in 10-19; number it by hand or free "
                                "a number")


def test_proposals_come_sorted_by_number(write):
    coa = read_chart(write("coa.csv", "Number,Name,Type,Currency\n1010,Bank - USD,Bank,USD\n"
                                      "1200,Clearing - USD,Current asset,USD\n"))
    plan = accounts.plan(coa, ["EUR", "GBP"], [])
    assert [p.number for p in plan] == sorted((p.number for p in plan), key=natural_key)
    assert [p.number for p in plan][:4] == ["1020", "1030", "1210", "1220"]


def test_natural_order_of_numbers():
    assert sorted(["1040", "1010.03", "1010", "B900", "B1000", "900"], key=natural_key) == [
        "900", "1010", "1010.03", "1040", "B900", "B1000"]


def test_the_numberer_explains_each_number():
    n = Numberer(["1010", "1020"])
    assert n.next(["1010", "1020"], "1", "x") == "1030" and n.why == "after 1020, step 10, in block 1000-1099"


def test_a_taken_next_number_is_walked_past_at_the_chart_s_step(write):
    """A chart of tens with 8000 Bank charges, the lone other expense, and 8010 taken by an expense: the step after
    8000 dropped to 1 because 8010 was taken, and rounding was numbered 8001, out of the chart's tens. It stays 10:
    8020, the next free number at the chart's step."""
    got = numbers(write, """
        Number,Name,Type,Currency
        1010,Bank - USD,Bank,USD
        1020,Bank - EUR,Bank,EUR
        1200,Stripe clearing - USD,Current asset,USD
        1210,Stripe clearing - EUR,Current asset,EUR
        7010,Realized FX gain/loss,Other income,
        7020,Unrealized FX gain/loss,Other income,
        8000,Bank charges,Other expense,
        8010,Charitable donations,Expense,
    """, ["USD", "EUR"])
    assert got == {"rounding": "8020"}


def test_a_block_opened_for_a_full_one_is_filled_at_the_chart_s_step(write):
    """The accrued exposures' block 2200-2299 is full, so the first new one opens 2100-2199 at offset 10 (2110).
    The next ones follow it there at the chart's step of 10 (2120, 2130): the 100 between 2110 and 2210 is the
    distance between two blocks, not a step, and a block just opened is filled before another is opened."""
    accrued = "".join(f"22{i}0,Accrued cost {i},Current liability,\n" for i in range(2, 10))
    states = [("NJ", "New Jersey"), ("NY", "New York"), ("OH", "Ohio"), ("TX", "Texas")]
    payables = "".join(f"23{i}0,Sales tax payable - {name} (US-{code}),Current liability,USD\n"
                       for i, (code, name) in enumerate(states, start=1))
    places = [Jurisdiction(code, name, "Sales tax", "USD", "nexus", True)
              for code, name in [("US-NJ", "New Jersey"), ("US-NY", "New York"), ("US-OH", "Ohio")]]
    got = numbers(write, "Number,Name,Type,Currency\n1010,Bank - USD,Bank,USD\n2000,Accounts payable,Payable,USD\n"
                         "2210,Accrued sales tax exposure - Texas (US-TX),Current liability,\n" + accrued + payables +
                         "6200,Tax exposure expense,Expense,\n8010,Tax interest and penalties,Other expense,\n",
                  ["USD"], places)
    assert {k: v for k, v in got.items() if k.startswith("accrued")} == {
        "accrued:US-NJ": "2110", "accrued:US-NY": "2120", "accrued:US-OH": "2130"}


def test_an_outline_number_runs_on_past_nine(write):
    """In a chart numbered 1, 1.1, 1.1.1 the last part is one unpadded digit: after 1.1.9 comes 1.1.10, as the
    accountant of such a chart numbers (and as it sorts), not 'block 1.1.0-1.1.9 is full'."""
    banks = "".join(f"1.1.{i},Bank - {FILLER[i]},Bank,{FILLER[i]},1.1\n" for i in range(1, 9))
    got = numbers(write, "Number,Name,Type,Currency,Parent\n1,Assets,Asset,,\n1.1,Cash and bank,Bank,,1\n" + banks +
                  "1.2,Receivables,Current asset,,1\n1.2.1,Stripe clearing - SEK,Current asset,SEK,1.2\n",
                  ["JPY", "EUR", "GBP"])
    assert (got["bank:JPY"], got["bank:EUR"], got["bank:GBP"]) == ("1.1.9", "1.1.10", "1.1.11")


def test_a_padded_part_keeps_its_digits(write):
    """1010.01 ... 1010.99 is full: 1010.100 would break the chart's two-digit padding."""
    banks = "".join(f"1010.{i:02d},Bank {i},Bank,{FILLER[i % 10]},1010\n" for i in range(1, 100))
    coa = read_chart(write("coa.csv", "Number,Name,Type,Currency,Parent\n1010,Banks,Bank,,\n" + banks))
    with pytest.raises(BlockFull, match=r"the sub-accounts 1010\.00-1010\.99 are full"):
        accounts.plan(coa, ["JPY"], [])


def test_full_sub_accounts_are_named_as_the_parent_s_range(write):
    """Sub-accounts 1000-10 ... 1000-90 under their header 1000 have no other block to go to (the header totals
    them): the message names the range once."""
    banks = "".join(f"1000-{i}0,Bank {i},Bank,{FILLER[i]},1000\n" for i in range(1, 10))
    coa = read_chart(write("coa.csv", "Number,Name,Type,Currency,Parent\n1000,Cash and bank,Bank,,\n"
                           + banks))
    with pytest.raises(BlockFull) as found:
        accounts.plan(coa, ["JPY"], [])
    assert str(found.value) == ("no free number for Bank - JPY (bank): the sub-accounts 1000-00-1000-99 are full at "
                                "step 10; number it by hand or free a number")


def test_a_letter_s_numbers_take_a_finer_step_before_the_plan_stops(write):
    """A chart that names its classes by a letter (A assets, L liabilities) numbers L100 and L200, step 100. The
    eighth new tax payable stopped the plan: "the sub-accounts L000-L999 are full at step 100", though L is no
    parent and 89 numbers at step 10 were free. A letter's numbers are one range, as a digit's are: after L900,
    L910 at the finer step 10, said on the Numbering sheet, and each later sibling after it at that step. Only a
    letter with every number in use stops the plan, naming its block."""
    chart = ("Number,Name,Type,Currency\nA100,Bank - USD,Bank,USD\nA200,Stripe clearing,Current asset,USD\n"
             "L100,Accounts payable,Payable,USD\n"
             "L200,Sales tax payable - Texas (US-TX),Current liability,USD\n")
    coa = read_chart(write("coa.csv", chart))
    codes = ["AT", "BE", "DE", "ES", "FR", "GB", "IT", "NL", "PL", "SE"]  # numbered in this order
    places = [Jurisdiction(c, c, "VAT", "EUR", "r", accrue=False) for c in codes]
    found = {p.purpose: p for p in accounts.plan(coa, ["USD"], places)}
    assert [found[f"tax:{c}"].number for c in codes] == [f"L{n}00" for n in range(3, 10)] + ["L910", "L920", "L930"]
    assert found["tax:NL"].numbering == ("block L000-L999 has no free number at step 100: a free number at the finer "
                                         "step 10")
    assert found["tax:PL"].numbering == "after L910, step 10, in block L000-L999"
    full = "Number,Name,Type,Currency\n" + "".join(f"B{n:03d},Bank {n},Bank,{FILLER[n % 10]}\n" for n in range(1, 1000))

    with pytest.raises(BlockFull) as caught:
        accounts.plan(read_chart(write("coa.csv", full)), ["JPY"], [])
    assert str(caught.value) == ("no free number for Bank - JPY (bank): every number of block B000-B999 is in use; "
                                 "number it by hand or free a number")


def test_a_chart_of_letter_classes_without_an_account_of_a_kind_says_what_to_add(write):
    """A chart whose classes are letters (A assets, L liabilities, E expenses) and has no other income: the plan
    numbered Realized FX gain/loss A700, an income account among the assets, and stopped at the rounding account
    with "every number from A800 to A899 in steps of 100 is in use", which was not so. It says what is missing now;
    with one account of each kind added (R100, X100), the new ones go beside them."""
    chart = ("Number,Name,Type,Currency\nA100,Bank - USD,Bank,USD\nA200,Stripe clearing,Current asset,USD\n"
             "L100,Accounts payable,Payable,USD\nE100,Rent,Expense,\n")
    with pytest.raises(BlockFull) as caught:
        accounts.plan(read_chart(write("coa.csv", chart)), ["USD", "EUR"], [])
    assert str(caught.value) == (
        "no number for Realized FX gain/loss (other income): the chart has no account of its kind, and names its "
        "classes by letters (A, E, L), none of them known to be this kind's; add one account of the kind to the chart "
        "(the plan numbers beside it), or number it by hand")
    chart += "R100,Interest income,Other income,\nX100,Bank charges,Other expense,\n"
    got = numbers(write, chart, ["USD", "EUR"])
    assert (got["fx-realized"], got["fx-unrealized"], got["rounding"]) == ("R200", "R300", "X200")


def test_a_range_with_no_empty_block_left_takes_its_free_numbers(write):
    """Every state and DC with nexus and an accrual on the sample chart: 49 sales tax payables (California and
    Washington have theirs) and 51 accrued exposures, 100 liabilities for 2000-2999. Once the accruals had filled
    2200-2299, 2800-2899 and 2900-2999, the plan stopped with 'no empty block of 100 numbers is left in 2000-2999'
    while 2010-2090 and 2710-2790 were free. An accountant takes the free numbers of the liability range at the
    chart's step of 10, in the closest block first and after the numbers used there (2710-2790 beside Wyoming's
    payable at 2700, then 2010-2090 after 2000 Accounts payable), then the blocks' heads (2900, 2800), and only then
    a finer step (2991...), each saying why."""
    states = [("AK", "Alaska"), ("AL", "Alabama"), ("AR", "Arkansas"), ("AZ", "Arizona"), ("CA", "California"),
              ("CO", "Colorado"), ("CT", "Connecticut"), ("DC", "District of Columbia"), ("DE", "Delaware"),
              ("FL", "Florida"), ("GA", "Georgia"), ("HI", "Hawaii"), ("IA", "Iowa"), ("ID", "Idaho"),
              ("IL", "Illinois"), ("IN", "Indiana"), ("KS", "Kansas"), ("KY", "Kentucky"), ("LA", "Louisiana"),
              ("MA", "Massachusetts"), ("MD", "Maryland"), ("ME", "Maine"), ("MI", "Michigan"), ("MN", "Minnesota"),
              ("MO", "Missouri"), ("MS", "Mississippi"), ("MT", "Montana"), ("NC", "North Carolina"),
              ("ND", "North Dakota"), ("NE", "Nebraska"), ("NH", "New Hampshire"), ("NJ", "New Jersey"),
              ("NM", "New Mexico"), ("NV", "Nevada"), ("NY", "New York"), ("OH", "Ohio"), ("OK", "Oklahoma"),
              ("OR", "Oregon"), ("PA", "Pennsylvania"), ("RI", "Rhode Island"), ("SC", "South Carolina"),
              ("SD", "South Dakota"), ("TN", "Tennessee"), ("TX", "Texas"), ("UT", "Utah"), ("VA", "Virginia"),
              ("VT", "Vermont"), ("WA", "Washington"), ("WI", "Wisconsin"), ("WV", "West Virginia"),
              ("WY", "Wyoming")]
    places = [Jurisdiction(f"US-{code}", name, "Sales tax", "USD", "nexus", True) for code, name in states]
    chart = read_chart(str(SAMPLES / "chart-of-accounts.csv"))
    plan = accounts.plan(chart, ["USD", "EUR", "JPY"], places)
    got = {p.purpose: p.number for p in plan}
    liabilities = [p.number for p in plan if p.kind == "current-liability"]
    assert len(liabilities) == len(set(liabilities)) == 100
    assert all("2000" <= n <= "2999" for n in liabilities) and not set(liabilities) & {a.number for a in chart}
    assert [got[f"tax:US-{c}"] for c in ("AK", "DE", "FL", "WY")] == ["2120", "2190", "2300", "2700"]
    assert [got[f"accrued:US-{c}"] for c in ("AK", "DE", "FL", "KY", "LA", "MT")] == [
        "2210", "2290", "2810", "2890", "2910", "2990"]
    assert [got[f"accrued:US-{c}"] for c in ("NC", "OH", "OK", "UT", "VA", "VT", "WA", "WI", "WV", "WY")] == [
        "2710", "2790", "2010", "2090", "2900", "2800", "2991", "2992", "2993", "2994"]
    why = {p.number: p.numbering for p in plan}
    assert why["2710"] == ("block 2900-2999 is full at step 10 and no empty block is left in 2000-2999: the closest "
                           "free number at step 10, in block 2700-2799")
    assert why["2991"] == ("block 2900-2999 is full and no number at step 10 is left in 2000-2999: a free number at "
                           "the finer step 1, in block 2900-2999")


# ---- Chinese charts: a new tax payable is a sub-account of 2221 应交税费, in its sub-accounts' width

CHINESE_TAXES = """
    科目代码,科目名称,科目类别,币种,上级科目
    1001,库存现金,货币资金,CNY,
    1002,银行存款,货币资金,,
    100201,工商银行基本户,银行存款,CNY,1002
    100202,中国银行美元户,银行存款,USD,1002
    2202,应付账款,应付账款,CNY,
    2211,应付职工薪酬,流动负债,CNY,
    2221,应交税费,应交税费,CNY,
    222101,应交增值税,应交税费,CNY,2221
    22210101,进项税额,应交税费,CNY,222101
    22210102,销项税额,应交税费,CNY,222101
    22210103,已交税金,应交税费,CNY,222101
    {more}
    2241,其他应付款,流动负债,CNY,
"""
GERMANY = Jurisdiction("DE", "Germany", "VAT", "EUR", "nexus in Germany", accrue=False)
TEXAS = Jurisdiction("US-TX", "Texas", "Sales tax", "USD", "nexus in Texas", accrue=False)


def test_a_chinese_chart_s_new_tax_payable_is_a_sub_account_of_2221_after_its_last_one(write):
    """A chart following 企业会计准则 keeps its taxes under 2221 应交税费 (222101 应交增值税 and its 8-digit 进项税额...,
    222102 未交增值税, 222106 应交企业所得税, 222108 应交城市维护建设税). The plan numbered Germany's VAT 22210104, after
    进项税额 and its siblings (the commonest length of liabilities), with no parent: a sub-account of 应交增值税 by its
    number, top-level by its parent. Its accountant adds it under 2221, the next sub-number after the last:
    the sub-accounts 01, 02, 06, 08 step 1, so 222109 and 222110; with 222101 alone, 222102 and 222103."""
    more = "222102,未交增值税,应交税费,CNY,2221\n    222106,应交企业所得税,应交税费,CNY,2221\n" \
           "    222108,应交城市维护建设税,应交税费,CNY,2221"
    for rows, expected in ((more, ("222109", "222110")), ("", ("222102", "222103"))):
        coa = read_chart(write("coa.csv", CHINESE_TAXES.format(more=rows)))
        got = {p.purpose: (p.number, p.parent) for p in accounts.plan(coa, ["CNY"], [GERMANY, TEXAS])
               if p.purpose.startswith("tax:")}
        assert got == {"tax:DE": (expected[0], "2221"), "tax:US-TX": (expected[1], "2221")}, rows


def test_two_siblings_one_gap_apart_are_no_step_unless_numbered_at_it(write):
    """Under 2221 应交税费 with only 222101 and 222106, the plan read the one gap as a step of 5 and proposed 222111
    and 222116: 222102-222105 are the places a Chinese chart keeps for 未交增值税, 应交消费税... or numbers deleted,
    not a step. One gap is a step only where both siblings are numbered at it (6000 and 6100 at 100): otherwise the
    next numbers after the last, 222107 and 222108. The same with sub-accounts after a dash, 1200-01 and 1200-06
    (1200-07, not 1200-11), and with plain numbers, 1001 and 1006 (1007, not 1011)."""
    coa = read_chart(write("coa.csv", CHINESE_TAXES.format(more="222106,应交企业所得税,应交税费,CNY,2221")))
    got = {p.purpose: (p.number, p.parent) for p in accounts.plan(coa, ["CNY"], [GERMANY, TEXAS])
           if p.purpose.startswith("tax:")}
    assert got == {"tax:DE": ("222107", "2221"), "tax:US-TX": ("222108", "2221")}
    dashed = numbers(write, """
        Number,Name,Type,Currency,Parent
        1200,Banks,Bank,,
        1200-01,Bank - USD,Bank,USD,1200
        1200-06,Bank - EUR,Bank,EUR,1200
    """, ["JPY"])
    plain = numbers(write, "Number,Name,Type,Currency\n1001,Bank - USD,Bank,USD\n1006,Bank - EUR,Bank,EUR\n",
                    ["JPY"])
    hundreds = numbers(write, "Number,Name,Type,Currency\n1000,Bank - USD,Bank,USD\n1100,Bank - EUR,Bank,EUR\n",
                       ["JPY"])
    assert (dashed["bank:JPY"], plain["bank:JPY"], hundreds["bank:JPY"]) == ("1200-07", "1007", "1200")


def test_new_tax_payables_past_2221_s_step_keep_their_order_after_the_chart_s_own(write):
    """Under 2221 with 222101, 222106 and 222111 (step 5, seen twice), 20 new payables: 17 fit at step 5 (222116 ...
    222196), and the last three, Tennessee, Texas and Washington, were put into the gaps at multiples of 5 below the
    chart's own, 222105, 222110, 222115: out of order (Tennessee before Germany) and out of phase with 01, 06, 11.
    They take the next free sub-numbers after the last now, 222197, 222198, 222199, and the Numbering sheet says
    why. (With 222101 and 222106 alone, one gap, there is no step of 5 to follow: the test above.)"""
    more = "222106,应交企业所得税,应交税费,CNY,2221\n    222111,应交个人所得税,应交税费,CNY,2221"
    coa = read_chart(write("coa.csv", CHINESE_TAXES.format(more=more)))
    codes = ["DE", "EU", "FR", "GB", "JP", "KR"] + [f"US-{s}" for s in (
        "FL", "GA", "IL", "MD", "MI", "MN", "NC", "NJ", "NY", "OH", "PA", "TN", "TX", "WA")]
    places = [Jurisdiction(c, c, "VAT" if "-" not in c else "Sales tax", "EUR", "r", accrue=False)
              for c in codes]
    found = [p for p in accounts.plan(coa, ["CNY"], places) if p.purpose.startswith("tax:")]
    assert [p.number for p in sorted(found, key=lambda p: codes.index(p.purpose[4:]))] == [
        f"2221{n}" for n in range(16, 97, 5)] + ["222197", "222198", "222199"]
    assert found[-1].numbering == "after 222198, the next free sub-number under 2221 应交税费 (at step 5 they are full)"


def test_a_chinese_chart_s_full_tax_sub_accounts_stop_the_plan_naming_2221(write):
    """When 222101-222199 are all in use, no number is left under 应交税费: the plan stops and names the parent and
    its sub-numbers, rather than take 222200 (another first-level account's) or a top-level number."""
    more = "\n    ".join(f"2221{i:02d},应交税费{i},应交税费,CNY,2221" for i in range(2, 100))
    coa = read_chart(write("coa.csv", CHINESE_TAXES.format(more=more)))
    with pytest.raises(BlockFull) as caught:
        accounts.plan(coa, ["CNY"], [GERMANY])
    assert str(caught.value) == ("no free number for 应交德国增值税 (DE) (current liability): the sub-accounts of 2221 "
                                 "应交税费, 222101-222199, are full; number it by hand or free a number")


def test_full_width_digits_are_read_as_the_plain_numbers_they_are(write):
    """A chart typed with a Chinese or Japanese input method may write １００２０１ in full-width digits. Python reads
    those as digits too, so the plan numbered new accounts half in one width and half in the other (１００２03 under
    １００２) and numbered clearing accounts from 100000 (the sub-accounts outnumbered the four-digit accounts). They are
    read as 1002, 100201... now, said in a notice, and numbered as the plain chart would be: the EUR bank after 100202
    under 1002, the clearing accounts under 1012 其他货币资金, which the plan opens at the standard's code (the chart
    follows 企业会计准则), rounding under 6603 after 660301, Germany's VAT under 2221 after 222102."""
    coa = read_chart(write("coa.csv", """
        科目代码,科目名称,科目类别,币种,上级科目
        １００１,库存现金,货币资金,CNY,
        １００２,银行存款,货币资金,,
        １００２０１,工商银行,银行存款,CNY,１００２
        １００２０２,中国银行美元户,银行存款,USD,１００２
        ２２２１,应交税费,应交税费,CNY,
        ２２２１０１,应交增值税,应交税费,CNY,２２２１
        ２２２１０２,未交增值税,应交税费,CNY,２２２１
        ６６０３,财务费用,财务费用,CNY,
        ６６０３０１,汇兑损益,财务费用,CNY,６６０３
    """))
    plan = accounts.make_plan(coa, ["CNY", "USD", "EUR"], [GERMANY], source="coa.csv")
    assert {p.purpose: (p.number, p.parent) for p in plan.proposals} == {
        "bank:EUR": ("100203", "1002"), "first-level:1012": ("1012", ""), "clearing:CNY": ("101201", "1012"),
        "clearing:USD": ("101202", "1012"), "clearing:EUR": ("101203", "1012"), "rounding": ("660302", "6603"),
        "tax:DE": ("222103", "2221")}
    assert plan.notices[0].startswith("coa.csv: 9 account numbers written in full-width digits, read as plain digits "
                                      "(new accounts are numbered so; the ledger may need them so too): line 2 (1001 "
                                      "库存现金: written １００１), line 3 (1002 银行存款: written １００２)")


def test_a_number_written_in_both_widths_is_one_number_used_twice(write):
    path = write("coa.csv", "Number,Name,Type,Currency\n1002,Bank,Bank,CNY\n１００２,银行存款,Bank,CNY\n")
    with pytest.raises(accounts.InputError) as caught:
        read_chart(path)
    assert str(caught.value) == f"{path}:3: column 'number' value '１００２': is used twice (also on line 2), read as 1002"


def test_a_provider_s_balance_goes_under_1012_other_monetary_funds_and_a_bank_under_1002(write):
    """A Chinese chart keeps balances with payment institutions under 1012 其他货币资金 (101201 支付宝, 101202 微信支付),
    its banks under 1002 银行存款. The plan read 支付宝 as a bank: the EUR bank went under 其他货币资金 (101203), and the
    provider's clearing accounts got top-level numbers (1020...). Now 1012's accounts are the clearing accounts: the
    CNY one is there (支付宝), USD and EUR follow 101202; the EUR bank follows 100202 under 1002."""
    coa = read_chart(write("coa.csv", """
        科目代码,科目名称,科目类别,币种,上级科目
        1001,库存现金,货币资金,CNY,
        1002,银行存款,货币资金,,
        100201,工商银行基本户,银行存款,CNY,1002
        100202,中国银行美元户,银行存款,USD,1002
        1012,其他货币资金,货币资金,,
        101201,支付宝,货币资金,CNY,1012
        101202,微信支付,货币资金,CNY,1012
        1122,应收账款,应收账款,CNY,
        1221,其他应收款,其他应收款,CNY,
    """))
    plan = accounts.make_plan(coa, ["CNY", "USD", "EUR"], [], source="coa.csv")
    assert {p.purpose: (p.number, p.parent) for p in plan.proposals if p.purpose.split(":")[0] in (
        "bank", "clearing")} == {"bank:EUR": ("100203", "1002"), "clearing:USD": ("101203", "1012"),
                                 "clearing:EUR": ("101204", "1012")}
    assert plan.notices == ()


# ---- Chinese charts: the standard's first-level codes are kept for their accounts (data/cn-account-codes.csv)

CHINESE_STANDARD = """
    科目代码,科目名称,科目类别,币种,上级科目
    1001,库存现金,货币资金,CNY,
    1002,银行存款,货币资金,,
    100201,工商银行基本户,银行存款,CNY,1002
    1122,应收账款,应收账款,CNY,
    1221,其他应收款,其他应收款,CNY,
    1405,库存商品,存货,CNY,
    2221,应交税费,应交税费,CNY,
    222101,应交增值税,应交税费,CNY,2221
    {expenses}
"""
GERMANY_ACCRUED = Jurisdiction("DE", "Germany", "VAT", "EUR", "nexus in Germany", accrue=True)


def test_a_chinese_chart_gives_no_new_account_a_code_its_standard_keeps_for_another(write):
    """企业会计准则's 应用指南 numbers 6604 勘探费用; a chart following it keeps that code for it though it has not
    opened it. The plan numbered the tax exposure expense 6604, after 6602 管理费用 (6603 in use). Now it walks past
    the standard's code: 6605. 小企业会计准则 numbers otherwise (its expenses 5601-5603, 5711): a chart following it
    (more of its codes with their names, 5601 销售费用...) gets 5604, which that standard gives no account."""
    cas = "6601,销售费用,销售费用,CNY,\n    6602,管理费用,管理费用,CNY,\n    6603,财务费用,财务费用,CNY,"
    sbe = "5601,销售费用,销售费用,CNY,\n    5602,管理费用,管理费用,CNY,\n    5603,财务费用,财务费用,CNY,"
    for expenses, expected in ((cas, "6605"), (sbe, "5604")):
        coa = read_chart(write("coa.csv", CHINESE_STANDARD.format(expenses=expenses)))
        got = {p.purpose: p for p in accounts.plan(coa, ["CNY"], [GERMANY_ACCRUED])}
        assert got["tax-exposure"].number == expected, expenses
    assert got["tax-exposure"].numbering == "after 5602, step 1, in block 5600-5609"
    coa = read_chart(write("coa.csv", CHINESE_STANDARD.format(expenses=cas)))
    got = {p.purpose: p for p in accounts.plan(coa, ["CNY"], [GERMANY_ACCRUED])}
    assert got["tax-exposure"].numbering == ("after 6602, step 1, in block 6600-6609, past 6604, the standard's code "
                                             "for other accounts")


def test_a_chinese_chart_without_1012_opens_it_for_the_provider_s_clearing_accounts(write):
    """A chart following 企业会计准则 (or 小企业会计准则) with no 1012 其他货币资金: the plan gave the provider's clearing
    accounts first-level codes of their own after 1405 库存商品 (1409, 1418, 1419), named "Provider clearing - USD".
    Both standards keep balances with payment institutions in 1012 其他货币资金, so the plan opens 1012 at the
    standard's code, named as the standard names it (in the chart's script), as a header, and the clearing accounts
    are its detail accounts, 101201..., named in Chinese; run again on the chart with them added, it proposes none."""
    cas = "6601,销售费用,销售费用,CNY,\n    6602,管理费用,管理费用,CNY,\n    6603,财务费用,财务费用,CNY,"
    coa = read_chart(write("coa.csv", CHINESE_STANDARD.format(expenses=cas)))
    got = [(p.number, p.name, p.parent, p.group) for p in accounts.plan(coa, ["CNY", "USD"])
           if p.purpose.startswith(("clearing:", "first-level:"))]
    assert got == [("1012", "其他货币资金", "", True), ("101201", "第三方支付人民币存款", "1012", False),
                   ("101202", "第三方支付美元存款", "1012", False)]
    traditional = CHINESE_STANDARD.replace("银行存款", "銀行存款").replace("应交税费", "應交稅費")
    coa = read_chart(write("coa.csv", traditional.format(expenses="")))
    assert [(p.number, p.name) for p in accounts.plan(coa, ["CNY"]) if p.kind == "current-asset"] == [
        ("1012", "其他貨幣資金"), ("101201", "第三方支付人民幣存款")]
    added = CHINESE_STANDARD.format(expenses=cas) + (
        "    1012,其他货币资金,货币资金,,\n    101201,第三方支付人民币存款,货币资金,CNY,1012\n"
        "    101202,第三方支付美元存款,货币资金,USD,1012\n")
    coa = read_chart(write("coa.csv", added))
    assert [p.purpose for p in accounts.plan(coa, ["CNY", "USD"]) if p.kind == "current-asset"] == []


def test_a_chinese_chart_s_new_accounts_go_under_the_standard_s_first_level_account(write):
    """Where the chart has the standard's first-level account but none of the pattern under it yet, the new account
    is its first detail account: the provider's clearing account under 1012 其他货币资金 (balances with payment
    institutions), the exposure expense and the penalties under 6711 营业外支出, Germany's accrued exposure under
    2801 预计负债. The plan gave them 1406 (发出商品's code), 6603 (财务费用's), 6712 and 222103 (under 应交税费,
    beside the payable it is kept apart from), in English. Now 101201, 671101, 671102 and 280101 德国增值税风险 (DE),
    each named in Chinese (data/account-names-zh.csv)."""
    more = ("1012,其他货币资金,货币资金,,\n    2801,预计负债,流动负债,CNY,\n"
            "    6601,销售费用,销售费用,CNY,\n    6602,管理费用,管理费用,CNY,\n    6711,营业外支出,营业外支出,CNY,")
    coa = read_chart(write("coa.csv", CHINESE_STANDARD.format(expenses=more)))
    got = {p.purpose: (p.number, p.parent, p.name) for p in accounts.plan(coa, ["CNY"], [GERMANY_ACCRUED])}
    assert got == {"clearing:CNY": ("101201", "1012", "第三方支付人民币存款"),
                   "tax:DE": ("222102", "2221", "应交德国增值税 (DE)"),
                   "tax-exposure": ("671101", "6711", "税务风险损失"),
                   "tax-penalties": ("671102", "6711", "税收滞纳金及罚款"),
                   "accrued:DE": ("280101", "2801", "德国增值税风险 (DE)")}


def test_a_traditional_chinese_chart_s_營業外支出_takes_the_exposure_expense_and_the_penalties(write):
    """營業外支出 is 营业外支出 in traditional characters, but 業 was not read as 业: the standard's first-level account
    was not found, and the tax exposure expense was numbered 6000 and the penalties 6712, both first-level accounts
    of no parent. Both are 營業外支出's detail accounts now, 671101 and 671102, as under 营业外支出."""
    coa = read_chart(write("coa.csv", CHINESE_STANDARD.format(expenses="6711,營業外支出,營業外支出,CNY,")))
    got = {p.purpose: (p.number, p.parent) for p in accounts.plan(coa, ["CNY"], [GERMANY_ACCRUED])}
    assert (got["tax-exposure"], got["tax-penalties"]) == (("671101", "6711"), ("671102", "6711"))


def test_a_range_full_at_a_step_under_ten_takes_a_free_number_at_step_one(write):
    """A chart numbered every 5 (1000, 1005, ... 1995) whose bank range has no number left at its step: the plan
    stopped with 'no empty block of 100 numbers nor any free number is left in 1000-1999' while 1001-1004 and 796
    other numbers were free. The finer step after 5 (or 2) was 5 // 10 = 0, so step 1 was never tried; it is now,
    as it is after a step of 10."""
    banks = "\n".join(f"{n},Bank {n},Bank," for n in range(1000, 2000, 5))
    got = numbers(write, f"Number,Name,Type,Currency\n1001,Provider clearing - JPY,Current asset,JPY\n{banks}\n",
                  ["JPY"])
    assert got["bank:JPY"] == "1996"
    chart = read_chart(write("coa.csv", f"Number,Name,Type,Currency\n1001,Provider clearing - JPY,"
                                        f"Current asset,JPY\n{banks}\n"))
    why = {p.purpose: p.numbering for p in accounts.plan(chart, ["JPY"], [])}
    assert why["bank:JPY"] == ("block 1900-1999 is full and no number at step 5 is left in 1000-1999: a free number "
                               "at the finer step 1, in block 1900-1999")


def test_a_detail_account_under_银行存款_typed_as_an_asset_is_the_chart_s_bank(write):
    """Chinese exports often type every asset with the broad group (资产, 流动资产). 1002 银行存款 was read as a bank by
    its name, but 100201 工商银行 under it, the chart's CNY bank, was not: the plan proposed a second CNY bank,
    100204 人民币户. A detail account under a deposit header is a bank now, and only USD's bank is proposed."""
    coa = read_chart(write("coa.csv", """
        科目代码,科目名称,科目类别,币种,上级科目
        1001,库存现金,资产,CNY,
        1002,银行存款,资产,CNY,
        100201,工商银行,资产,CNY,1002
        2221,应交税费,负债,CNY,
    """))
    got = {p.purpose: (p.number, p.name) for p in accounts.plan(coa, ["CNY", "USD"]) if p.kind == "bank"}
    assert got == {"bank:USD": ("100202", "美元户")}


def test_an_accrued_exposure_never_goes_under_应交税费(write):
    """A Chinese chart with no 2801 预计负债 put Germany's accrued exposure under 2221 应交税费 (222103, in English,
    beside the payable 222102), where its own reason said it was kept apart from the payable the returns reconcile
    against. Under 企业会计准则, which gives 2801 to 预计负债, the plan opens 2801 and the accrued exposure is its
    detail account, 280101 德国增值税风险 (DE); 小企业会计准则 has no 预计负债: the accrued exposure keeps its English
    name, numbered among the other current liabilities, never under 应交税费."""
    cas = "6601,销售费用,销售费用,CNY,\n    6602,管理费用,管理费用,CNY,\n    6711,营业外支出,营业外支出,CNY,"
    coa = read_chart(write("coa.csv", CHINESE_STANDARD.format(expenses=cas)))
    got = {p.purpose: (p.number, p.name, p.parent, p.group) for p in accounts.plan(coa, ["CNY"], [GERMANY_ACCRUED])}
    assert (got["first-level:2801"], got["accrued:DE"], got["tax:DE"]) == (
        ("2801", "预计负债", "", True), ("280101", "德国增值税风险 (DE)", "2801", False),
        ("222102", "应交德国增值税 (DE)", "2221", False))
    sbe = "2241,其他应付款,其他应付款,CNY,\n    5601,销售费用,销售费用,CNY,\n    5602,管理费用,管理费用,CNY,"
    coa = read_chart(write("coa.csv", CHINESE_STANDARD.format(expenses=sbe)))
    got = {p.purpose: (p.number, p.name, p.parent) for p in accounts.plan(coa, ["CNY"], [GERMANY_ACCRUED])}
    assert "first-level:2801" not in got
    assert got["accrued:DE"] == ("2242", "Accrued VAT exposure - Germany (DE)", "")


def test_a_chinese_chart_s_财务费用_with_no_detail_yet_takes_汇兑损益_and_折算尾差(write):
    """A chart's 5603 (6603) 财务费用 with no detail accounts yet was not read as the home of exchange differences:
    a 小企业会计准则 chart got "Realized FX gain/loss" 7000 and "Unrealized FX gain/loss" 7001, in a class the
    standard does not have, and "Currency rounding" 5712 beside 营业外支出. Now 汇兑损益 is 财务费用's first detail
    account, 560301, and the rounding account its next, 560302 折算尾差, as with detail accounts there."""
    sbe = "5601,销售费用,销售费用,CNY,\n    5602,管理费用,管理费用,CNY,\n    5603,财务费用,财务费用,CNY,"
    coa = read_chart(write("coa.csv", CHINESE_STANDARD.format(expenses=sbe)))
    got = {p.purpose: (p.number, p.name, p.parent) for p in accounts.plan(coa, ["CNY", "USD"])
           if p.purpose in ("fx-realized", "fx-unrealized", "rounding")}
    assert got == {"fx-realized": ("560301", "汇兑损益", "5603"), "rounding": ("560302", "折算尾差", "5603")}


def test_a_chinese_chart_s_per_currency_receivables_are_detail_accounts_of_应收账款(write):
    """ERPNext and GnuCash keep a receivable per currency. In a Chinese chart typing 1122 应收账款 with the broad group
    资产, the plan did not read 应收账款 as a receivable: "Accounts receivable - USD" got a first-level number of its
    own (1020, and EUR's 1022), in English. 应收账款 is where they go now, as its detail accounts named in Chinese:
    112201 人民币客户 and 112202 美元客户 (the chart's own CNY too, as 应收账款 becomes their header); read back, they
    count, and nothing is proposed again."""
    text = CHINESE_STANDARD.replace("1122,应收账款,应收账款", "1122,应收账款,资产").format(expenses="")
    coa = read_chart(write("coa.csv", text))
    erpnext = Ledger("erpnext", receivables_per_currency=True)
    got = {p.purpose: (p.number, p.name, p.parent) for p in accounts.plan(coa, ["CNY", "USD"], [], erpnext)
           if p.kind == "receivable"}
    assert got == {"receivable:CNY": ("112201", "人民币客户", "1122"), "receivable:USD": ("112202", "美元客户", "1122")}
    coa = read_chart(write("coa.csv", text + "    112201,人民币客户,资产,CNY,1122\n"
                                             "    112202,美元客户,资产,USD,1122\n"
                                             "    1231,应收账款坏账准备,资产,CNY,\n"))
    assert [p for p in accounts.plan(coa, ["CNY", "USD"], [], erpnext) if p.kind == "receivable"] == []
    assert next(a.kind for a in coa if a.number == "1231") == "current-asset"  # the allowance is no receivable


def test_a_block_the_plan_opened_is_not_filled_before_its_first_account():
    """Accounts numbered after 2241 filled 2242-2249, and the next block, 2250-2259, was opened at their offset: 2252
    (Georgia), 2253... 2259 (New York). The one after (Ohio) then took 2251, a place before the block's first, so
    Ohio's account came before Georgia's; places before the first are a gap of the chart's own blocks only, and Ohio
    opens the next block at the same offset, 2262."""
    numberer = Numberer(["2202", "2221", "2241"])
    added: list[str] = []
    for _ in range(17):
        number = numberer.next(added or ["2241"], "2", "accrued exposure")
        numberer.take(number)
        added.append(number)
    assert added == ["2242", "2243", "2244", "2245", "2246", "2247", "2248", "2249", "2252", "2253", "2254", "2255",
                     "2256", "2257", "2258", "2259", "2262"]


def test_a_chinese_chart_exported_without_parents_is_read_by_its_codes(write):
    """Kingdee and Yonyou export a chart without a parent column: the code says it (100201 under 1002). Read with no
    parent, 1002 银行存款 and 1012 其他货币资金 were no headers: the new banks were "Bank - USD" and "Bank - EUR" at 1013
    and 1014, first-level codes beside 1012, and the EUR clearing account "Provider clearing - EUR" under nothing.
    Each account is under the longest number its own extends now: the banks 100202 美元户 and 100203 欧元户 under
    1002, the clearing account 101203 under 1012, named as its detail accounts are."""
    coa = read_chart(write("coa.csv", """
        科目代码,科目名称,科目类别,币种
        1001,库存现金,货币资金,CNY
        1002,银行存款,货币资金,
        100201,工商银行基本户,银行存款,CNY
        1012,其他货币资金,货币资金,
        101201,其他货币资金-支付宝,货币资金,CNY
        101202,其他货币资金-PayPal,货币资金,USD
        2221,应交税费,应交税费,CNY
        222101,应交增值税,应交税费,CNY
        22210101,进项税额,应交税费,CNY
    """))
    assert {a.number: a.parent for a in coa if a.parent} == {
        "100201": "1002", "101201": "1012", "101202": "1012", "222101": "2221", "22210101": "222101"}
    got = {p.purpose: (p.number, p.name, p.parent) for p in accounts.plan(coa, ["CNY", "USD", "EUR"], [GERMANY])
           if p.purpose.startswith(("bank:", "clearing:", "tax:"))}
    assert got == {"bank:USD": ("100202", "美元户", "1002"), "bank:EUR": ("100203", "欧元户", "1002"),
                   "clearing:EUR": ("101203", "其他货币资金-第三方支付欧元存款", "1012"),
                   "tax:DE": ("222102", "应交德国增值税 (DE)", "2221")}


KINGDEE = """
    科目代码,科目名称,科目类别,币种{parent_header}
    1001,库存现金,货币资金,CNY{top}
    1002,银行存款,货币资金,{top}
    1002.01,工商银行基本户,银行存款,CNY{p1002}
    1002.02,中国银行美元户,银行存款,USD{p1002}
    1012,其他货币资金,货币资金,{top}
    1012.01,支付宝,货币资金,CNY{p1012}
    2221,应交税费,应交税费,CNY{top}
    2221.01,应交增值税,应交税费,CNY{p2221}
    2221.01.01,进项税额,应交税费,CNY{p222101}
    6603,财务费用,财务费用,CNY{top}
    6603.01,汇兑损益,财务费用,CNY{p6603}
"""


def test_kingdee_s_dotted_sub_accounts_are_followed_with_or_without_a_parent_column(write):
    """Kingdee writes a detail account's code after its parent's and a point: 1002.01 under 1002. New accounts under
    a parent were numbered as if it were 100201: 660301 折算尾差 beside 6603.01 汇兑损益, and 280101 under the 2801
    预计负债 the plan opens; exported without the parent column, the chart had no header at all and the EUR bank was
    "Bank - EUR" at 1013. Each follows the chart's form now: 6603.02, 2801.01, 1002.03 under 1002."""
    with_parents = KINGDEE.format(parent_header=",上级科目", top=",", p1002=",1002", p1012=",1012", p2221=",2221",
                                  p222101=",2221.01", p6603=",6603")
    without = KINGDEE.format(parent_header="", top="", p1002="", p1012="", p2221="", p222101="", p6603="")
    germany = Jurisdiction("DE", "Germany", "VAT", "EUR", "nexus in Germany", accrue=True)
    for text in (with_parents, without):
        coa = read_chart(write("coa.csv", text))
        got = {p.purpose: (p.number, p.parent) for p in accounts.plan(coa, ["CNY", "USD", "EUR"], [germany])}
        assert {k: got[k] for k in ("bank:EUR", "clearing:USD", "tax:DE", "accrued:DE", "rounding")} == {
            "bank:EUR": ("1002.03", "1002"), "clearing:USD": ("1012.02", "1012"), "tax:DE": ("2221.02", "2221"),
            "accrued:DE": ("2801.01", "2801"), "rounding": ("6603.02", "6603")}, text


#: A chart numbered with sub-accounts after a dash (2100-10 under 2100), each main number a header of its detail
#: accounts: {accrued} is what the accrued expenses' header holds.
DASH_CHART = """
    Number,Name,Type,Currency,Parent
    1000,Cash and bank,Bank,,
    1000-10,Bank - USD,Bank,USD,1000
    1200,Clearing,Current asset,,
    1200-10,Stripe clearing - USD,Current asset,USD,1200
    2000,Accounts payable,Current liability,,
    2000-10,Trade creditors,Payable,USD,2000
    2000-20,Customer deposits,Current liability,USD,2000
    2100,Sales tax payable,Current liability,,
    2100-10,Sales tax payable - California (US-CA),Current liability,USD,2100
    2100-20,Sales tax payable - Washington (US-WA),Current liability,USD,2100
    {accrued}
    6000,Expenses,Expense,,
    6000-10,Payment processing fees,Expense,,6000
    7000,Other income,Other income,,
    7000-10,Realized FX gain/loss,Other income,,7000
    8000,Other expenses,Other expense,,
    8000-10,Bank charges,Other expense,,8000
"""
#: The accrued expenses' header and its detail accounts, which name no accrual: wages and rent accrued.
DASH_ACCRUED = "2200,Accrued expenses,Current liability,,\n    2200-10,Wages,Current liability,USD,2200\n" \
               "    2200-20,Rent,Current liability,USD,2200"
ACCRUING = [Jurisdiction(code, name, "Sales tax", "USD", "nexus", True)
            for code, name in (("US-CA", "California"), ("US-NY", "New York"), ("US-TX", "Texas"))]


def _as_plain(text):
    """The same chart numbered without the dash: 2100-10 is 2110, 6000-10 is 6010."""
    return re.sub(r"^(\s*\d\d)00-(\d)0,", r"\1\g<2>0,", text, flags=re.M)


def _accrued(write, text):
    coa = read_chart(write("coa.csv", text))
    return [(p.number, p.parent) for p in accounts.plan(coa, ["USD"], ACCRUING) if p.purpose.startswith("accrued:")]


@pytest.mark.parametrize("accrued, dash, plain", [
    # Accrued expenses a header over wages and rent: the exposures beside them, under it (DECISIONS "Accounts").
    (DASH_ACCRUED, ["2200-30", "2200-40", "2200-50"], ["2230", "2240", "2250"]),
    # No accrued expenses: after the other current liabilities (customer deposits), never among the tax payables.
    ("", ["2000-30", "2000-40", "2000-50"], ["2030", "2040", "2050"]),
])
def test_a_dash_chart_keeps_the_accrued_exposures_out_of_the_tax_payables_header(write, accrued, dash, plain):
    """A dash chart's accrued exposures were numbered among its tax payables, 2100-50 to 2100-70 (after New York's
    and Texas's new payables, 2100-30 and 2100-40): the tax payables' header was the largest family of current
    liabilities once the plan's own payables joined it, so the returns' 2100 Sales tax payable would total the
    accruals too, which DECISIONS "Accounts" keeps apart from the payables the returns reconcile against. The same
    chart numbered plainly put them under the accrued expenses, 2230 to 2250. Both now: under the accrued expenses'
    header; without accrued expenses, after the other current liabilities (2000-30, 2030), where a plain chart with
    a tax payables' header also put them under that header (2150 to 2170)."""
    text = DASH_CHART.format(accrued=accrued)
    parent = "2200" if accrued else "2000"
    assert _accrued(write, text) == [(n, parent) for n in dash]
    assert _accrued(write, _as_plain(text)) == [(n, parent) for n in plain]


def test_a_dash_chart_s_new_account_goes_under_the_header_its_number_is_taken_in(write):
    """Siblings under two headers, 2000-10 and 2000-20 under 2000 Other current liabilities and 2300-10 under 2300
    Short-term loans: New York's payable was numbered 2000-30, among the first two, but put under 2300, the header
    of the bank loan read last, and so were Texas's and both accrued exposures. Each now goes under the header of
    the accounts its number follows, 2000."""
    coa = read_chart(write("coa.csv", """
        Number,Name,Type,Currency,Parent
        1000,Cash and bank,Bank,,
        1000-10,Bank - USD,Bank,USD,1000
        1200,Clearing,Current asset,,
        1200-10,Stripe clearing - USD,Current asset,USD,1200
        2000,Other current liabilities,Current liability,,
        2000-10,Customer deposits,Current liability,USD,2000
        2000-20,Deferred revenue,Current liability,USD,2000
        2300,Short-term loans,Current liability,,
        2300-10,Bank loan,Current liability,USD,2300
        6000,Expenses,Expense,,
        6000-10,Payment processing fees,Expense,,6000
    """))
    places = [p for p in ACCRUING if p.code != "US-CA"]
    got = [(p.number, p.parent) for p in accounts.plan(coa, ["USD"], places) if p.kind == "current-liability"]
    assert got == [("2000-30", "2000"), ("2000-40", "2000"), ("2000-50", "2000"), ("2000-60", "2000")]


def test_a_dash_chart_without_its_headers_opens_a_kind_it_lacks_at_a_main_number_of_its_range(write):
    """A chart of sub-numbers only (1000-10 Bank - USD, 2100-10 ..., exported without the main numbers' rows) and no
    clearing account, FX account or other expense: the plan read 1000-10's family as the kind's range and stopped,
    'no free number for Provider clearing - USD (current asset): every number from 1000-10 to 1000-19 in steps of 10
    is in use', with exit 2. A kind it lacks now opens the first empty main number of its conventional range at the
    chart's first sub-number, as a plain chart opens 1100 beside 1010: 1100-10 for the clearing accounts (then 1100-20),
    7000-10 for the FX accounts, 8000-10 for rounding."""
    got = numbers(write, """
        Number,Name,Type,Currency
        1000-10,Bank - USD,Bank,USD
        1000-20,Bank - EUR,Bank,EUR
        2000-10,Accounts payable,Payable,USD
        2100-10,Sales tax payable - California (US-CA),Current liability,USD
        2200-10,Accrued expenses,Current liability,USD
        6100-10,Hosting,Expense,USD
        6100-20,Payment fees,Expense,USD
    """, ["USD", "EUR"])
    assert {k: got[k] for k in ("clearing:USD", "clearing:EUR", "fx-realized", "fx-unrealized", "rounding")} == {
        "clearing:USD": "1100-10", "clearing:EUR": "1100-20", "fx-realized": "7000-10", "fx-unrealized": "7000-20",
        "rounding": "8000-10"}


def test_a_header_of_tax_payables_named_accrued_is_still_the_tax_payables_one(write):
    """2100 'Accrued taxes' over the sales tax payables is named as accruals are, but holds the payables the returns
    reconcile against: the accrued exposures go beside the accrued expenses (2200-20), not among those payables."""
    wages = "2200,Accrued expenses,Current liability,,\n    2200-10,Wages,Current liability,USD,2200"
    text = DASH_CHART.format(accrued=wages).replace("2100,Sales tax payable,", "2100,Accrued taxes,")
    assert _accrued(write, text) == [("2200-20", "2200"), ("2200-30", "2200"), ("2200-40", "2200")]


#: Nexus in three states, one of them (California) already with its payable: two new payables, three accruals.
ACCRUING = [Jurisdiction(code, name, "Sales tax", "USD", f"nexus in {name}", True)
            for code, name in (("US-CA", "California"), ("US-NY", "New York"), ("US-TX", "Texas"))]


def _headerless(numbered):
    """A chart without header accounts, each number written by ``numbered(main, i)`` (2100 and 1 for the second
    sales tax payable): no accrued expenses, so nothing of the accruals' pattern to number beside."""
    rows = [("1000", 0, "Bank - USD,Bank,USD"), ("2000", 0, "Accounts payable,Payable,USD"),
            ("2100", 0, "Sales tax payable - California (US-CA),Current liability,USD"),
            ("2100", 1, "Sales tax payable - Washington (US-WA),Current liability,USD"),
            ("2300", 0, "Short-term loans,Current liability,USD"), ("6000", 0, "Fees,Expense,")]
    return "Number,Name,Type,Currency\n" + "".join(f"{numbered(m, s)},{rest}\n" for m, s, rest in rows)


@pytest.mark.parametrize("scheme, numbered, payables, accruals", [
    # before: 2310, 2320, 2330 after 2300 Short-term loans, in the loans' run
    ("plain", lambda m, i: str(int(m) + 10 * i), ["2120", "2130"], ["2200", "2210", "2220"]),
    # before: 2100-50, 2100-60, 2100-70, in the tax payables' own run after 2100-40
    ("dash", lambda m, i: f"{m}-{10 * i + 10}", ["2100-30", "2100-40"], ["2200-10", "2200-20", "2200-30"]),
    # before: 230100, 230200, 230300 after 230000 Short-term loans
    ("six digits", lambda m, i: str((int(m) + i) * 100), ["210200", "210300"], ["211000", "211100", "211200"]),
])
def test_accruals_open_their_own_block_beside_the_tax_payables_in_every_scheme(write, scheme, numbered, payables,
                                                                               accruals):
    """A chart without header accounts and without accrued expenses: the accrued exposures followed the kind's last
    account, which each numbering scheme read otherwise (after the loans in a plain or six-digit chart, inside the
    tax payables' run in a dash chart, where nothing totals them apart). DECISIONS ("Accounts") keeps the accrual
    apart from the payables the returns reconcile against: in every scheme they now open the closest empty block
    beside the payables', as a full block of siblings does (numbering rule 3), and the plan says why."""
    coa = read_chart(write("coa.csv", _headerless(numbered)))
    made = accounts.plan(coa, ["USD"], ACCRUING)
    got = {p.purpose: p.number for p in made}
    assert [got["tax:US-NY"], got["tax:US-TX"]] == payables
    assert [got[f"accrued:{j.code}"] for j in ACCRUING] == accruals
    assert all(p.parent == "" for p in made if p.purpose.startswith("accrued:"))
    first = next(p for p in made if p.purpose == "accrued:US-CA")
    assert first.numbering.startswith("kept apart from the tax payables")


def test_a_full_run_of_sub_numbers_without_its_header_opens_the_next_main_number(write):
    """A chart numbered with dashes and exported without its headers (no 2100 row): the tenth sales tax payable
    stopped the plan ("the sub-accounts 2100-00-2100-99 are full at step 10; number it by hand"), where the same
    chart numbered plainly opens the closest empty block (2200 after a full 2100-2190). No header totals the run, so
    it now opens the closest empty main number, 2200-10, and the payables after it follow there: every scheme
    numbers a plan of many places alike."""
    payables = "".join(f"2100-{i}0,Sales tax payable - {n} (US-{c}),Current liability,USD\n" for i, (c, n) in
                       enumerate([("AL", "Alabama"), ("AZ", "Arizona"), ("CA", "California"), ("CO", "Colorado"),
                                  ("CT", "Connecticut"), ("FL", "Florida"), ("GA", "Georgia"), ("HI", "Hawaii"),
                                  ("ID", "Idaho")], start=1))
    coa = read_chart(write("coa.csv", "Number,Name,Type,Currency\n2000-10,Accounts payable,Payable,USD\n"
                           + payables + "2300-10,Short-term loans,Current liability,USD\n"))
    places = [Jurisdiction(c, n, "Sales tax", "USD", "r", accrue=False)
              for c, n in (("US-IL", "Illinois"), ("US-IN", "Indiana"))]
    made = {p.purpose: p for p in accounts.plan(coa, ["USD"], places)}
    assert [made["tax:US-IL"].number, made["tax:US-IN"].number] == ["2200-10", "2200-20"]
    assert made["tax:US-IL"].numbering == ("the sub-accounts 2100-00-2100-99 are full at step 10 and 2100 is no account "
                                           "of the chart: the closest empty block of main numbers in 2000-2999, 2200, "
                                           "at its first sub-number")
