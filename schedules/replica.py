"""A replica web on loopback: one real HTTP server per outlet, on 127.0.0.2, 127.0.0.3, ...

Used by `storywatch demo` and by the tests. Each outlet serves what it is given (pages, feeds,
sitemaps, robots.txt) with ETag / Last-Modified and 304s like a real site, and records the
requests it received.
"""

from __future__ import annotations

import hashlib
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

Handler = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class Page:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    modified: float = 0.0


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)
    status: int = 0
    body: bytes = b""  # what a POST carried


class Outlet:
    """One site of the replica: a threaded HTTP server and what it serves."""

    def __init__(self, address: str, name: str, tls: ssl.SSLContext | None = None) -> None:
        self.name = name
        self.scheme = "https" if tls else "http"
        self.pages: dict[str, Page] = {}
        self.handlers: dict[str, Handler] = {}
        self.requests: list[Seen] = []
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer((address, 0), _make_handler(self))
        self.server.daemon_threads = True
        if tls:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.host = f"{address}:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def url(self, path: str = "/") -> str:
        return f"{self.scheme}://{self.host}{path}"

    def put(
        self,
        path: str,
        body: str | bytes,
        content_type: str = "text/html; charset=utf-8",
        status: int = 200,
        **headers: str,
    ) -> str:
        """Serve `body` at `path` (replacing what was there); returns its URL."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.pages[path] = Page(data, content_type, status, dict(headers), time.time())
        return self.url(path)

    def handle(self, path: str, handler: Handler) -> str:
        """Answer `path` with a function of the request handler (slow, looping, huge...)."""
        self.handlers[path] = handler
        return self.url(path)

    def record(self, handler: BaseHTTPRequestHandler) -> None:
        handler.seen = Seen(handler.command, handler.path, dict(handler.headers))
        with self._lock:
            self.requests.append(handler.seen)

    def fetched(self, path_prefix: str = "/") -> list[str]:
        """Paths requested so far (GETs), robots.txt aside."""
        return [
            seen.path
            for seen in self.requests
            if seen.method == "GET"
            and seen.path.startswith(path_prefix)
            and seen.path != "/robots.txt"
        ]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _make_handler(outlet: Outlet) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # quiet: tests read outlet.requests instead
            pass

        def do_GET(self) -> None:
            outlet.record(self)
            path = urlsplit(self.path).path
            if path in outlet.handlers:
                outlet.handlers[path](self)
                return
            page = outlet.pages.get(path)
            if page is None:
                _send(self, 404, b"<html><body><h1>Not found</h1></body></html>", "text/html")
                return
            _send_page(self, page)

        def do_POST(self) -> None:
            """POSTs go to the path's handler (an API endpoint); its body is in seen.body."""
            outlet.record(self)
            self.seen.body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            handler = outlet.handlers.get(urlsplit(self.path).path)
            if handler is None:
                _send(self, 405, b"", "text/plain", {"Allow": "GET, HEAD"})
                return
            handler(self)

    return _Handler


def _send_page(handler: BaseHTTPRequestHandler, page: Page) -> None:
    etag = '"' + hashlib.sha1(page.body).hexdigest()[:16] + '"'
    modified = formatdate(page.modified, usegmt=True)
    if page.status == 200 and handler.headers.get("If-None-Match") == etag:
        _send(handler, 304, b"", page.content_type, {"ETag": etag})
        return
    headers = {"ETag": etag, "Last-Modified": modified, **page.headers}
    _send(handler, page.status, page.body, page.content_type, headers)


def _send(
    handler: BaseHTTPRequestHandler,
    status: int,
    body: bytes,
    content_type: str,
    headers: dict[str, str] | None = None,
) -> None:
    if hasattr(handler, "seen"):
        handler.seen.status = status
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    if body and handler.command != "HEAD":
        handler.wfile.write(body)


def send(
    handler: BaseHTTPRequestHandler,
    status: int,
    body: bytes = b"",
    content_type: str = "text/html",
    **headers: str,
) -> None:
    """For custom handlers: answer with a status, body and headers."""
    _send(handler, status, body, content_type, headers)


class ReplicaWeb:
    """A set of outlets on consecutive loopback addresses from 127.0.0.2."""

    def __init__(self, first_address: int = 2) -> None:
        self._next = first_address
        self.outlets: dict[str, Outlet] = {}

    def outlet(self, name: str, tls: ssl.SSLContext | None = None) -> Outlet:
        outlet = Outlet(f"127.0.0.{self._next}", name, tls)
        self._next += 1
        self.outlets[name] = outlet
        return outlet

    def close(self) -> None:
        for outlet in self.outlets.values():
            outlet.close()

    def __enter__(self) -> ReplicaWeb:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


@dataclass(frozen=True)
class Entry:
    """A feed or sitemap entry."""

    url: str
    title: str
    published: float  # Unix time


def rss(title: str, entries: list[Entry]) -> str:
    """An RSS 2.0 feed."""
    items = "".join(
        f"<item><title>{escape(e.title)}</title><link>{escape(e.url)}</link>"
        f"<pubDate>{formatdate(e.published, usegmt=True)}</pubDate></item>"
        for e in entries
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title>{items}</channel></rss>"
    )


def _stamp(unix_time: float) -> str:
    """ISO 8601 in UTC, as feeds and sitemaps write it."""
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(unix_time))


def atom(title: str, entries: list[Entry]) -> str:
    """An Atom 1.0 feed."""
    items = "".join(
        f'<entry><title>{escape(e.title)}</title><link href="{escape(e.url)}"/>'
        f"<id>{escape(e.url)}</id><updated>{_stamp(e.published)}</updated></entry>"
        for e in entries
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(title)}</title><id>urn:replica</id><updated>{_stamp(time.time())}"
        f"</updated>{items}</feed>"
    )


def news_sitemap(publication: str, entries: list[Entry]) -> str:
    """A Google news sitemap (news:publication_date, news:title)."""
    urls = "".join(
        f"<url><loc>{escape(e.url)}</loc><news:news><news:publication><news:name>"
        f"{escape(publication)}</news:name><news:language>en</news:language></news:publication>"
        f"<news:publication_date>{_stamp(e.published)}</news:publication_date>"
        f"<news:title>{escape(e.title)}</news:title></news:news></url>"
        for e in entries
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">' + urls + "</urlset>"
    )


def sitemap_index(children: list[str | tuple[str, float]]) -> str:
    """A sitemap index; a child given as (url, unix time) carries that <lastmod>."""
    items = "".join(
        f"<sitemap><loc>{escape(child)}</loc></sitemap>"
        if isinstance(child, str)
        else f"<sitemap><loc>{escape(child[0])}</loc><lastmod>{_stamp(child[1])}</lastmod></sitemap>"
        for child in children
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><sitemapindex '
        'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' + items + "</sitemapindex>"
    )
