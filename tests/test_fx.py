"""ECB reference rates: every published file form, cross rates through EUR, and fetching over HTTP."""
import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest

from conftest import SAMPLES
from nexus.errors import FetchError, InputError, RateMissing
from nexus.fx import MAX_RATE_AGE_DAYS, Rates, load_rates, parse_rates
from nexus.measures import Converter
from nexus.periods import Period

HIST_CSV = (b"Date,USD,JPY,BGN,HRK,GBP,\n"
            b"2026-10-30,1.1172,175.68,N/A,N/A,0.8338,\n"
            b"2026-10-29,1.1130,175.92,N/A,N/A,0.83578,\n"
            b"2022-12-30,1.0666,140.66,1.9558,7.5365,0.88693,\n")
DAILY_CSV = (b"Date, USD, JPY, CZK, GBP, \n"
             b"30 October 2026, 1.1172, 175.68, 24.353, 0.83380, \n")
XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
  <gesmes:subject>Reference rates</gesmes:subject>
  <Cube>
    <Cube time="2026-10-30"><Cube currency="USD" rate="1.1172"/><Cube currency="JPY" rate="175.68"/></Cube>
    <Cube time="2026-10-29"><Cube currency="USD" rate="1.1130"/><Cube currency="JPY" rate="175.92"/></Cube>
  </Cube>
