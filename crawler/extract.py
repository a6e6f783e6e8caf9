"""From a document (an HTML page or a plain-text article) to its clean article text.

trafilatura finds the article and its metadata; `crawler.boilerplate` then removes what sits
inside the article body (prompts, ad markers, share bars, credits, policies, lists).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from lxml import html as lxml_html
from trafilatura import bare_extraction
from trafilatura.utils import load_html, normalize_unicode
from trafilatura.xml import xmltotxt

from crawler.body import strip_boilerplate
from crawler.boilerplate import is_sentence, line_rule, words
from crawler.decoding import decode_html
from crawler.furniture import page_evidence

__all__ = ["Article", "ExtractionError", "clean_html", "clean_text"]

PARAGRAPH_BREAK = "\n\n"
# Fewer words than this is a navigation page, an error page or a teaser, not an article.
MIN_ARTICLE_WORDS = 25


# Scripts written without spaces between words: a run of them is several words.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f]")
CHARACTERS_PER_UNSPACED_WORD = 2  # Chinese and Japanese words average under two characters


def word_count(lines: list[str]) -> int:
    """Words in the lines; a run of Chinese, Japanese or Thai counts one word per two characters."""
    total = 0
    for line in lines:
        for word in words(line):
            unspaced = len(_UNSPACED.findall(word))
            total += max(1, unspaced // CHARACTERS_PER_UNSPACED_WORD) if unspaced else 1
    return total


class ExtractionError(ValueError):
    """The document holds no article text."""


@dataclass(frozen=True, slots=True)
class Article:
    """One article as read from one document."""

    title: str
    text: str
    author: str | None = None
    published_at: datetime | None = None
    language: str | None = None
    canonical_url: str | None = None
    site_name: str | None = None

    @property
    def paragraphs(self) -> list[str]:
        return self.text.split(PARAGRAPH_BREAK)


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")

_DATE_PARAMS = {
    "original_date": True,
    "extensive_search": False,  # the free-text date search mistakes dates quoted in the body
    "outputformat": "%Y-%m-%dT%H:%M:%S%z",
}


def clean_html(html: str | bytes, url: str | None = None) -> Article:
    """The article in an HTML page: metadata from the page, body text without boilerplate.

    Give it the text as crawler.decoding.decode_html read it (with the HTTP charset); bytes
    with no header are decoded the same way, from their BOM, <meta> or detection.
    """
    if isinstance(html, bytes):
        html = decode_html(html, None)
    # lxml refuses a str that starts with an XML declaration naming an encoding.
    tree = load_html(_XML_DECLARATION.sub("", html, count=1))
    if tree is None:
        raise ExtractionError("not an HTML document")
    language = _page_language(tree)
    canonical = _declared_canonical(tree)
    evidence = page_evidence(tree)
    document = bare_extraction(
        tree,
        url=url,
        include_comments=False,
        include_tables=True,
        with_metadata=True,
        date_extraction_params=_DATE_PARAMS,
    )
    if document is None or document.body is None:
        raise ExtractionError("no article text found")
    title = _clean_title(document.title or "", document.sitename)
    if line_rule(title):  # a page whose <title> is its paywall prompt
        title = ""
    # NFC as trafilatura's own extract() gives it: a page in decomposed form ("gepru\u0308ft")
    # must read, match and dedupe as the same words.
    lines = normalize_unicode(xmltotxt(document.body, False)).splitlines()
    if lines and _same_words(lines[0], title):
        lines = lines[1:]
    body = strip_boilerplate(lines, title=title, language=language, evidence=evidence)
    if word_count(body) < MIN_ARTICLE_WORDS:
        raise ExtractionError("no article text found")
    return Article(
        title=title or _title_from_body(body),
        text=PARAGRAPH_BREAK.join(body),
        author=document.author or None,
        published_at=_parse_date(document.date),
        language=language,
        canonical_url=canonical,
        site_name=document.sitename or None,
    )


def clean_text(text: str) -> Article:
    """The article in a plain-text document: headline, body paragraphs, no boilerplate."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    title_index = _headline_index(lines)
    title = lines[title_index] if title_index is not None else ""
    # Before the headline stands only site chrome: logos, section names, "BREAKING NEWS".
    start = title_index + 1 if title_index is not None else 0
    body = strip_boilerplate(lines[start:], title=title or None)
    if word_count(body) < MIN_ARTICLE_WORDS:
        raise ExtractionError("no article text found")
    return Article(title=title or _title_from_body(body), text=PARAGRAPH_BREAK.join(body))


def _headline_index(lines: list[str]) -> int | None:
    """The first of the opening lines that reads as a headline: a phrase, not a sentence."""
    candidates = [index for index, line in enumerate(lines) if line_rule(line) is None][:4]
    for index in candidates:
        line = lines[index]
        count = len(words(line))
        if 4 <= count <= 25 and not is_sentence(line) and not line.isupper():
            return index
        if count > 3:
            return None
    return None


def _title_from_body(body: list[str]) -> str:
    first = re.split(r"(?<=[.!?])\s", body[0], maxsplit=1)[0]
    return first if len(first) <= 120 else first[:117].rsplit(" ", 1)[0] + "..."


def _clean_title(title: str, site_name: str | None) -> str:
    """'Headline | Site' and 'Headline - Site' lose the site name."""
    title = " ".join(title.split())
    if site_name:
        for separator in (" | ", " - ", " – ", " — ", " :: "):
            suffix = separator + site_name
            if title.lower().endswith(suffix.lower()):
                return title[: -len(suffix)].strip()
    return title


def _same_words(a: str, b: str) -> bool:
    return bool(b) and [w.lower() for w in words(a)] == [w.lower() for w in words(b)]


def _page_language(tree: lxml_html.HtmlElement) -> str | None:
    root = tree.getroottree().getroot()
    lang = root.get("lang") or root.get("xml:lang")
    if not lang:
        locale = root.xpath('//meta[@property="og:locale"]/@content')
        lang = locale[0] if locale else None
    return lang.split("-")[0].split("_")[0].lower() if lang else None


def _declared_canonical(tree: lxml_html.HtmlElement) -> str | None:
    """rel=canonical, else og:url: the URL the page says it lives at."""
    for xpath in ('//link[@rel="canonical"]/@href', '//meta[@property="og:url"]/@content'):
        found = [value.strip() for value in tree.xpath(xpath) if value.strip()]
        if found:
            return found[0]
    return None


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    for fmt in ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
        try:
            parsed = datetime.strptime(value, fmt)
        except ValueError:
            continue
        return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None
