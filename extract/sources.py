"""Reading documents: files, folders and URLs, as plain text or HTML.

A document becomes a :class:`SourceDoc`: its body as decoded text (``raw``;
every evidence offset downstream points into it) and what is known about it
(URL, title, publication date). Anything that is not a readable text
document raises :class:`~lgkg.extract.errors.BadInput` with the reason, and
:func:`iter_sources` yields those errors instead of raising, so a batch goes
on. A URL is fetched over http(s) only, from public addresses unless a
:class:`FetchPolicy` allows more, and every redirect is checked the same way
before it is followed.

A text may open with a front-matter block, as the corpus files do::

    ---
    url: https://example.org/news/1
    title: Two councils share a legal team
    published: 2016-04
    ---

An HTML page (by extension, by content type or by its look) is reduced to its
main text with trafilatura; its own metadata (title, date, canonical URL) is
used where it has it. Keyword arguments override both.

>>> text = "---\\ntitle: T\\npublished: 1 April 2016\\n---\\nBody.\\n"
>>> doc = source_from_text(text, name="a.txt")
>>> doc.title, doc.published, doc.raw
('T', '2016-04-01', 'Body.\\n')
"""

from __future__ import annotations

import calendar
import codecs
import http.client
import ipaddress
import json
import os
import re
import socket
import ssl
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.resources import files
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from lgkg.extract.errors import BadInput

TEXT_SUFFIXES = (".txt", ".text", ".md")
HTML_SUFFIXES = (".html", ".htm")
SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES
MAX_REDIRECTS = 5
ACCEPTED_CONTENT_TYPES = (
    "text/html",
    "application/xhtml+xml",
    "text/plain",
    "text/markdown",
    "text/x-markdown",
)
_USER_AGENT = "lgkg/0.1 (document reader; +https://w3id.org/lgkg)"
_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True)
class SourceDoc:
    """One document as read: its body text and what is known about it."""

    name: str  # the path or URL as given, for messages
    raw: str  # the body as decoded: text after the front matter, or an HTML page's main text
    url: str | None = None
    title: str | None = None
    published: str | None = None  # "YYYY", "YYYY-MM" or "YYYY-MM-DD"; None when unknown
    file_name: str | None = None  # basename when read from a file
    warnings: tuple[str, ...] = ()  # what was read but not used, and why (without the name)


# --------------------------------------------------------------------------- dates

_ISO_DATE = re.compile(r"(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?(?:[T ][\d:.+\-Z ]*)?")
_DAY_FIRST_NUMERIC = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")
_ORDINAL = re.compile(r"(\d{1,2})(?:st|nd|rd|th)\b", re.IGNORECASE)
_UNKNOWN_DATES = frozenset({"", "unknown", "none", "null", "n/a", "na", "undated", "-"})


@cache
def _month_numbers() -> dict[str, int]:
    """English month names and abbreviations (the C locale's) to numbers."""
    months: dict[str, int] = {}
    for number in range(1, 13):
        months[calendar.month_name[number].lower()] = number
        months[calendar.month_abbr[number].lower()] = number
    months["sept"] = 9
    return months


def _ymd(year: int, month: int | None = None, day: int | None = None) -> str | None:
    """Format a date at its precision, or None when it is not a real date."""
    try:
        date(year, month or 1, day or 1)
    except ValueError:
        return None
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def _words_date(text: str) -> str | None:
    """ "1 April 2016", "April 1, 2016", "Friday 1st April 2016", "April 2016"."""
    months = _month_numbers()
    words = re.findall(r"[a-z]+|\d+", _ORDINAL.sub(r"\1", text.lower()))
    month = [months[w] for w in words if w in months]
    numbers = [int(w) for w in words if w.isdigit()]
    years = [n for n in numbers if n >= 1000]
    days = [n for n in numbers if n < 1000]
    unknown = [w for w in words if not w.isdigit() and w not in months]
    weekdays = {d.lower() for d in calendar.day_name} | {d.lower() for d in calendar.day_abbr}
    if len(month) != 1 or len(years) != 1 or len(days) > 1:
        return None
    if any(w not in weekdays and w != "of" for w in unknown):
        return None
    return _ymd(years[0], month[0], days[0] if days else None)


def _date_text(value: object) -> str:
    return str(value).strip().strip("\"'").strip()


