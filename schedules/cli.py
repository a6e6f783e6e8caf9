"""The `storywatch` command: crawl, export, diff, status; story, rejected, init."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from crawler.config import Config, ConfigError, load_config
from schedules.alerts import DeliveryReport, send_outbox, test_message
from schedules.daemon import next_run, run_daemon
from schedules.demo import run_demo
from schedules.export import FORMATS, WRITERS, write_atom
from schedules.mailer import DeliveryError, SmtpSettings, deliver
from schedules.printable import PrintableStream
from schedules.run import RunReport, run_once
from schedules.story_cli import add_story_commands, cmd_init, cmd_rejected, cmd_story
from schedules.summary import LEGEND, source_table
from storage.db import SQLITE_BUSY_TIMEOUT_MS
from storage.diffs import with_word_marks
from storage.lock import CrawlLocked, crawl_lock, daemon_holder, daemon_lock
from storage.outbox import delivery_problems
from storage.reports import (
    article_counts,
    article_diffs,
    articles_by_id,
    articles_per_source,
    export_rows,
    recent_runs,
)
from storage.store import Store, find_article

EXIT_OK, EXIT_FAILED, EXIT_CONFIG, EXIT_BUSY = 0, 1, 2, 3


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config",
        metavar="FILE",
        default=argparse.SUPPRESS,
        help="config file (default: $STORYWATCH_CONFIG, else ./storywatch.toml)",
    )
    parser = argparse.ArgumentParser(
        prog="storywatch", parents=[common], description="Follow one news story across the web."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    crawl = commands.add_parser("crawl", parents=[common], help="run once: seeds, sources, store")
    crawl.add_argument("--no-alerts", action="store_true", help="store findings, send no email")
    crawl.add_argument("--verbose", action="store_true", help="log to the terminal")
    export = commands.add_parser("export", parents=[common], help="print the stored coverage")
    export.add_argument("--format", choices=FORMATS, default="jsonl")
    diff = commands.add_parser("diff", parents=[common], help="show an article's changes")
    diff.add_argument(
        "article", metavar="ARTICLE", help="article id, any of its URLs, or seed file"
    )
    commands.add_parser("status", parents=[common], help="last runs, counts, failures, outbox")
    commands.add_parser("daemon", parents=[common], help="crawl on the schedule until stopped")
    alerts = commands.add_parser("alerts", parents=[common], help="email alerts")
    alerts.add_argument(
        "action",
        choices=("test", "send"),
        help="test: send one test message; send: send the outbox now",
    )
    add_story_commands(commands, common)
    demo = commands.add_parser("demo", help="crawl a small replica web offline and show the result")
    demo.add_argument("--seeds", default="seeds", help="seed folder to build the demo from")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not isinstance(sys.stdout, PrintableStream):  # web text never reaches a terminal raw
        sys.stdout, sys.stderr = PrintableStream(sys.stdout), PrintableStream(sys.stderr)
    if args.command == "demo":
        return cmd_demo(args)
    if args.command == "init":
        return cmd_init(args)
    config = None
    try:
        config = load_config(getattr(args, "config", None))
        if args.command == "daemon":
            return cmd_daemon(config)
        with Store(config.database_url) as store:
            return COMMANDS[args.command](args, config, store)
    except ConfigError as exc:
        print(f"storywatch: config error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except CrawlLocked as exc:
        print(f"storywatch: {exc}; not starting another", file=sys.stderr)
        return EXIT_BUSY
    except SQLAlchemyError as exc:
        print(f"storywatch: database {_shown_safe(config)}: {_reason(exc)}", file=sys.stderr)
        return EXIT_FAILED
    except ImportError as exc:  # a database URL whose driver is not installed
        print(
            f"storywatch: database {_shown_safe(config)}: {exc.name} is not installed",
            file=sys.stderr,
        )
        return EXIT_FAILED
    except OSError as exc:  # a lock file or log that cannot be written: no space, no rights
        print(
            f"storywatch: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr
        )
        return EXIT_FAILED


def _reason(exc: SQLAlchemyError) -> str:
    """The driver's first line (never the SQL and its parameters); a busy lock said plainly."""
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    if "disk I/O error" in text or "disk is full" in text:
        return f"{text}: is the disk full? nothing half-written was kept; run again once there is space"
    if "database is locked" in text:
        return f"{text}: another process held it past the {SQLITE_BUSY_TIMEOUT_MS // 1000} s busy timeout"
    return text


def _shown_safe(config: Config | None) -> str:
    try:
        return _shown(config.database_url) if config is not None else "(no config)"
    except ArgumentError:
        return "(not a database URL)"


