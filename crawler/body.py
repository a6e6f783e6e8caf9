"""An article body's lines without their boilerplate: line rules, then neighbours and markup.

`crawler.boilerplate` judges one line by its words and shape; this module adds what a single line
cannot tell: its neighbours (a list heading and the headlines under it, alt text before a
credit), repetition, and the page's markup (`crawler.furniture.Evidence`: link-outs and
furniture blocks), which is the evidence that holds in any language.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from crawler.boilerplate import (
    is_all_caps,
    is_credit,
    is_list_heading,
    is_sentence,
    line_rule,
    looks_like_body,
    rules_apply,
    strip_trailing_credit,
    words,
)
from crawler.furniture import Evidence

__all__ = ["strip_boilerplate"]


def _is_link_text(line: str, evidence: Evidence | None) -> bool:
    if evidence is not None:
        return evidence.is_link(line)
    return len(words(line)) <= 16 and not looks_like_body(line)


def _mark_lists(lines: Sequence[str], drop: list[bool], evidence: Evidence | None) -> None:
    """After a list heading, the headline links that follow it go too, up to the next prose.

    With the page's markup the followers must be links, and a heading with no link under it
    (AP's "UP NEXT" over its schedule lines) stays unless nothing but boilerplate follows it.
    """
    for index, line in enumerate(lines):
        if not is_list_heading(line):
            continue
        follower = index + 1
        while follower < len(lines) and _is_link_text(lines[follower], evidence):
            drop[follower] = True
            follower += 1
        rest = [later for later in range(follower, len(lines)) if not drop[later]]
        if evidence is not None and follower == index + 1 and rest:
            drop[index] = False


def _mark_alt_text(lines: Sequence[str], credited: Sequence[bool], drop: list[bool]) -> None:
    """A short caption-less line just before an image credit is the image's alt text."""
    for index in range(len(lines) - 1):
        nxt = index + 1
        if (credited[nxt] or is_credit(lines[nxt])) and _is_alt_text(lines[index]):
            drop[index] = True


def _is_alt_text(line: str) -> bool:
    return 0 < len(words(line)) <= 25 and not is_sentence(line) and not line.rstrip().endswith(":")


def _spare_caps_subheads(
    lines: Sequence[str], rules: Sequence[str | None], drop: list[bool]
) -> None:
    """Two or more shouted questions are the article's subheadings (AP's explainers), not teasers."""
    teasers = [index for index, rule in enumerate(rules) if rule == "is_caps_teaser"]
    questions = [index for index in teasers if lines[index].rstrip().endswith("?")]
    if len(questions) >= 2:
        for index in questions:
            drop[index] = False


_LABEL = re.compile(r"^[-•*]?\s*((?:[^\W\d_][\w’'.]*\s?){1,3}[:»])\s+")
# "Read also" labels that introduce a link to another story, by language (outlets' own wording,
# seen on the pages of trafilatura's evaluation set); English ones are list headings.
_READ_MORE = re.compile(
    r"^(auch interessant|lesen sie (auch|hier|mehr)|mehr zum thema|weitere themen|siehe auch|"
    r"(à )?lire aussi|voir aussi|à voir|leggi anche|vedi anche|lee también|ver también|"
    r"leia também|czytaj (też|także|więcej)|dowiedz się więcej|zobacz (też|także))\W*$",
    re.IGNORECASE,
)


def _is_read_more(label: str) -> bool:
    return is_list_heading(label) or bool(_READ_MORE.match(label.strip()))


_TAG = re.compile(r"\s*\[[A-Z ]{2,20}\]\W*$")


def _is_link_out(line: str, evidence: Evidence) -> bool:
    """A link to another page, marked as one: shouted ('CLICK FOR FULL RESULTS'), after a list
    label ('Related: <a>…</a>', 'READ MORE: <a>…</a>') or before a tag ('<a>…</a> [INSIGHT]').

    A bare link in the body stays: there it is a source, a shop link or a resource list.
    """
    if looks_like_body(line):
        return False
    if is_all_caps(line) and evidence.is_link(line):
        return True
    label = _LABEL.match(line)
    if label and _is_read_more(label.group(1)) and evidence.is_link(line[label.end() :]):
        return True
    tagged = _TAG.sub("", line)
    return tagged != line and evidence.is_link(tagged)


def _mark_markup(lines: Sequence[str], drop: list[bool], evidence: Evidence | None) -> None:
    """Lines the markup calls furniture: named blocks, and link-outs (headlines of other pages)."""
    if evidence is None:
        return
    for index, line in enumerate(lines):
        if evidence.is_furniture(line) or _is_link_out(line, evidence):
            drop[index] = True


def _mark_repeats(lines: Sequence[str], drop: list[bool], seen: Sequence[str] = ()) -> None:
    """A paragraph of prose printed twice keeps its first copy; the headline is not body again.

    Short repeated lines stay: in a body they are table cells, list items and recipe steps
    ("Meal 2", "Eat every 2-3 hours"), and repetition inside one page is no evidence of furniture.
    """
    already = {" ".join(words(line.lower())) for line in seen}
    for index, line in enumerate(lines):
        key = " ".join(words(line.lower()))
        if key and key in already and (looks_like_body(line) or index == 0):
            drop[index] = True
        already.add(key)


def strip_boilerplate(
    lines: Sequence[str],
    title: str | None = None,
    language: str | None = None,
    evidence: Evidence | None = None,
) -> list[str]:
    """The lines of an article body without its boilerplate (credits trimmed from captions).

    `language` is the page's declared language (ISO 639-1) or None (see rules_apply);
    `evidence` is what the page's markup says (None for a plain-text document).
    """
    lines = [" ".join(line.split()) for line in lines if line.strip()]
    english = rules_apply(lines, language)
    trimmed = [strip_trailing_credit(line) for line in lines] if english else lines
    credited = [new != old for new, old in zip(trimmed, lines, strict=True)]
    rules = [line_rule(line, english) for line in trimmed]
    drop = [rule is not None for rule in rules]
    if english:
        _mark_lists(trimmed, drop, evidence)
        _mark_alt_text(trimmed, credited, drop)
        _spare_caps_subheads(trimmed, rules, drop)
    _mark_markup(trimmed, drop, evidence)
    _mark_repeats(trimmed, drop, seen=[title] if title else ())
    return [line for line, dropped in zip(trimmed, drop, strict=True) if not dropped and line]
