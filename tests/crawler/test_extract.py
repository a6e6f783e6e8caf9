"""Clean text: trafilatura's article, without the boilerplate inside the body."""

from __future__ import annotations

import pytest

from crawler.body import strip_boilerplate
from crawler.boilerplate import line_rule
from crawler.extract import ExtractionError, clean_html, clean_text
from storage.dedupe import normalise_text
from tests.extraction_figures import clean_text_of, score
from tests.pages import SEED_BOILERPLATE, SEEDS, seed_body_lines, seed_pages, styled_pages


@pytest.mark.parametrize("page", styled_pages(), ids=lambda page: page.name)
def test_outlet_pages_keep_every_body_sentence_and_no_boilerplate(page):
    result, problems = score([page], clean_text_of)
    assert problems == []
    assert result.boilerplate_total >= 5  # the page really carried its outlet's boilerplate


def test_seed_pages_lose_nothing_and_keep_no_boilerplate():
    result, problems = score(seed_pages(), clean_text_of)
    assert problems == []
    assert result.sentences_total > 100


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda path: path.name)
def test_plain_text_seed_is_cleaned(path):
    article = clean_text(path.read_text(encoding="utf-8"))
    kept = set(article.paragraphs)
    for line in seed_body_lines(path.read_text(encoding="utf-8")):
        assert line in kept or line == article.title
    folded = [normalise_text(paragraph) for paragraph in article.paragraphs]
    for item in SEED_BOILERPLATE:
        assert not any(paragraph.startswith(normalise_text(item)) for paragraph in folded)


def test_html_metadata_comes_through():
    page = """<html lang="en-GB"><head><title>Harbor bus lane approved - The Ledger</title>
    <link rel="canonical" href="https://ledger.example/news/bus-lane">
    <meta property="og:site_name" content="The Ledger">
    <meta name="author" content="Jane Roe">
    <meta property="article:published_time" content="2024-06-07T14:27:00-04:00"></head>
    <body><article><h1>Harbor bus lane approved</h1>
    <p>The city council voted on Tuesday to build a dedicated bus lane along Harbor Street.</p>
    <p>Construction is expected to begin in April and to last about five months in all.</p>
    <p>Shop owners had argued that losing parking spaces would hurt business on the street.</p>
    </article></body></html>"""
    article = clean_html(page.encode(), url="https://ledger.example/news/bus-lane?utm_source=rss")
    assert article.title == "Harbor bus lane approved"
    assert article.canonical_url == "https://ledger.example/news/bus-lane"
    assert article.site_name == "The Ledger"
    assert article.author == "Jane Roe"
    assert article.language == "en"
    assert article.published_at.isoformat() == "2024-06-07T18:27:00+00:00"
    assert article.paragraphs[0].startswith("The city council voted")


def test_comment_section_is_not_article_text():
    page = """<html><body><article><h1>Council approves new bus lane on Harbor Street</h1>
    <p>The city council voted on Tuesday to build a dedicated bus lane along Harbor Street.</p>
    <p>Construction is expected to begin in April and to last about five months in all.</p>
    </article><section id="comments" class="comments"><h2>Comments</h2>
    <div class="comment"><p>This is the worst idea the council has had in years, honestly.</p></div>
    </section></body></html>"""
    assert "worst idea" not in clean_html(page).text


def test_a_page_without_article_text_is_an_error():
    with pytest.raises(ExtractionError):
        clean_html(b"<html><body><nav><a href='/'>Home</a></nav></body></html>")
    with pytest.raises(ExtractionError):
        clean_text("Advertisement\nShare on Facebook Share on X\n")


@pytest.mark.parametrize(
    "line",
    [
        "The union's newsletter, which goes to 9,000 members, devoted its front page to it.",
        "Advertisers have so far stayed out of the dispute, according to two agencies.",
        "Readers who sign up for the city's alerts will get notices, officials said.",
        "Several comments under his post were removed for breaking the rules, a spokesperson said.",
        "Copyright lawyers for a local artist say the mural must be preserved.",
        "He shared the clip to Facebook and X on Tuesday morning.",
        "More than 300 people submitted written comments during the public review.",
        "Subscribers on the cheaper plan with advertisements will keep their price, it said.",
        '"Sign up for my newsletter," Kutcher joked at the end of the panel.',
        "The actor married Mila Kunis in 2015.",
    ],
)
def test_body_sentences_that_mention_boilerplate_words_survive(line):
    assert line_rule(line) is None
    assert strip_boilerplate(["A first paragraph of the article that is long enough.", line]) == [
        "A first paragraph of the article that is long enough.",
        line,
    ]


