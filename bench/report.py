"""The bench's tables: one row per stage, stage times, and the ratios the targets are set in."""

from __future__ import annotations

from dataclasses import dataclass, field

from bench.site import Site

# Stage timers (crawler.timing): seconds summed over pages, per stage.
STAGES = ("fetch", "extract", "signature", "relevance", "dedupe", "store")


@dataclass
class Row:
    name: str
    pages: int
    seconds: float
    peak_mb: float
    bytes: int
    served: dict = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def print_stages(stats: list[dict]) -> None:
    print("storywatch time per stage, summed over pages (ms per page; fetch is download latency)")
    for label, round_stats in zip(("first", "unchanged"), stats, strict=False):
        pages = max(1, round_stats.get("response_received_count", 0))
        parts = []
        for stage in STAGES:
            seconds = round_stats.get(f"storywatch/seconds/{stage}")
            if seconds is not None:
                parts.append(f"{stage} {seconds:.1f} s ({1000 * seconds / pages:.1f})")
        outcomes = {
            key.split("/")[1]: value
            for key, value in round_stats.items()
            if key.startswith("storywatch/") and key.count("/") == 1 and isinstance(value, int)
        }
        print(f"  {label:<9} {'; '.join(parts) or 'no stage timers'}")
        print(f"  {'':<9} {outcomes}")


def print_rows(rows: list[Row], site: Site) -> None:
    print(
        f"\nbench site: {len(site.pages)} article pages ({site.copies} syndicated copies, "
        f"{site.variants} feed URL variants) on {len(site.hosts)} loopback hosts"
    )
    print(f"{'stage':<42} {'pages':>6} {'seconds':>8} {'pages/s':>8} {'peak MB':>8} {'MB down':>8}")
    for row in rows:
        print(
            f"{row.name:<42} {row.pages:>6} {row.seconds:>8.1f} {row.rate:>8.1f} "
            f"{row.peak_mb:>8.0f} {row.bytes / 2**20:>8.1f}"
        )
        if row.served:
            print(f"{'':<42} requests {row.served.get('requests', 0)}, 304s {row.served.get('not_modified', 0)}")
    for tag in (" [before]", ""):
        _ratios(rows, tag)


def _ratios(rows: list[Row], tag: str) -> None:
    def find(prefix: str, part: str = "") -> Row | None:
        tagged = tag if prefix in ("(3)", "(4)") else ""  # baselines are shared
        return next(
            (
                r
                for r in rows
                if r.name.startswith(prefix) and part in r.name
                and (r.name.endswith(tagged) if tagged else "[before]" not in r.name)
            ),
            None,
        )

    first, second = find("(3)"), find("(4)")
    naive, two = find("(2)"), find("(1)", "2 proc")
    if tag and first is None:
        return
    if first and naive:
        print(f"ratio (3)/(2){tag} first crawl / naive spider: {first.rate / naive.rate:.2f} (target >= 1.5)")
    if first and two:
        print(f"ratio (3)/(1, 2 proc){tag} first crawl / extraction limit: {first.rate / two.rate:.2f} (target >= 0.75)")
    if first and second:
        print(
            f"unchanged crawl{tag}: {first.seconds / second.seconds:.1f}x faster (target >= 10), "
            f"{second.bytes / max(1, first.bytes):.1%} of the bytes (target < 10%)"
        )
