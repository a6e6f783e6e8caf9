"""Markup as evidence: link-outs and furniture blocks go, in any language; linked body stays."""

from __future__ import annotations

import pytest
import trafilatura
from lxml import html as lxml_html
from trafilatura.utils import load_html

from crawler.extract import clean_html
from crawler.furniture import page_evidence

BODY = {
    "de": [
        "Der Gemeinderat hat am Dienstag mit sieben zu zwei Stimmen eine neue Busspur beschlossen.",
        "Die Bauarbeiten sollen im April beginnen und etwa fünf Monate dauern, sagte die Stadt.",
        "Ladenbesitzer hatten befürchtet, dass der Wegfall von vierzig Parkplätzen ihnen schadet.",
    ],
    "fr": [
        "Le conseil municipal a voté mardi la création d'une voie de bus sur la rue du Port.",
        "Les travaux doivent commencer en avril et durer environ cinq mois, selon la mairie.",
        "Les commerçants craignaient que la perte de quarante places de stationnement leur nuise.",
    ],
    "en": [
        "The city council voted 7-2 on Tuesday to build a dedicated bus lane along Harbor Street.",
        "Construction is expected to begin in April and last about five months, the city said.",
        "Shop owners had argued that losing 40 parking spaces would hurt business on the street.",
    ],
}
# Per language: (furniture that must go, linked lines of the body that must stay)
MARKUP = {
    "de": (
        [
            '<p>Lesen Sie auch: <a href="/b">Neue Radwege für die Innenstadt</a></p>',
            '<p class="promo">Unser Newsletter: jeden Morgen das Wichtigste aus der Stadt</p>',
        ],
        ['<p>Quelle: <a href="https://land.example">Landesregierung</a></p>'],
    ),
    "fr": (
        [
            '<p>À lire aussi » <a href="/b">Les pistes cyclables du centre-ville</a></p>',
            '<p class="promo">Inscrivez-vous à notre lettre du matin</p>',
        ],
        ['<p>Compte : <a href="https://x.example/@mairie">@mairie_du_port</a></p>'],
    ),
    "en": (
        [
            '<p>Related: <a href="/b">New bike lanes for downtown</a></p>',
            '<p><a href="/c">CLICK FOR FULL COUNCIL RESULTS</a></p>',
            '<p class="ad">Presented by Harbor Savings Bank</p>',
        ],
        [
            '<p>- See it now: <a href="https://shop.example">Amazon</a></p>',
        ],
    ),
}


def page(language: str) -> str:
    gone, kept = MARKUP[language]
    paragraphs = [f"<p>{text}</p>" for text in BODY[language]]
    parts = paragraphs[:1] + gone[:1] + paragraphs[1:2] + kept + gone[1:] + paragraphs[2:]
    return (
        f'<html lang="{language}"><body><article><h1>Bus lane</h1>{"".join(parts)}'
        "</article></body></html>"
    )


@pytest.mark.parametrize("language", sorted(MARKUP))
def test_link_outs_and_named_blocks_go_and_linked_body_stays(language):
    text = clean_html(page(language)).text
    for paragraph in BODY[language]:
        assert paragraph in text
    gone, kept = MARKUP[language]
    bare = " ".join(trafilatura.extract(page(language)).split())
    for item in gone + kept:
        assert _text(item) in bare  # bare trafilatura keeps them all: the markup decides
    for item in gone:
        assert _text(item)[:20] not in text
    for item in kept:
        assert _text(item) in text


def _text(fragment: str) -> str:
    return " ".join(lxml_html.fragment_fromstring(fragment).text_content().split())


def test_a_big_wrapper_named_like_furniture_is_not_furniture():
    paragraphs = "".join(f"<p>{text}</p>" for text in BODY["en"] * 3)
    tree = load_html(
        f'<html><body><div class="page has-ads social">{paragraphs}</div></body></html>'
    )
    evidence = page_evidence(tree)
    assert not any(evidence.is_furniture(text) for text in BODY["en"])
