"""`storywatch story`, `story --score`, `rejected` and `init`, run as a user runs them."""

from __future__ import annotations

import tomllib

import pytest

from schedules.replica import ReplicaWeb
from tests.commands import storywatch
from tests.crawler.replica_site import PULSE_STYLE, render
from tests.crawler.stories import load_stories
from tests.pages import Body

STORIES = {story.key: story for story in load_stories()}
NO_SORA = next(text for text in STORIES["kutcher"].on if "Sora" not in text)


def test_story_prints_the_profile(project):
    shown = storywatch(project, "story", check=True).stdout
    assert "anchor (a page must name it): Ashton Kutcher" in shown
    assert "queries: Ashton Kutcher" in shown and "Ashton Kutcher Sora" in shown
    assert "who: Ashton Kutcher" in shown and "OpenAI" in shown
    assert "what: " in shown and "establishing shot" in shown
    assert "time window: from 2024-05-10 18:27 UTC (the earliest seed date less the margin)" in shown
    assert "min_relevance: 0.5" in shown
    assert 'quote: "' in shown


def test_score_a_file_says_why(project, tmp_path):
    page = tmp_path / "no-sora.txt"
    page.write_text(NO_SORA, encoding="utf-8")
    shown = storywatch(project, "story", "--score", str(page), check=True).stdout
    assert "(coverage at 0.5)" in shown
    assert "why: names Ashton Kutcher" in shown and "OpenAI" in shown


def test_score_a_url_and_an_off_story_page(project):
    with ReplicaWeb() as web:
        outlet = web.outlet("pulse")
        lakers, netflix, marathon = (STORIES["kutcher"].off[i] for i in (0, 2, 4))
        body = Body("Kutcher's week: courtside, a new series, a marathon", (lakers, netflix, marathon))
        url = outlet.put("/2024/06/kutcher-week", render(PULSE_STYLE, body))
        shown = storywatch(project, "story", "--score", url, check=True).stdout
    assert "(not coverage at 0.5)" in shown and "names Ashton Kutcher" in shown


@pytest.mark.parametrize("ref", ["does-not-exist.txt", "http://127.0.0.1:9/refused", "empty"])
def test_unreadable_page_is_one_line(project, ref):
    if ref == "empty":
        ref = str(project / "storywatch.toml")  # a file, but no article in it
    done = storywatch(project, "story", "--score", ref)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert ref in done.stderr


def test_rejected_with_nothing_yet(project):
    assert "no pages left out yet" in storywatch(project, "rejected", check=True).stdout


def test_init_starts_a_story_from_a_file_and_a_url(project, tmp_path):
    plague = STORIES["plague"]
    first = tmp_path / "beijing-cases.txt"
    first.write_text(plague.seeds[0], encoding="utf-8")
    folder = tmp_path / "plague-2019"
    with ReplicaWeb() as web:
        outlet = web.outlet("pulse")
        body = Body("A third plague case in Inner Mongolia", (plague.seeds[1], plague.seeds[2]))
        url = outlet.put("/2019/11/third-case", render(PULSE_STYLE, body))
        done = storywatch(project, "init", str(folder), "--seed", str(first), "--seed", url)
    assert done.returncode == 0, done.stderr
    config = tomllib.loads((folder / "storywatch.toml").read_text("utf-8"))
    assert config["story"]["name"] == "plague-2019" and config["story"]["seeds"] == "seeds"
    assert all(source["kind"] == "search" for source in config["sources"])
    manifest = tomllib.loads((folder / "seeds" / "seeds.toml").read_text("utf-8"))["seed"]
    assert [entry.get("url") for entry in manifest] == [None, url]
    assert manifest[1]["title"] == "A third plague case in Inner Mongolia"
    assert len(list((folder / "seeds").iterdir())) == 3
    shown = storywatch(folder, "story", check=True).stdout
    assert "anchor (a page must name it): Inner Mongolia" in shown
    assert "plague" in shown.split("what: ")[1] and "plagu," not in shown  # words, not stems


def test_init_refuses_an_existing_folder_and_a_bad_seed(project, tmp_path):
    done = storywatch(project, "init", str(project), "--seed", "x.txt")
    assert done.returncode == 2 and "already exists" in done.stderr
    target = tmp_path / "new-story"
    done = storywatch(project, "init", str(target), "--seed", str(tmp_path / "missing.txt"))
    assert done.returncode == 2 and "no such file" in done.stderr
    assert not target.exists()
