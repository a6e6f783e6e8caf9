"""Running one stage of the benchmark: wall time and peak RSS of a process tree, a plain
concurrent client for the server's own rate, and the server's counts."""

from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import psutil

POLL_SECONDS = 0.05


@dataclass
class Measured:
    seconds: float
    peak_mb: float  # the largest sum of RSS over the process and its descendants
    output: str
    returncode: int
    at_peak: list[int] = field(default_factory=list)  # MB per process at that moment


def tree_rss(process: psutil.Process) -> list[int]:
    """RSS bytes of a process and each of its descendants (shared pages counted in each)."""
    sizes = []
    for member in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            sizes.append(member.memory_info().rss)
    return sizes


def run_measured(
    command: list[str], cwd: str | None = None, timeout: float = 3600, env: dict | None = None
) -> Measured:
    """Run a command to its end, sampling its process tree's RSS every 50 ms."""
    # Output goes to a file: a pipe nobody reads until the end blocks a talkative command.
    with tempfile.TemporaryFile("w+") as output:
        started = time.perf_counter()
        child = subprocess.Popen(
            command, cwd=cwd, stdout=output, stderr=subprocess.STDOUT, text=True, env=env
        )
        watched, peak, at_peak = psutil.Process(child.pid), 0, []
        while child.poll() is None:
            with contextlib.suppress(psutil.Error):
                sizes = tree_rss(watched)
                if sum(sizes) > peak:
                    peak, at_peak = sum(sizes), [size >> 20 for size in sizes]
            if time.perf_counter() - started > timeout:
                child.kill()
            time.sleep(POLL_SECONDS)
        seconds = time.perf_counter() - started
        output.seek(0)
        return Measured(seconds, peak / 2**20, output.read(), child.returncode, at_peak)


def server_stats(base: str, reset: bool = False) -> dict:
    """What the bench server served since its last reset (and reset it, if asked)."""
    with urllib.request.urlopen(f"{base}/__stats") as answer:
        stats = json.loads(answer.read())
    if reset:
        urllib.request.urlopen(f"{base}/__reset").read()
    return stats


async def _client(queue: asyncio.Queue, received: list[int]) -> None:
    connections: dict[str, tuple] = {}
    while not queue.empty():
        url = queue.get_nowait()
        parts = urlsplit(url)
        if parts.netloc not in connections:
            connections[parts.netloc] = await asyncio.open_connection(parts.hostname, parts.port)
        reader, writer = connections[parts.netloc]
        writer.write(f"GET {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\n\r\n".encode())
        head = await reader.readuntil(b"\r\n\r\n")
        length = int(head.split(b"Content-Length: ")[1].split(b"\r\n")[0])
        received.append(len(await reader.readexactly(length)))
    for _, writer in connections.values():
        writer.close()


def client_rate(urls: list[str], connections: int = 16) -> tuple[float, int]:
    """(pages/s, bytes) of a plain keep-alive client fetching every URL once."""

    async def run() -> list[int]:
        queue: asyncio.Queue = asyncio.Queue()
        for url in urls:
            queue.put_nowait(url)
        received: list[int] = []
        await asyncio.gather(*(_client(queue, received) for _ in range(connections)))
        return received

    started = time.perf_counter()
    received = asyncio.run(run())
    return len(received) / (time.perf_counter() - started), sum(received)