def cmd_crawl(args: argparse.Namespace, config: Config, store: Store) -> int:
    if config.crawl.frontier:
        print(
            "storywatch: crawl.frontier is set, but the shared Redis frontier is not built yet; "
            "this process crawls alone",
            file=sys.stderr,
        )
    if config.story.since and config.story.since > datetime.now(UTC):
        print(
            f"storywatch: story.since is in the future ({config.story.since:%Y-%m-%d}): "
            "every entry dated before it is outside the window",
            file=sys.stderr,
        )
    if config.crawl.max_age:
        print(
            "storywatch: crawl.max_age is no longer used: coverage is what appears from the "
            "story's start on (story.since); remove the key",
            file=sys.stderr,
        )
    progress = sys.stderr.isatty() and not args.verbose
    report = run_once(
        config, store, alerts=not args.no_alerts, verbose=args.verbose, progress=progress
    )
    _print_crawl_summary(report, config)
    with store.sessions() as session:
        print(coverage_table(articles_by_id(session, report.new_article_ids)))
    if report.failures:
        print(f"{len(report.failures)} failed:", file=sys.stderr)
    for line in report.failures:
        print(f"  {line}", file=sys.stderr)
    if report.delivery is not None:
        _print_delivery(report.delivery, config)
    return EXIT_OK


def _print_delivery(report: DeliveryReport, config: Config) -> None:
    if report.sent:
        print(
            f"alerts: {report.sent} sent in {report.digests} digest(s) to "
            f"{', '.join(config.alerts.to)}"
        )
    for note in report.notes:
        print(f"alerts: {note}")
    if report.broken:
        print(f"alerts: {report.broken} could not be rendered and were closed", file=sys.stderr)
    if report.error:
        print(f"alerts: {report.error}", file=sys.stderr)


def cmd_alerts(args: argparse.Namespace, config: Config, store: Store) -> int:
    if args.action == "send":
        with crawl_lock(config.database_url, config.base_dir):
            report = send_outbox(store, config)
        _print_delivery(report, config)
        if not (report.sent or report.error):
            print("alerts: nothing waiting in the outbox")
        return EXIT_FAILED if report.error else EXIT_OK
    settings = SmtpSettings.from_config(config.alerts)
    if not config.alerts.to or not config.alerts.from_:
        print(
            "storywatch: alerts.to and alerts.from must be set to send a test message",
            file=sys.stderr,
        )
        return EXIT_FAILED
    try:
        deliver(test_message(config.alerts, config.story.name), settings)
    except DeliveryError as exc:
        print(
            f"storywatch: test message not sent via {settings.describe()}: {exc}", file=sys.stderr
        )
        return EXIT_FAILED
    print(f"test message sent to {', '.join(config.alerts.to)} via {settings.describe()}")
    return EXIT_OK


def _print_crawl_summary(report: RunReport, config: Config | None) -> None:
    counts = report.counts
    if config is not None:
        print(f"story: {config.story.name}")
    print(f"queries: {'; '.join(report.story.profile.queries)}")
    print(
        f"seeds: {len(report.story.seeds.articles)} read "
        f"({counts['seeds_new']} new, {counts['seeds_updated']} updated, "
        f"{counts['seeds_unchanged']} unchanged), {counts['seeds_failed']} skipped"
    )
    print(
        f"crawl: {counts['pages_fetched']} pages fetched, {counts['new']} new, "
        f"{counts['updated']} updated, {counts['duplicate']} duplicates, "
        f"{counts['irrelevant']} irrelevant, {counts['unchanged'] + counts['not_modified']} "
        f"unchanged, {counts['known_skipped']} known and not due, {counts['failed']} failed"
    )
    if report.since is not None:
        origin = (
            "story.since"
            if config is None or config.story.since
            else "the earliest seed date less story.since_margin"
        )
        print(f"story window: from {report.since:%Y-%m-%d} ({origin})")
    for line in source_table(report.sources):
        print(line)
    if counts.get("rescored"):
        print(
            f"left out before: {counts['rescored']} re-scored by the changed profile, "
            f"{counts['recovered']} now coverage"
        )
    if config is not None:
        print(f"run {report.run_id} {report.status}; database: {_shown(config.database_url)}")


def _shown(database_url: str) -> str:
    """The database URL without its password, fit for a terminal or a log."""
    return make_url(database_url).render_as_string(hide_password=True)


def _cell(text: str, width: int) -> str:
    """A table cell: web text on one line (CR, LF and tabs folded to spaces), cut to width."""
    return " ".join(text.split())[:width]


