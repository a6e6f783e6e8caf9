"""Boilerplate that sits inside article bodies and survives trafilatura: rules for one line.

trafilatura finds the article block; inside it, outlets still interleave sign-up and paywall
prompts, ad markers, share bars, photo credits, comment policies, copyright footers and "More
from" lists. These rules judge one line of the extracted text by its shape (length, letter case,
end punctuation) and by wording in context: a call to action must start the line in the
imperative or be shouted, a comment policy must speak in the house voice ("we", "our"; "US" in
capitals is the country, not the reader). `crawler.body` adds neighbours and the page's markup.

The wording rules know English only (`rules_apply`): on a page in another language only
`is_symbol_furniture` runs. Every rule must leave real body text alone: a sentence that reports
what someone said or did is body, whatever words it contains. Measured on public pages with
ground truth by `make bench` (tests/realworld.py).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

from storage.edits import has_relative_time

# --- line shape ------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*", re.UNICODE)
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$|[\"”’]$")
_REPORTED = re.compile(
    r"\b(said|says|say|told|according to|announced|reported|reports|wrote|writes|tweeted|"
    r"posted|added|explained|claimed|argued|noted|stated|asked|replied)\b",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"[“”\"]")


@lru_cache(maxsize=4096)
def words(line: str) -> tuple[str, ...]:
    """The words of a line, letters and digits only (cached: every rule asks for them)."""
    return tuple(_WORD.findall(line))


def is_sentence(line: str) -> bool:
    """Ends like a sentence (full stop, question or exclamation mark, closing quote)."""
    return bool(_SENTENCE_END.search(line.strip()))


@lru_cache(maxsize=4096)
def is_all_caps(line: str) -> bool:
    """Nine in ten letters, and at least ten, are capitals."""
    if len(line) > 400:  # a shouted teaser or button is short
        return False
    letters = [char for char in line if char.isalpha()]
    return len(letters) >= 10 and sum(char.isupper() for char in letters) >= 0.9 * len(letters)


def is_reported_speech(line: str) -> bool:
    """Quotes or a reporting verb: the line tells what someone said, so it is body."""
    return bool(_QUOTED.search(line) or _REPORTED.search(line))


def looks_like_body(line: str) -> bool:
    """A paragraph of prose: a sentence of eight words or more."""
    return len(words(line)) >= 8 and is_sentence(line)


# --- single-line rules -----------------------------------------------------------------------

_AD_ALONE = re.compile(
    r"^(advertisement|advertising|advert|ads?|sponsored( content| post| links?)?|paid (post|content)|"
    r"promoted( content)?|partner content|skip (advertisement|ad)|ad feedback|report (this )?ad|"
    r"(article|story|content|text|post) continues( below| after)?( (this|the))?( advertisement| ad)?|"
    r"continue reading( (the )?(main )?(story|article))?( below)?|scroll (down )?to continue( reading)?|"
    r"advertisement[\s:·|-]*scroll to continue|opt[\s-]?out of personali[sz]ed ads)$"
)
_AD_WORD = re.compile(r"\b(advertisement|advert|ad|ads|sponsored)\b")
_AD_PLACE = re.compile(r"\b(below|after|above|continues?|skip|scroll|feedback)\b")


def is_ad_marker(line: str) -> bool:
    """'Advertisement', 'Article continues below advertisement', 'Story continues after ad'."""
    if len(words(line)) > 12:
        return False
    folded = " ".join(word.lower() for word in words(line))
    if _AD_ALONE.match(folded):
        return True
    short = len(folded.split()) <= 7 and not is_sentence(line.rstrip(".")) and line.count(".") <= 1
    return short and bool(_AD_WORD.search(folded) and _AD_PLACE.search(folded))


_SHARE_WORDS = frozenset(
    "share shares sharing link links to on via with email e-mail mail print copy copied url "
    "tweet facebook twitter x whatsapp linkedin reddit pinterest flipboard tumblr telegram "
    "messenger sms threads bluesky mastodon instagram youtube tiktok snapchat pocket save "
    "comment comments this article story page the opens in new window tab follow us icon".split()
)
_NETWORKS = frozenset(
    "facebook twitter x whatsapp linkedin reddit pinterest flipboard tumblr telegram "
    "messenger email e-mail mail print threads bluesky mastodon sms copy".split()
)
_CAMEL_JOIN = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


@lru_cache(maxsize=4096)
def _share_tokens(line: str) -> tuple[str, ...]:
    """Words, with run-together buttons split: 'FacebookShare' -> 'facebook', 'share'."""
    tokens: list[str] = []
    for word in words(line):
        if word.lower() in _SHARE_WORDS:
            tokens.append(word.lower())
        else:
            tokens.extend(part.lower() for part in _CAMEL_JOIN.sub(" ", word).split())
    return tuple(tokens)


def is_share_bar(line: str) -> bool:
    """'Link to FacebookShare to XShare to Email', 'Share on Facebook Share on Twitter'."""
    if len(words(line)) > 20:
        return False
    tokens = _share_tokens(line)
    if not tokens or len(tokens) > 20:
        return False
    networks = sum(token in _NETWORKS for token in tokens)
    others = sum(token not in _SHARE_WORDS for token in tokens)
    return networks >= 2 and others == 0 or networks >= 1 and "share" in tokens and others == 0


_CREDIT_WORDS = (
    r"getty|afp|reuters|ap photo|associated press|shutterstock|wireimage|filmmagic|alamy|mega|"
    r"backgrid|splash news|invision|courtesy|istock|imagn|usa today|pa images|epa|rex|"
    r"photo|photos|photograph|image|images|credit"
)
_CREDIT_LINE = re.compile(
    r"^\(?\s*(photo|photos|photograph|image|images|picture|pictures|source|credit|credits|"
    r"illustration|video|graphic|pictured)( credit| by| courtesy of)?\s*[:|—–-]\s*[^.!?]{1,60}\)?$",
    re.IGNORECASE,
)
_CREDIT_ALONE = re.compile(
    rf"^\(?[^()]{{0,60}}\b({_CREDIT_WORDS})\b[^()]{{0,40}}\)?$", re.IGNORECASE
)
_TRAILING_CREDIT = re.compile(
    rf"\s*\((?=[^()]*(?:/|\b(?:{_CREDIT_WORDS})\b))[^()]{{2,90}}\)\s*$", re.IGNORECASE
)
_AGENCY_SLASH = re.compile(r"^[A-Z][\w.'’ -]{1,40}/[A-Z][\w.'’ -]{1,40}$")


@lru_cache(maxsize=4096)
def is_credit(line: str) -> bool:
    """'Source: mega', 'Photo: Getty Images', '(Reuters)', 'John Doe/AP'."""
    stripped = line.strip()
    if len(words(stripped)) > 10 or is_sentence(stripped.rstrip(")")) and len(words(stripped)) > 4:
        return False
    if _CREDIT_LINE.match(stripped) or _AGENCY_SLASH.match(stripped):
        return True
    return (
        bool(_CREDIT_ALONE.match(stripped))
        and not is_sentence(stripped)
        and len(words(stripped)) <= 6
    )


def strip_trailing_credit(line: str) -> str:
    """A caption keeps its words, loses '(Taylor Hill/Getty Images)'."""
    return _TRAILING_CREDIT.sub("", line)


_CALL_TO_ACTION = re.compile(
    r"\b(sign(ing)?[\s-]?up|subscrib\w*|newsletters?|register|log[\s-]?in|sign[\s-]?in|"
    r"create (a|an|your) (free )?account|already (a subscriber|a member|have an account|registered)|"
    r"(download|get|install|try) (the|our) [\w!'’ ]{0,30}\bapp\b|click here|tap here|follow us|"
    r"(get|receive) (the|our) [\w!'’ ]{0,30}\b(briefing|digest|alerts?)|"
    r"follow [\w!'’ ]{1,40} on (facebook|twitter|instagram|x|tiktok|linkedin|threads)|"
    r"join [\w!'’ ]{1,30} (for|to get|today|now)|for (full |unlimited |free )?access to|"
    r"(enter|provide|type) (a |your )?(valid )?e-?mail|valid e-?mail|unlock\w*|premium content|"
    r"(continue|keep|start) reading|read (the )?full (story|article)|"
    r"(don[’']t|never) miss (a|another|out)|turn on notifications|become a (member|subscriber)|"
    r"support (our|independent) journalism|free of charge|terms of (use|service)|privacy policy|"
    r"cookie (policy|settings)|notice of financial incentive|"
    r"want [\w!'’ ]{1,25} (each|every) (day|week|morning))\b",
    re.IGNORECASE,
)
_IMPERATIVE_START = re.compile(
    r"^\W*(sign|subscribe|click|tap|join|get|download|register|follow|enter|read|continue|keep|"
    r"like|love|want|never|don[’']t|already|plus|create|unlock|support|become|watch|listen|"
    r"stay|try|please|by (entering|signing|clicking|continuing|subscribing|providing))\b",
    re.IGNORECASE,
)


def is_prompt(line: str) -> bool:
    """A call to action in the imperative or shouted: 'Sign up', 'Subscribe now', 'Get the app'.

    A sentence that only talks to or about readers ("you can sign up for a trial", "subscribers
    in the US") is reporting: the call must start the line or the line must be in capitals.
    """
    if len(words(line)) > 60 or not (_IMPERATIVE_START.search(line) or is_all_caps(line)):
        return False
    return bool(_CALL_TO_ACTION.search(line)) and not is_reported_speech(line)


_LEGAL = re.compile(
    r"(©|\(c\)\s*\d{4}|^\W*copyright\s*(©|\(c\)|\d{4})|\ball rights reserved\b|\bregistered trademark\b|"
    r"\bconstitutes acceptance\b|\bmay (receive|earn) (compensation|a commission)\b|"
    r"\baffiliate (links?|commission)\b|\bfor your personal,? non-?commercial use\b|\bterms (of|and) (use|service|conditions)\b.*\bprivacy\b)",
    re.IGNORECASE,
)


# Substrings one of which every _LEGAL match holds: a cheap test before the regex.
_LEGAL_MARKERS = (
    "©",
    "(c)",
    "copyright",
    "rights",
    "trademark",
    "acceptance",
    "may ",
    "affiliate",
    "terms",
    "personal",
)


def is_legal(line: str) -> bool:
    """Copyright footers, terms-and-privacy lines, affiliate disclosures."""
    if len(words(line)) > 80:  # a footer is a few lines of small print, not a paragraph
        return False
    lowered = line.lower()
    if not any(marker in lowered for marker in _LEGAL_MARKERS):
        return False
    return bool(_LEGAL.search(line)) and not is_reported_speech(line)


_COMMENT_UI = re.compile(
    r"^(comments?|\d+\s+comments?|leave a (comment|reply)|post a comment|add a comment|"
    r"show comments|view( all)? comments|comments are closed|join the (conversation|discussion)|"
    r"(read|see) (all )?comments|conversation|discussion)$",
    re.IGNORECASE,
)
_COMMENT_WORD = re.compile(r"\bcomment(s|ing|er|ers)?\b", re.IGNORECASE)
_POLICY_WORD = re.compile(
    r"\b(policy|policies|guidelines|tolerance|moderat(ed|ion|ors?|ing)|civil|civility|respectful|spam|"
    r"off[\s-]?topic|abusive|flag|report|reply|replying|partnering|community)\b",
    re.IGNORECASE,
)
# The reader-address words; "us" only in lower case, so the country "US" is not the reader.
_HOUSE_VOICE = re.compile(r"\b((?i:we|our|you|your|please|thank you)|us)\b")


def is_comment_policy(line: str) -> bool:
    """'We have no tolerance for comments containing ...', 'Leave a comment', '12 comments'."""
    if len(words(line)) > 60:  # a paragraph that reports on comments, not a policy notice
        return False
    if _COMMENT_UI.match(line.strip().rstrip(":")):
        return True
    return bool(
        _COMMENT_WORD.search(line) and _POLICY_WORD.search(line) and _HOUSE_VOICE.search(line)
    ) and not is_reported_speech(line)


_LIST_HEADING = re.compile(
    r"^(latest( \w+)?|more( [\w!'’.&-]+){0,4}|related( \w+)?|also|popular on [\w.-]+|recommended( \w+)?|trending( \w+)?|"
    r"popular( \w+)?|most (read|popular|viewed|shared|watched)|read (more|next|also)|also read|"
    r"you (may|might) (also )?like|don[’']t miss|top stories|see also|what to read next|"
    r"editors?[’']?s? picks?|further reading|around the web|from our partners|up next|"
    r"watch next|tags?|topics?|filed under|in (this|other) news|keep reading)\W*$",
    re.IGNORECASE,
)


def is_list_heading(line: str) -> bool:
    """'Latest Articles', 'More From OK! Magazine', 'MORE ON:', 'Related stories'."""
    return (
        len(words(line)) <= 6 and not is_sentence(line) and bool(_LIST_HEADING.match(line.strip()))
    )


_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATELINE = re.compile(
    rf"^\W*((published|updated|posted|last updated)\b.*\d|.*\b{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}\b.*"
    rf"\b(published|updated|posted|et|est|edt|gmt|utc|bst|pt|pdt|a\.m\.|p\.m\.|am|pm)\b)",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^by\s+[A-Z][\w.'’-]+(\s+[A-Z][\w.'’-]+){0,3}(\s*[,|·•—-].{0,60})?$")


def is_dateline_or_byline(line: str) -> bool:
    """'Jun. 7 2024, Published 2:27 p.m. ET', 'By Jane Doe | June 7, 2024', 'Jo Smith · 1 hour ago'."""
    short = len(words(line)) <= 14 and not is_sentence(line.rstrip(".").rstrip())
    return short and bool(
        _DATELINE.match(line) or _BYLINE.match(line.strip()) or has_relative_time(line)
    )


_KICKER = re.compile(
    r"^(breaking( news)?|developing( story)?|live( updates)?|exclusive|watch|listen)$"
)


def is_caps_teaser(line: str) -> bool:
    """'WHAT IS ARTIFICIAL INTELLIGENCE (AI)?', 'BREAKING NEWS': shouted link-outs and kickers.

    A line in capitals alone is often a subheading ("MAKING THE JAM", "FRANCE WINS"): only a
    shouted question (a teaser for another page) or a kicker label counts.
    """
    if not is_all_caps(line) or is_reported_speech(line):
        return False
    folded = " ".join(word.lower() for word in words(line))
    return line.rstrip().endswith("?") and len(words(line)) >= 3 or bool(_KICKER.match(folded))


def is_symbol_furniture(line: str) -> bool:
    """Rules that read no language: a short '© 2024 Name' line, a bar of network names."""
    if len(words(line)) > 12 or is_sentence(line):
        return False
    if "©" in line:
        return True
    tokens = {token for token in _share_tokens(line) if token != "x"}
    return len(tokens) >= 2 and tokens <= _NETWORKS


# What the rules below know: English. For other languages only is_symbol_furniture runs.
RULE_LANGUAGES = frozenset({"en"})
_ENGLISH_FUNCTION_WORDS = frozenset(
    "the and of to in is that for it with was on as are by this be at from have has".split()
)


def rules_apply(lines: Sequence[str], language: str | None) -> bool:
    """The keyword rules run on a page in a language they know, told or read from its words.

    A page that declares another language is off; an undeclared one must read as English: at
    least 6% of its words are English function words (English prose has ~25%, German or
    Italian prose under 2%).
    """
    if language is not None and language not in RULE_LANGUAGES:
        return False
    tokens = [word.lower() for line in lines for word in words(line)]
    hits = sum(token in _ENGLISH_FUNCTION_WORDS for token in tokens)
    return bool(tokens) and hits >= 0.06 * len(tokens)


LINE_RULES: tuple[Callable[[str], bool], ...] = (
    is_ad_marker,
    is_share_bar,
    is_credit,
    is_prompt,
    is_legal,
    is_comment_policy,
    is_list_heading,
    is_dateline_or_byline,
    is_caps_teaser,
)


def line_rule(line: str, english: bool = True) -> str | None:
    """The name of the first single-line rule that calls this line boilerplate, if any."""
    if is_symbol_furniture(line):
        return "is_symbol_furniture"
    for rule in LINE_RULES if english else ():
        if rule(line):
            return rule.__name__
    return None
