"""A small CardDAV server on 127.0.0.1 that answers the way sabre/dav does (Nextcloud, Baïkal).

Radicale is the real server of the suite; this one replays the ways sabre/dav differs, as
fixtures: its URL layout (``/remote.php/dav/...``, ``/.well-known/carddav`` redirecting there),
``d:``/``card:`` prefixes, sync tokens ``http://sabre.io/ns/sync/N`` and ``403
valid-sync-token`` for an unknown one, ``sync-collection`` truncated to a few results per answer
(``507`` on the collection's own href, as with a server-side result limit), hrefs in
multiget answers with ``@`` percent-encoded, and, when it rewrites a card it receives (it adds
a ``PRODID``), no ETag in the PUT answer. It keeps everything in memory.
"""

from __future__ import annotations

import base64
import hashlib
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import quote, unquote, urlsplit
from xml.etree import ElementTree as ET

ROOT = "/remote.php/dav/"
PRINCIPAL = ROOT + "principals/users/{user}/"
HOME = ROOT + "addressbooks/users/{user}/"
BOOK = HOME + "contacts/"
NS = 'xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns" xmlns:card="urn:ietf:params:xml:ns:carddav"'
TOKEN = "http://sabre.io/ns/sync/{n}"
PRODID = b"PRODID:-//Sabre//Sabre VObject 4.5.6//EN\r\n"


class SabreLike:
    def __init__(
        self, user: str = "ann", password: str = "pw", page: int = 2, sync: bool = True
    ) -> None:
        self.user, self.password, self.page = user, password, page
        self.sync = sync  # False: no sync-collection (not listed; the REPORT answers 501)
        self.refuse: set[str] = set()  # card names whose PUT is answered 403 (a server's rule)
        self.cards: dict[str, bytes] = {}  # name -> data
        self.log: list[tuple[int, str]] = []  # (sequence, name) of every change
        self.seq = 0
        self.requests: list[str] = []
        self.lock = threading.Lock()
        self.book = BOOK.format(user=user)
        server = self

        class Handler(_Handler):
            owner = server

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def start(self) -> SabreLike:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def etag(self, name: str) -> str:
        return '"' + hashlib.md5(self.cards[name]).hexdigest() + '"'

    def change(self, name: str, data: bytes | None) -> None:
        if data is None:
            self.cards.pop(name, None)
        else:
            self.cards[name] = data
        self.seq += 1
        self.log.append((self.seq, name))


def _multistatus(responses: list[str], token: str = "") -> bytes:
    tail = f"<d:sync-token>{token}</d:sync-token>" if token else ""
    body = f'<?xml version="1.0"?>\n<d:multistatus {NS}>{"".join(responses)}{tail}</d:multistatus>'
    return body.encode()


def _response(href: str, props: str = "", status: str = "") -> str:
    if status:
        return f"<d:response><d:href>{href}</d:href><d:status>HTTP/1.1 {status}</d:status></d:response>"
    return (f"<d:response><d:href>{href}</d:href><d:propstat><d:prop>{props}</d:prop>"
            "<d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>")  # fmt: skip


