"""A fast static server for the benchmark's replica site, on loopback, in a process of its own.

`python -m bench.server FOLDER PORT ADDRESS...` serves FOLDER/ADDRESS/... on each ADDRESS:PORT
from memory, over HTTP/1.1 keep-alive, with ETag / Last-Modified and 304s for conditional
requests, like a real site. It prints "ready" when listening. `GET /__stats` answers what was
served since the last `GET /__reset` (JSON: requests, bytes of bodies, 304s, requests per path).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import sys
from collections import Counter
from email.utils import formatdate
from pathlib import Path

TYPES = {".xml": "application/xml", ".txt": "text/plain"}


class Files:
    """Every file of the site in memory: {(address, path): (body, etag, last_modified, type)}."""

    def __init__(self, folder: Path, addresses: list[str]) -> None:
        self.files: dict[tuple[str, str], tuple[bytes, str, str, str]] = {}
        for address in addresses:
            root = folder / address
            for file in root.rglob("*"):
                if file.is_file():
                    self._add(address, root, file)
        self.stats = Counter()
        self.paths: Counter[str] = Counter()

    def _add(self, address: str, root: Path, file: Path) -> None:
        body = file.read_bytes()
        relative = "/" + file.relative_to(root).as_posix()
        if relative.endswith("/index.html"):
            relative = relative[: -len("index.html")]
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        kind = TYPES.get(file.suffix, "text/html; charset=utf-8")
        modified = formatdate(file.stat().st_mtime, usegmt=True)
        self.files[(address, relative)] = (body, etag, modified, kind)

    def answer(self, address: str, path: str, headers: dict[str, str]) -> tuple[int, bytes, dict]:
        if path == "/__stats":
            data = {**self.stats, "paths": dict(self.paths)}
            return 200, json.dumps(data).encode(), {"Content-Type": "application/json"}
        if path == "/__reset":
            self.stats.clear()
            self.paths.clear()
            return 200, b"reset", {"Content-Type": "text/plain"}
        self.stats["requests"] += 1
        self.paths[f"{address}{path}"] += 1
        found = self.files.get((address, path.split("?")[0]))
        if found is None:
            self.stats["not_found"] += 1
            return 404, b"<html><body>Not found</body></html>", {"Content-Type": "text/html"}
        body, etag, modified, kind = found
        validators = {"ETag": etag, "Last-Modified": modified}
        if headers.get("if-none-match") == etag or (
            "if-none-match" not in headers and headers.get("if-modified-since") == modified
        ):
            self.stats["not_modified"] += 1
            return 304, b"", validators
        self.stats["bytes"] += len(body)
        return 200, body, {"Content-Type": kind, **validators}


async def _serve(files: Files, reader, writer) -> None:
    address = writer.get_extra_info("sockname")[0]
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method, target = lines[0].split(" ")[:2]
            headers = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            status, body, extra = files.answer(address, target, headers)
            reason = {200: "OK", 304: "Not Modified", 404: "Not Found"}[status]
            out = [f"HTTP/1.1 {status} {reason}", f"Content-Length: {len(body)}"]
            out += [f"{name}: {value}" for name, value in extra.items()]
            writer.write(("\r\n".join(out) + "\r\n\r\n").encode("latin-1"))
            if method != "HEAD":
                writer.write(body)
            await writer.drain()
            if headers.get("connection", "").lower() == "close":
                break
    except (asyncio.IncompleteReadError, ConnectionError, ValueError):
        pass
    writer.close()


async def main(folder: Path, port: int, addresses: list[str]) -> None:
    files = Files(folder, addresses)
    servers = [
        await asyncio.start_server(lambda r, w: _serve(files, r, w), address, port, backlog=512)
        for address in addresses
    ]
    print("ready", flush=True)
    await asyncio.gather(*(server.serve_forever() for server in servers))


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]))