</gesmes:Envelope>"""


def test_history_csv_with_gaps_and_trailing_comma():
    table = parse_rates(HIST_CSV, "hist.csv")
    assert table.rate("USD", date(2026, 10, 30)) == (Decimal("1.1172"), date(2026, 10, 30))
    assert "BGN" in table.per_eur and table.per_eur["BGN"][0] == [date(2022, 12, 30)]  # N/A is no rate
    assert table.latest() == date(2026, 10, 30)


def test_daily_csv_xml_and_zip_forms_agree():
    daily = parse_rates(DAILY_CSV, "eurofxref.csv")
    xml = parse_rates(XML, "eurofxref-hist.xml")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("eurofxref-hist.csv", HIST_CSV)
    zipped = parse_rates(buffer.getvalue(), "eurofxref-hist.zip")
    for table in (daily, xml, zipped):
        assert table.rate("JPY", date(2026, 10, 30))[0] == Decimal("175.68")


def test_cross_rate_through_eur_is_exact_decimal():
    table = parse_rates(HIST_CSV, "hist.csv")
    # 17,568 JPY on 30 Oct 2026: 17568 / 175.68 EUR = 100 EUR = 111.72 USD
    assert table.convert(Decimal(17568), "JPY", "USD", date(2026, 10, 30)) == Decimal("111.72")
    assert table.convert(Decimal(100), "EUR", "USD", date(2026, 10, 30)) == Decimal("111.7200")
    assert table.convert(Decimal(5), "USD", "USD", date(2026, 10, 30)) == Decimal(5)


def test_weekend_uses_the_latest_rate_on_or_before_the_day():
    table = parse_rates(HIST_CSV, "hist.csv")
    assert table.rate("USD", date(2026, 11, 1)) == (Decimal("1.1172"), date(2026, 10, 30))


def test_no_rate_is_an_error_naming_currency_and_date():
    table = parse_rates(HIST_CSV, "hist.csv")
    with pytest.raises(RateMissing, match="no exchange rate for TWD on 2026-10-30 in hist.csv"):
        table.rate("TWD", date(2026, 10, 30))
    with pytest.raises(RateMissing, match="no exchange rate for USD on or before 2020-01-01"):
        table.rate("USD", date(2020, 1, 1))
    with pytest.raises(RateMissing, match=f"USD on 2023-06-01 .* more than {MAX_RATE_AGE_DAYS} days"):
        table.rate("USD", date(2023, 6, 1))  # (HRK after 2023-01-01 converts at its fixed rate: test_input)


@pytest.mark.parametrize("data, problem", [
    (b"Day,USD\n2026-01-01,1.1\n", "not an ECB reference-rate CSV"),
    (b"Date,USD\n2026-01-01,abc\n", "column 'USD' value 'abc': is not a rate"),
    (b"Date,USD\n2026-01-01,-1\n", "not a positive rate"),
    (b"Date,USD\n2026-01-01,0\n", "rates:2: column 'USD' value '0': is not a positive rate"),
    (b"Date,USD,JPY\n2026-01-01,1.1,NaN\n", "rates:2: column 'JPY' value 'NaN': is not a positive rate"),
    (b"Date,USD\n2026-01-01,1.1\n2025-12-31,Infinity\n", "rates:3: column 'USD' value 'Infinity': is not a positive"),
    (b"Date,USD\nyesterday,1.1\n", "is not a date"),
    (b"<html><body>Service unavailable</body></html>", "holds no ECB reference rates"),
    (b"<gesmes:Envelope", "not well-formed XML"),
    (b"\xff\xfe\x00", "not UTF-8"),
    (b"date,currency,per_eur\n2026-10-30,TWD\n", "has 2 fields where the header has 3"),
    (b"date,currency,per_eur\n2026-10-30,TW,35\n", "is not a currency code"),
    (b"date,base,quote,rate\n2026-10-30,USD,TWD,zero\n", "is not a rate"),
    # an empty file (a download saved as nothing) was 'not an ECB reference-rate CSV (its first column is not
    # Date)', sending the reader to look for a column
    (b"", "^rates: is empty: no header row and no rates$"),
    (b"\xef\xbb\xbf\r\n", "^rates: is empty: no header row and no rates$"),
])
def test_malformed_rate_files_are_refused(data, problem):
    with pytest.raises(InputError, match=problem):
        parse_rates(data, "rates")


def test_bundled_sample_rates_cover_the_sample_orders():
    table = load_rates(str(SAMPLES / "eurofxref-hist.csv"))
    assert table.latest() == date(2026, 10, 30)
    assert table.rate("JPY", date(2025, 1, 2))[1] == date(2025, 1, 2)


def test_fetch_over_http_from_a_local_server(httpserver):
    httpserver.expect_request("/stats/eurofxref/eurofxref-hist.xml").respond_with_data(XML, content_type="text/xml")
    table = load_rates(httpserver.url_for("/stats/eurofxref/eurofxref-hist.xml"))
    assert table.rate("USD", date(2026, 10, 29))[0] == Decimal("1.1130")
    assert table.source.startswith("http://localhost")


def test_http_errors_are_one_line(httpserver):
    httpserver.expect_request("/missing").respond_with_data("not here", status=404)
    with pytest.raises(FetchError, match=r"could not fetch http://.*/missing: HTTP 404"):
        load_rates(httpserver.url_for("/missing"))


def test_unreachable_server_is_one_line(monkeypatch):
    from nexus import download

    monkeypatch.setattr(download, "BACKOFF", 0.01)  # the retries are not what is tested here
    with pytest.raises(FetchError, match="could not fetch http://127.0.0.1:9/"):
        load_rates("http://127.0.0.1:9/eurofxref-hist.csv", timeout=(1, 1))


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="cannot be opened"):
        load_rates(str(tmp_path / "nope.csv"))


def test_treasury_csv_per_eur_form():
    table = parse_rates(b"date,currency,per_eur\n2026-10-30,TWD,35.80\n2026-10-30,AED,4.1030\n", "treasury.csv")
    assert table.rate("TWD", date(2026, 10, 30)) == (Decimal("35.80"), date(2026, 10, 30))


@pytest.mark.parametrize("data, problem", [
    (b"date,currency,per_eur\n2026-10-30,BHD,0.4215\n2026-10-30,TWD,35.80\n2026-10-30,bhd,0.4300\n",
     "treasury.csv:4: column 'per_eur' value '0.4300': is a second rate for BHD on 2026-10-30: line 2 gives 0.4215; "
     "keep one rate a day per currency"),
    (b"date,base,quote,rate\n2026-10-30,USD,TWD,32.05\n2026-10-30,USD,TWD,32.50\n",
     "treasury.csv:3: column 'rate' value '32.50': is a second rate for USD/TWD on 2026-10-30: line 2 gives 32.05; "
     "keep one rate a day per currency"),
])
def test_a_treasury_csv_with_two_rates_for_one_day_names_both_lines(data, problem):
    """The later row silently replaced the earlier: which treasury rate converted the sales hung on row order."""
    with pytest.raises(InputError) as raised:
        parse_rates(data, "treasury.csv")
    assert str(raised.value) == problem


@pytest.mark.parametrize("data, problem", [
    (b"Date,USD,JPY,\n2026-10-30,1.1172,175.68,\n2026-10-29,1.1130,175.92,\n2026-10-30,1.1172,176.68,\n",
     "ecb.csv:4: column 'JPY' value '176.68': is a second rate for JPY on 2026-10-30: line 2 gives 175.68; "
     "keep one rate a day per currency"),
    (b"<gesmes:Envelope xmlns:gesmes='http://www.gesmes.org/xml/2002-08-01' "
     b"xmlns='http://www.ecb.int/vocabulary/2002-08-01/eurofxref'><Cube>"
     b"<Cube time='2026-11-02'><Cube currency='USD' rate='1.1190'/></Cube>"
     b"<Cube time='2026-11-02'><Cube currency='USD' rate='1.2190'/></Cube></Cube></gesmes:Envelope>",
     "ecb.csv: column 'USD' value '1.2190': is a second rate for USD on 2026-11-02: the file gives 1.1190 too; "
     "keep one rate a day per currency"),
])
def test_an_ecb_file_with_a_day_given_twice_differently_is_refused(data, problem):
    """Two files pasted together, or a row edited by hand: the later rate silently replaced the earlier."""
    with pytest.raises(InputError) as raised:
        parse_rates(data, "ecb.csv")
    assert str(raised.value) == problem


def test_an_ecb_csv_may_give_a_day_twice_with_the_same_rates():
    table = parse_rates(b"Date,USD,\n2026-10-30,1.1172,\n2026-10-30,1.1172,\n", "ecb.csv")
    assert table.rate("USD", date(2026, 10, 30))[0] == Decimal("1.1172")


def test_a_treasury_csv_may_repeat_a_days_rate_unchanged():
    table = parse_rates(b"date,currency,per_eur\n2026-10-30,BHD,0.4215\n2026-10-30,BHD,0.42150\n", "treasury.csv")
    assert table.rate("BHD", date(2026, 10, 30))[0] == Decimal("0.4215")


def test_treasury_csv_pair_form_goes_through_another_sources_euro_rate():
    from nexus.fx import Rates

    ecb = parse_rates(HIST_CSV, "ecb.csv")
    treasury = parse_rates(b"date,base,quote,rate\n2026-10-30,USD,TWD,32.05\n2026-10-30,EUR,SAR,4.19\n",
                           "treasury.csv")
    rates = Rates([ecb, treasury])
    per_eur, day, source = rates.rate("TWD", date(2026, 10, 30))
    assert per_eur == Decimal("1.1172") * Decimal("32.05") and source == "treasury.csv via ecb.csv"
    assert rates.rate("SAR", date(2026, 11, 1))[2] == "treasury.csv"
    factor, legs = rates.factor("TWD", "USD", date(2026, 10, 30))
    assert (Decimal(3205) * factor).quantize(Decimal("0.01")) == Decimal("100.00")
    assert legs == [("treasury.csv via ecb.csv", date(2026, 10, 30)), ("ecb.csv", date(2026, 10, 30))]


def test_first_source_with_a_fresh_rate_wins():
    from nexus.fx import Rates

    company = parse_rates(b"date,currency,per_eur\n2026-10-30,USD,1.2000\n", "company.csv")
    ecb = parse_rates(HIST_CSV, "ecb.csv")
    assert Rates([company, ecb]).rate("USD", date(2026, 10, 30))[:3] == (Decimal("1.2000"), date(2026, 10, 30),
                                                                         "company.csv")
    assert Rates([ecb, company]).rate("USD", date(2026, 10, 30))[2] == "ecb.csv"
    assert Rates([company, ecb]).rate("JPY", date(2026, 10, 30))[2] == "ecb.csv"


def test_xml_entity_bombs_are_refused():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
            b'<Envelope>&lol2;</Envelope>')
    with pytest.raises(InputError, match="declares entities"):
        parse_rates(bomb, "bomb.xml")


def test_the_newest_rate_of_a_check_of_a_past_day_is_on_or_before_it():
    """A check as of 2026-06-30 with a file of rates to 2026-10-30 said 'latest 2026-10-30' (JSON age_days -122)
    while the rates it used were of 2026-06-30 at the latest."""
    from conftest import SAMPLES
    from nexus.fx import load_rates

    table = load_rates(str(SAMPLES / "eurofxref-hist.csv"))
    assert table.latest() == date(2026, 10, 30)
    assert table.latest(date(2026, 6, 30)) == date(2026, 6, 30)
    assert table.latest(date(2026, 6, 28)) == date(2026, 6, 26)  # a Sunday: the Friday's rates


def test_a_withdrawn_currency_without_its_successors_rate_names_itself_and_the_day():
    """An ANG sale (Netherlands Antillean guilder, replaced by XCG at a fixed rate): the error named XCG alone, with
    no day; the currency sold in, its fixed rate and the day are named."""
    from nexus.fx import fixed_rate

    table = parse_rates(HIST_CSV, "hist.csv")
    day = date(2026, 10, 30)
    if fixed_rate("ANG", day) is None:
        pytest.skip("ANG has no fixed rate in the data on this day")
    with pytest.raises(RateMissing, match=r"ANG \(converted at its fixed rate, .* ANG = 1 XCG, from .*\) on "
                                          r"2026-10-30: no exchange rate for XCG on 2026-10-30"):
        table.rate("ANG", day)


def test_a_currency_the_ecb_publishes_but_the_files_lack_is_not_said_to_be_unpublished():
    """GBP missing from a company's own rates file: the ECB does publish it, so the way out is the ECB's file."""
    from nexus.fx import Rates

    company = parse_rates(b"date,currency,per_eur\n2026-10-30,BHD,0.42123\n", "company.csv")
    with pytest.raises(RateMissing) as found:
        Rates([company]).rate("GBP", date(2026, 10, 30))
    assert str(found.value) == ("no exchange rate for GBP on 2026-10-30 in company.csv: the ECB publishes it; add "
                                "its rates file (eurofxref-hist.csv) or a treasury CSV (date,currency,per_eur) "
                                "with --rates")
    with pytest.raises(RateMissing, match="in company.csv: the ECB does not publish it; supply a treasury CSV"):
        Rates([company]).rate("KWD", date(2026, 10, 30))


@pytest.mark.parametrize("policy", ["daily", "monthly-average"])
def test_a_converter_names_each_rate_used_once_per_day_converted(policy):
    """The rates a finding used, by currency and source: the first and last rate dates and the days converted. A
    weekend converts at Friday's rate (dated Friday); a day converted twice counts once; under daily rates these are
    read from the days converted when asked, under a monthly average they are noted as each rate is read."""
    rates = Rates([parse_rates(b"Date,USD,JPY,\n2026-11-02,1.1000,160.00,\n2026-10-30,1.2000,150.00,\n"
                               b"2026-10-29,1.2500,151.00,\n", "ecb.csv")])
    convert = Converter(rates, "USD", policy, [Period(date(2026, 10, 1), date(2026, 11, 30), "")])
    for day in (date(2026, 10, 30), date(2026, 10, 31), date(2026, 11, 1), date(2026, 11, 2), date(2026, 10, 31)):
        convert(Decimal(100), "EUR", day)
    assert convert(Decimal(5), "USD", date(2026, 11, 2)) == Decimal(5)  # no rate needed: not counted
    (eur,) = convert.conversions()
    if policy == "daily":
        assert convert(Decimal(100), "EUR", date(2026, 10, 31)) == Decimal("120.0000")
        assert (eur.currency, eur.to, eur.source, eur.first_rate, eur.last_rate, eur.days) == (
            "EUR", "USD", "ecb.csv", date(2026, 10, 30), date(2026, 11, 2), 4)
    else:  # October's two rates averaged once, November's one: three rates read
        assert (eur.first_rate, eur.last_rate, eur.days) == (date(2026, 10, 29), date(2026, 11, 2), 3)
    assert convert.conversions() == (eur,)  # asked again, the same


def test_an_ecb_csv_cell_of_a_dash_or_spaces_around_a_rate():
    """'-' and ' N/A ' are no rate that day (the day before's holds, as for 'N/A'); a rate with spaces is read."""
    table = parse_rates(b"Date,USD,JPY,\n2026-10-30, 1.1172 ,-,\n2026-10-29,1.1130, N/A ,\n2026-10-28,1.12,170,\n",
                        "ecb.csv")
    assert table.per_eur["USD"] == ([date(2026, 10, 28), date(2026, 10, 29), date(2026, 10, 30)],
                                    [Decimal("1.12"), Decimal("1.1130"), Decimal("1.1172")])
    assert table.per_eur["JPY"] == ([date(2026, 10, 28)], [Decimal(170)])


def test_rates_say_where_two_sources_give_the_same_days_rate():
    """The first source holding a currency gives its rate; a later one's for the same day is left unread. Rates
    now say where, for the currencies converted (or those named): which source's rates are used, on how many days
    both gave one, and on how many they differ."""
    first = parse_rates(b"date,currency,per_eur\n2026-10-30,USD,1.2\n2026-10-29,USD,1.113\n2026-10-30,GBP,0.8\n",
                        "treasury.csv")
    ecb = parse_rates(b"Date,USD,GBP,JPY\n2026-10-30,1.1172,0.8338,175.68\n2026-10-29,1.113,0.83578,175.92\n",
                      "eurofxref.csv")
    rates = Rates([first, ecb])
    assert rates.overlaps() == []  # nothing converted yet
    rates.convert(Decimal(100), "USD", "JPY", date(2026, 10, 30))
    found = rates.overlaps()
    assert [(o.used, o.other, o.days) for o in found] == [("treasury.csv", "eurofxref.csv", (("USD", 2, 1),))]
    assert found[0].words() == ("treasury.csv and eurofxref.csv both give rates for USD on 2 days (different on 1 "
                                "day): treasury.csv's are used, the first given")
    assert rates.overlaps(["GBP", "USD"])[0].days == (("GBP", 1, 1), ("USD", 2, 1))


def test_two_files_giving_the_same_pair_rate_on_a_day_are_said_as_euro_rates_are():
    """Two treasury files both giving USD/TWD for a day: TWD has no euro rate, so the first file's pair converted it
    and the other's was left unread without a word, where two files giving a euro rate are named. Now the pair is
    compared as euro rates are, also where the second file writes it the other way round (TWD/USD), once per pair
    of files, naming both, the pair and the days; the same rates in both say nothing (a file given twice)."""
    ecb = parse_rates(b"Date,USD\n2026-10-30,1.1172\n2026-10-29,1.113\n", "eurofxref.csv")
    first = parse_rates(b"date,base,quote,rate\n2026-10-29,USD,TWD,32.10\n2026-10-30,USD,TWD,32.20\n",
                        "treasury-a.csv")
    second = parse_rates(b"date,base,quote,rate\n2026-10-30,USD,TWD,32.50\n2026-10-28,USD,TWD,32.00\n",
                         "treasury-b.csv")
    rates = Rates([first, second, ecb])
    rates.convert(Decimal(100), "TWD", "EUR", date(2026, 10, 30))
    found = rates.given_overlaps()
    assert [o.words() for o in found] == ["treasury-a.csv and treasury-b.csv both give rates for USD/TWD on 1 day "
                                          "(different on 1 day): treasury-a.csv's are used, the first given"]
    inverse = parse_rates(b"date,base,quote,rate\n2026-10-29,TWD,USD,0.031152647975\n"
                          b"2026-10-30,TWD,USD,0.03\n", "treasury-c.csv")
    rates = Rates([first, inverse, ecb])
    rates.convert(Decimal(100), "TWD", "EUR", date(2026, 10, 30))
    assert [o.days for o in rates.given_overlaps()] == [(("USD/TWD", 2, 1),)]  # 1/0.03 is 33.33, not 32.20
    rates = Rates([first, first, ecb])
    rates.convert(Decimal(100), "TWD", "EUR", date(2026, 10, 30))
    assert rates.given_overlaps() == []


def test_a_later_file_s_euro_rate_used_over_an_earlier_file_s_pair_rate_is_said():
    """Rates are read euro rate first, then pairs: a treasury file given first with USD/TWD lost to a later file's
    TWD euro rate on the same day, though the docs say the first file given wins, without a word. It is said now,
    with why the later file's rate is used, where the pair through USD's rate gives another TWD rate."""
    pair = parse_rates(b"date,base,quote,rate\n2026-10-30,USD,TWD,32.20\n", "treasury.csv")
    euro = parse_rates(b"date,currency,per_eur\n2026-10-30,TWD,35.80\n2026-10-30,USD,1.1172\n", "other.csv")
    rates = Rates([pair, euro])
    rates.convert(Decimal(100), "TWD", "EUR", date(2026, 10, 30))
    assert [o.words() for o in rates.given_overlaps()] == [
        "other.csv and treasury.csv both give rates for TWD (USD/TWD) on 1 day (different on 1 day): other.csv's are "
        "used, a euro rate before any pair rate"]
    same = parse_rates(b"date,currency,per_eur\n2026-10-30,TWD,35.97\n2026-10-30,USD,1.1172\n", "other.csv")
    rates = Rates([pair, same])  # 1.1172 x 32.20 = 35.97384: the same rate to the euro rate's places
    rates.convert(Decimal(100), "TWD", "EUR", date(2026, 10, 30))
    assert rates.given_overlaps() == []


@pytest.mark.parametrize("variant", ["as is", "N/A", "no trailing comma", "an empty column", "a bad rate"])
def test_the_ecb_history_read_a_column_at_a_time_is_what_reading_it_a_cell_at_a_time_gives(variant, monkeypatch):
    """parse_ecb_csv reads a plain ECB CSV a column at a time, and anything else a cell at a time: the two must give
    the same rates, currencies in the same order (the history file, and files as a user may have edited it), or the
    same error."""
    from nexus import fx

    text = (SAMPLES / "eurofxref-hist.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    if variant == "N/A":
        lines[5] = lines[5].replace(lines[5].split(",")[3], "N/A", 1)
    elif variant == "no trailing comma":
        lines = [line.rstrip(",") for line in lines]
    elif variant == "an empty column":
        lines = [",".join(cells[:4] + [""] + cells[5:]) for cells in (line.split(",") for line in lines)]
    elif variant == "a bad rate":
        lines[9] = lines[9].replace(lines[9].split(",")[2], "1,2", 1)
    text = "\n".join(lines) + "\n"

    def read() -> object:
        try:
            table = fx.parse_ecb_csv(text, "hist.csv")
        except InputError as exc:
            return str(exc)
        return [(code, series) for code, series in table.per_eur.items()]

    plain = fx._plain_ecb_csv
    quick: list[bool] = []

    def noted(text: str, header: list[str]) -> object:
        found = plain(text, header)
        quick.append(found is not None)
        return found

    monkeypatch.setattr(fx, "_plain_ecb_csv", noted)
    by_column = read()
    monkeypatch.setattr(fx, "_plain_ecb_csv", lambda text, header: None)
    assert read() == by_column
    # the sample and its plain variants (N/A for a missing rate) read a column at a time; a comma in a rate not
    assert quick == [variant != "a bad rate"]
    assert variant not in ("as is", "no trailing comma") or len(by_column) == 30