def _esc(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


class _Handler(BaseHTTPRequestHandler):
    owner: SabreLike
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        if body:
            self.send_header("Content-Type", "application/xml; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _authorised(self) -> bool:
        o = self.owner
        expected = "Basic " + base64.b64encode(f"{o.user}:{o.password}".encode()).decode()
        if self.headers.get("Authorization") == expected:
            return True
        self._body()
        self._send(401, b"", {"WWW-Authenticate": 'Basic realm="sabre/dav"'})
        return False

    def _dispatch(self) -> None:
        path = unquote(urlsplit(self.path).path)
        with self.owner.lock:
            self.owner.requests.append(f"{self.command} {path}")
        if path.rstrip("/") == "/.well-known/carddav":
            self._body()
            return self._send(301, b"", {"Location": ROOT})
        if not self._authorised():
            return None
        with self.owner.lock:
            return getattr(self, "do_" + self.command + "_", self._unsupported)(path)

    do_GET = do_PUT = do_DELETE = do_PROPFIND = do_REPORT = do_MKCOL = _dispatch

    def _unsupported(self, _path: str) -> None:
        self._body()
        self._send(405)

    def do_PROPFIND_(self, path: str) -> None:
        self._body()
        o, depth = self.owner, self.headers.get("Depth", "0")
        principal, home = PRINCIPAL.format(user=o.user), HOME.format(user=o.user)
        book_props = (
            "<d:resourcetype><d:collection/><card:addressbook/></d:resourcetype>"
            "<d:displayname>Contacts</d:displayname><d:supported-report-set>"
            + (
                "<d:supported-report><d:report><d:sync-collection/></d:report></d:supported-report>"
                if o.sync
                else ""
            )
            + "<d:supported-report><d:report><card:addressbook-multiget/></d:report></d:supported-report>"
            "</d:supported-report-set>"
        )
        if path == ROOT:
            cup = (
                f"<d:current-user-principal><d:href>{principal}</d:href></d:current-user-principal>"
            )
            return self._send(207, _multistatus([_response(ROOT, cup)]))
        if path == principal:
            hs = f"<card:addressbook-home-set><d:href>{home}</d:href></card:addressbook-home-set>"
            return self._send(207, _multistatus([_response(principal, hs)]))
        if path == home:
            out = [_response(home, "<d:resourcetype><d:collection/></d:resourcetype>")]
            if depth == "1":
                out.append(_response(o.book, book_props))
            return self._send(207, _multistatus(out))
        if path == o.book:
            out = [_response(o.book, book_props)]
            if depth == "1":
                out += [_response(o.book + quote(n), f"<d:getetag>{_esc(o.etag(n))}</d:getetag>")
                        for n in o.cards]  # fmt: skip
            return self._send(207, _multistatus(out))
        self._send(404)

    def do_REPORT_(self, path: str) -> None:
        root = ET.fromstring(self._body())
        if path != self.owner.book:
            return self._send(404)
        if root.tag == "{DAV:}sync-collection":
            if not self.owner.sync:
                return self._send(501)
            return self._sync(root.findtext("{DAV:}sync-token") or "")
        hrefs = [unquote(urlsplit(h.text or "").path) for h in root.iter("{DAV:}href")]
        out = []
        for href in hrefs:
            name = href.rsplit("/", 1)[-1]
            if name not in self.owner.cards:
                out.append(_response(href, status="404 Not Found"))
                continue
            data = _esc(self.owner.cards[name].decode())
            out.append(_response(
                self.owner.book + quote(name, safe=""),  # '@' as %40, as sabre does
                f"<d:getetag>{_esc(self.owner.etag(name))}</d:getetag>"
                f"<card:address-data>{data}</card:address-data>"))  # fmt: skip
        self._send(207, _multistatus(out))

    def _sync(self, token: str) -> None:
        o = self.owner
        since = 0
        if token:
            m = re.fullmatch(r"http://sabre\.io/ns/sync/(\d+)", token)
            if not m or int(m[1]) > o.seq:
                body = f'<?xml version="1.0"?>\n<d:error {NS}><d:valid-sync-token/></d:error>'
                return self._send(403, body.encode())
            since = int(m[1])
        last: dict[str, int] = {}
        for seq, name in o.log:
            if seq > since:
                last[name] = seq
        ordered = sorted(last.items(), key=lambda kv: kv[1])
        if not token:
            ordered = [(n, s) for n, s in ordered if n in o.cards]
        page = ordered[: o.page]
        out = []
        for name, _seq in page:
            href = o.book + quote(name)
            if name in o.cards:
                out.append(_response(href, f"<d:getetag>{_esc(o.etag(name))}</d:getetag>"))
            else:
                out.append(_response(href, status="404 Not Found"))
        if len(ordered) > len(page):
            out.append(_response(o.book, status="507 Insufficient Storage"))
            new_token = page[-1][1]
        else:
            new_token = o.seq
        self._send(207, _multistatus(out, TOKEN.format(n=new_token)))

    def do_GET_(self, path: str) -> None:
        name = path.rsplit("/", 1)[-1]
        if not path.startswith(self.owner.book) or name not in self.owner.cards:
            return self._send(404)
        data = self.owner.cards[name]
        self.send_response(200)
        self.send_header("Content-Type", "text/vcard; charset=utf-8")
        self.send_header("ETag", self.owner.etag(name))
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _precondition(self, name: str) -> bool:
        exists = name in self.owner.cards
        if self.headers.get("If-None-Match") == "*" and exists:
            return False
        match = self.headers.get("If-Match")
        return not (match and (not exists or match != self.owner.etag(name)))

    def do_PUT_(self, path: str) -> None:
        data = self._body()
        name = path.rsplit("/", 1)[-1]
        if not self._precondition(name):
            return self._send(412)
        if name in self.owner.refuse:
            body = (
                f'<?xml version="1.0"?>\n<d:error {NS}><s:message>Forbidden</s:message></d:error>'
            )
            return self._send(403, body.encode())
        created = name not in self.owner.cards
        rewritten = b"PRODID:" not in data
        if rewritten:
            data = data.replace(b"VERSION:3.0\r\n", b"VERSION:3.0\r\n" + PRODID, 1)
        self.owner.change(name, data)
        headers = {} if rewritten else {"ETag": self.owner.etag(name)}
        self._send(201 if created else 204, b"", headers)

    def do_DELETE_(self, path: str) -> None:
        self._body()
        name = path.rsplit("/", 1)[-1]
        if name not in self.owner.cards:
            return self._send(404)
        if not self._precondition(name):
            return self._send(412)
        if name in self.owner.refuse:
            body = (
                f'<?xml version="1.0"?>\n<d:error {NS}><s:message>Forbidden</s:message></d:error>'
            )
            return self._send(403, body.encode())
        self.owner.change(name, None)
        self._send(204)
