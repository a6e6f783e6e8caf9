"""Shared fixtures: a project folder with seeds and a config, and a fresh store."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from storage.store import Store

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def write_config(folder: Path, extra: str = "") -> Path:
    """A storywatch.toml in `folder` using its seeds/ and a SQLite file beside it."""
    path = folder / "storywatch.toml"
    path.write_text(
        '[story]\nname = "Kutcher and Sora"\nseeds = "seeds"\n\n'
        '[storage]\nurl = "sqlite:///data/storywatch.db"\n' + extra,
        encoding="utf-8",
    )
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A folder holding a copy of the bundled seeds and a config that points at them."""
    shutil.copytree(SEEDS, tmp_path / "seeds")
    write_config(tmp_path)
    return tmp_path


@pytest.fixture
def store(tmp_path: Path):
    with Store(f"sqlite:///{tmp_path / 'store.db'}") as opened:
        yield opened
