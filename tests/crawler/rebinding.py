"""`storywatch` with a rebinding DNS name: `python -m tests.crawler.rebinding ARGS...`.

Names under `.rebind.test` answer a public address (example.com's, RFC 6890 global) to their
first lookup and 127.0.0.2, where the replica listens, to every later one: the shape of a DNS
rebinding attack (a short-TTL record changed between the check and the connection). Both
lookup paths are patched: getaddrinfo (the address middleware) and gethostbyname (Twisted's
threaded resolver, behind crawler.resolver).
"""

from __future__ import annotations

import socket
import sys
import threading

SUFFIX = ".rebind.test"
PUBLIC, PRIVATE = "93.184.215.14", "127.0.0.2"
_lookups: dict[str, int] = {}
_lock = threading.Lock()
_getaddrinfo, _gethostbyname = socket.getaddrinfo, socket.gethostbyname


def answer(name: str) -> str:
    with _lock:
        _lookups[name] = _lookups.get(name, 0) + 1
        return PUBLIC if _lookups[name] == 1 else PRIVATE


def getaddrinfo(host, port, *args, **kwargs):
    if isinstance(host, str) and host.endswith(SUFFIX):
        return _getaddrinfo(answer(host), port, *args, **kwargs)
    return _getaddrinfo(host, port, *args, **kwargs)


def gethostbyname(host):
    return answer(host) if host.endswith(SUFFIX) else _gethostbyname(host)


if __name__ == "__main__":
    socket.getaddrinfo, socket.gethostbyname = getaddrinfo, gethostbyname
    from schedules.cli import main

    sys.exit(main(sys.argv[1:]))
