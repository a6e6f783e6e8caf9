"""`storywatch demo`: the offline demonstration a newcomer runs first."""

import subprocess
import sys

from tests.conftest import SEEDS


def test_demo_crawls_its_replica_and_shows_what_it_found(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "schedules.cli", "demo", "--seeds", str(SEEDS)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "new coverage (2):" in done.stdout and "also at" in done.stdout
    assert "1 irrelevant page(s)" in done.stdout
    assert "Join Fox News" not in done.stdout and not list(tmp_path.iterdir())
