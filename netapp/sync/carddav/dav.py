"""The CardDAV protocol (RFC 6352 on WebDAV, RFC 4918), as servers expect a client to speak it.

One :class:`DavClient` per sync: discovery (RFC 6764: ``/.well-known/carddav`` → principal →
address-book home), listing and creating address books, ``sync-collection`` deltas (RFC 6578)
with paging where the server truncates (``507``), a full ``PROPFIND`` listing when it cannot
give a delta, ``addressbook-multiget`` in batches, and conditional writes: ``If-None-Match: *``
on every create and ``If-Match`` on every update and delete.

Every failure is a :class:`DavError` with one line for the user: a wrong password, a
certificate that cannot be trusted and an unreachable server each have their own class so the
app can say what to do about it. Answers are read with a size cap; XML with a DTD is refused.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote, urljoin, urlsplit
from xml.etree import ElementTree as ET

from netapp.errors import NetappError

DAV = "DAV:"
CARD = "urn:ietf:params:xml:ns:carddav"
CS = "http://calendarserver.org/ns/"
ET.register_namespace("D", DAV)
ET.register_namespace("C", CARD)
ET.register_namespace("CS", CS)

MAX_ANSWER = 64 * 1024 * 1024  # bytes read from one answer at most
MULTIGET_BATCH = 100  # cards asked for in one addressbook-multiget
TIMEOUT = 30.0  # seconds to connect, and between two reads of an answer
USER_AGENT = "netapp-carddav"


class DavError(NetappError):
    """A CardDAV request failed. ``status`` is the HTTP status when there was an answer."""

    def __init__(self, message: str, status: int = 0) -> None:
        self.status = status
        super().__init__(message)


class AuthFailed(DavError):
    """The server refused the user name or password (401)."""


class CertificateProblem(DavError):
    """The server's TLS certificate cannot be trusted."""


class Unreachable(DavError):
    """No connection, no answer in time, or the connection broke off."""


class PreconditionFailed(DavError):
    """412: the card changed on the server (If-Match) or already exists (If-None-Match)."""


class InvalidSyncToken(DavError):
    """The server no longer accepts the stored sync token (or does not do sync-collection)."""


@dataclass(frozen=True)
class AddressBook:
    url: str
    name: str  # displayname, or the last path segment
    sync: bool  # the server offers sync-collection on it


@dataclass
class Delta:
    """What changed in an address book since a sync token."""

    changed: dict[str, str] = field(default_factory=dict)  # href -> etag
    deleted: set[str] = field(default_factory=set)
    token: str = ""


@dataclass(frozen=True)
class Card:
    href: str
    etag: str
    data: bytes
    modified: str = ""  # getlastmodified (an HTTP date), "" when the server did not say


@dataclass
class _Response:
    href: str
    status: int  # the response's own status, or the first propstat's
    props: dict[str, ET.Element] = field(default_factory=dict)  # from 2xx propstats


def _tag(ns: str, name: str) -> str:
    return f"{{{ns}}}{name}"


def _propfind(*props: tuple[str, str]) -> bytes:
    root = ET.Element(_tag(DAV, "propfind"))
    prop = ET.SubElement(root, _tag(DAV, "prop"))
    for ns, name in props:
        ET.SubElement(prop, _tag(ns, name))
    return _xml(root)


def _xml(root: ET.Element) -> bytes:
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root)


def _status_code(text: str | None) -> int:
    """``HTTP/1.1 404 Not Found`` -> 404 (0 when unreadable)."""
    parts = (text or "").split()
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0