@pytest.mark.parametrize(
    "line",
    [
        "Subscribe to keep reading",
        "Already a subscriber? Log in",
        "Sign up for our daily newsletter and never miss a story!",
        "Get the Ledger app for breaking news",
        "Story continues after this ad",
        "ADVERTISEMENT",
        "Share this article: Facebook, X, WhatsApp",
        "Photo: Jane Roe/Reuters",
        "Comments are moderated. Please keep the conversation civil.",
        "© 2024 Example Media Group. All rights reserved.",
        "You may also like",
    ],
)
def test_boilerplate_in_other_wordings_is_recognised(line):
    assert line_rule(line) is not None


def test_caption_credit_is_trimmed_and_alt_text_dropped():
    lines = [
        "The council met on Tuesday evening to vote on the bus lane proposal.",
        "Harbor Street at dusk",
        "Buses queue on Harbor Street during the evening rush. (Jane Roe/Ledger Photo)",
        "The vote was seven to two in favour of the new lane.",
    ]
    assert strip_boilerplate(lines) == [
        lines[0],
        "Buses queue on Harbor Street during the evening rush.",
        lines[3],
    ]


def test_a_repeated_body_paragraph_keeps_its_first_copy_and_repeated_short_lines_stay():
    body = "The vote was seven to two in favour of the new lane on Tuesday."
    lines = [
        "Meal 2",
        body,
        "Meal 2",
        "Another paragraph of the article text here.",
        "Meal 2",
        body,
    ]
    assert strip_boilerplate(lines) == lines[:5]


@pytest.mark.parametrize(
    "line",
    [
        "Kutcher's comments angered much of the visual effects community in the US.",
        "OpenAI plans to make Sora available to paying ChatGPT subscribers in the US later.",
        "Users in the US will need to sign up for a waiting list first, the company said",
        "If you just want Disney+, you can sign up for a free 7-day trial at $6.99 a month.",
        "US regulators asked the platform to explain its community guidelines on comments",
    ],
)
def test_reporting_that_names_the_us_or_talks_about_readers_is_body(line):
    assert line_rule(line) is None


@pytest.mark.parametrize(
    "line",
    ["MAKING SPICED HONEY PEAR JAM", "KAZAKHSTAN WINS AGAIN", "VOLKSWAGEN ID. SPACE CONCEPT"],
)
def test_a_subheading_in_capitals_is_body(line):
    assert line_rule(line) is None


# Real lines of non-English pages in trafilatura's evaluation set (tests/evaldata.json) that the
# English rules once cut, and one each in French and Italian written in the same shape.
FOREIGN_BODY = {
    "de": [
        "Mit unserem Newsletter erhalten Sie monatlich Informationen rund um das Urlaubsland.",
        "Vollständig durchgerechnete Lösung",
        "Gestaltung/Künstlerische Leitung",
        "ORSO MARSICANO: 2019 UN ANNO DA RECORD",
    ],
    "fr": ["Crédit photo : un lecteur a partagé ses images du chantier de la gare."],
    "it": ["Iscriviti alla newsletter del comune per ricevere gli avvisi sui cantieri."],
}


@pytest.mark.parametrize("language", sorted(FOREIGN_BODY))
def test_keyword_rules_are_off_for_languages_they_do_not_know(language):
    lines = ["Ein erster Absatz, der lang genug ist, um als Text zu gelten."] + FOREIGN_BODY[
        language
    ]
    assert strip_boilerplate(lines, language=language) == lines
    assert strip_boilerplate(lines, language=None) == lines  # undeclared: read as not English


def test_symbol_furniture_goes_in_any_language():
    lines = [
        "Der Gemeinderat hat am Dienstag über die neue Busspur beraten und abgestimmt.",
        "© 2019 Sven Schreivogel",
        "Facebook Twitter WhatsApp",
    ]
    assert strip_boilerplate(lines, language="de") == lines[:1]


@pytest.mark.parametrize(
    ("line", "language"),
    [
        ("Jo Smith · Film reporter · 1 hour ago", "en"),
        ("Updated 35 minutes ago", "en"),
    ],
)
def test_a_byline_with_a_relative_time_is_furniture(line, language):
    body = ["A group of visual effects artists has published an open letter to the actor.", line]
    assert strip_boilerplate(body, language=language) == body[:1]


def test_an_article_in_a_script_without_spaces_is_long_enough():
    # NHK News Web Easy's shape (tests/eval in trafilatura's evaluation set): three short
    # paragraphs of Japanese, about 140 characters, no spaces between words.
    paragraphs = [
        "子どもへの虐待をなくすための法律ができて、親が子どもを教育するために、たたいたり蹴ったりしてはいけないと決まりました。",
        "法律では虐待をした親に専門家が子どもの育て方を教えることも決まりました。",
        "日本に前からある法律では、親には子どもを叱る権利があると決めています。",
    ]
    page = (
        '<html lang="ja"><body><article><h1>虐待をなくすための法律</h1>'
        + "".join(f"<p>{text}</p>" for text in paragraphs)
        + "</article></body></html>"
    )
    assert clean_html(page).paragraphs == paragraphs
