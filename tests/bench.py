"""`make bench`: extraction quality and cost, clean_html against bare trafilatura, in one run.

Figures are ratios from one run on this machine; it is shared and noisy, so compare them, do not
read the seconds as absolute.
"""

from __future__ import annotations

import time

from tests.extraction_figures import bare_text, clean_text_of, score
from tests.pages import seed_pages, styled_pages


def _quality() -> None:
    print("extraction quality (boilerplate lines kept / present; body sentences lost / total)")
    for name, pages in (("outlet-style pages", styled_pages()), ("seeds as HTML", seed_pages())):
        for label, extract in (("trafilatura", bare_text), ("clean_html", clean_text_of)):
            result, _ = score(pages, extract)
            print(
                f"  {name:<19} {label:<12} boilerplate kept {result.boilerplate_kept:>3}/"
                f"{result.boilerplate_total:<3}  body lost {result.sentences_lost}/"
                f"{result.sentences_total} ({result.lost_share:.1%})"
            )


def _cost(rounds: int = 20) -> None:
    pages = styled_pages() + seed_pages()
    timings = {}
    for label, extract in (("trafilatura", bare_text), ("clean_html", clean_text_of)):
        start = time.perf_counter()
        for _ in range(rounds):
            for page in pages:
                extract(page)
        timings[label] = (time.perf_counter() - start) / (rounds * len(pages))
    ratio = timings["clean_html"] / timings["trafilatura"]
    print(
        f"cost per page: trafilatura {timings['trafilatura'] * 1000:.1f} ms, clean_html "
        f"{timings['clean_html'] * 1000:.1f} ms (ratio {ratio:.2f})"
    )


if __name__ == "__main__":
    _quality()
    _cost()
