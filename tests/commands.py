"""Running `storywatch` as a user does: a process of its own, with a project's config."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def storywatch(
    project: Path, *args: str, timeout: float = 120, check: bool = False
) -> subprocess.CompletedProcess:
    """`storywatch ARGS --config PROJECT/storywatch.toml`, its output captured as text."""
    command = [
        sys.executable,
        "-m",
        "schedules.cli",
        *args,
        "--config",
        str(project / "storywatch.toml"),
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=check)
