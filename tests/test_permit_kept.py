"""A Texas or North Carolina permit held where the orders show no crossing: both states keep a permit holder liable to
collect until the permit is closed, and let a seller below the test close it. nexus called such a permit 'registered
where nothing in the data requires it', as it does a Georgia permit (whose state is silent), which read as a permit
with no duty attached. Now the screen, the workbook's Summary, the memo and the JSON say, in the state's words from
data/registration-timing.json (``while_permit_held.may_close``) and with the first source, that it may be closed and
that tax is to be collected while it is held.

The texts (read 2026-12-07): the Texas Comptroller's remote-sellers page ('Remote sellers needing to terminate the
remote seller status or tax responsibility may use the Remote Seller's Intent to Terminate Use Tax
Responsibilities/Remote Seller Status web form') and the form itself; NCDOR's Directive SD-24-1 as Sales Tax Institute
quotes it ('it may choose to cancel its sales tax registration or remain registered. However, the remote seller must
continue to collect and remit sales and use tax and file returns until it cancels its registration. To cancel its
registration, the remote seller must file Form NC-BN').

As of 2025-06-30: USD 20,000 into Texas (safe harbour USD 500,000), 5,000 into North Carolina and 5,000 into Georgia
(USD 100,000 each), permits for all three held since 2024-06-01.
"""
import json
import re
from datetime import date
from html import unescape

import openpyxl
from click.testing import CliRunner

from nexus.cli import cli
from nexus.timing_rules import load_timing

ORDERS = """\
    Order ID,Created At,Customer Name,Ship Country,Ship State,SKU,Category,Channel,Type,Tax Exempt,Currency,Amount
    TX-1,2025-03-10 10:00:00-06:00,A Buyer,US,TX,TEA,goods,direct,sale,no,USD,20000.00
    NC-1,2025-03-12 10:00:00-05:00,B Buyer,US,NC,TEA,goods,direct,sale,no,USD,5000.00
    GA-1,2025-03-12 10:00:00-05:00,C Buyer,US,GA,TEA,goods,direct,sale,no,USD,5000.00
    """
PERMITS = """\
    jurisdiction,registered_on,collecting_from,id,note
    US-TX,2024-06-01,2024-06-01,TX-32000000001,
    US-NC,2024-06-01,2024-06-01,NC-600000002,
    US-GA,2024-06-01,2024-06-01,GA-1111,
    """
TEXAS = ("Permit held in US-TX (regs.csv:2, number ...0001) where no sales test is met: it may be closed, and tax is "
         "to be collected while it is held. A remote seller whose total Texas revenue fell below $500,000 in the "
         "preceding 12 calendar months may end its Texas use tax responsibilities with the Comptroller's Remote "
         "Seller's Intent to Terminate Use Tax Responsibilities/Remote Seller Status form; until then it must collect "
         "and remit. (Source: https://comptroller.texas.gov/web-forms/remote-seller/)")
CAROLINA = ("Permit held in US-NC (regs.csv:3, number ...0002) where no sales test is met: it may be closed, and tax "
            "is to be collected while it is held. A remote seller that no longer meets the threshold may cancel its "
            "North Carolina registration by filing Form NC-BN (Out-of-Business Notification) with a Date of Permanent "
            "Closure on or after the day it files; until then it must collect and remit sales and use tax and file "
            "returns. (Source: https://www.salestaxinstitute.com/resources/north-carolina-repeals-transaction-count-"
            "from-economic-nexus-threshold)")


def _flat(text, regs=""):
    """The text without its whitespace, the registrations file's path as its name: the screen, the Summary and the
    memo wrap a sentence where their width ends, a long path (a deep temporary folder) on a line of its own or cut."""
    text = "".join(text.split())
    return text.replace("".join(regs.split()), "regs.csv") if regs else text


def test_a_permit_the_state_keeps_liable_is_said_closable_and_due_while_held(write, tmp_path):
    regs = write("regs.csv", PERMITS)
    memo, book = tmp_path / "memo.html", tmp_path / "report.xlsx"
    args = ["check", "--sales", write("orders.csv", ORDERS), "--registrations", regs, "--as-of", "2025-06-30"]
    screen = _flat(CliRunner().invoke(cli, args, catch_exceptions=False).stdout, regs)
    assert _flat("Registered where nothing in the data requires it: US-GA.") in screen  # was: US-TX, US-NC, US-GA
    assert _flat(TEXAS) in screen and _flat(CAROLINA) in screen
    run = CliRunner().invoke(cli, args + ["--format", "json", "--html", str(memo), "--workbook", str(book)],
                             catch_exceptions=False)
    unneeded = json.loads(run.stdout)["summary"]["registrations_without_exposure"]
    held = {r["jurisdiction"]: r["while_held"] for r in unneeded}
    assert held["US-GA"] is None
    assert held["US-TX"]["sources"][0] == "https://comptroller.texas.gov/web-forms/remote-seller/"
    assert held["US-TX"]["note"].replace(regs, "regs.csv") == TEXAS
    assert held["US-NC"]["may_close"].startswith("A remote seller that no longer meets the threshold may cancel")
    summary = _flat(" ".join(r[0] for r in openpyxl.load_workbook(book)["Summary"].iter_rows(values_only=True)
                             if isinstance(r[0], str)), regs)
    assert _flat(TEXAS) in summary
    assert _flat("Registered where nothing in the data requires it: US-GA.") in summary
    page = _flat(unescape(re.sub(r"<[^>]+>", " ", memo.read_text(encoding="utf-8"))), regs)
    assert _flat("Texas (US-TX) below registered, though no test requires it: it may be closed; tax is due while it is "
                 "held") in page
    assert _flat("Georgia (US-GA) below registered, though no test requires it USD 5,000.00") in page  # as before
    assert _flat(TEXAS) in page and _flat(CAROLINA) in page


def test_the_words_are_the_data_rows_with_their_sources():
    """The wording is per state, so it is a field of the start rows, with sources, never code."""
    kept = {j: load_timing().permit_kept(j, date(2025, 6, 30)) for j in ("US-TX", "US-NC", "US-GA")}
    assert kept["US-GA"] is None
    for rule in (kept["US-TX"], kept["US-NC"]):
        assert rule.closing and rule.closing_sources and "until then it must collect" in rule.closing