def coverage_table(articles) -> str:
    """New coverage as a table: title, outlet, date."""
    if not articles:
        return "no new coverage"
    rows = [
        (
            _cell(a.title, 70),
            _cell(a.outlet or a.site or "", 24),
            f"{a.published_at:%Y-%m-%d}" if a.published_at else "",
        )
        for a in articles
    ]
    widths = [max(len(row[i]) for row in [*rows, ("title", "outlet", "date")]) for i in range(3)]
    lines = [f"new coverage ({len(rows)}):"]
    for row in [("title", "outlet", "date"), *rows]:
        lines.append(
            "  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        )
    return "\n".join(lines)


def cmd_export(args: argparse.Namespace, config: Config, store: Store) -> int:
    with store.sessions() as session:
        rows = export_rows(session)
        if args.format == "atom":
            write_atom(rows, sys.stdout, title=config.story.name)
        else:
            WRITERS[args.format](rows, sys.stdout)
    return EXIT_OK


def cmd_diff(args: argparse.Namespace, config: Config, store: Store) -> int:
    with store.sessions() as session:
        article = find_article(session, args.article)
        if article is None:
            print(f"storywatch: no stored article matches {args.article!r}", file=sys.stderr)
            return EXIT_FAILED
        diffs = article_diffs(session, article.id)
        print(f"article {article.id}: {article.title}")
        print("(lines: - removed, + added sentences; ~ the words that changed: [-old-]{+new+})")
        if not diffs:
            print("one version only: nothing has changed since it was first stored")
        for diff in diffs:
            print(
                f"\n{diff.created_at:%Y-%m-%d %H:%M} UTC  +{diff.added} -{diff.removed} sentences"
            )
            print(with_word_marks(diff.text))
    return EXIT_OK


def cmd_status(args: argparse.Namespace, config: Config, store: Store) -> int:
    with store.sessions() as session:
        counts = article_counts(session)
        runs = recent_runs(session)
        per_source = articles_per_source(session)
        problems = delivery_problems(session)
    print(f"story: {config.story.name}   database: {_shown(config.database_url)}")
    print(_daemon_line(config))
    print(
        f"articles: {counts['articles']} ({counts['seeds']} seeds, {counts['duplicates']} "
        f"duplicates), versions: {counts['versions']}, alerts waiting: {counts['outbox']}"
    )
    print("last runs:" if runs else "last runs: none yet")
    for run in runs:
        started = f"{run.started_at:%Y-%m-%d %H:%M:%S}"
        found = ", ".join(f"{key} {value}" for key, value in sorted(run.counts.items()) if value)
        print(f"  #{run.id} {started} UTC  {run.status:<9} {found or 'nothing'}")
        for failure in run.failures:
            print(f"      failed: {failure}")
    if runs and runs[0].sources:
        print(f"per source, run #{runs[0].id} ({LEGEND}):")
        for line in source_table(runs[0].sources):
            print(line)
    for source, waiting in sorted(store.candidates.count().items()):
        print(f"  {waiting} candidate(s) of {source} wait for the next run (over its cap)")
    for state, error, count in problems:
        what = "refused for good" if state == "failed" else "waiting, last try failed"
        print(f"alerts {what} ({count}): {error}")
    print("articles found per source:" if per_source else "articles found per source: none yet")
    for source, found in per_source:
        print(f"  {found:>5}  {source}")
    return EXIT_OK


def _daemon_line(config: Config) -> str:
    """Whether a daemon runs on this database, and its next run only if one does."""
    holder = daemon_holder(config.database_url, config.base_dir)
    upcoming = next_run(config)
    if holder is None:
        kept = "; its stored schedule resumes when one starts" if upcoming else ""
        return f"daemon: not running (no run is scheduled){kept}"
    when = f"{upcoming:%Y-%m-%d %H:%M:%S %Z}" if upcoming else "not yet scheduled"
    return f"daemon: running ({holder}); next scheduled run: {when}"


def cmd_demo(args: argparse.Namespace) -> int:
    seeds = Path(args.seeds)
    if len(list(seeds.glob("*.txt"))) < 4:
        print(f"storywatch: demo needs the bundled seeds; none found in {seeds}/", file=sys.stderr)
        return EXIT_FAILED
    print("serving a replica web on 127.0.0.x and crawling it into a temporary database...")
    report, rows = run_demo(seeds, progress=sys.stderr.isatty())
    _print_crawl_summary(report, None)
    found = [row for row in rows if not row["is_seed"]]
    originals = [row for row in found if row["duplicate_of"] is None]
    print(f"new coverage ({len(originals)}):")
    for row in originals:
        print(f"  #{row['id']} {row['title'][:70]}")
        print(f"      {row['canonical_url']}  relevance {row['relevance']:.2f}")
        for copy in (r for r in found if r["duplicate_of"] == row["id"]):
            print(f"      also at {copy['canonical_url']}")
    if originals:
        print("\nclean text of the first, opening lines:")
        for line in originals[0]["text"].split("\n\n")[:3]:
            print(f"  | {line[:150]}")
    print(f"\n{report.counts['irrelevant']} irrelevant page(s) were read and not stored.")
    return EXIT_OK


COMMANDS = {
    "story": cmd_story,
    "rejected": cmd_rejected,
    "crawl": cmd_crawl,
    "export": cmd_export,
    "diff": cmd_diff,
    "status": cmd_status,
    "alerts": cmd_alerts,
}


def cmd_daemon(config: Config) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    with daemon_lock(config.database_url, config.base_dir):  # one daemon per database
        return run_daemon(config)


if __name__ == "__main__":
    sys.exit(main())