def states_a_date(value: object) -> bool:
    """Whether ``value`` says anything about a date: None, blanks and "unknown" say nothing.

    >>> [states_a_date(v) for v in (None, " ", "n/a", "Unknown", "2099-13-45", 2016)]
    [False, False, False, False, True, True]
    """
    return value is not None and _date_text(value).lower() not in _UNKNOWN_DATES


def normalise_date(value: object) -> str | None:
    """A publication date as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, or None.

    Numeric dates with the day first (``01/04/2016``) are read the British way.

    >>> [normalise_date(v) for v in ("2016-04-01", "2016-4", "2016", "unknown", "1 April 2016")]
    ['2016-04-01', '2016-04', '2016', None, '2016-04-01']
    >>> [normalise_date(v) for v in ("April 2016", "April 1, 2016", "2016-04-01T09:30Z", "2016-13")]
    ['2016-04', '2016-04-01', '2016-04-01', None]
    """
    if not states_a_date(value):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return _ymd(value) if 1000 <= value <= 9999 else None
    if isinstance(value, date):
        return value.isoformat()[:10]
    text = _date_text(value)
    if m := _ISO_DATE.fullmatch(text):
        year, month, day = (int(g) if g else None for g in m.groups())
        return _ymd(year, month, day) if year else None
    if m := _DAY_FIRST_NUMERIC.fullmatch(text):
        return _ymd(int(m[3]), int(m[2]), int(m[1]))
    return _words_date(text)


# --------------------------------------------------------------------------- decoding


@cache
def _signatures() -> tuple[tuple[bytes, str], ...]:
    data = json.loads(
        (files("lgkg.extract") / "data" / "file_signatures.json").read_text(encoding="utf-8")
    )
    return tuple((bytes.fromhex(s["magic"]), s["name"]) for s in data["signatures"])


