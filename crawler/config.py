"""storywatch.toml, read once and validated into one frozen `Config`.

The config lives in `crawler` because it is the lowest layer that needs all of it: the spider
reads its sources from it when started as `scrapy crawl coverage`, and `schedules` imports it
from here. `storage` is handed plain values (a database URL), never this object.
"""

from __future__ import annotations

import os
import re
import tomllib
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

DEFAULT_CONFIG_NAME = "storywatch.toml"
CONFIG_ENV = "STORYWATCH_CONFIG"
PASSWORD_ENV = "STORYWATCH_SMTP_PASSWORD"


class ConfigError(Exception):
    """A config problem, phrased as one line that names the file and the key."""


class _Section(BaseModel):
    # strict: a quoted number or a 0/1 for a boolean is a mistake worth naming, not coercing.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


_EVERY = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_every(text: str) -> int:
    """Seconds in an interval such as "30m" (units s, m, h, d, w)."""
    match = _EVERY.match(text)
    if not match or int(match.group(1)) == 0:
        raise ValueError(
            f'expected a positive number with a unit s, m, h, d or w, like "30m"; got {text!r}'
        )
    return int(match.group(1)) * _UNIT_SECONDS[match.group(2)]


def parse_duration(text: str) -> timedelta:
    """An interval such as "30m" or "4w" as a timedelta (units s, m, h, d, w)."""
    return timedelta(seconds=parse_every(text))


def parse_moment(value: object) -> datetime:
    """A TOML date, datetime or ISO 8601 string as an aware UTC datetime (a date is midnight
    UTC; a time without a zone is UTC)."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f'expected a date like "2024-06-01"; got {value!r}') from None
    if isinstance(value, datetime):
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime.combine(value, time(), tzinfo=UTC)
    raise ValueError(f'expected a date like "2024-06-01"; got {value!r}')


# Seeds are rarely a story's first coverage: the window opens this long before the earliest.
DEFAULT_SINCE_MARGIN = timedelta(weeks=4)


class StoryConfig(_Section):
    name: str = Field(min_length=1)
    seeds: str = "seeds"
    queries: tuple[str, ...] = Field(default=(), strict=False)  # TOML gives a list
    min_relevance: float = Field(default=0.5, ge=0.0, le=1.0)
    # The story's start: coverage published before it is outside the window. Default: the
    # earliest seed date (else the first run's date) less `since_margin`.
    since: datetime | None = Field(default=None, strict=False)
    since_margin: timedelta = Field(default=DEFAULT_SINCE_MARGIN, strict=False)

    @field_validator("since", mode="before")
    @classmethod
    def _moment(cls, value: object) -> datetime | None:
        return None if value is None else parse_moment(value)

    @field_validator("since_margin", mode="before")
    @classmethod
    def _margin(cls, value: object) -> timedelta:
        if not isinstance(value, str):
            raise ValueError('expected a duration like "4w" or "30d"')
        return parse_duration(value)


class StorageConfig(_Section):
    url: str = "sqlite:///storywatch.db"


class CrawlConfig(_Section):
    max_depth: int = Field(default=1, ge=0, le=10)
    obey_robots: bool = True
    allow_private_addresses: bool = False
    concurrency: int = Field(default=8, ge=1, le=256)
    frontier: str = ""
    # No longer used: the story's window (story.since) decides which entries are coverage.
    max_age: str | None = None
    # Known articles younger than this are re-checked for corrections.
    recheck_for: timedelta = Field(default=timedelta(days=3), strict=False)
    # Article pages fetched per source and run, the most promising first; the rest wait.
    max_pages_per_run: int = Field(default=50, ge=1, le=100_000)
    page_timeout: float = Field(default=20.0, gt=0, le=600)  # seconds to extract one page
    download_timeout: float = Field(default=30.0, gt=0, le=600)
    user_agent: str = ""  # your own, with your contact; default: storywatch's
    # A crawl ends itself cleanly after this long (Scrapy's CLOSESPIDER_TIMEOUT): what it read
    # is stored, what it did not reach waits for the next run. Keep it under schedule.timeout.
    budget: str = "45m"

    @field_validator("budget")
    @classmethod
    def _valid_budget(cls, value: str) -> str:
        parse_every(value)
        return value

    @property
    def budget_seconds(self) -> int:
        return parse_every(self.budget)

    @field_validator("max_age")
    @classmethod
    def _valid_age(cls, value: str | None) -> str | None:
        if value is not None:
            parse_duration(value)
        return value

    @field_validator("recheck_for", mode="before")
    @classmethod
    def _duration(cls, value: object) -> timedelta:
        if not isinstance(value, str):
            raise ValueError('expected a duration like "3d"')
        return parse_duration(value)

    @field_validator("frontier")
    @classmethod
    def _redis_or_empty(cls, value: str) -> str:
        if value and not value.startswith(("redis://", "rediss://")):
            raise ValueError('must be "" or a redis:// URL')
        return value


class SourceConfig(_Section):
    kind: Literal["feed", "sitemap", "search", "page"]
    url: str
    name: str = ""
    delay: float = Field(default=0.0, ge=0, le=3600, strict=False)  # seconds between requests

    @property
    def label(self) -> str:
        return self.name or self.url

    @model_validator(mode="after")
    def _check_url(self) -> SourceConfig:
        if not re.match(r"^https?://[^/\s]+", self.url):
            raise ValueError(f"url must be an http(s) URL, got {self.url!r}")
        if self.kind == "search" and "{query}" not in self.url:
            raise ValueError("a search source's url must contain {query}")
        return self


class ScheduleConfig(_Section):
    every: str | None = None  # "30m" when neither every nor cron is set
    cron: str | None = None
    timeout: str = "1h"  # a run still going after this long is ended

    @field_validator("every", "timeout")
    @classmethod
    def _valid_every(cls, value: str | None) -> str | None:
        if value is not None:
            parse_every(value)
        return value

    @field_validator("cron")
    @classmethod
    def _valid_cron(cls, value: str | None) -> str | None:
        if value is not None:
            from apscheduler.triggers.cron import CronTrigger

            try:
                CronTrigger.from_crontab(value)
            except ValueError as exc:
                raise ValueError(f"not a crontab expression ({exc}): {value!r}") from None
        return value

    @model_validator(mode="after")
    def _one_of(self) -> ScheduleConfig:
        if self.every and self.cron:
            raise ValueError("set every or cron, not both")
        return self

    @property
    def every_seconds(self) -> int | None:
        return None if self.cron else parse_every(self.every or "30m")


class AlertsConfig(_Section):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, populate_by_name=True)

    enabled: bool = False
    to: tuple[str, ...] = Field(default=(), strict=False)
    from_: str = Field(default="", alias="from")
    smtp_host: str = "localhost"
    smtp_port: int | None = Field(default=None, ge=1, le=65535)
    security: Literal["none", "starttls", "ssl"] = "starttls"
    username: str = ""
    on_first_run: bool = False
    updates: bool = False
    ca_file: str = ""

    @field_validator("to", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return (
            (value,)
            if isinstance(value, str)
            else tuple(value)
            if isinstance(value, list)
            else value
        )

    @model_validator(mode="after")
    def _addresses_when_enabled(self) -> AlertsConfig:
        if self.enabled and not self.to:
            raise ValueError("to: required when alerts are enabled")
        if self.enabled and not self.from_:
            raise ValueError("from: required when alerts are enabled")
        return self

    @property
    def port(self) -> int:
        return self.smtp_port or {"none": 25, "starttls": 587, "ssl": 465}[self.security]


class Config(_Section):
    """The whole of storywatch.toml. `base_dir` anchors its relative paths."""

    story: StoryConfig
    storage: StorageConfig = StorageConfig()
    crawl: CrawlConfig = CrawlConfig()
    sources: tuple[SourceConfig, ...] = Field(default=(), strict=False)
    schedule: ScheduleConfig = ScheduleConfig()
    alerts: AlertsConfig = AlertsConfig()
    path: str = ""

    @property
    def base_dir(self) -> Path:
        return Path(self.path).parent if self.path else Path.cwd()

    @property
    def seeds_dir(self) -> Path:
        return self.base_dir / self.story.seeds

    @property
    def database_url(self) -> str:
        """The storage URL, with a relative SQLite path anchored at the config's folder."""
        return _anchor_sqlite(self.storage.url, self.base_dir)


