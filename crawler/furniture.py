"""Evidence from a page's markup that a line of its extracted text is page furniture.

trafilatura returns text without its markup, so the evidence is gathered from the page's tree
before extraction and matched to lines by their words (lower case, punctuation folded):

- link-outs: the text of each <a>; a line that is one whole link is a headline pointing
  elsewhere, a button or a tag, not a paragraph (Readability and jusText use link density the
  same way);
- furniture blocks: the text of <aside> and <nav> elements and of elements whose class or id
  names a known kind of furniture (share bars, newsletter and promo boxes, related-story lists,
  ad slots, breadcrumbs), and of the blocks inside them.

The class/id names are the ones trafilatura's own cleaning and Mozilla Readability's
`unlikelyCandidates` list use, cut to those that name furniture and never an article's body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import html as lxml_html

__all__ = ["Evidence", "fold", "page_evidence"]

_NAME_TOKEN = re.compile(r"[a-z]+")
FURNITURE_NAMES = frozenset(
    "share sharing sharebar social socials newsletter newsletters signup promo promos "
    "promotion related recommended recommendations outbrain taboola advert advertisement "
    "advertising ad ads adslot sponsor sponsored subscribe subscription paywall breadcrumb "
    "breadcrumbs".split()
)
_FURNITURE_TAGS = ("aside", "nav")
_BLOCKS = ("p", "li", "div", "span", "h1", "h2", "h3", "h4", "h5", "h6", "a", "strong", "em")
MAX_LINK_WORDS = 25  # a longer "link" is a paragraph wrapped in an anchor
# A furniture block is small or mostly links: a share bar, a promo box, a related-story list. A
# bigger element named "social" or "ads" is a page wrapper (`<div class="has-ads">`), and its
# text is the article.
MAX_BLOCK_WORDS = 60
MIN_LINK_DENSITY = 0.5


def fold(text: str) -> str:
    """Lower case, white space folded: the key lines and elements match on.

    Only white space is folded (not punctuation): it is what trafilatura changes in a text,
    and str.split is ten times cheaper than a word regex over every element of a page.
    """
    return " ".join(text.lower().split())


@dataclass(frozen=True)
class Evidence:
    """Folded texts of a page's link-outs and furniture blocks."""

    links: frozenset[str] = field(default_factory=frozenset)
    furniture: frozenset[str] = field(default_factory=frozenset)

    def is_link(self, line: str) -> bool:
        return fold(line) in self.links

    def is_furniture(self, line: str) -> bool:
        return fold(line) in self.furniture


def _is_furniture_element(element: lxml_html.HtmlElement) -> bool:
    names = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
    named = any(token in FURNITURE_NAMES for token in _NAME_TOKEN.findall(names))
    if not (named or element.tag in _FURNITURE_TAGS):
        return False
    total = len(element.text_content().split())
    if total <= MAX_BLOCK_WORDS:
        return True
    linked = sum(len(link.text_content().split()) for link in element.iter("a"))
    return linked >= MIN_LINK_DENSITY * total


def _texts(elements) -> set[str]:
    found = set()
    for element in elements:
        key = fold(element.text_content())
        if key:
            found.add(key)
    return found


def page_evidence(tree: lxml_html.HtmlElement) -> Evidence:
    """Link-outs and furniture blocks of a parsed page (read before trafilatura prunes it)."""
    links = {key for key in _texts(tree.iter("a")) if len(key.split()) <= MAX_LINK_WORDS}
    named = tree.xpath("//*[@class or @id] | //aside | //nav")
    containers = [element for element in named if _is_furniture_element(element)]
    blocks = [inner for container in containers for inner in container.iter(*_BLOCKS)]
    return Evidence(frozenset(links), frozenset(_texts(containers) | _texts(blocks)))
