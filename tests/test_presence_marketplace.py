"""A finding from physical presence abroad estimates the marketplace sales its rule makes the seller's own, as a
finding from sales does: the marketplace collects only where the law makes it the supplier (worked by hand)."""
import json

from click.testing import CliRunner

from conftest import SAMPLES
from nexus.cli import cli

ORDERS = ("order_id,date,country,region,amount,currency,category,channel\n"
          "D1,2025-02-10,JP,,20000,JPY,digital,marketplace\n"
          "D2,2025-05-10,JP,,50000,JPY,digital,marketplace\n"
          "S1,2025-05-11,JP,,30000,JPY,services,marketplace\n"
          "G1,2025-05-12,JP,,40000,JPY,goods,marketplace\n")
PRESENCE = ("kind,location,ownership,dedicated,function,since,until,note\n"
            'office,"Tokyo, JP",leased,yes,core,2025-01-01,,Sales office\n')


def japan(tmp_path) -> dict:
    (tmp_path / "orders.csv").write_text(ORDERS, encoding="utf-8")
    (tmp_path / "presence.csv").write_text(PRESENCE, encoding="utf-8")
    out = CliRunner().invoke(cli, ["check", "--sales", str(tmp_path / "orders.csv"), "--presence",
                                   str(tmp_path / "presence.csv"), "--rates", str(SAMPLES / "eurofxref-hist.csv"),
                                   "--as-of", "2025-06-30", "--format", "json"], catch_exceptions=False)
    assert out.exit_code == 0, out.output
    text = out.stdout
    return next(f for f in json.loads(text[:text.rindex("}") + 1])["findings"] if f["jurisdiction"] == "JP")


def test_a_presence_finding_abroad_taxes_the_marketplace_sales_that_were_the_sellers_own(tmp_path):
    """An office in Tokyo from 2025-01-01, a seller established elsewhere, every sale through a marketplace. Japan
    makes a designated platform the supplier of electronic services only from 2025-04-01 (Consumption Tax Act art.
    15-2, NTA Tax Answer 6568), and of nothing else: the e-book of February (JPY 20,000) and the service of May
    (JPY 30,000) were the seller's own supplies, at 10%: JPY 5,000. The e-book of May (50,000) is the platform's;
    the goods (40,000) are a foreign seller's imports, not its domestic supplies. The estimate took every marketplace
    sale for the marketplace's to collect: JPY 0."""
    jp = japan(tmp_path)
    assert jp["nexus"] == "presence"
    exposure = jp["exposure"]
    assert (exposure["currency"], exposure["taxable_sales"]) == ("JPY", "50000")
    assert exposure["uncollected"] == {"low": "5000", "central": "5000", "high": "5000"}


def test_the_days_the_platform_supplies_are_said_once_in_the_rules_words(tmp_path):
    """One sentence gives the days of each category: the goods and services, which no version makes the platform's,
    on every day of tax due, the e-books to 2025-03-31; and none says the EU's and the UK's deemed-supplier rule of
    2021 applies in Japan (it read so, beside a sentence per category naming the two versions' days apart)."""
    said = japan(tmp_path)["exposure"]["assumptions"]
    assert [a for a in said if a.startswith("Marketplace")] == [
        "Marketplace sales are estimated where the version of the rule then in force made them the seller's own "
        "supplies, the marketplace not their deemed supplier: goods and services on every day; digital from "
        "2025-02-10 to 2025-03-31; on other days the marketplace is assumed to collect."]
