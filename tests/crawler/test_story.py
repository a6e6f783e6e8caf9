"""The story's own time window: from its seeds' dates, not from today's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from crawler.config import ConfigError, config_from_dict
from crawler.story import load_story, window_start


def config_for(project, **story):
    return config_from_dict(
        {"story": {"name": "Kutcher and Sora", "seeds": "seeds", **story}},
        project / "storywatch.toml",
    )


def test_the_window_opens_four_weeks_before_the_earliest_dated_seed(project):
    config = config_for(project)
    story = load_story(config)
    # seeds.toml dates the OK! Magazine seed "Jun. 7 2024, 2:27 p.m. ET".
    earliest = datetime(2024, 6, 7, 18, 27, tzinfo=UTC)
    assert window_start(config, story.seeds, first_run_at=None) == earliest - timedelta(weeks=4)


def test_since_and_its_margin_can_be_set(project):
    config = config_for(project, since="2024-06-01", since_margin="10d")
    assert window_start(config, load_story(config).seeds, None) == datetime(2024, 6, 1, tzinfo=UTC)
    config = config_for(project, since_margin="10d")
    start = window_start(config, load_story(config).seeds, None)
    assert start == datetime(2024, 6, 7, 18, 27, tzinfo=UTC) - timedelta(days=10)


def test_undated_seeds_open_the_window_before_the_first_run(project):
    (project / "seeds" / "seeds.toml").unlink()
    config = config_for(project)
    first_run = datetime(2026, 1, 5, tzinfo=UTC)
    seeds = load_story(config).seeds
    assert window_start(config, seeds, first_run) == first_run - timedelta(weeks=4)
    before_any_run = window_start(config, seeds, None)
    assert abs(before_any_run - (datetime.now(UTC) - timedelta(weeks=4))) < timedelta(minutes=1)


@pytest.mark.parametrize(
    ("story", "message"),
    [
        ({"since": "last June"}, 'story.since: expected a date like "2024-06-01"'),
        ({"since_margin": "a month"}, "story.since_margin: expected a positive number"),
        ({"since_margin": 30}, 'story.since_margin: expected a duration like "4w"'),
    ],
)
def test_a_bad_window_key_is_one_line_naming_it(project, story, message):
    with pytest.raises(ConfigError) as error:
        config_for(project, **story)
    assert message in str(error.value) and "\n" not in str(error.value)
