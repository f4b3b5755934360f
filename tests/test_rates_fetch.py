"""Fetching ECB rates from real HTTP servers on 127.0.0.1: good, failing, silent and malformed."""
import functools
import gzip
import io
import json
import socket
import threading
import time
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from click.testing import CliRunner
from werkzeug import Response

from conftest import SAMPLES
from nexus import download, store
from nexus.cli import cli
from nexus.errors import FetchError, InputError

HIST_CSV = (SAMPLES / "eurofxref-hist.csv").read_bytes()
DAILY_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
\t<gesmes:subject>Reference rates</gesmes:subject>
\t<gesmes:Sender><gesmes:name>European Central Bank</gesmes:name></gesmes:Sender>
\t<Cube>
\t\t<Cube time='2026-11-02'>
\t\t\t<Cube currency='USD' rate='1.1190'/><Cube currency='JPY' rate='176.10'/><Cube currency='GBP' rate='0.83410'/>
\t\t</Cube>
\t</Cube>
</gesmes:Envelope>"""


def zipped(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("eurofxref-hist.csv", data)
    return buffer.getvalue()


@pytest.fixture
def ecb(httpserver):
    httpserver.expect_request("/stats/eurofxref/eurofxref-hist.zip").respond_with_data(
        zipped(HIST_CSV), content_type="application/zip")
    httpserver.expect_request("/stats/eurofxref/eurofxref-daily.xml").respond_with_data(
        DAILY_XML, content_type="text/xml")
    return [httpserver.url_for("/stats/eurofxref/eurofxref-hist.zip"),
            httpserver.url_for("/stats/eurofxref/eurofxref-daily.xml")]


def test_fetch_stores_history_and_daily_rates(ecb, tmp_path):
    connection = store.connect(tmp_path / "nexus.sqlite3")
    fetches = store.fetch_rates(connection, urls=ecb)
    assert [f.url for f in fetches] == ecb
    assert fetches[0].first_day == date(2024, 1, 2) and fetches[0].last_day == date(2026, 10, 30)
    table = store.load_rates(connection)
    assert table.latest() == date(2026, 11, 2)
    assert table.rate("JPY", date(2026, 11, 2))[0] == Decimal("176.10")
    assert table.rate("USD", date(2025, 6, 2))[1] == date(2025, 6, 2)
    again = store.fetch_rates(connection, urls=ecb)  # fetching twice keeps one row per day and currency
    count = connection.execute("SELECT COUNT(*) FROM rates").fetchone()[0]
    assert count == fetches[0].rates + 3 and again[0].rates == fetches[0].rates


def test_since_keeps_only_recent_rates(ecb, tmp_path):
    connection = store.connect(tmp_path / "nexus.sqlite3")
    store.fetch_rates(connection, since=date(2026, 10, 1), urls=ecb)
    days = [d for (d,) in connection.execute("SELECT DISTINCT day FROM rates ORDER BY day")]
    assert days[0] == "2026-10-01" and days[-1] == "2026-11-02"


def test_a_daily_file_that_fails_keeps_nothing_of_the_history_fetched_before_it(ecb, httpserver, tmp_path):
    """The history and the daily file are one fetch: an error (exit 2) with the history kept anyway read as if
    nothing was stored, while the store had changed; now it keeps both files or neither."""
    httpserver.expect_request("/stats/eurofxref/gone.xml").respond_with_data("", status=404)
    db = str(tmp_path / "store.sqlite3")
    result = CliRunner().invoke(cli, ["rates", "fetch", "--db", db, "--url", ecb[0],
                                      "--url", httpserver.url_for("/stats/eurofxref/gone.xml")])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "gone.xml: HTTP 404" in result.stderr and result.stdout == ""
    connection = store.connect(db)
    assert connection.execute("SELECT COUNT(*) FROM rates").fetchone()[0] == 0
    assert store.fetches(connection) == []


def test_cli_fetch_then_check_offline_from_the_store(ecb, tmp_path, write):
    db = str(tmp_path / "store.sqlite3")
    result = CliRunner().invoke(cli, ["rates", "fetch", "--db", db, "--url", ecb[0], "--url", ecb[1]],
                                catch_exceptions=False)
    assert result.exit_code == 0
    assert "to 2026-10-30 (" in result.stdout and "from 2026-11-02 to 2026-11-02" in result.stdout
    status = CliRunner().invoke(cli, ["rates", "status", "--db", db], catch_exceptions=False)
    assert "newest 2026-11-02" in status.stdout
    orders = write("o.csv", "date,country,region,amount,currency\n2026-10-30,US,WA,17568000,JPY\n")
    out = CliRunner().invoke(cli, ["check", "--sales", orders, "--db", db, "--as-of", "2026-11-03",
                                   "--format", "json"], catch_exceptions=False)
    data = json.loads(out.stdout)
    wa = data["findings"][0]
    assert wa["sales"] == "111720.00"  # 17,568,000 JPY / 175.68 * 1.1172
    assert wa["conversions"] == [{"currency": "JPY", "to": "USD", "source": "ECB reference rates (local store)",
                                  "first_rate": "2026-10-30", "last_rate": "2026-10-30", "days": 1}]  # one day, once
    assert data["summary"]["rates"]["latest"] == "2026-11-02" and data["warnings"] == []


def test_a_treasury_csv_given_to_the_check_adds_to_the_stored_rates(ecb, tmp_path, write):
    """The review asks for BHD rates as 'a treasury CSV to nexus check --rates'; given so, the store's ECB rates
    were no longer used and the check stopped on a JPY sale ('no exchange rate for JPY ... in treasury.csv'). The
    store now follows the files given: 17,568,000 JPY / 175.68 * 1.1172 = 111,720.00 USD from the store and
    1,000 BHD / 0.42 * 1.1172 = 2,660.00 USD from the treasury CSV, 114,380.00 in all."""
    db = str(tmp_path / "store.sqlite3")
    CliRunner().invoke(cli, ["rates", "fetch", "--db", db, "--url", ecb[0]], catch_exceptions=False)
    treasury = write("treasury.csv", "date,currency,per_eur\n2026-10-30,BHD,0.42\n")
    orders = write("o.csv", "date,country,region,amount,currency\n2026-10-30,US,WA,17568000,JPY\n"
                            "2026-10-30,US,WA,1000,BHD\n")
    out = CliRunner().invoke(cli, ["check", "--sales", orders, "--db", db, "--as-of", "2026-10-30", "--rates",
                                   treasury, "--format", "json"], catch_exceptions=False)
    assert out.exit_code == 0, out.output
    wa = json.loads(out.stdout)["findings"][0]
    assert wa["sales"] == "114380.00"
    # BHD to USD takes the treasury CSV's BHD rate and the store's USD rate: both sources are named
    assert {(c["currency"], c["source"]) for c in wa["conversions"]} == {
        ("BHD", "ECB reference rates (local store)"), ("BHD", treasury), ("JPY", "ECB reference rates (local store)")}


def test_a_damaged_store_behind_the_rates_given_is_a_warning(tmp_path, write):
    """Before the store followed the --rates files, a check given its rates never read the store's: a damaged rate
    row there must not stop it now, only be said. (The store is read only where it holds a currency the files do
    not: GBP here, beside a treasury file of JPY and USD; 17,568,000 JPY at 175.68 and 1.1172 per EUR is USD
    111,720.00.) Given files that hold every currency the store does (the ECB's history), the store is not read."""
    db = str(tmp_path / "store.sqlite3")
    with store.opened(db) as connection, connection:
        connection.execute("INSERT INTO rates VALUES ('ecb', '2026-10-30', 'GBP', 'abc')")
    orders = write("o.csv", "date,country,region,amount,currency\n2026-10-30,US,WA,17568000,JPY\n")
    treasury = write("treasury.csv", "date,currency,per_eur\n2026-10-30,JPY,175.68\n2026-10-30,USD,1.1172\n")
    out = CliRunner().invoke(cli, ["check", "--sales", orders, "--db", db, "--as-of", "2026-10-30", "--rates",
                                   treasury, "--format", "json"], catch_exceptions=False)
    assert out.exit_code == 0 and json.loads(out.stdout)["findings"][0]["sales"] == "111720.00"
    assert "is damaged: table rates" in out.stderr and "its rates are not used" in out.stderr
    out = CliRunner().invoke(cli, ["check", "--sales", orders, "--db", db, "--as-of", "2026-10-30", "--rates",
                                   str(SAMPLES / "eurofxref-hist.csv"), "--format", "json"], catch_exceptions=False)
    assert out.exit_code == 0 and "damaged" not in out.stderr  # the ECB's file holds GBP: the store adds nothing


def test_stale_rates_are_warned_about(ecb, tmp_path, write):
    db = str(tmp_path / "store.sqlite3")
    CliRunner().invoke(cli, ["rates", "fetch", "--db", db, "--url", ecb[0]], catch_exceptions=False)
    orders = write("o.csv", "date,country,region,amount,currency\n2026-10-30,US,WA,10,USD\n")
    out = CliRunner().invoke(cli, ["check", "--sales", orders, "--db", db, "--as-of", "2026-11-27"],
                             catch_exceptions=False)
    assert ("Warning: the newest exchange rate (ECB reference rates (local store)) is from 2026-10-30, "
            "20 business days before 2026-11-27") in " ".join(out.stdout.split())


def test_a_server_that_fails_twice_then_answers(httpserver, tmp_path, monkeypatch):
    calls = []

    def flaky(request):
        calls.append(time.monotonic())
        if len(calls) <= 2:
            return Response("busy", status=503)
        return Response(DAILY_XML, content_type="text/xml")

    httpserver.expect_request("/daily.xml").respond_with_handler(flaky)
    # a tenth of the pause nexus takes (0.5 s, doubling): the pauses still grow, 0 s then 0.2 s, in a fifth of the time
    monkeypatch.setattr(download, "BACKOFF", 0.1)
    connection = store.connect(tmp_path / "s.sqlite3")
    fetched = store.fetch_rates(connection, urls=[httpserver.url_for("/daily.xml")])
    assert len(calls) == 3 and fetched[0].rates == 3
    assert calls[2] - calls[1] >= calls[1] - calls[0] > 0  # backoff grows


def test_a_server_that_keeps_failing_gives_one_line(httpserver):
    httpserver.expect_request("/down").respond_with_data("down", status=500)
    with pytest.raises(FetchError, match=r"could not fetch http://.*/down: (HTTP 500|server kept failing)"):
        download.get(httpserver.url_for("/down"), retries=1, backoff=0.01)


def tcp_server(on_accept):
    """A raw TCP server on 127.0.0.1 that hands each connection to ``on_accept``; yields its URL."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    held, stop = [], threading.Event()

    def accept():
        listener.settimeout(0.02)  # how long the test's end waits for this loop to see ``stop``
        while not stop.is_set():
            try:
                on_accept(listener.accept()[0], held)
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/eurofxref-hist.zip"
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    listener.close()


@pytest.fixture
def silent_server():
    """Accepts connections and never answers."""
    yield from tcp_server(lambda conn, held: held.append(conn))


def test_a_server_that_never_answers_ends_with_a_clear_error_within_the_timeout(
        silent_server, tmp_path, monkeypatch):
    monkeypatch.setattr(download, "BACKOFF", 0.01)  # the timeout is tested here, the pauses between tries above
    db = str(tmp_path / "s.sqlite3")
    started = time.monotonic()
    # 0.2 s, close to the least --timeout takes (0.1 s): a silence is a silence whatever its length
    result = CliRunner().invoke(cli, ["rates", "fetch", "--db", db, "--url", silent_server, "--timeout", "0.2"])
    elapsed = time.monotonic() - started
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: could not fetch {silent_server}: no answer within 0.2 s")
    assert elapsed < 4 * 0.2 + 2  # four attempts of 0.2 s each, and slack


@pytest.mark.parametrize("body, problem", [
    (b"<?xml version=\"1.0\"?><Envelope><Cube></Cube></Envelope>", "holds no ECB reference rates"),
    (zipped(HIST_CSV)[:300], "damaged or truncated ZIP"),
    (b"Date,USD,JPY,\n2026-10-30,1.1172,", "has 3 fields where the header has 4: a truncated"),
])
def test_malformed_files_are_refused_and_nothing_is_stored(httpserver, tmp_path, body, problem):
    httpserver.expect_request("/bad").respond_with_data(body)
    connection = store.connect(tmp_path / "s.sqlite3")
    with pytest.raises(InputError, match=problem):
        store.fetch_rates(connection, urls=[httpserver.url_for("/bad")])
    assert connection.execute("SELECT COUNT(*) FROM rates").fetchone()[0] == 0


def test_only_http_and_https_are_fetched():
    with pytest.raises(FetchError, match="only http:// and https://"):
        download.get("file:///etc/passwd")
    with pytest.raises(FetchError, match="only http"):
        download.get("ftp://example.org/rates.csv")


def test_oversized_responses_are_refused(httpserver):
    httpserver.expect_request("/huge").respond_with_data(b"x" * 5000)
    with pytest.raises(FetchError, match="larger than"):
        download.get(httpserver.url_for("/huge"), max_bytes=1000)


@pytest.fixture
def dropping_server():
    """Accepts connections and closes them at once, as a failing load balancer does."""
    yield from tcp_server(lambda conn, held: conn.close())


def test_a_server_that_drops_connections_gives_one_line(dropping_server):
    with pytest.raises(FetchError, match=r"could not fetch http://127\.0\.0\.1:\d+/eurofxref-hist.zip: connection"):
        download.get(dropping_server, timeout=(1, 1), retries=2, backoff=0.01)


def test_check_falls_back_to_the_stored_rates_when_a_rates_url_fails(ecb, tmp_path, write, dropping_server,
                                                                     monkeypatch):
    monkeypatch.setattr(download, "BACKOFF", 0.01)  # the retries are not what is tested here
    db = str(tmp_path / "store.sqlite3")
    CliRunner().invoke(cli, ["rates", "fetch", "--db", db, "--url", ecb[0]], catch_exceptions=False)
    orders = write("o.csv", "date,country,region,amount,currency\n2026-10-30,US,WA,17568000,JPY\n")
    result = CliRunner().invoke(cli, ["check", "--sales", orders, "--db", db, "--rates", dropping_server,
                                      "--as-of", "2026-10-31", "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "using the rates kept in the local store instead (newest 2026-10-30)" in result.stderr
    assert json.loads(result.stdout)["findings"][0]["sales"] == "111720.00"


def test_review_falls_back_to_the_last_kept_list_when_the_provider_url_fails(tmp_path, write, dropping_server,
                                                                             monkeypatch):
    monkeypatch.setattr(download, "BACKOFF", 0.01)  # the retries are not what is tested here
    db = str(tmp_path / "store.sqlite3")
    first = write("q3.txt", "USD\nJPY\n")
    CliRunner().invoke(cli, ["currencies", "review", "--provider", first, "--db", db], catch_exceptions=False)
    result = CliRunner().invoke(cli, ["currencies", "review", "--provider", dropping_server, "--db", db,
                                      "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0 and "using the list kept from review 1 of" in result.stderr
    kept = json.loads(result.stdout)
    assert kept["currencies"] == ["JPY", "USD"]  # the store keeps codes sorted
    # the kept list is review 1's own: compared as review 1 was (a first review), not with itself
    assert kept["first_review"] is True and sorted(c["code"] for c in kept["listed"]) == ["JPY", "USD"]


@pytest.fixture
def cutting_server():
    """Answers 200 with half of the file it announces, then closes the connection (a proxy or a server restarting)."""
    def cut(conn, held):
        conn.recv(65536)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nContent-Length: 4000\r\n\r\n" + HIST_CSV[:2000])
        conn.close()
    yield from tcp_server(cut)


def test_a_file_cut_off_midway_says_so_in_words(cutting_server, tmp_path):
    """It said 'could not fetch ...: ChunkedEncodingError', a class name, not what happened."""
    db = str(tmp_path / "s.sqlite3")
    result = CliRunner().invoke(cli, ["rates", "fetch", "--db", db, "--url", cutting_server])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"Error: could not fetch {cutting_server}: the connection was cut before the "
                                    f"whole file arrived; ")
    assert store.connect(db).execute("SELECT COUNT(*) FROM rates").fetchone()[0] == 0


@pytest.mark.parametrize("location, reason", [
    ("/loop", "the address redirects in a loop (too many redirects)"),
    ("ftp://127.0.0.1/eurofxref-hist.zip", "redirected to an address that is not http:// or https://"),
])
def test_a_redirect_that_leads_nowhere_says_so_in_words(httpserver, location, reason):
    """They said 'TooManyRedirects' and 'InvalidSchema'."""
    httpserver.expect_request("/loop").respond_with_data("", status=302, headers={"Location": location})
    url = httpserver.url_for("/loop")
    with pytest.raises(FetchError) as raised:
        download.get(url, retries=0)
    assert str(raised.value) == f"could not fetch {url}: {reason}"


def test_a_review_on_the_kept_list_says_so_in_the_report_and_is_not_kept_as_this_quarters(
        tmp_path, write, dropping_server, monkeypatch):
    """With the provider's address down, the quarter's review read last quarter's list and reported 'Added: none,
    Unchanged: ...' with the fallback said only on stderr (nothing in the JSON, the screen or the workbook), and
    kept that list as this quarter's review, as if the provider had been read."""
    monkeypatch.setattr(download, "BACKOFF", 0.01)  # the retries are not what is tested here
    db = str(tmp_path / "store.sqlite3")
    monkeypatch.setattr(store, "_now", lambda: "2025-07-01T09:00:00+00:00")
    CliRunner().invoke(cli, ["currencies", "review", "--provider", write("q3.txt", "USD\nJPY\n"), "--db", db],
                       catch_exceptions=False)
    monkeypatch.undo()
    monkeypatch.setattr(download, "BACKOFF", 0.01)
    result = CliRunner().invoke(cli, ["currencies", "review", "--provider", dropping_server, "--db", db,
                                      "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0
    kept = json.loads(result.stdout)
    assert kept["list_kept_from"] == "review 1 of 2025-07-01"
    # review 1's own list, compared as review 1 was (a first review), not with itself
    assert kept["first_review"] is True and sorted(c["code"] for c in kept["listed"]) == ["JPY", "USD"]
    screen = CliRunner().invoke(cli, ["currencies", "review", "--provider", dropping_server, "--db", db],
                                catch_exceptions=False).stdout
    assert ("The provider's list could not be fetched: this is the list kept from review 1 of 2025-07-01, not "
            "today's") in " ".join(screen.split())
    assert [e.id for e in store.history(store.connect(db))] == [1]


def test_a_kept_list_from_an_earlier_quarter_is_compared_as_its_review_was_not_with_itself(
        tmp_path, write, dropping_server, monkeypatch):
    """Reviewed in Q2 (USD, JPY) and Q3 (USD, JPY, BHD); in Q4 the provider's address is down and the review falls
    back to Q3's list. It compared that list with Q3's review itself: 'Added: none, Removed: none', every currency
    unchanged, though the list is Q3's, which added BHD against Q2. It is compared as Q3's review was: BHD added."""
    monkeypatch.setattr(download, "BACKOFF", 0.01)  # the retries are not what is tested here
    db = str(tmp_path / "store.sqlite3")
    for when, listed in (("2025-04-02T09:00:00+00:00", "USD\nJPY\n"), ("2025-07-01T09:00:00+00:00", "USD\nJPY\nBHD\n")):
        monkeypatch.setattr(store, "_now", lambda when=when: when)
        CliRunner().invoke(cli, ["currencies", "review", "--provider", write("list.txt", listed), "--db", db],
                           catch_exceptions=False)
    monkeypatch.setattr(store, "_now", lambda: "2025-10-01T09:00:00+00:00")
    result = CliRunner().invoke(cli, ["currencies", "review", "--provider", dropping_server, "--db", db,
                                      "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0
    kept = json.loads(result.stdout)
    assert kept["list_kept_from"] == "review 2 of 2025-07-01"
    assert [a["code"] for a in kept["added"]] == ["BHD"] and kept["unchanged"] == ["JPY", "USD"]
    assert "(review 1 in the local store)" in kept["previous_from"] and kept["removed"] == []


PORTAL = b"""<!DOCTYPE html>
<html lang="en"><head><title>Sign in to Airport Wi-Fi</title></head>
<body><form action="/login"><input name="room"><button>Connect</button></form></body></html>"""


@pytest.mark.parametrize("content_type", ["text/html", "text/plain", "application/zip"])
def test_a_web_page_in_place_of_the_file_is_a_network_failure(httpserver, tmp_path, content_type):
    """A captive portal or a proxy answers 200 with its own page, whatever the address asked for."""
    httpserver.expect_request("/eurofxref-hist.zip").respond_with_data(PORTAL, content_type=content_type)
    url = httpserver.url_for("/eurofxref-hist.zip")
    with pytest.raises(FetchError, match=r"could not fetch http://.*: the server answered with a web page \(HTML\)"):
        download.get(url)
    db = str(tmp_path / "s.sqlite3")
    result = CliRunner().invoke(cli, ["rates", "fetch", "--db", db, "--url", url])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"Error: could not fetch {url}: the server answered with a web page (HTML)")
    assert store.connect(db).execute("SELECT COUNT(*) FROM rates").fetchone()[0] == 0


@pytest.mark.parametrize("page", [
    b"<head><title>503 Service Unavailable</title></head>\n<body><h1>Service Unavailable</h1></body>",
    b"\xef\xbb\xbf<body>Please sign in</body>",
    b"<h1>Bad Gateway</h1>",
])
def test_an_error_page_without_its_html_tag_is_a_web_page_too(httpserver, tmp_path, write, page):
    """A proxy's error fragment, served with 200 and no <html> tag, was read as the file: 'is not well-formed XML
    (junk after document element...)' for rates, and for a review 'line 1 ('<head>...') is not a three-letter
    currency code', both exit 2 where the kept rates or list would have served."""
    httpserver.expect_request("/page").respond_with_data(page, content_type="text/html")
    url = httpserver.url_for("/page")
    with pytest.raises(FetchError, match=r"the server answered with a web page \(HTML\)"):
        download.get(url)
    db = str(tmp_path / "store.sqlite3")
    CliRunner().invoke(cli, ["currencies", "review", "--provider", write("q3.txt", "USD\nJPY\n"), "--db", db],
                       catch_exceptions=False)
    result = CliRunner().invoke(cli, ["currencies", "review", "--provider", url, "--db", db, "--format", "json"],
                                catch_exceptions=False)
    assert result.exit_code == 0 and "web page (HTML)" in result.stderr
    assert json.loads(result.stdout)["currencies"] == ["JPY", "USD"]


def test_an_empty_answer_is_a_failed_fetch_and_check_falls_back_to_the_stored_rates(ecb, httpserver, tmp_path, write):
    """A 200 with nothing in it was read as a rates file: 'URL:1: is not an ECB reference-rate CSV (its first column
    is not 'Date')...', exit 2, where the check would have used the rates kept in the store."""
    db = str(tmp_path / "store.sqlite3")
    CliRunner().invoke(cli, ["rates", "fetch", "--db", db, "--url", ecb[0]], catch_exceptions=False)
    httpserver.expect_request("/empty").respond_with_data(b"", content_type="text/csv")
    url = httpserver.url_for("/empty")
    orders = write("o.csv", "date,country,region,amount,currency\n2026-10-30,US,WA,17568000,JPY\n")
    result = CliRunner().invoke(cli, ["check", "--sales", orders, "--db", db, "--rates", url,
                                      "--as-of", "2026-10-31", "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0
    assert f"could not fetch {url}: the server answered with nothing (an empty answer), not the file" in result.stderr
    assert json.loads(result.stdout)["findings"][0]["sales"] == "111720.00"


def test_check_falls_back_to_the_stored_rates_when_a_rates_url_gives_a_web_page(ecb, httpserver, tmp_path, write):
    db = str(tmp_path / "store.sqlite3")
    CliRunner().invoke(cli, ["rates", "fetch", "--db", db, "--url", ecb[0]], catch_exceptions=False)
    httpserver.expect_request("/portal").respond_with_data(PORTAL, content_type="text/html")
    orders = write("o.csv", "date,country,region,amount,currency\n2026-10-30,US,WA,17568000,JPY\n")
    result = CliRunner().invoke(cli, ["check", "--sales", orders, "--db", db, "--rates", httpserver.url_for("/portal"),
                                      "--as-of", "2026-10-31", "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "web page (HTML)" in result.stderr and "using the rates kept in the local store instead" in result.stderr
    assert json.loads(result.stdout)["findings"][0]["sales"] == "111720.00"


@pytest.fixture
def trickling_server():
    """Answers 200 with a 20-byte body sent one byte every 0.1 s: never silent long enough for a read timeout (the
    tests' is 1 s), and 2 s in all, longer than the deadlines they set."""
    stop = threading.Event()

    def trickle(conn):
        try:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nContent-Length: 20\r\n\r\n")
            for _ in range(20):
                if stop.wait(0.1):
                    break
                conn.sendall(b"x")
        except OSError:
            pass  # the client gave up and closed the connection
        finally:
            conn.close()

    def on_accept(conn, held):
        threading.Thread(target=trickle, args=(conn,), daemon=True).start()

    servers = tcp_server(on_accept)
    yield next(servers)
    stop.set()
    next(servers, None)


def test_a_server_that_trickles_is_cut_off_at_the_overall_deadline(trickling_server):
    with pytest.raises(FetchError, match=r"could not fetch http://127\.0\.0\.1:\d+/eurofxref-hist.zip: not complete "
                                         r"within 0\.5 s \(the server sends too slowly"):
        download.get(trickling_server, timeout=(1, 1), retries=0, deadline=0.5)


def test_check_falls_back_to_the_stored_rates_when_a_download_misses_its_deadline(ecb, tmp_path, write,
                                                                                  trickling_server, monkeypatch):
    db = str(tmp_path / "store.sqlite3")
    CliRunner().invoke(cli, ["rates", "fetch", "--db", db, "--url", ecb[0]], catch_exceptions=False)
    monkeypatch.setattr(download, "DEADLINE", 0.3)
    orders = write("o.csv", "date,country,region,amount,currency\n2026-10-30,US,WA,17568000,JPY\n")
    result = CliRunner().invoke(cli, ["check", "--sales", orders, "--db", db, "--rates", trickling_server,
                                      "--as-of", "2026-10-31", "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0
    assert f"Warning: could not fetch {trickling_server}: not complete within 0.3 s" in result.stderr
    assert "using the rates kept in the local store instead (newest 2026-10-30)" in result.stderr
    assert json.loads(result.stdout)["findings"][0]["sales"] == "111720.00"


def test_a_longer_timeout_than_the_deadline_is_waited(httpserver, tmp_path, monkeypatch):
    """Before: rates fetch --timeout 600 (a slow mirror) gave up at the overall deadline, 120 s, with 'not complete
    within 120 s', though the user had allowed ten minutes of silence. Here the deadline is 0.2 s, the server answers
    after 0.5 s and --timeout is 3 s: the file is fetched."""
    def slow(_request):
        time.sleep(0.5)
        from werkzeug import Response
        return Response(zipped(HIST_CSV), content_type="application/zip")

    httpserver.expect_request("/slow/eurofxref-hist.zip").respond_with_handler(slow)
    monkeypatch.setattr(download, "DEADLINE", 0.2)
    db = str(tmp_path / "store.sqlite3")
    url = httpserver.url_for("/slow/eurofxref-hist.zip")
    result = CliRunner().invoke(cli, ["rates", "fetch", "--db", db, "--url", url, "--timeout", "3"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Stored ")


@functools.lru_cache(maxsize=None)
def zip_bomb() -> bytes:
    """64 MiB of one repeated rates line, zipped to about 100 kB: 600 times its size (the size is what the bomb tests
    are about). Made once for the two tests that serve it: bytes, so neither can change the other's."""
    line = b"2026-10-30,1.1172,\n"
    return zipped(b"Date,USD,\n" + line * (64 * 2**20 // len(line)))


def test_a_zipped_rates_bomb_is_refused_from_a_path(tmp_path, write):
    from nexus.fx import load_rates

    bomb = tmp_path / "eurofxref-hist.zip"
    bomb.write_bytes(zip_bomb())
    with pytest.raises(InputError, match=r"eurofxref-hist.zip: would expand to 67,10\d,\d{3} bytes \(\d{3} times its "
                                         r"size\): refused as a possible zip bomb"):
        load_rates(str(bomb))
    orders = write("o.csv", "date,country,region,amount,currency\n2026-10-30,US,WA,17568000,JPY\n")
    result = CliRunner().invoke(cli, ["check", "--sales", orders, "--rates", str(bomb), "--as-of", "2026-10-31"])
    assert result.exit_code == 2 and "refused as a possible zip bomb" in result.stderr


def test_a_zipped_rates_bomb_is_refused_from_a_server_and_nothing_is_stored(httpserver, tmp_path):
    httpserver.expect_request("/eurofxref-hist.zip").respond_with_data(zip_bomb(), content_type="application/zip")
    url = httpserver.url_for("/eurofxref-hist.zip")
    db = str(tmp_path / "s.sqlite3")
    result = CliRunner().invoke(cli, ["rates", "fetch", "--db", db, "--url", url])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {url}: would expand to ") and "possible zip bomb" in result.stderr
    assert store.connect(db).execute("SELECT COUNT(*) FROM rates").fetchone()[0] == 0


def test_a_gzip_compressed_rates_file_is_read_from_a_server(httpserver, tmp_path):
    """eurofxref-hist.csv.gz (a mirror's or a treasury's download, sent as is, not as a Content-Encoding) said
    'is not an ECB rates file (not UTF-8 text)'."""
    httpserver.expect_request("/eurofxref-hist.csv.gz").respond_with_data(gzip.compress(HIST_CSV),
                                                                          content_type="application/gzip")
    db = str(tmp_path / "s.sqlite3")
    url = httpserver.url_for("/eurofxref-hist.csv.gz")
    result = CliRunner().invoke(cli, ["rates", "fetch", "--db", db, "--url", url], catch_exceptions=False)
    assert result.exit_code == 0 and "from 2024-01-02 to 2026-10-30" in result.stdout
    assert store.load_rates(store.connect(db)).rate("JPY", date(2026, 10, 30))[1] == date(2026, 10, 30)


@pytest.mark.parametrize("body, problem", [
    (gzip.compress(b"Date," * (2 * 2**20)), "would expand to more than "),
    (gzip.compress(HIST_CSV)[:3000], "is a truncated gzip file"),
    (b"PK\x05\x06" + bytes(18), "is a ZIP file with no CSV inside"),
])
def test_a_gzip_bomb_a_cut_gzip_or_an_empty_zip_is_refused_and_nothing_is_stored(httpserver, tmp_path, body,
                                                                                 problem):
    httpserver.expect_request("/rates").respond_with_data(body, content_type="application/octet-stream")
    url = httpserver.url_for("/rates")
    db = str(tmp_path / "s.sqlite3")
    result = CliRunner().invoke(cli, ["rates", "fetch", "--db", db, "--url", url])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"Error: {url}: {problem}")
    assert store.connect(db).execute("SELECT COUNT(*) FROM rates").fetchone()[0] == 0


def test_the_real_history_zip_is_well_within_the_limits():
    from nexus import fx

    table = fx.parse_rates(zipped(HIST_CSV), "eurofxref-hist.zip")
    assert table.latest() == date(2026, 10, 30)


def test_rates_import_loads_a_downloaded_file_for_offline_checks(tmp_path):
    db = str(tmp_path / "store.sqlite3")
    out = CliRunner().invoke(cli, ["rates", "import", str(SAMPLES / "eurofxref-hist.csv"), "--db", db],
                             catch_exceptions=False)
    assert out.exit_code == 0 and out.stdout.startswith("Stored ") and "to 2026-10-30" in out.stdout
    status = CliRunner().invoke(cli, ["rates", "status", "--db", db], catch_exceptions=False).stdout
    assert "newest 2026-10-30" in status
    stored = int(out.stdout.split()[1].replace(",", ""))  # 'Stored 21,507 rates ...'
    assert f" {stored:,} " in status and stored > 999  # the count of rates read as the import said it


def test_a_fetch_that_cannot_connect_suggests_rates_import(tmp_path, monkeypatch):
    monkeypatch.setattr(download, "BACKOFF", 0.01)  # the retries are not what is tested here
    out = CliRunner().invoke(cli, ["rates", "fetch", "--db", str(tmp_path / "s.sqlite3"), "--url",
                                   "http://127.0.0.1:9/eurofxref-hist.zip", "--timeout", "1"])
    assert out.exit_code == 2 and "nexus rates import FILE" in out.stderr


def test_a_treasury_csv_is_not_kept_in_the_store_as_ecb_rates(httpserver, tmp_path, write):
    """Imported or fetched into the store, a treasury CSV's CLP and CLF rates were kept under 'ecb', and the check
    named 'ECB reference rates (local store)' as the source of conversions the ECB does not publish."""
    treasury = "date,currency,per_eur\n2026-10-30,CLP,1105.2\n2026-10-30,CLF,0.0301\n"
    httpserver.expect_request("/treasury.csv").respond_with_data(treasury, content_type="text/csv")
    db = str(tmp_path / "store.sqlite3")
    path = write("treasury.csv", treasury)
    url = httpserver.url_for("/treasury.csv")
    for args, where in ((["import", path], path), (["fetch", "--url", url], url)):
        result = CliRunner().invoke(cli, ["rates", *args, "--db", db])
        assert result.exit_code == 2
        assert result.stderr == (f"Error: {where}: is a treasury CSV (your own rates), not an ECB file: the local "
                                 f"store keeps the ECB's reference rates; give it to the check itself: nexus check "
                                 f"--rates FILE\n")
    assert store.load_rates(store.connect(db)) is None


def test_rates_status_says_where_the_store_is_how_stale_it_is_and_its_gaps(tmp_path):
    """'nexus rates status' said 'Rates for 2 currencies, newest 2026-01-07.' whatever today was, and nothing of a
    silence in the store (a history imported long ago, the 90-day file fetched later) across which a check
    stops; fetch and import did not say which store they wrote to."""
    db = str(tmp_path / "store.sqlite3")
    old = tmp_path / "old.csv"
    old.write_text("Date,USD,JPY,\n2026-01-07,1.17,183.0,\n2026-01-06,1.16,182.0,\n")
    recent = tmp_path / "recent.csv"
    recent.write_text("Date,USD,\n2026-03-03,1.15,\n2026-03-02,1.14,\n")
    for path in (old, recent):
        out = CliRunner().invoke(cli, ["rates", "import", str(path), "--db", db], catch_exceptions=False)
        assert out.stdout.endswith(f"({path}) in {db}.\n")
    status = CliRunner().invoke(cli, ["rates", "status", "--db", db], catch_exceptions=False).stdout
    text = " ".join(status.split())
    assert text.startswith(f"Store: {db} Rates for")  # the path on the next line where the terminal is too narrow
    days = sum(1 for n in range(1, (date.today() - date(2026, 3, 3)).days + 1)
               if date.fromordinal(date(2026, 3, 3).toordinal() + n).weekday() < 5)
    assert f"Rates for 2 currencies from 2026-01-06, newest 2026-03-03, {days} business days before today" in text
    assert "Stale: a check converts sales after 2026-03-03 at that day's rate for up to 7 days" in text
    assert ("Gaps: no rates between 2026-01-07 and 2026-03-02 (more than 7 days): a check with sales in them "
            "stops") in text
    assert "No longer in the newest rates: JPY (last 2026-01-07)." in text


def test_rates_status_on_a_store_that_is_not_there_says_so_and_makes_none(tmp_path):
    """Before: 'rates status --db' with a mistyped name made an empty store there and reported it empty, as if the
    rates fetched into the real one had gone."""
    typo = tmp_path / "stroe.sqlite3"
    out = CliRunner().invoke(cli, ["rates", "status", "--db", str(typo)])
    assert out.exit_code == 2
    assert out.stderr.strip() == (f"Error: there is no nexus store {typo}: nothing was fetched into it (is the name "
                                  f"right? 'nexus rates fetch --db {typo}' makes it)")
    assert not typo.exists()


def test_rates_status_table_fits_the_screen_and_keeps_the_files_name(tmp_path):
    """Before: the fetches table was 104 columns wide on a 100-column screen (the time to the second with its
    '+00:00' under a 'Fetched (UTC)' heading, the URL kept to 30 columns at least) and cut the URL at its end,
    so a file imported from a long folder read 'file:/tmp/pytest-of-...' without its name."""
    folder = tmp_path / ("a-long-folder-name-for-the-treasury-team-" * 2)
    folder.mkdir()
    rates = folder / "eurofxref-hist.csv"
    rates.write_text("Date,USD,\n2026-03-03,1.15,\n2026-03-02,1.14,\n")
    db = str(tmp_path / "store.sqlite3")
    CliRunner().invoke(cli, ["rates", "import", str(rates), "--db", db], catch_exceptions=False)
    status = CliRunner().invoke(cli, ["rates", "status", "--db", db], catch_exceptions=False).stdout
    lines = status.splitlines()
    assert max(len(line) for line in lines) <= 100
    when, at, source, url, *figures = lines[-1].split()
    assert (len(when), len(at), source) == (10, 5, "ecb")  # 2026-12-06 04:13: the minute, in UTC as headed
    assert url.startswith("...") and url.endswith("-team-/eurofxref-hist.csv")
    assert figures == ["2", "2026-03-02", "2026-03-03"]


def test_rates_status_fits_an_80_column_terminal_with_the_files_name_whole(tmp_path, monkeypatch):
    """Before, at 80 columns: the fetches table was 81 wide and the file read '...urofxref-hist.csv' (the URL kept
    to 20 columns at least, its name cut by a letter). Now the Source column, whose one publisher is the ECB,
    makes room for it: 80 wide, '.../eurofxref-hist.csv' whole."""
    from nexus.cli import reference
    monkeypatch.setattr(reference, "screen_width", lambda: 80)
    folder = tmp_path / "treasury" / "rates"
    folder.mkdir(parents=True)
    rates = folder / "eurofxref-hist.csv"
    rates.write_text("Date,USD,\n2026-03-03,1.15,\n2026-03-02,1.14,\n")
    db = str(tmp_path / "store.sqlite3")
    CliRunner().invoke(cli, ["rates", "import", str(rates), "--db", db], catch_exceptions=False)
    lines = CliRunner().invoke(cli, ["rates", "status", "--db", db], catch_exceptions=False).stdout.splitlines()
    # from the line after the store's: 'Store: PATH' is as long as the path (under xdist, 88 on a line of its own)
    shown = lines[next(i for i, line in enumerate(lines) if line.startswith("Rates for")):]
    assert max(len(line) for line in shown) <= 80
    assert lines[-3].split() == ["Fetched", "(UTC)", "URL", "Rates", "From", "To"]
    when, at, url, *figures = lines[-1].split()
    assert url.startswith("...") and url.endswith("/eurofxref-hist.csv")
    assert figures == ["2", "2026-03-02", "2026-03-03"]


def test_rates_status_of_a_store_without_rates_says_both_ways_to_fill_it(tmp_path, write):
    """A store made by a check ('nexus check --db') holds no rates: status said only "run 'nexus rates fetch'",
    which cannot work on the offline machine nexus is made for; the way that does is 'nexus rates import FILE'."""
    db = str(tmp_path / "store.sqlite3")
    orders = write("o.csv", "date,country,region,amount,currency\n2026-01-02,US,CO,150000,USD\n")
    CliRunner().invoke(cli, ["check", "--sales", orders, "--db", db, "--as-of", "2026-06-30"], catch_exceptions=False)
    out = CliRunner().invoke(cli, ["rates", "status", "--db", db])
    assert out.exit_code == 0
    assert out.stdout.split() == (  # the path on a line of its own where the terminal is too narrow for it
        f"Store: {db} No rates stored: run 'nexus rates fetch' (or, offline, 'nexus rates import FILE' with the "
        "ECB's eurofxref-hist.zip downloaded elsewhere).").split()


def test_the_fallback_warning_dates_the_kept_review_as_the_screen_does(tmp_path, write, dropping_server, monkeypatch):
    """The warning read 'using the list kept from review 1 of 2026-12-07T06:22:07+00:00', a raw timestamp, where the
    screen and the JSON's list_kept_from say 'review 1 of 2026-12-07'. It gives the day, as they do."""
    monkeypatch.setattr(download, "BACKOFF", 0.01)  # the retries are not what is tested here
    db = str(tmp_path / "store.sqlite3")
    CliRunner().invoke(cli, ["currencies", "review", "--provider", write("q3.txt", "USD\n"), "--db", db],
                       catch_exceptions=False)
    result = CliRunner().invoke(cli, ["currencies", "review", "--provider", dropping_server, "--db", db,
                                      "--format", "json"], catch_exceptions=False)
    kept_from = json.loads(result.stdout)["list_kept_from"]
    assert result.stderr.rstrip("\n").endswith(f"; using the list kept from {kept_from}")


def test_the_check_says_where_two_rates_files_both_give_a_days_rate_but_not_the_stores(tmp_path):
    """Before: '--rates treasury.csv --rates eurofxref-hist.csv' converted USD at the treasury's rate on the days both
    gave one, and the other order at the ECB's, without a word: the order of two options decided every USD figure.
    The check now says so, as the journal does; the local store's rates, which come behind the files by design,
    overlap them without a word."""
    treasury = tmp_path / "treasury.csv"
    treasury.write_text("date,currency,per_eur\n2026-10-29,USD,1.2000\n2026-10-30,USD,1.2000\n", encoding="utf-8")
    ecb, db = str(SAMPLES / "eurofxref-hist.csv"), str(tmp_path / "store.sqlite3")
    # A few orders that convert USD (euros and yen to US states, dollars to Germany): what the warning is about
    # are the rates files, not how many orders there are (the sample's 16,000 took 5 s for the five checks).
    orders = tmp_path / "orders.csv"
    orders.write_text("order_id,date,country,region,amount,currency\n1,2026-03-02,US,CA,120.00,EUR\n"
                      "2,2026-10-29,US,NY,15000,JPY\n3,2026-10-30,DE,,80.00,USD\n", encoding="utf-8")
    runner = CliRunner()

    def said(*rates: str) -> list[str]:
        args = ["check", "--sales", str(orders), "--as-of", "2026-10-31", "--db", db, "--format", "json"]
        result = runner.invoke(cli, args + [a for r in rates for a in ("--rates", r)], catch_exceptions=False)
        return [w for w in json.loads(result.stdout)["warnings"] if "both give rates" in w]

    assert said(str(treasury), ecb) == [f"{treasury} and {ecb} both give rates for USD on 2 days (different on 2 "
                                        f"days): {treasury}'s are used, the first given"]
    assert said(ecb, str(treasury)) == [f"{ecb} and {treasury} both give rates for USD on 2 days (different on 2 "
                                        f"days): {ecb}'s are used, the first given"]
    assert said(ecb) == [] and said(ecb, ecb) == []  # the same rates twice: the order decides nothing
    assert runner.invoke(cli, ["rates", "import", ecb, "--db", db], catch_exceptions=False).exit_code == 0
    assert said(str(treasury)) == []  # the store's ECB rates stand behind the treasury's USD: no news


def test_the_check_says_where_two_treasury_files_both_give_a_pair_rate(tmp_path):
    """Two treasury files giving USD/TWD (the second as TWD/USD) for the day a TWD sale is converted: the first
    file's pair converted it and the other's was left unread without a word, where two euro rates are named. The
    check now names both files, the pair and the days, once."""
    sales = tmp_path / "orders.csv"
    sales.write_text("Order ID,Created At,Customer Name,Ship Country,Ship State,SKU,Category,Channel,Type,Tax Exempt,"
                     "Currency,Amount\nT-1,2026-10-30 10:00:00-07:00,A,US,CA,SKU1,goods,direct,sale,no,TWD,3200\n",
                     encoding="utf-8")
    first, second = tmp_path / "treasury-a.csv", tmp_path / "treasury-b.csv"
    first.write_text("date,base,quote,rate\n2026-10-29,USD,TWD,32.10\n2026-10-30,USD,TWD,32.20\n", encoding="utf-8")
    second.write_text("date,base,quote,rate\n2026-10-30,TWD,USD,0.03\n", encoding="utf-8")
    args = ["check", "--sales", str(sales), "--as-of", "2026-10-31", "--db", str(tmp_path / "store.sqlite3"),
            "--format", "json", "--rates", str(first), "--rates", str(second), "--rates",
            str(SAMPLES / "eurofxref-hist.csv")]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert [w for w in json.loads(result.stdout)["warnings"] if "both give rates" in w] == [
        f"{first} and {second} both give rates for USD/TWD on 1 day (different on 1 day): {first}'s are used, the "
        f"first given"]
