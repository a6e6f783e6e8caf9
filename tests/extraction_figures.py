"""Boilerplate kept and body sentences lost, for bare trafilatura and for clean_html."""

from __future__ import annotations

from dataclasses import dataclass

import trafilatura
from lxml import html as lxml_html

from crawler.extract import clean_html
from storage.dedupe import normalise_text
from tests.pages import Page


@dataclass
class Score:
    boilerplate_total: int = 0
    boilerplate_kept: int = 0
    sentences_total: int = 0
    sentences_lost: int = 0

    @property
    def lost_share(self) -> float:
        return self.sentences_lost / max(1, self.sentences_total)


def bare_text(page: Page) -> str:
    return trafilatura.extract(page.html, include_comments=False) or ""


def clean_text_of(page: Page) -> str:
    article = clean_html(page.html)
    return article.title + "\n" + article.text


def score(pages: list[Page], extract) -> tuple[Score, list[str]]:
    """Count boilerplate lines left and body sentences missing; list what went wrong."""
    total = Score()
    problems: list[str] = []
    for page in pages:
        lines = {normalise_text(line) for line in extract(page).splitlines()}
        joined = " " + " ".join(lines) + " "
        source = normalise_text(lxml_html.fromstring(page.html).text_content())
        for item in page.boilerplate:
            key = normalise_text(item)
            if key not in source:
                continue  # this page does not carry that item
            total.boilerplate_total += 1
            if any(line.startswith(key) or key.startswith(line) and line for line in lines):
                total.boilerplate_kept += 1
                problems.append(f"{page.name}: kept boilerplate {item!r}")
        for sentence in page.body_sentences:
            total.sentences_total += 1
            if f" {normalise_text(sentence)} " not in joined:
                total.sentences_lost += 1
                problems.append(f"{page.name}: lost body {sentence!r}")
    return total, problems
