"""The development evaluation: bare trafilatura against clean_html on public real-world pages.

Two sets, read from `$STORYWATCH_BENCH_DATA` (a folder; see tests/fixtures/realworld/README.md
for how to lay it out), else from the small vendored subset in tests/fixtures/realworld:

- "trafilatura": the pages of trafilatura's own evaluation (tests/evaldata.json with tests/eval
  and tests/cache in adbar/trafilatura, Apache-2.0), each with strings the article must contain
  and strings it must not. Scored as trafilatura's tests/evaluate.py scores them: a found
  "with" string is a true positive, a missing one a false negative, a found "without" string a
  false positive; precision, recall and F1 over all strings of the set.
- "news": the 181 news and blog articles of scrapinghub/article-extraction-benchmark (MIT), each
  with its human-made articleBody. Scored by word tokens (lower-cased `\\w+`, as a bag): per page
  precision, recall and F1, then the mean over pages.

Body lines lost: lines of bare trafilatura's text that clean_html left out and that the ground
truth calls body (a line inside the articleBody; a line holding a "with" string).
"""

from __future__ import annotations

import gzip
import json
import os
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import trafilatura
from trafilatura.utils import decode_file

from crawler.extract import ExtractionError, clean_html

DATA_ENV = "STORYWATCH_BENCH_DATA"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "realworld"
_TOKEN = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class RealPage:
    """One public page: its HTML (decoded) and its ground truth."""

    name: str
    html: str
    truth: str | None = None  # the whole article body, where the set has it
    expected: tuple[str, ...] = ()
    unexpected: tuple[str, ...] = ()


def data_root() -> Path:
    """`$STORYWATCH_BENCH_DATA` when it is set, else the vendored fixtures."""
    return Path(os.environ.get(DATA_ENV) or FIXTURES)


def trafilatura_pages(root: Path) -> Iterator[RealPage]:
    """trafilatura's evaluation pages with their with/without strings; none when absent."""
    tests = root / "trafilatura" / "tests"
    index = tests / "evaldata.json"
    if not index.exists():
        return
    for url, entry in json.loads(index.read_text(encoding="utf-8")).items():
        found = [
            path
            for folder in ("eval", "cache")
            for path in (tests / folder / entry["file"], tests / folder / f"{entry['file']}.gz")
            if path.exists()
        ]
        if found:
            raw = found[0].read_bytes()
            yield RealPage(
                name=url,
                html=decode_file(gzip.decompress(raw) if found[0].suffix == ".gz" else raw),
                expected=tuple(entry.get("with", ())),
                unexpected=tuple(entry.get("without", ())),
            )


def news_pages(root: Path) -> Iterator[RealPage]:
    """The article-extraction-benchmark pages with their articleBody; none when absent."""
    folder = root / "article-extraction-benchmark"
    index = folder / "ground-truth.json"
    if not index.exists():
        return
    for key, entry in sorted(json.loads(index.read_text(encoding="utf-8")).items()):
        path = folder / "html" / f"{key}.html.gz"
        if path.exists():
            html = decode_file(gzip.decompress(path.read_bytes()))
            yield RealPage(name=entry.get("url") or key, html=html, truth=entry["articleBody"])


def bare_text(html: str) -> str:
    return trafilatura.extract(html, include_comments=False) or ""


def clean_body(html: str) -> str:
    """clean_html's body text, as bare trafilatura's is scored ("" when it finds no article)."""
    try:
        return clean_html(html).text
    except ExtractionError:
        return ""


def clean_record(html: str) -> str:
    """What storywatch keeps of a page: clean_html's title, then its text.

    Lost lines are counted against this: clean_html moves a headline that opens the body into
    the title, where bare trafilatura leaves it in the text.
    """
    try:
        article = clean_html(html)
    except ExtractionError:
        return ""
    return f"{article.title}\n{article.text}"


def _tokens(text: str) -> Counter[str]:
    return Counter(_TOKEN.findall(text.lower()))


def _fold(text: str) -> str:
    return " ".join(_TOKEN.findall(text.lower()))


@dataclass
class SetScore:
    """Figures of one extractor on one set."""

    pages: int = 0
    tp: float = 0.0  # strings: counts; tokens: sum of per-page precision
    fp: float = 0.0  # tokens: sum of per-page recall
    fn: float = 0.0  # tokens: sum of per-page F1
    by_tokens: bool = False
    body_lines: int = 0  # bare lines the truth calls body
    lost: dict[str, list[str]] = field(default_factory=dict)

    def prf(self) -> tuple[float, float, float]:
        if self.by_tokens:
            n = max(1, self.pages)
            return self.tp / n, self.fp / n, self.fn / n
        precision = self.tp / max(1.0, self.tp + self.fp)
        recall = self.tp / max(1.0, self.tp + self.fn)
        return precision, recall, 2 * precision * recall / max(1e-9, precision + recall)

    @property
    def lines_lost(self) -> int:
        return sum(len(lines) for lines in self.lost.values())


def _add_tokens(score: SetScore, truth: str, text: str) -> None:
    true, pred = _tokens(truth), _tokens(text)
    common = sum((true & pred).values())
    precision = common / max(1, sum(pred.values()))
    recall = common / max(1, sum(true.values()))
    score.tp += precision
    score.fp += recall
    score.fn += 2 * precision * recall / max(1e-9, precision + recall)


def _add_strings(score: SetScore, page: RealPage, text: str) -> None:
    folded = " ".join(text.split())
    found = [" ".join(s.split()) in folded for s in page.expected]
    score.tp += sum(found)
    score.fn += len(found) - sum(found)
    score.fp += sum(" ".join(s.split()) in folded for s in page.unexpected)


def _is_body(page: RealPage, line: str, truth_folded: str) -> bool:
    if page.truth is not None:
        key = _fold(line)
        return bool(key) and key in truth_folded
    return any(" ".join(s.split()) in line for s in page.expected)


def _lost_lines(page: RealPage, bare: str, clean: str, score: SetScore) -> None:
    """Count bare's body lines, and note those clean_html left out."""
    truth_folded = f" {_fold(page.truth)} " if page.truth is not None else ""
    kept = f" {_fold(clean)} "
    for line in (" ".join(line.split()) for line in bare.splitlines()):
        if not line or not _is_body(page, line, truth_folded):
            continue
        score.body_lines += 1
        if f" {_fold(line)} " not in kept:
            score.lost.setdefault(page.name, []).append(line)


def extract_all(pages: list[RealPage], extract: Callable[[str], str]) -> dict[str, str]:
    """Page name -> extracted text."""
    return {page.name: extract(page.html) for page in pages}


def evaluate(
    pages: list[RealPage],
    texts: dict[str, str],
    bare: dict[str, str] | None = None,
    kept: dict[str, str] | None = None,
) -> SetScore:
    """Score one extractor's texts (page name -> text) on a set.

    With `bare` (bare trafilatura's texts), count the body lines missing from `kept` (what
    storywatch keeps, title included; default: `texts`).
    """
    score = SetScore(by_tokens=bool(pages) and pages[0].truth is not None)
    for page in pages:
        text = texts[page.name]
        score.pages += 1
        if score.by_tokens:
            _add_tokens(score, page.truth or "", text)
        else:
            _add_strings(score, page, text)
        if bare is not None:
            _lost_lines(page, bare[page.name], (kept or texts)[page.name], score)
    return score
