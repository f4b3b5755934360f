"""Fetching files over HTTP(S), the careful way.

Every fetch nexus makes (rates, provider currency lists) goes through
:func:`get`: http and https only, TLS verified, a connect and a read timeout,
bounded retries with exponential backoff on connection errors, 429 and 5xx
(honouring ``Retry-After``), a cap on the response size, an overall deadline,
and one-line errors.

The read timeout counts silence only: a server (or a proxy) that sends one
byte every few hundred milliseconds never trips it. The deadline bounds the
whole download, retries included, whatever the pace. A ``200`` answer whose
body is a web page (a hotel's or airport's captive portal, a proxy's login or
error page) is a failed fetch too, not a file to read. Both raise
:class:`~nexus.errors.FetchError`, so callers fall back to the copy kept in
the store as for any other network failure.
"""
from __future__ import annotations

import re
import threading
from typing import TYPE_CHECKING, Any

from nexus import __version__
from nexus.errors import FetchError

if TYPE_CHECKING:
    import requests

TIMEOUT = (5.0, 30.0)  # seconds to connect; seconds of silence while reading
RETRIES = 3
BACKOFF = 0.5  # seconds; doubles with each retry
MAX_BYTES = 200 * 2**20  # the full ECB history zip is under 1 MiB; 200 MiB means something is wrong
#: Seconds a whole download may take, retries included (the full ECB history takes about one).
DEADLINE = 120.0
_CHUNK = 64 * 1024
# A page's own tags, not only its <!DOCTYPE html> or <html>: proxies and load balancers answer with bare fragments
# ('<head><title>503 Service Unavailable</title></head><body>...'). Neither ECB XML, CSV nor a currency list has these.
_HTML = re.compile(rb"<(!doctype\s+html|(html|head|body|title|h1)[\s>/])", re.IGNORECASE)


def session(retries: int = RETRIES, backoff: float = BACKOFF) -> requests.Session:
    """A requests session that retries connection errors, 429 and 5xx with backoff."""
    import requests  # here, not at the top: most commands fetch nothing, and requests takes 40 ms to load
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry

    retry = Retry(total=retries, connect=retries, read=retries, status=retries, backoff_factor=backoff,
                  status_forcelist=(429, 500, 502, 503, 504), allowed_methods=frozenset({"GET"}),
                  respect_retry_after_header=True, raise_on_status=False)
    s = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    s.mount("http://", adapter)
    s.mount("https://", adapter)
    s.headers["User-Agent"] = f"nexus/{__version__} (tax-nexus advisor)"
    return s


def get(url: str, timeout: tuple[float, float] = TIMEOUT, retries: int = RETRIES,
        backoff: float | None = None, max_bytes: int = MAX_BYTES, deadline: float | None = None) -> bytes:
    """The body of ``url``, or a ``FetchError`` saying in one line why not.

    ``deadline`` (default :data:`DEADLINE`) bounds the whole download: the fetch runs in a worker thread
    and is abandoned, its connection closed, when the time is up.
    """
    if not url.startswith(("https://", "http://")):
        raise FetchError(f"refusing to fetch {url!r}: only http:// and https:// addresses are fetched")
    limit = DEADLINE if deadline is None else deadline  # the module's values when called, not when defined
    pause = BACKOFF if backoff is None else backoff
    outcome: dict[str, Any] = {}
    opened: list[Any] = []  # the response being read, for the deadline to close
    finished = threading.Event()

    def work() -> None:
        try:
            outcome["body"] = _fetch(url, timeout, retries, pause, max_bytes, opened)
        except BaseException as exc:  # handed to the caller's thread, raised there
            outcome["error"] = exc
        finally:
            finished.set()

    # A daemon thread: one stuck on a silent socket past the deadline must not keep nexus from exiting.
    threading.Thread(target=work, name="nexus-download", daemon=True).start()
    if not finished.wait(limit):
        for response in opened:
            _hang_up(response)
        raise FetchError(f"could not fetch {url}: not complete within {limit:g} s (the server sends too slowly, "
                         f"or keeps failing)")
    if "error" in outcome:
        raise outcome["error"]
    body: bytes = outcome["body"]
    if not body.strip():  # a proxy or a server restarting answers 200 with nothing: no file, not an empty list
        raise FetchError(f"could not fetch {url}: the server answered with nothing (an empty answer), not the file")
    if _HTML.search(body[:1024]):
        raise FetchError(f"could not fetch {url}: the server answered with a web page (HTML), not the file; "
                         f"a network sign-in page (captive portal) or a proxy's page?")
    return body


def _hang_up(response: Any) -> None:
    """End a download another thread is reading: shut its socket down, which wakes that thread's read.

    (Closing the response here instead would wait for that read to finish: they share a lock.)
    """
    import socket

    sock = getattr(getattr(getattr(response, "raw", None), "connection", None), "sock", None)
    try:
        if sock is not None:
            sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed


def _fetch(url: str, timeout: tuple[float, float], retries: int, backoff: float, max_bytes: int,
           opened: list[Any]) -> bytes:
    import requests  # here, not at the top: most commands fetch nothing, and requests takes 40 ms to load

    try:
        with session(retries, backoff) as s:
            response = s.get(url, timeout=timeout, stream=True, allow_redirects=True)
            opened.append(response)
            try:
                if not response.url.startswith(("https://", "http://")):
                    raise FetchError(f"could not fetch {url}: redirected to a non-http address")
                if response.status_code != 200:
                    raise FetchError(f"could not fetch {url}: HTTP {response.status_code} "
                                     f"{response.reason or ''}".rstrip())
                body = bytearray()
                for chunk in response.iter_content(_CHUNK):
                    body += chunk
                    if len(body) > max_bytes:
                        raise FetchError(f"could not fetch {url}: response larger than {max_bytes // 2**20} MiB")
                return bytes(body)
            finally:
                response.close()
    except requests.exceptions.ConnectTimeout:
        raise FetchError(f"could not fetch {url}: no connection within {timeout[0]:g} s") from None
    except (requests.exceptions.ReadTimeout, requests.exceptions.ConnectionError) as exc:
        if "timed out" in str(exc).lower() or isinstance(exc, requests.exceptions.ReadTimeout):
            raise FetchError(f"could not fetch {url}: no answer within {timeout[1]:g} s "
                             f"(after {retries} retries)") from None
        raise FetchError(f"could not fetch {url}: connection failed after {retries} retries") from None
    except requests.exceptions.RetryError:
        raise FetchError(f"could not fetch {url}: server kept failing after {retries} retries") from None
    except requests.RequestException as exc:
        raise FetchError(f"could not fetch {url}: {_reason(exc)}") from None


def _reason(exc: Exception) -> str:
    """What went wrong, in words: a class name ('ChunkedEncodingError', 'InvalidSchema') tells a finance team
    nothing about whether to try again, ask IT, or download the file by hand."""
    import requests

    found = requests.exceptions
    if isinstance(exc, found.ChunkedEncodingError):
        return "the connection was cut before the whole file arrived"
    if isinstance(exc, found.ContentDecodingError):
        return "the server said the file was compressed (Content-Encoding), but it cannot be decompressed"
    if isinstance(exc, found.TooManyRedirects):
        return "the address redirects in a loop (too many redirects)"
    if isinstance(exc, (found.InvalidSchema, found.MissingSchema)):  # the address asked for was http(s)
        return "redirected to an address that is not http:// or https://"
    if isinstance(exc, found.InvalidURL):
        return "the address is not a valid web address (no host name, or a bad character)"
    return f"the request failed ({exc.__class__.__name__})"
