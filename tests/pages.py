"""Article pages written in the style of several outlets, with their boilerplate inside the body.

Each page is built from an article body (paragraphs we know to be body) and an outlet style
(its own wording of sign-up prompts, ad markers, share bars, credits, comment policies, footers),
so a test knows exactly which lines are body and which are boilerplate. The bodies include
near-misses: sentences that mention a newsletter, an advertiser, comments or a copyright as news.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from crawler.boilerplate import is_sentence, strip_trailing_credit
from storage.diffs import sentences

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@dataclass(frozen=True)
class Body:
    title: str
    paragraphs: tuple[str, ...]


BODIES = (
    Body(
        "Ashton Kutcher's Sora remarks draw a response from Hollywood crew unions",
        (
            "Leaders of two Hollywood crew unions on Monday criticised Ashton Kutcher's praise of "
            "OpenAI's Sora, saying the video generator threatens thousands of below-the-line jobs.",
            "Kutcher told an audience at the Berggruen Institute that Sora could produce an "
            "establishing shot for $100, a task that once required a location crew.",
            '"We build the sets, we light them, we move the cameras," said Maria Delgado, a '
            'business agent for a grips local. "A tool that fakes all of that is not a tool for us."',
            "The union's newsletter, which goes to 9,000 members, devoted its front page to the "
            "remarks this week, a spokesperson said.",
            "Advertisers have so far stayed out of the dispute, according to two agencies that "
            "place campaigns on entertainment sites.",
            "Kutcher, whose firm Sound Ventures has invested in OpenAI, has said he does not expect "
            "artificial intelligence to replace the film industry.",
            "Several comments under his post on X were removed for breaking the platform's rules, "
            "a company spokesperson said.",
            "OpenAI has not said when Sora will be released to the public.",
        ),
    ),
    Body(
        "City council approves a new bus lane on Harbor Street",
        (
            "The city council voted 7-2 on Tuesday to build a dedicated bus lane along Harbor "
            "Street, ending a two-year debate over parking and traffic.",
            "Construction is expected to begin in April and last about five months, the "
            "transportation department said.",
            "Residents who sign up for the city's text alerts will receive notices about lane "
            "closures, officials said at the meeting.",
            "Shop owners on the street had argued that losing 40 parking spaces would hurt "
            "business, and several asked for a delay.",
            "Copyright lawyers for a local artist said a mural on the route must be preserved, and "
            "the council agreed to move the lane around it.",
            "More than 300 people submitted written comments during the public review.",
            "The project will cost $12 million, most of it paid by a federal grant.",
        ),
    ),
    Body(
        "Researchers find that a common garden bird is nesting earlier",
        (
            "Great tits in southern England are laying their eggs about eleven days earlier than "
            "they did in the 1960s, according to a study published on Wednesday.",
            "The researchers analysed more than 80,000 nest records collected by volunteers over "
            "six decades.",
            "Warmer springs bring caterpillars out sooner, and the birds have shifted their "
            "breeding to match the peak in food, the authors wrote.",
            "The team shared its data with the public so that other scientists could check the "
            "results, a practice that funders increasingly require.",
            "Volunteers can subscribe to the survey's mailing list to learn where help is needed "
            "next season, the lead author said.",
            "Not every species has kept pace, and some migrants now arrive after the food peak "
            "has passed.",
            "Photo agencies licensed pictures of the nesting boxes within hours of the study's "
            "release, which drew wide coverage.",
        ),
    ),
    Body(
        "Streaming service raises prices for its ad-free plan",
        (
            "The streaming service said on Thursday that it would raise the price of its ad-free "
            "plan by two dollars a month starting in March.",
            "Subscribers on the cheaper plan with advertisements will keep their current price "
            "for at least a year, the company said.",
            "Analysts said the increase reflects rising costs for sports rights and original "
            "series.",
            "The company reported 4.1 million new sign-ups in the last quarter, more than Wall "
            "Street had expected.",
            "Its chief executive told investors that advertising revenue had doubled since the "
            "cheaper plan launched.",
            "Customers who cancel before the change takes effect will not be charged the higher "
            "price, a spokeswoman said.",
        ),
    ),
)


@dataclass(frozen=True)
class Outlet:
    name: str
    boilerplate: tuple[str, ...]
    render: Callable[[Body, Outlet], str]


def _p(text: str, cls: str = "") -> str:
    attribute = f' class="{cls}"' if cls else ""
    return f"<p{attribute}>{html.escape(text)}</p>\n"


def _link(text: str) -> str:
    """A headline in a list of links to other stories, as outlets mark them up."""
    # A fragment link: the replica crawls these pages, and a related story it does not serve
    # would count as a failed fetch.
    slug = "-".join(text.lower().split()[:4])
    return f'<p><a href="#{html.escape(slug)}">{html.escape(text)}</a></p>\n'


def _page(outlet: Outlet, body: Body, article_html: str, head_extra: str = "") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
        f"<title>{html.escape(body.title)} | {html.escape(outlet.name)}</title>\n"
        f'<meta property="og:site_name" content="{html.escape(outlet.name)}">\n{head_extra}'
        f"</head><body>\n<header><nav><a href='/'>Home</a> <a href='/news'>News</a> "
        f"<a href='/entertainment'>Entertainment</a> <a href='/tech'>Tech</a></nav></header>\n"
        f"<main><article>\n<h1>{html.escape(body.title)}</h1>\n{article_html}</article></main>\n"
        f"<footer><p>About us</p><p>Contact</p><p>Careers</p></footer>\n</body></html>\n"
    )


def _interleave(paragraphs: tuple[str, ...], inserts: dict[int, list[str]]) -> str:
    parts = []
    for index, paragraph in enumerate(paragraphs):
        parts.extend(inserts.get(index, []))
        parts.append(_p(paragraph))
    parts.extend(inserts.get(len(paragraphs), []))
    return "".join(parts)


LEDGER = (
    "Share on Facebook Share on Twitter Share via Email",
    "ADVERTISEMENT",
    "Story continues below",
    "Get the Ledger's morning briefing delivered to your inbox. Subscribe now!",
    "Photo: Jane Roe/Reuters",
    "Comments are moderated. Please keep the conversation civil and on topic.",
    "Read more:",
    "Five things to know before the weekend",
    "© 2024 Daily Ledger Media Group. All rights reserved.",
)


def _render_ledger(body: Body, outlet: Outlet) -> str:
    b = outlet.boilerplate
    inserts = {
        0: [_p(b[0], "share"), _p("Jun 3, 2024, Updated 4:15 PM EDT", "dateline")],
        2: [_p(b[1], "ad"), _p(b[2])],
        3: [
            _p(b[3], "promo"),
            f'<figure><img src="x.jpg"><figcaption>{html.escape(b[4])}</figcaption></figure>\n',
        ],
        len(body.paragraphs): [_p(b[5]), _p(b[6]), _link(b[7]), _p(b[8])],
    }
    return _page(outlet, body, _interleave(body.paragraphs, inserts))


PULSE = (
    "Subscribe to keep reading",
    "Already a subscriber? Log in",
    "Advertisement - Scroll to continue",
    "Don't miss out! Sign up for Pulse Weekly and never miss a headline.",
    "Image credit: Backgrid",
    "Follow us on Instagram and TikTok",
    "Trending Now",
    "The best red carpet looks of the year",
    "Ten shows to stream this week",
    "Pulse Media may receive compensation for some links to products and services on this site.",
)


def _render_pulse(body: Body, outlet: Outlet) -> str:
    b = outlet.boilerplate
    inserts = {
        1: [_p(b[2])],
        3: [_p(b[3]), _p(b[4])],
        5: [_p(b[2])],
        len(body.paragraphs): [
            _p(b[5]),
            _p(b[0]),
            _p(b[1]),
            _p(b[6]),
            _link(b[7]),
            _link(b[8]),
            _p(b[9]),
        ],
    }
    return _page(outlet, body, _interleave(body.paragraphs, inserts))


TECHWIRE = (
    "Email Facebook X LinkedIn Copy link",
    "Skip Advertisement",
    "Download the TechWire app for breaking news alerts.",
    "Sign in to comment",
    "Our community guidelines ask that you keep comments respectful. Abusive comments will be "
    "removed.",
    "Related Stories",
    "Inside the race to build better batteries",
    "Copyright 2024 TechWire Inc.",
    "ENJOYING THIS STORY? GET OUR DAILY TECH BRIEFING",
)


def _render_techwire(body: Body, outlet: Outlet) -> str:
    b = outlet.boilerplate
    inserts = {
        0: [_p(b[0])],
        2: [_p(b[1]), _p(b[8])],
        4: [_p(b[2])],
        len(body.paragraphs): [_p(b[3]), _p(b[4]), _p(b[5]), _link(b[6]), _p(b[7])],
    }
    return _page(outlet, body, _interleave(body.paragraphs, inserts))


OUTLETS = (
    Outlet("Daily Ledger", LEDGER, _render_ledger),
    Outlet("Pulse Entertainment", PULSE, _render_pulse),
    Outlet("TechWire", TECHWIRE, _render_techwire),
)


@dataclass(frozen=True)
class Page:
    """An HTML page with the body sentences it holds and the boilerplate lines it carries."""

    name: str
    html: str
    body_sentences: tuple[str, ...]
    boilerplate: tuple[str, ...]


def styled_pages() -> list[Page]:
    """Every body in every outlet's style."""
    return [
        Page(
            name=f"{outlet.name} / {body.title[:30]}",
            html=outlet.render(body, outlet),
            body_sentences=tuple(s for p in body.paragraphs for s in sentences(p)),
            boilerplate=outlet.boilerplate,
        )
        for outlet in OUTLETS
        for body in BODIES
    ]


