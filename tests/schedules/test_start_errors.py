"""What goes wrong at start is one clear line and a non-zero exit, never a traceback."""

from __future__ import annotations

import pytest

from tests.commands import storywatch
from tests.conftest import write_config

STORAGE = '[story]\nname = "K"\nseeds = "seeds"\n[storage]\nurl = "{url}"\n'


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("postgresql+psycopg://reader:hunter2@127.0.0.1:1/news", "Connection refused"),
        ("not a database url", "Could not parse"),
        ("mysql://reader:hunter2@localhost/news", "MySQLdb is not installed"),
        ("sqlite:////proc/storywatch/news.db", "storywatch"),
    ],
)
@pytest.mark.parametrize("command", ["status", "crawl", "export"])
def test_a_bad_database_url_is_one_line(project, url, said, command):
    (project / "storywatch.toml").write_text(STORAGE.format(url=url), encoding="utf-8")
    done = storywatch(project, command)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert said in done.stderr and "hunter2" not in done.stderr


@pytest.mark.parametrize(
    ("manifest", "said"),
    [
        ('[[seed]]\nfile = "a.txt"\npublished = 42\n', "seed[0].published: expected a date"),
        ('[[seed]]\nfile = "a.txt"\noutlet = ["x"]\n', "seed[0].outlet: expected a string"),
        ('seed = "a.txt"\n', "seed: expected [[seed]] tables"),
    ],
)
def test_a_wrong_typed_seed_manifest_value_is_one_line(project, manifest, said):
    (project / "seeds" / "seeds.toml").write_text(manifest, encoding="utf-8")
    write_config(project)
    done = storywatch(project, "crawl", "--no-alerts")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert said in done.stderr