@cache
def _sloppy_cp1252() -> dict[int, int]:
    """A translation table from latin-1 decoded text to cp1252, keeping its undefined bytes."""
    table = {}
    for byte in range(0x80, 0xA0):
        try:
            table[byte] = ord(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            continue
    return table


def _binary_kind(data: bytes) -> str | None:
    for magic, name in _signatures():
        if data.startswith(magic):
            return name
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a byte-order mark: NUL bytes at every other position."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2], data[1::2]
    for zeros, encoding in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if zeros.count(0) >= 0.9 * len(zeros):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    return None


def decode_bytes(data: bytes, name: str, charset: str | None = None) -> str:
    """Bytes to text: byte-order mark, the declared charset, UTF-8, then cp1252.

    Raises :class:`BadInput` for binary data and for empty input.

    >>> decode_bytes(b"caf\\xe9 \\xa3100", "a.txt")
    'café £100'
    >>> decode_bytes(b"\\xff\\xfeh\\x00i\\x00", "a.txt")
    'hi'
    """
    if not data.strip():
        raise BadInput(name, "empty document")
    if kind := _binary_kind(data):
        raise BadInput(name, f"binary file ({kind}), not text")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as err:
                raise BadInput(name, f"invalid {encoding} text: {err.reason}") from err
    if b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is None:
            raise BadInput(name, "binary file (contains NUL bytes), not text")
        return text
    if charset:
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common: fall back to what the bytes say
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1").translate(_sloppy_cp1252())


def _check_text(text: str, name: str) -> None:
    """Reject text that is mostly control characters (binary data that decoded)."""
    sample = text[:1_000_000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    controls += sum(1 for ch in sample if 0x7F <= ord(ch) < 0xA0)
    if controls > max(8, 0.02 * len(sample)):
        share = 100 * controls / len(sample)
        raise BadInput(name, f"binary data ({share:.0f}% control characters), not text")


# --------------------------------------------------------------------------- front matter and HTML

_FRONT_OPEN = re.compile(r"\A\ufeff?[ \t]*---[ \t]*\r?\n")
_FRONT_LINE = re.compile(r"[ \t]*([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*?)[ \t]*")
_FRONT_CLOSE = re.compile(r"[ \t]*(?:---|\.\.\.)[ \t]*")
_FRONT_KEYS = {"url": "url", "title": "title", "published": "published", "date": "published"}
_MAX_FRONT_LINES = 100


def parse_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split ``text`` into its front-matter fields and the body after the block.

    Without a well-formed block (``---``, ``key: value`` lines, ``---``) the
    whole text is the body.

    >>> parse_front_matter("---\\nurl: https://x.org/a\\n---\\nHello")
    ({'url': 'https://x.org/a'}, 'Hello')
    >>> parse_front_matter("--- not front matter\\nHello")
    ({}, '--- not front matter\\nHello')
    """
    opening = _FRONT_OPEN.match(text)
    if not opening:
        return {}, text
    fields: dict[str, str] = {}
    pos = opening.end()
    for _ in range(_MAX_FRONT_LINES):
        newline = text.find("\n", pos)
        end = len(text) if newline < 0 else newline + 1
        line = text[pos:end].rstrip("\r\n")
        if _FRONT_CLOSE.fullmatch(line):
            return fields, text[end:]
        if m := _FRONT_LINE.fullmatch(line):
            key = _FRONT_KEYS.get(m[1].lower())
            value = m[2]
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            if key and key not in fields:
                fields[key] = value
        elif line.strip():
            return {}, text
        if newline < 0:
            break
        pos = end
    return {}, text


_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_HTML_START = re.compile(r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|\?xml)", re.I | re.S)


def looks_like_html(text: str) -> bool:
    """True for an HTML page: a doctype or ``<html>`` start, or text that is mostly tags.

    >>> looks_like_html("<!DOCTYPE html><html><body><p>Hi</p></body></html>")
    True
    >>> looks_like_html("Council agrees budget <b>today</b>.")
    False
    """
    if _HTML_START.match(text[:5000]):
        return True
    sample = text[:20000]
    tags = [m.end() - m.start() for m in _TAG.finditer(sample)]
    return len(tags) >= 10 and sum(tags) >= 0.15 * len(sample)


def _block_text(element) -> str:
    """The text of one trafilatura XML block; ``<lb/>`` becomes a line break."""
    parts: list[str] = []

    def walk(node) -> None:
        if node.tag == "lb":
            parts.append("\n")
        elif node.tag == "item":
            parts.append("\n- " if parts else "- ")
        if node.text and node.tag != "lb":
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    return "".join(parts).strip()


def html_main_text(html: str, url: str | None = None) -> str:
    """The main text of an HTML page, one paragraph per block, blank lines between.

    Navigation, footers, scripts, comments and tables are left out. Returns
    "" when no main text is found.
    """
    import trafilatura
    from lxml import etree

    options = {"include_comments": False, "include_tables": False, "output_format": "xml"}
    xml = trafilatura.extract(html, url=url, favor_precision=True, **options)
    if not xml:  # short pages: precision mode can drop everything
        xml = trafilatura.extract(html, url=url, **options)
    if not xml:
        return ""
    root = etree.fromstring(xml.encode("utf-8"))
    main = root.find("main")
    blocks = [_block_text(child) for child in (main if main is not None else root)]
    return "\n\n".join(block for block in blocks if block) + "\n"


def html_metadata(html: str, url: str | None = None) -> dict[str, str]:
    """Title, publication date and canonical URL of an HTML page, where it has them."""
    import trafilatura

    try:
        meta = trafilatura.extract_metadata(html, default_url=url, extensive=False)
    except Exception:  # metadata is optional: a page trafilatura cannot parse has none
        return {}
    found = {"title": meta.title, "published": meta.date, "url": meta.url}
    return {key: value for key, value in found.items() if value}


# --------------------------------------------------------------------------- building SourceDoc


def _pick(*values: str | None) -> str | None:
    for value in values:
        if value is not None and str(value).strip():
            return str(value).strip()
    return None


def _build(
    text: str,
    *,
    name: str,
    html: bool | None,
    url: str | None,
    title: str | None,
    published: str | None,
    file_name: str | None = None,
    fetched_url: str | None = None,
) -> SourceDoc:
    _check_text(text, name)
    fields, body = parse_front_matter(text)
    if html is None:
        html = looks_like_html(body)
    if html:
        meta = html_metadata(body, fetched_url)
        raw = html_main_text(body, fetched_url)
        if not raw.strip():
            raise BadInput(name, "no main text found in the HTML page")
        fields = {**meta, **fields}
    else:
        raw = body
    if not raw.strip():
        raise BadInput(name, "empty document")
    doc_url = _pick(url, fetched_url, fields.get("url"))
    if doc_url is not None and not is_url(doc_url):
        raise BadInput(name, f"url {doc_url!r} is not an http or https URL")
    published_value = published if published is not None else fields.get("published")
    published_date = normalise_date(published_value)
    warnings: tuple[str, ...] = ()
    if published_date is None and states_a_date(published_value):
        warnings = (
            f"published {_date_text(published_value)!r} is not a date"
            " (YYYY, YYYY-MM or YYYY-MM-DD); the publication date is unknown",
        )
    return SourceDoc(
        name=name,
        raw=raw,
        url=doc_url,
        title=_pick(title, fields.get("title")),
        published=published_date,
        file_name=file_name,
        warnings=warnings,
    )


def source_from_text(
    text: str,
    *,
    name: str,
    url: str | None = None,
    title: str | None = None,
    published: str | None = None,
    file_name: str | None = None,
) -> SourceDoc:
    """A :class:`SourceDoc` from a string (HTML is detected by its content).

    >>> source_from_text("Two councils agreed.", name="note").raw
    'Two councils agreed.'
    """
    if not text.strip():
        raise BadInput(name, "empty document")
    return _build(
        text, name=name, html=None, url=url, title=title, published=published, file_name=file_name
    )


# --------------------------------------------------------------------------- files and URLs

_URL = re.compile(r"https?://", re.I)
_OTHER_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*)://", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)


def is_url(path_or_url: str) -> bool:
    """True for an http or https URL."""
    return bool(_URL.match(path_or_url))


def _read_file(path: str, max_bytes: int) -> bytes:
    try:
        size = os.stat(path).st_size
        if os.path.isdir(path):
            raise BadInput(path, "is a folder; pass it to iter_sources")
        if size > max_bytes:
            raise BadInput(path, f"larger than {max_bytes} bytes")
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError as err:
        raise BadInput(path, "no such file") from err
    except PermissionError as err:
        raise BadInput(path, "permission denied") from err
    except OSError as err:
        raise BadInput(path, f"cannot read: {err.strerror or err}") from err
    if len(data) > max_bytes:  # the file grew while we read it
        raise BadInput(path, f"larger than {max_bytes} bytes")
    return data


IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

#: The kinds of address a fetch refuses (``ipaddress`` properties), checked in this order.
_NON_PUBLIC = (
    ("is_unspecified", "an unspecified address"),
    ("is_loopback", "a loopback address"),
    ("is_link_local", "a link-local address"),
    ("is_multicast", "a multicast address"),
    ("is_private", "a private address"),
    ("is_reserved", "a reserved address"),
)
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_REQUEST_HEADERS = {
    "User-Agent": _USER_AGENT,
    "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1",
    "Accept-Encoding": "identity",
    "Connection": "close",
}


def non_public_kind(address: IPAddress) -> str | None:
    """What keeps ``address`` from being fetched ("a loopback address"), or None when public.

    An IPv6 address carrying an IPv4 one (IPv4-mapped ``::ffff:a.b.c.d``,
    6to4 ``2002::/16``) is judged by the IPv4 address. An address of none of
    the named kinds that is not globally reachable either (the shared
    address space 100.64.0.0/10, say) is "a non-global address".

    >>> [non_public_kind(ipaddress.ip_address(a)) for a in ("169.254.169.254", "::ffff:10.0.0.1")]
    ['a link-local address', 'a private address']
    >>> non_public_kind(ipaddress.ip_address("93.184.216.34")) is None
    True
    """
    if isinstance(address, ipaddress.IPv6Address):
        address = address.ipv4_mapped or address.sixtofour or address
    for prop, kind in _NON_PUBLIC:
        if getattr(address, prop):
            return kind
    return None if address.is_global else "a non-global address"


@dataclass(frozen=True)
class FetchPolicy:
    """Where fetching a URL may connect: public addresses only, unless allowed.

    Only http and https are ever fetched, on every hop. ``allow_private``
    also lets a fetch reach private, loopback, link-local, multicast,
    reserved and unspecified addresses (an intranet server: ``lgkg ingest
    --allow-private``). ``trusted`` names ``(host, port)`` pairs (the host
    as the URL spells it, lower case) fetched whatever their addresses, so
    one known server can be reached without opening every private address.
    """

    allow_private: bool = False
    trusted: frozenset[tuple[str, int]] = frozenset()

    def refusal(self, host: str, port: int, addresses: Iterable[IPAddress]) -> str | None:
        """Why ``host`` (at ``port``, resolving to ``addresses``) is not fetched, or None.

        Every address counts: a host with one private address among public
        ones is refused.

        >>> FetchPolicy().refusal("127.0.0.1", 80, [ipaddress.ip_address("127.0.0.1")])
        '127.0.0.1 is a loopback address; pass --allow-private to fetch it'
        >>> FetchPolicy(allow_private=True).refusal("h", 80, [ipaddress.ip_address("10.0.0.1")])
        """
        if self.allow_private or (host, port) in self.trusted:
            return None
        for address in addresses:
            if kind := non_public_kind(address):
                try:
                    literal = ipaddress.ip_address(host) == address
                except ValueError:
                    literal = False
                said = f"{host} is" if literal else f"{host} resolves to {address},"
                return f"{said} {kind}; pass --allow-private to fetch it"
        return None


#: The policy of a plain fetch: public addresses only.
PUBLIC_ONLY = FetchPolicy()


class _Refused(Exception):
    """A URL the fetch policy refuses, before any connection; the message says why."""


class _CheckedConnection(http.client.HTTPConnection):
    """HTTP, or HTTPS with ``tls``, to addresses already checked; the host is never resolved again.

    The Host header, the TLS server name (SNI) and the certificate check
    name the URL's host, while the socket connects to one of ``addresses``.
    """

    def __init__(
        self,
        host: str,
        port: int,
        addresses: list[IPAddress],
        tls: ssl.SSLContext | None,
        timeout: float,
    ) -> None:
        super().__init__(host, port, timeout=timeout)
        self.default_port = 443 if tls else 80  # the Host header leaves out a default port
        self._addresses = addresses
        self._tls = tls

    def connect(self) -> None:
        """Connect to the first of the checked addresses that answers."""
        error: OSError = OSError(f"no address for {self.host}")
        for address in self._addresses:
            try:
                sock = socket.create_connection((str(address), self.port), self.timeout)
            except OSError as err:
                error = err
                continue
            if self._tls is None:
                self.sock = sock
                return
            try:
                self.sock = self._tls.wrap_socket(sock, server_hostname=self.host)
            except BaseException:
                sock.close()
                raise
            return
        raise error


def _resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to (a literal address is itself)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as err:
        raise OSError(f"cannot resolve {host}: {err.strerror}") from err
    return list(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in infos))


@contextmanager
def _get(url: str, policy: FetchPolicy, timeout: float) -> Iterator[http.client.HTTPResponse]:
    """GET one URL, without following redirects, once ``policy`` let it through.

    Raises :class:`_Refused` before any connection for a scheme other than
    http(s) or a host whose addresses ``policy`` refuses.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise _Refused("only http and https are fetched")
    host = parts.hostname
    if not host:
        raise ValueError(f"no host in {url}")
    port = parts.port or (443 if scheme == "https" else 80)
    addresses = _resolve(host, port)
    if reason := policy.refusal(host, port, addresses):
        raise _Refused(reason)
    tls = ssl.create_default_context() if scheme == "https" else None
    connection = _CheckedConnection(host, port, addresses, tls, timeout)
    try:
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection.request("GET", target, headers=_REQUEST_HEADERS)
        yield connection.getresponse()
    finally:
        connection.close()


def _read_body(
    url: str, response: http.client.HTTPResponse, timeout: float, deadline: float, max_bytes: int
) -> tuple[bytes, str, str | None]:
    """The body of a 2xx response, its content type and declared charset."""
    content_type = response.headers.get_content_type()
    if content_type not in ACCEPTED_CONTENT_TYPES:
        raise BadInput(url, f"unsupported content type {content_type}, not text or HTML")
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise BadInput(url, f"larger than {max_bytes} bytes")
    chunks: list[bytes] = []
    total = 0
    while chunk := response.read(65536):
        chunks.append(chunk)
        total += len(chunk)
        if total > max_bytes:
            raise BadInput(url, f"larger than {max_bytes} bytes")
        if time.monotonic() > deadline:
            raise BadInput(url, f"timed out after {timeout:g} s")
    return b"".join(chunks), content_type, response.headers.get_content_charset()


def _fetch(
    url: str, timeout: float, max_bytes: int, policy: FetchPolicy = PUBLIC_ONLY
) -> tuple[bytes, str, str | None]:
    """GET ``url``, following up to :data:`MAX_REDIRECTS` redirects: body, content type, charset.

    Every hop (the URL, then each redirect's target) is checked before any
    connection is made to it: http or https only, and every address its host
    resolves to must pass ``policy``. The host is resolved once per hop and
    the socket connects to an address that was checked (the Host header and
    TLS name the host), so a DNS answer that changes between the check and
    the connection (DNS rebinding) cannot send it elsewhere. Proxy settings
    (``http_proxy``) are not used: a proxy would resolve the host itself.
    ``timeout`` bounds the whole fetch, redirects included.
    """
    deadline = time.monotonic() + timeout
    hop = url
    try:
        for redirects in range(MAX_REDIRECTS + 1):
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            try:
                with _get(hop, policy, left) as response:
                    location = response.getheader("Location")
                    if response.status in _REDIRECT_STATUSES and location:
                        hop = urljoin(hop, location.strip())
                        continue
                    if not 200 <= response.status < 300:
                        raise BadInput(url, f"HTTP error {response.status} {response.reason}")
                    return _read_body(url, response, timeout, deadline, max_bytes)
            except _Refused as err:  # raised before any connection to ``hop``
                where = "" if redirects == 0 else f"redirect to {hop} "
                raise BadInput(url, f"{where}refused: {err}") from None
        raise BadInput(url, f"too many redirects (more than {MAX_REDIRECTS}) or a redirect loop")
    except TimeoutError as err:
        raise BadInput(url, f"timed out after {timeout:g} s") from err
    except (OSError, ValueError, http.client.HTTPException) as err:
        # connection refused or reset, bad status line, malformed URL, bad certificate
        raise BadInput(url, f"cannot fetch: {str(err) or type(err).__name__}") from err


def read_source(
    path_or_url: str,
    *,
    url: str | None = None,
    title: str | None = None,
    published: str | None = None,
    timeout: float = 20.0,
    max_bytes: int = 20_000_000,
    policy: FetchPolicy = PUBLIC_ONLY,
) -> SourceDoc:
    """Read one document from a file or an http(s) URL.

    ``url``, ``title`` and ``published`` override what the document says
    (front matter or HTML metadata). A fetched document's URL is the one
    given (not the page's canonical URL), so re-reading it names it the same.
    A URL, and each redirect, is fetched only as ``policy`` allows (http(s),
    public addresses; see :func:`_fetch`). Raises :class:`BadInput` with the
    reason when the document cannot be read, or when its URL (front matter
    or ``url``) is not http(s). A ``published`` value that is no date is
    dropped with a warning in :attr:`SourceDoc.warnings`.
    """
    name = str(path_or_url)
    if is_url(name):
        data, content_type, charset = _fetch(name, timeout, max_bytes, policy)
        html = content_type in ("text/html", "application/xhtml+xml")
        if html and not charset and (m := _META_CHARSET.search(data[:4096])):
            charset = m[1].decode("ascii")
        text = decode_bytes(data, name, charset)
        return _build(
            text,
            name=name,
            html=html or None,
            url=url,
            title=title,
            published=published,
            fetched_url=name,
        )
    if m := _OTHER_SCHEME.match(name):
        raise BadInput(name, f"unsupported URL scheme {m[1]!r}; use http or https")
    data = _read_file(name, max_bytes)
    suffix = Path(name).suffix.lower()
    charset = None
    if suffix in HTML_SUFFIXES and (m := _META_CHARSET.search(data[:4096])):
        charset = m[1].decode("ascii")
    text = decode_bytes(data, name, charset)
    return _build(
        text,
        name=name,
        html=True if suffix in HTML_SUFFIXES else None,
        url=url,
        title=title,
        published=published,
        file_name=Path(name).name,
    )


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def expand_paths(paths: Iterable[str]) -> Iterator[str]:
    """Folders become their documents (sorted, recursive, hidden files skipped); others pass."""
    for item in paths:
        item = str(item)
        root = Path(item)
        if is_url(item) or not root.is_dir():
            yield item
            continue
        found = (
            p
            for p in root.rglob("*")
            if p.is_file() and p.suffix.lower() in SUFFIXES and not _hidden(p, root)
        )
        for path in sorted(found):
            yield str(path)


def iter_sources(paths: Iterable[str], **kw) -> Iterator[SourceDoc | BadInput]:
    """Read many documents; a failed one is yielded as its :class:`BadInput`.

    Folders are expanded to their ``*.txt``, ``*.text``, ``*.md``, ``*.html``
    and ``*.htm`` files; ``kw`` goes to :func:`read_source`.
    """
    return read_documents(expand_paths(paths), **kw)


def read_documents(
    items: Iterable[str | SourceDoc | BadInput], **kw
) -> Iterator[SourceDoc | BadInput]:
    """Read documents already listed (files and URLs, no folders), as :func:`iter_sources`
    does; a :class:`SourceDoc` (a text given as such) or a :class:`BadInput` (one that could
    not be made) passes through as it is."""
    for item in items:
        if isinstance(item, SourceDoc | BadInput):
            yield item
            continue
        try:
            yield read_source(item, **kw)
        except BadInput as err:
            yield err