def _anchor_sqlite(url: str, base: Path) -> str:
    # A daemon started from another working directory must open the same database file.
    prefix = "sqlite:///"
    if not url.startswith(prefix) or url == prefix + ":memory:":
        return url
    path = url[len(prefix) :]
    if path.startswith("/"):
        return url
    return prefix + str((base / path).resolve())


def find_config_path(explicit: str | None = None) -> Path:
    """--config, else $STORYWATCH_CONFIG, else ./storywatch.toml."""
    return Path(explicit or os.environ.get(CONFIG_ENV) or DEFAULT_CONFIG_NAME)


def load_config(explicit: str | None = None) -> Config:
    """Read and validate the config; raise ConfigError with one line on any problem."""
    path = find_config_path(explicit)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return config_from_dict(raw, path)


def config_from_dict(raw: dict, path: Path | str = DEFAULT_CONFIG_NAME) -> Config:
    """Validate an already-parsed config table."""
    if "path" in raw:
        raise ConfigError(f"{path}: path: unknown key")
    try:
        return Config.model_validate({**raw, "path": str(Path(path).resolve())})
    except ValidationError as exc:
        raise ConfigError(f"{path}: {_first_problem(exc)}") from None


def _first_problem(exc: ValidationError) -> str:
    error = exc.errors()[0]
    key = _readable_key(error["loc"])
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = "unknown key"
    elif error["type"] == "missing":
        message = "required key is missing"
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"{key}: {message}{more}"


def _readable_key(loc: tuple) -> str:
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts[-1] = f"{parts[-1]}[{part}]" if parts else f"[{part}]"
        elif "[" in str(part):  # pydantic's names for validator steps, not keys
            continue
        else:
            parts.append(str(part))
    return ".".join(parts) or "(top level)"