def parse_multistatus(data: bytes, what: str) -> tuple[list[_Response], str]:
    """The responses of a 207 multistatus and its sync-token ("" when none)."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise DavError(f"the server's answer to {what} declares a DTD; refused")
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        raise DavError(f"the server's answer to {what} is not valid XML") from None
    out: list[_Response] = []
    for node in root.iter(_tag(DAV, "response")):
        href = (node.findtext(_tag(DAV, "href")) or "").strip()
        response = _Response(href, _status_code(node.findtext(_tag(DAV, "status"))))
        for propstat in node.findall(_tag(DAV, "propstat")):
            code = _status_code(propstat.findtext(_tag(DAV, "status")))
            response.status = response.status or code
            if 200 <= code < 300:
                for prop in propstat.findall(_tag(DAV, "prop")):
                    response.props.update((child.tag, child) for child in prop)
        out.append(response)
    token = root.findtext(_tag(DAV, "sync-token")) or ""
    return out, token.strip()


def _has(props: dict[str, ET.Element], key: str, child: str) -> bool:
    node = props.get(key)
    return node is not None and node.find(child) is not None


def _href_in(props: dict[str, ET.Element], key: str) -> str:
    node = props.get(key)
    if node is None:
        return ""
    return (node.findtext(_tag(DAV, "href")) or "").strip()


def _is_loopback(host: str) -> bool:
    return host in ("localhost", "::1") or host.startswith("127.")


def check_url(url: str, allow_http: bool = False) -> str:
    """The server URL, checked: https (or http to this machine, or when allowed), with a host."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DavError(f"{url!r} is not a server address such as https://dav.example.org/")
    if parts.scheme == "http" and not allow_http and not _is_loopback(parts.hostname):
        raise DavError(
            f"{url} is not encrypted (http): the password would cross the network in clear; "
            "use https:// (or allow http for a server on your own network)"
        )
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return parts._replace(path=path, query="", fragment="").geturl()


def _ssl_context(ca_file: str = "") -> ssl.SSLContext:
    """The system's trusted certificates and certifi's, plus ``ca_file`` when given."""
    import certifi

    context = ssl.create_default_context()
    context.load_verify_locations(certifi.where())
    if ca_file:
        try:
            context.load_verify_locations(ca_file)
        except (OSError, ssl.SSLError) as exc:
            raise CertificateProblem(
                f"{ca_file}: not a readable certificate file ({exc})"
            ) from None
    return context


