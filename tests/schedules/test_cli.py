"""The storywatch command, run as a user runs it, on a real SQLite file."""

from __future__ import annotations

import json
import os

import pytest

from schedules.cli import main
from tests.conftest import write_config

SEED_COUNT = 5


def run(capsys, project, *args: str) -> tuple[int, str, str]:
    code = main([*args, "--config", str(project / "storywatch.toml")])
    out, err = capsys.readouterr()
    return code, out, err


def exported(capsys, project) -> list[dict]:
    code, out, _ = run(capsys, project, "export")
    assert code == 0
    return [json.loads(line) for line in out.splitlines()]


def test_crawl_stores_the_seeds_once(capsys, project):
    code, out, err = run(capsys, project, "crawl")
    assert (code, err) == (0, "")
    assert "5 new" in out and "Ashton Kutcher Sora" in out
    first = exported(capsys, project)
    assert len(first) == SEED_COUNT and all(row["is_seed"] for row in first)
    assert {row["outlet"] for row in first} >= {"OK! Magazine", "Fox News"}

    code, out, _ = run(capsys, project, "crawl")
    assert code == 0 and "5 unchanged" in out
    second = exported(capsys, project)
    assert [(r["id"], r["versions"], r["text"]) for r in second] == [
        (r["id"], r["versions"], r["text"]) for r in first
    ]


def test_stored_seed_text_is_clean(capsys, project):
    run(capsys, project, "crawl")
    texts = "\n".join(row["text"] for row in exported(capsys, project))
    for boilerplate in (
        "Join Fox News",
        "Please enter a valid email",
        "Article continues below",
        "Share to X",
        "SIGN UP FOR THE ENTERTAINMENT NEWSLETTER",
        "Sign up here!",
        "Source: mega",
        "We have no tolerance",
        "Latest Articles",
        "More From OK!",
        "© Copyright",
    ):
        assert boilerplate not in texts
    assert "Deadline reported on Kutcher's comments." in texts
    assert "Fox News Digital has reached out to a rep for Kutcher for comment." in texts


def test_bad_seed_files_cost_one_line_each_and_nothing_else(capsys, project):
    run(capsys, project, "crawl")
    before = exported(capsys, project)
    seeds = project / "seeds"
    (seeds / "empty.txt").write_text("")
    (seeds / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (seeds / "latin1.txt").write_bytes(
        "Caf\xe9 owners said the new lane would hurt trade.".encode("latin-1") * 5
    )
    os.symlink(seeds / "missing.txt", seeds / "unreadable.txt")
    (seeds / "001_ac8c168c3d76291d.txt").write_text("")  # a stored seed, now emptied

    code, out, err = run(capsys, project, "crawl")
    assert code == 0
    header, *lines = err.strip().splitlines()
    assert header == "5 failed:" and len(lines) == 5
    for name, reason in (
        ("empty.txt", "empty file"),
        ("binary.txt", "binary"),
        ("latin1.txt", "not valid UTF-8"),
        ("unreadable.txt", "cannot read"),
        ("001_ac8c168c3d76291d.txt", "empty file"),
    ):
        assert any(name in line and reason in line for line in lines), (name, lines)
    assert exported(capsys, project) == [
        {**row, "last_seen_at": after["last_seen_at"]}
        for row, after in zip(before, exported(capsys, project), strict=True)
    ]


def test_a_corrected_article_shows_its_correction_in_diff(capsys, project):
    run(capsys, project, "crawl")
    seed = project / "seeds" / "003_d49ea7aeffe5f407.txt"
    correction = "Correction: Sound Ventures was co-founded in 2015, not last year."
    seed.write_text(seed.read_text(encoding="utf-8") + "\n" + correction + "\n", encoding="utf-8")
    code, out, _ = run(capsys, project, "crawl")
    assert code == 0 and "1 updated" in out

    code, out, _ = run(capsys, project, "diff", "003_d49ea7aeffe5f407.txt")
    assert code == 0
    assert f"+{correction}" in out.splitlines()
    assert not [
        line for line in out.splitlines() if line.startswith("-") and not line.startswith("---")
    ]
    row = next(r for r in exported(capsys, project) if r["seed_file"] == "003_d49ea7aeffe5f407.txt")
    code, by_id, _ = run(capsys, project, "diff", str(row["id"]))
    assert by_id == out and row["versions"] == 2


def test_status_reports_runs_and_counts(capsys, project):
    run(capsys, project, "crawl")
    code, out, _ = run(capsys, project, "status")
    assert code == 0
    assert "articles: 5 (5 seeds" in out and "completed" in out and "alerts waiting: 0" in out


def test_csv_export_has_a_header_and_a_row_per_article(capsys, project):
    run(capsys, project, "crawl")
    code, out, _ = run(capsys, project, "export", "--format", "csv")
    assert code == 0 and out.splitlines()[0].startswith("id,url,canonical_url,title")
    import csv
    import io

    assert len(list(csv.DictReader(io.StringIO(out)))) == SEED_COUNT


@pytest.mark.parametrize(
    ("extra", "key"),
    [
        ('[crawl]\nmax_depth = "2"\n', "crawl.max_depth"),
        ("[crawl]\nmax_dept = 2\n", "crawl.max_dept: unknown key"),
        ('[alerts]\nsecurity = "tls"\n', "alerts.security"),
        ('[[sources]]\nkind = "search"\nurl = "https://news.example/rss"\n', "sources[0]"),
    ],
)
def test_config_errors_exit_2_with_one_line_naming_the_key(capsys, project, extra, key):
    write_config(project, extra)
    code, out, err = run(capsys, project, "crawl")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert key in err and "storywatch.toml" in err


def test_missing_story_name_is_named(capsys, tmp_path):
    (tmp_path / "storywatch.toml").write_text('[story]\nseeds = "seeds"\n')
    code = main(["status", "--config", str(tmp_path / "storywatch.toml")])
    err = capsys.readouterr().err
    assert code == 2 and "story.name: required key is missing" in err


def test_diff_of_an_unknown_article_says_so(capsys, project):
    run(capsys, project, "crawl")
    code, _, err = run(capsys, project, "diff", "https://nowhere.example/x")
    assert code == 1 and "no stored article" in err


def test_database_passwords_are_never_printed(capsys, project):
    from schedules.cli import _shown

    assert _shown("postgresql+psycopg://watcher:s3cret@db.example/story") == (
        "postgresql+psycopg://watcher:***@db.example/story"
    )
    run(capsys, project, "crawl")
    code, out, _ = run(capsys, project, "status")
    assert code == 0 and "sqlite:///" in out
