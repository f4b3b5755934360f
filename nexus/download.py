"""Fetching files over HTTP(S), the careful way.

Every fetch nexus makes (rates, provider currency lists) goes through
:func:`get`: http and https only, TLS verified, a connect and a read timeout,
bounded retries with exponential backoff on connection errors, 429 and 5xx
(honouring ``Retry-After``), a cap on the response size, and one-line errors.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from nexus import __version__
from nexus.errors import FetchError

if TYPE_CHECKING:
    import requests

TIMEOUT = (5.0, 30.0)  # seconds to connect; seconds of silence while reading
RETRIES = 3
BACKOFF = 0.5  # seconds; doubles with each retry
MAX_BYTES = 200 * 2**20  # the full ECB history zip is under 1 MiB; 200 MiB means something is wrong
_CHUNK = 64 * 1024


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
        backoff: float = BACKOFF, max_bytes: int = MAX_BYTES) -> bytes:
    """The body of ``url``, or a ``FetchError`` saying in one line why not."""
    import requests

    if not url.startswith(("https://", "http://")):
        raise FetchError(f"refusing to fetch {url!r}: only http:// and https:// addresses are fetched")
    try:
        with session(retries, backoff) as s:
            response = s.get(url, timeout=timeout, stream=True, allow_redirects=True)
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
        raise FetchError(f"could not fetch {url}: {exc.__class__.__name__}") from None