def _cert_reason(exc: BaseException) -> str | None:
    """The certificate problem behind a failed connection, or None when it is another one."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return seen.verify_message or "the certificate is not trusted"
        if isinstance(seen, ssl.SSLError):
            return seen.reason or "the TLS handshake failed"
        seen = seen.__cause__ or seen.__context__
    return None


class DavClient:
    """A CardDAV conversation with one server, as one user."""

    def __init__(
        self,
        url: str,
        user: str,
        password: str,
        *,
        ca_file: str = "",
        allow_http: bool = False,
        transport: Any = None,
    ) -> None:
        import httpx

        self.url = check_url(url, allow_http)
        self.user = user
        self._httpx = httpx
        parts = urlsplit(self.url)
        self._where = (parts.hostname or "") + (f":{parts.port}" if parts.port else "")
        self._client = httpx.Client(
            auth=httpx.BasicAuth(user, password),
            timeout=TIMEOUT,
            verify=_ssl_context(ca_file) if parts.scheme == "https" else True,
            follow_redirects=True,
            max_redirects=5,
            headers={"User-Agent": USER_AGENT},
            transport=transport,
        )
        self._password = password
        self.requests = 0  # requests sent (for the summary and the benchmarks)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> DavClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- requests -----------------------------------------------------------------------------

    def request(
        self,
        method: str,
        url: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        ok: Iterable[int] = (200, 201, 204, 207),
    ) -> tuple[int, dict[str, str], bytes]:
        """Send one request; (status, headers, body) when the status is in ``ok``."""
        status, head, data = self._send(method, url, body, headers or {})
        if status == 401 and "digest" in head.get("www-authenticate", "").lower():
            self._client.auth = self._httpx.DigestAuth(self.user, self._password)
            status, head, data = self._send(method, url, body, headers or {})
        if status in ok:
            return status, head, data
        raise self._error(method, url, status, data)

    def _send(
        self, method: str, url: str, body: bytes | None, headers: dict[str, str]
    ) -> tuple[int, dict[str, str], bytes]:
        httpx = self._httpx
        if body is not None:
            headers = {"Content-Type": 'application/xml; charset="utf-8"', **headers}
        self.requests += 1
        try:
            with self._client.stream(method, url, content=body, headers=headers) as answer:
                data = bytearray()
                for chunk in answer.iter_bytes():
                    data += chunk
                    if len(data) > MAX_ANSWER:
                        raise DavError(
                            f"the server's answer to {method} {self._path(url)} is over "
                            f"{MAX_ANSWER // 2**20} MB; refused"
                        )
                return answer.status_code, dict(answer.headers), bytes(data)
        except httpx.TooManyRedirects:
            raise DavError(f"{self._where} redirects {self._path(url)} in a loop") from None
        except httpx.TimeoutException:
            raise Unreachable(f"{self._where} did not answer within {TIMEOUT:g} s") from None
        except httpx.TransportError as exc:
            raise self._transport_error(exc) from None

    def _transport_error(self, exc: Exception) -> DavError:
        reason = _cert_reason(exc)
        if reason is not None:
            return CertificateProblem(
                f"the certificate of {self._where} cannot be trusted: {reason} "
                "(if the server uses its own certificate authority, give its file)"
            )
        if isinstance(exc, self._httpx.ConnectError):
            return Unreachable(f"cannot reach {self._where}: {_short(exc)}")
        return Unreachable(f"the connection to {self._where} broke off: {_short(exc)}")

    def _error(self, method: str, url: str, status: int, data: bytes) -> DavError:
        path = self._path(url)
        if status == 401:
            return AuthFailed(
                f"{self._where} refused the password for user {self.user!r} "
                "(check the user name and password)",
                status,
            )
        if status == 412:
            return PreconditionFailed(f"{path} changed on the server meanwhile", status)
        if b"valid-sync-token" in data and status in (400, 403, 409):
            return InvalidSyncToken(f"{self._where} no longer accepts the sync token", status)
        reason = self._httpx.codes.get_reason_phrase(status) or "error"
        return DavError(f"{self._where} answered {status} {reason} to {method} {path}", status)

    def _path(self, url: str) -> str:
        return unquote(urlsplit(urljoin(self.url, url)).path)

    def absolute(self, href: str, base: str | None = None) -> str:
        """A server href (absolute path or URL, percent-encoded) as a full URL."""
        return urljoin(base or self.url, href)

    # -- discovery ----------------------------------------------------------------------------

    def discover(self) -> tuple[str, list[AddressBook]]:
        """(address-book home URL, the address books in it); the URL may be an address book."""
        props = self._props(self.url, (DAV, "resourcetype"), (DAV, "current-user-principal"))
        if props is not None and _has(props, _tag(DAV, "resourcetype"), _tag(CARD, "addressbook")):
            book = self.address_book(self.url)
            return urljoin(self.url, ".."), [book]
        principal = _href_in(props or {}, _tag(DAV, "current-user-principal"))
        if not principal:
            well_known = urljoin(self.url, "/.well-known/carddav")
            props = self._props(well_known, (DAV, "current-user-principal"))
            principal = _href_in(props or {}, _tag(DAV, "current-user-principal"))
        if not principal:
            raise DavError(f"{self.url} does not say where user {self.user!r}'s address books are")
        principal = self.absolute(principal)
        home = _href_in(
            self._props(principal, (CARD, "addressbook-home-set")) or {},
            _tag(CARD, "addressbook-home-set"),
        )
        if not home:
            raise DavError(f"{self.url} is not a CardDAV server (no address-book home)")
        home = self.absolute(home, principal)
        return home, self.address_books(home)

    def _props(self, url: str, *props: tuple[str, str]) -> dict[str, ET.Element] | None:
        """The properties of ``url`` (PROPFIND depth 0), or None when it has none (404, 405)."""
        status, _, data = self.request(
            "PROPFIND", url, _propfind(*props), {"Depth": "0"}, ok=(207, 404, 405, 501)
        )
        if status != 207:
            return None
        responses, _ = parse_multistatus(data, "PROPFIND")
        merged: dict[str, ET.Element] = {}
        for response in responses:
            merged.update(response.props)
        return merged

    _BOOK_PROPS = ((DAV, "resourcetype"), (DAV, "displayname"), (DAV, "supported-report-set"))

    def address_books(self, home: str) -> list[AddressBook]:
        """The address books directly in ``home``."""
        _, _, data = self.request("PROPFIND", home, _propfind(*self._BOOK_PROPS), {"Depth": "1"})
        books = []
        for response in parse_multistatus(data, "PROPFIND")[0]:
            if _has(response.props, _tag(DAV, "resourcetype"), _tag(CARD, "addressbook")):
                books.append(self._book(self.absolute(response.href, home), response.props))
        return sorted(books, key=lambda b: (b.name.casefold(), b.url))

    def address_book(self, url: str) -> AddressBook:
        props = self._props(url, *self._BOOK_PROPS)
        if props is None or not _has(props, _tag(DAV, "resourcetype"), _tag(CARD, "addressbook")):
            raise DavError(f"{self._path(url)} is not an address book on {self._where}", 404)
        return self._book(url, props)

    @staticmethod
    def _book(url: str, props: dict[str, ET.Element]) -> AddressBook:
        name_node = props.get(_tag(DAV, "displayname"))
        name = (name_node.text or "").strip() if name_node is not None else ""
        reports = props.get(_tag(DAV, "supported-report-set"))
        sync = (
            reports is not None and reports.find(f".//{_tag(DAV, 'sync-collection')}") is not None
        )
        return AddressBook(url, name or unquote(url.rstrip("/").rsplit("/", 1)[-1]), sync)

    def create_address_book(self, home: str, name: str) -> AddressBook:
        """A new address book in ``home`` (extended MKCOL, RFC 5689) named ``name``."""
        slug = "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-") or "netapp"
        url = urljoin(home, quote(slug) + "/")
        root = ET.Element(_tag(DAV, "mkcol"))
        prop = ET.SubElement(ET.SubElement(root, _tag(DAV, "set")), _tag(DAV, "prop"))
        kind = ET.SubElement(prop, _tag(DAV, "resourcetype"))
        ET.SubElement(kind, _tag(DAV, "collection"))
        ET.SubElement(kind, _tag(CARD, "addressbook"))
        ET.SubElement(prop, _tag(DAV, "displayname")).text = name
        status, _, _ = self.request("MKCOL", url, _xml(root), ok=(201, 405))
        if status == 405:
            raise DavError(f"an address book or folder {slug!r} already exists on {self._where}")
        return self.address_book(url)

    # -- reading cards ------------------------------------------------------------------------

    def sync_collection(self, book: str, token: str, limit: int = 0) -> Delta:
        """Every change since ``token`` ("" = the whole address book), following truncation
        (``507``) until the server has said everything. InvalidSyncToken when the server
        refuses the token."""
        delta = Delta(token=token)
        for _ in range(10_000):  # a server that truncates forever is stopped, not followed
            responses, new_token, truncated = self._sync_page(book, delta.token, limit)
            for response in responses:
                key = self.key(book, response.href)
                if response.status == 404:
                    delta.deleted.add(key)
                    delta.changed.pop(key, None)
                elif _tag(DAV, "getetag") in response.props and key != self.key(book, book):
                    delta.changed[key] = _text(response.props[_tag(DAV, "getetag")])
                    delta.deleted.discard(key)
            if not new_token:
                raise InvalidSyncToken(f"{self._where} sent no sync token")
            if not truncated or new_token == delta.token:
                delta.token = new_token
                return delta
            delta.token = new_token
        raise DavError(f"{self._where} kept truncating its list of changes")

    def _sync_page(self, book: str, token: str, limit: int) -> tuple[list[_Response], str, bool]:
        root = ET.Element(_tag(DAV, "sync-collection"))
        ET.SubElement(root, _tag(DAV, "sync-token")).text = token or None
        ET.SubElement(root, _tag(DAV, "sync-level")).text = "1"
        if limit:
            nresults = ET.SubElement(ET.SubElement(root, _tag(DAV, "limit")), _tag(DAV, "nresults"))
            nresults.text = str(limit)
        ET.SubElement(ET.SubElement(root, _tag(DAV, "prop")), _tag(DAV, "getetag"))
        status, _, data = self.request(
            "REPORT", book, _xml(root), {"Depth": "0"}, ok=(207, 501, 405, 415)
        )
        if status != 207:
            raise InvalidSyncToken(f"{self._where} does not list changes (sync-collection)", status)
        responses, new_token = parse_multistatus(data, "REPORT sync-collection")
        own = self.key(book, book)
        truncated = any(r.status == 507 and self.key(book, r.href) == own for r in responses)
        return [r for r in responses if r.status != 507], new_token, truncated

    def list_cards(self, book: str) -> dict[str, str]:
        """Every card in the address book: href key -> etag (PROPFIND depth 1)."""
        _, _, data = self.request(
            "PROPFIND", book, _propfind((DAV, "getetag"), (DAV, "resourcetype")), {"Depth": "1"}
        )
        own = self.key(book, book)
        out: dict[str, str] = {}
        for response in parse_multistatus(data, "PROPFIND")[0]:
            key = self.key(book, response.href)
            etag = response.props.get(_tag(DAV, "getetag"))
            if key != own and etag is not None and not key.endswith("/"):
                out[key] = _text(etag)
        return out

    def multiget(
        self, book: str, keys: Iterable[str], batch: int = MULTIGET_BATCH
    ) -> Iterator[Card]:
        """The cards at ``keys``, fetched ``batch`` at a time; cards gone meanwhile are left out."""
        keys = list(keys)
        for start in range(0, len(keys), batch):
            yield from self._multiget_batch(book, keys[start : start + batch])

    def _multiget_batch(self, book: str, keys: list[str]) -> Iterator[Card]:
        root = ET.Element(_tag(CARD, "addressbook-multiget"))
        prop = ET.SubElement(root, _tag(DAV, "prop"))
        ET.SubElement(prop, _tag(DAV, "getetag"))
        ET.SubElement(prop, _tag(DAV, "getlastmodified"))
        ET.SubElement(prop, _tag(CARD, "address-data"))
        for key in keys:
            ET.SubElement(root, _tag(DAV, "href")).text = self.quoted(key)
        _, _, data = self.request("REPORT", book, _xml(root), {"Depth": "1"})
        for response in parse_multistatus(data, "REPORT addressbook-multiget")[0]:
            body = response.props.get(_tag(CARD, "address-data"))
            etag = response.props.get(_tag(DAV, "getetag"))
            if body is not None and etag is not None:
                # XML turns every line end into LF; a vCard's are CRLF (RFC 6350).
                text = (body.text or "").replace("\r\n", "\n").replace("\n", "\r\n")
                modified = response.props.get(_tag(DAV, "getlastmodified"))
                yield Card(
                    self.key(book, response.href),
                    _text(etag),
                    text.encode("utf-8"),
                    _text(modified) if modified is not None else "",
                )

    def get(self, book: str, key: str) -> Card | None:
        """One card, or None when it is gone."""
        status, head, data = self.request("GET", self.url_of(book, key), ok=(200, 404, 410))
        if status != 200:
            return None
        etag = head.get("etag", "")
        if not etag:
            props = self._props(self.url_of(book, key), (DAV, "getetag")) or {}
            etag = _text(props[_tag(DAV, "getetag")]) if _tag(DAV, "getetag") in props else ""
        return Card(key, etag, data, head.get("last-modified", ""))

    # -- writing cards ------------------------------------------------------------------------

    def put(self, book: str, key: str, data: bytes, etag: str | None) -> str:
        """Create (``etag`` None: If-None-Match: *) or update (If-Match) a card. Returns the new
        ETag, or "" when the server did not say (it changed the card as it stored it)."""
        headers = {"Content-Type": "text/vcard; charset=utf-8"}
        headers.update({"If-Match": etag} if etag else {"If-None-Match": "*"})
        _, head, _ = self.request("PUT", self.url_of(book, key), data, headers, ok=(200, 201, 204))
        return head.get("etag", "")

    def delete(self, book: str, key: str, etag: str) -> None:
        """Delete a card if it is still the version ``etag``; a card already gone is fine."""
        headers = {"If-Match": etag} if etag else {}
        self.request("DELETE", self.url_of(book, key), None, headers, ok=(200, 204, 404, 410))

    # -- hrefs --------------------------------------------------------------------------------

    def key(self, book: str, href: str) -> str:
        """The stable key of a resource: its absolute path, percent-decoded."""
        return unquote(urlsplit(urljoin(book, href)).path)

    @staticmethod
    def quoted(key: str) -> str:
        return quote(key, safe="/:@!$&'()*+,;=-._~")

    def url_of(self, book: str, key: str) -> str:
        return urljoin(book, self.quoted(key))


def _text(node: ET.Element) -> str:
    return (node.text or "").strip()


def _short(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]
