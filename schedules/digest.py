"""The digest email: pending announcements rendered into one message (text + HTML).

Everything in it that came from a web page is untrusted: header values are cleaned of line
breaks (a title with CR/LF must never create a header), the HTML part is autoescaped, and only
http(s) links are rendered.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from storage.dedupe import normalise_text
from storage.outbox import Announcement
from storage.sentences import paragraph_sentences

EXCERPT_SENTENCES = 3
NOVELTY_NGRAM = 4

_environment = Environment(
    loader=PackageLoader("schedules", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x85\x0b\x0c]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def clean_header(value: str, limit: int = 200) -> str:
    """A header value with line breaks and control characters turned into spaces."""
    value = _CONTROL.sub(" ", _LINE_BREAKS.sub(" ", value or ""))
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def safe_link(url: str | None) -> str | None:
    """The URL when it is http(s) and has no whitespace; otherwise nothing is linked."""
    if url and re.match(r"^https?://[^\s<>\"']+$", url):
        return url
    return None


def _ngrams(text: str) -> set[str]:
    tokens = normalise_text(text).split()
    return {" ".join(tokens[i : i + NOVELTY_NGRAM]) for i in range(len(tokens) - NOVELTY_NGRAM + 1)}


def novelty_index(texts: Sequence[str]) -> set[str]:
    """The word 4-grams of the coverage already stored."""
    seen: set[str] = set()
    for text in texts:
        seen |= _ngrams(text)
    return seen


_ENDS_SENTENCE = re.compile(r"[.!?…][\"'”’)\]]*$")
FALLBACK_WORDS = 60


def _candidates(text: str, title: str, language: str | None) -> list[str]:
    """Whole sentences of the body, the headline left out: what an excerpt may quote."""
    headline = normalise_text(title)
    found = []
    for paragraph in paragraph_sentences(text, language):
        for sentence in paragraph:
            folded = normalise_text(sentence)
            if headline and folded.startswith(headline):
                continue  # the headline printed again at the top of the body
            whole = sentence[0].isupper() or not sentence[0].isalpha()
            if whole and _ENDS_SENTENCE.search(sentence) and 8 <= len(sentence.split()) <= 70:
                found.append(sentence)
    return found


def _opening(text: str, title: str) -> str:
    """The first paragraph that is not the headline, cut at a word to FALLBACK_WORDS words."""
    headline = normalise_text(title)
    for paragraph in text.split("\n"):
        paragraph = " ".join(paragraph.split())
        if paragraph and normalise_text(paragraph) != headline:
            cut = paragraph.split()
            return (
                paragraph if len(cut) <= FALLBACK_WORDS else " ".join(cut[:FALLBACK_WORDS]) + " …"
            )
    return ""


def novel_excerpt(
    text: str,
    seen: set[str],
    wanted: int = EXCERPT_SENTENCES,
    title: str = "",
    language: str | None = None,
) -> str:
    """The 2-3 whole sentences of a text that say most that stored coverage has not said.

    Sentences come from storage.sentences (abbreviations and dates do not end one), never the
    headline, in text order; a text without a quotable sentence gives its opening paragraph.
    """
    candidates = _candidates(text, title, language)
    if not candidates:
        return _opening(text, title)

    def novelty(sentence: str) -> float:
        grams = _ngrams(sentence)
        return len(grams - seen) / max(1, len(grams))

    ranked = sorted(range(len(candidates)), key=lambda i: (-novelty(candidates[i]), i))
    chosen = sorted(ranked[:wanted])
    return " ".join(candidates[i] for i in chosen)


@dataclass(frozen=True)
class Digest:
    message: EmailMessage
    key: str
    alert_ids: list[int]


def digest_key(alert_ids: Sequence[int]) -> str:
    """The same alerts always make the same key (and so the same Message-ID)."""
    return hashlib.sha256(",".join(map(str, sorted(alert_ids))).encode()).hexdigest()[:32]


def item_context(item: Announcement, seen: set[str]) -> dict:
    """What the templates show of one announcement."""
    added = [
        line[1:].strip()
        for line in (item.diff or "").splitlines()[2:]
        if line.startswith("+") and line[1:].strip()
    ]
    return {
        "kind": item.kind,
        "title": clean_header(item.title, 300) or "(untitled)",
        "outlet": clean_header(item.outlet or "", 100),
        "published": f"{item.published_at:%d %b %Y}" if item.published_at else "",
        "link": safe_link(item.url),
        "excerpt": novel_excerpt(item.text, seen, title=item.title) if item.kind == "new" else "",
        "change": f"{item.added} sentence(s) added, {item.removed} removed",
        "added_lines": [clean_header(line, 300) for line in added[:3]],
        "copies": [
            {"outlet": clean_header(c.outlet or "", 100), "link": safe_link(c.url)}
            for c in item.copies
        ],
    }


def compose(
    items: list[dict],
    alert_ids: list[int],
    story: str,
    sender: str,
    recipients: Sequence[str],
    database: str = "",
) -> Digest:
    """One message for these items: subject with the count and story, text and HTML parts.

    The Message-ID joins the database's identity (Store.identity) to the alerts' key: a
    resend of one digest keeps it; two databases' first digests never share it.
    """
    new = sum(1 for item in items if item["kind"] == "new")
    updated = len(items) - new
    parts = [f"{new} new article{'s' if new != 1 else ''}"] if new else []
    if updated:
        parts.append(f"{updated} updated")
    headline = f"{' and '.join(parts)} on {clean_header(story, 120)}"
    context = {"headline": headline, "items": items, "story": clean_header(story, 120)}
    key = digest_key(alert_ids)
    message = EmailMessage()
    message["Subject"] = clean_header(f"storywatch: {headline}")
    message["From"] = clean_header(sender)
    message["To"] = ", ".join(clean_header(address) for address in recipients)
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = (
        f"<storywatch-{database}{'.' if database else ''}{key}@{_domain(sender)}>"
    )
    message.set_content(_environment.get_template("digest.txt").render(context))
    message.add_alternative(
        _environment.get_template("digest.html").render(context), subtype="html"
    )
    return Digest(message, key, list(alert_ids))


def _domain(address: str) -> str:
    domain = clean_header(address).rpartition("@")[2].strip("<> ")
    return re.sub(r"[^A-Za-z0-9.-]", "", domain) or "storywatch.invalid"
