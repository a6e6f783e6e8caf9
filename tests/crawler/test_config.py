"""storywatch.toml: one validated object, errors named by key and file."""

from __future__ import annotations

import pytest

from crawler.config import ConfigError, load_config, parse_every
from tests.conftest import ROOT


def test_the_bundled_config_loads():
    config = load_config(str(ROOT / "storywatch.toml"))
    assert config.story.name and config.seeds_dir == ROOT / "seeds"
    assert config.database_url == f"sqlite:///{ROOT / 'storywatch.db'}"
    assert config.crawl.allow_private_addresses is False and config.crawl.obey_robots is True


def test_config_path_comes_from_the_environment(tmp_path, monkeypatch):
    path = tmp_path / "elsewhere.toml"
    path.write_text('[story]\nname = "x"\n[storage]\nurl = "postgresql://localhost/test"\n')
    monkeypatch.setenv("STORYWATCH_CONFIG", str(path))
    config = load_config()
    assert config.story.name == "x" and config.database_url == "postgresql://localhost/test"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[story\nname = 1", "not valid TOML"),
        ('[story]\nname = "x"\nmin_relevance = 1.5\n', "story.min_relevance"),
        ('[story]\nname = "x"\n[schedule]\nevery = "soon"\n', "schedule.every"),
        ('[story]\nname = "x"\n[alerts]\nenabled = true\nto = ["a@b.example"]\n', "from"),
        ('[story]\nname = "x"\n[crawl]\nfrontier = "http://redis"\n', "crawl.frontier"),
        (
            '[story]\nname = "x"\n[[sources]]\nkind = "rss"\nurl = "https://a.example/f"\n',
            "sources[0].kind",
        ),
        (
            '[story]\nname = "x"\n[[sources]]\nkind = "feed"\nurl = "file:///etc/passwd"\n',
            "sources[0]",
        ),
    ],
)
def test_bad_values_are_one_line_naming_the_key(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_config(str(path))
    assert message in str(caught.value) and str(path) in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("text", "seconds"), [("2s", 2), ("30m", 1800), ("6h", 21600), ("1d", 86400)]
)
def test_intervals(text, seconds):
    assert parse_every(text) == seconds


def test_a_zero_interval_is_refused():
    with pytest.raises(ValueError):
        parse_every("0m")