# The seeds' own boilerplate (what trafilatura 2.3.1 kept, per the issue), and their body.
SEED_BOILERPLATE = (
    "Join Fox News for access to this content",
    "Plus special access to select articles and other premium content with your account - free "
    "of charge.",
    "Please enter a valid email address.",
    "Article continues below advertisement",
    "Advertisement",
    "Link to FacebookShare to XShare to Email",
    "CLICK HERE TO SIGN UP FOR THE ENTERTAINMENT NEWSLETTER",
    "CLICK HERE TO GET THE FOX NEWS APP",
    "LIKE WHAT YOU’RE READING? CLICK HERE FOR MORE ENTERTAINMENT NEWS",
    "Want OK! each day? Sign up here!",
    "Source: mega",
    "We have no tolerance for comments containing violence, racism, profanity, vulgarity, doxing, "
    "or discourteous behavior.",
    "Latest Articles",
    "More From OK! Magazine",
    "Opt-out of personalized ads",
    "Never miss a story — sign up for the OK! newsletter",
    "© Copyright 2024 OK!",
    "WHAT IS ARTIFICIAL INTELLIGENCE (AI)?",
    "BREAKING NEWS",
    "Jun. 7 2024, Published 2:27 p.m. ET",
    "Comment",
)

# Lines of the seeds that are neither body nor in the list above: page furniture of the seeds'
# layouts (logo text, image alt text, bylines, tag lists). Everything else is body.
SEED_FURNITURE = (
    "OK LogoNEWS",
    "ashton kutcher clarifies comments ai movies backlash catastrophic",
    "ashton kutcher ai",
    "MORE ON:",
    "Ashton Kutcher",
    "Close up of Ashton Kutcher",
    "Ashton Kutcher in a tuxedo on the red carpet",
    "Ashton Kutcher points on the red carpet in a crisp white shirt and blue suit blazer",
    "Look:",
    "Vivek Saxena",
    "By entering your email and pushing continue, you are agreeing to Fox News' Terms of Use and "
    "Privacy Policy, which includes our Notice of Financial Incentive.",
)


def _is_furniture(line: str) -> bool:
    return any(line == item or line.startswith(item) for item in SEED_BOILERPLATE + SEED_FURNITURE)


def seed_body_lines(text: str) -> list[str]:
    """The body paragraphs of a seed: every line but its boilerplate, furniture and headline."""
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    return [strip_trailing_credit(line) for line in lines if not _is_furniture(line)]


def seed_pages() -> list[Page]:
    """The seeds wrapped in plain <article><p> HTML, as the issue measured them."""
    pages = []
    for path in sorted(SEEDS.glob("*.txt")):
        lines = [" ".join(line.split()) for line in path.read_text().splitlines() if line.strip()]
        body = seed_body_lines(path.read_text())
        if body and not is_sentence(body[0]):
            body = body[1:]  # the headline
        document = "<html><body><article>\n" + "".join(_p(line) for line in lines)
        pages.append(
            Page(
                name=path.name,
                html=document + "</article></body></html>",
                body_sentences=tuple(s for line in body for s in sentences(line)),
                boilerplate=SEED_BOILERPLATE,
            )
        )
    return pages
