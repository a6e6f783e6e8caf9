"""`storywatch daemon`: crawl on a schedule until SIGTERM or SIGINT.

Each scheduled crawl is `storywatch crawl` in a process of its own. Twisted's reactor cannot be
restarted inside one process, and a process per run also means a crash, a leak or a hang in one
crawl cannot take the daemon down: the daemon only waits, and ends a run that outlives the
configured limit. The schedule lives in an APScheduler job store in the storywatch database, so
a restarted daemon keeps it; the crawl lock keeps a hand-started crawl from overlapping.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
from datetime import UTC, datetime

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import inspect

from crawler.config import Config, parse_every
from storage.db import open_engine

JOB_ID = "storywatch-crawl"
JOBS_TABLE = "apscheduler_jobs"
STOP_GRACE_SECONDS = 60

log = logging.getLogger("storywatch.daemon")
_running: dict[str, subprocess.Popen] = {}


def crawl_in_subprocess(config_path: str, time_limit: float) -> int:
    """The scheduled job: one `storywatch crawl` in its own process, ended at the time limit."""
    command = [sys.executable, "-m", "schedules.cli", "crawl", "--config", config_path]
    # Its own session: a Ctrl-C at the daemon's terminal reaches the daemon, which decides.
    process = subprocess.Popen(command, start_new_session=True)
    _running["crawl"] = process
    try:
        return process.wait(timeout=time_limit)
    except subprocess.TimeoutExpired:
        log.warning("the crawl ran past %.0f s; ending it", time_limit)
        return _stop(process)
    finally:
        _running.pop("crawl", None)


def _stop(process: subprocess.Popen) -> int:
    """SIGTERM (Scrapy then closes the crawl cleanly), SIGKILL if it will not go."""
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=STOP_GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        return process.wait()


def trigger_for(config: Config) -> IntervalTrigger | CronTrigger:
    if config.schedule.cron:
        return CronTrigger.from_crontab(config.schedule.cron, timezone=UTC)
    return IntervalTrigger(seconds=config.schedule.every_seconds, timezone=UTC)


def job_store(config: Config) -> SQLAlchemyJobStore:
    """The job store, in the storywatch database (created and migrated if new)."""
    return SQLAlchemyJobStore(engine=open_engine(config.database_url), tablename=JOBS_TABLE)


def next_run(config: Config) -> datetime | None:
    """When the daemon's schedule runs next (None when no daemon has scheduled it)."""
    store = job_store(config)
    try:
        if not inspect(store.engine).has_table(JOBS_TABLE):
            return None
        job = store.lookup_job(JOB_ID)
    finally:
        store.engine.dispose()
    return job.next_run_time if job else None


def _schedule(scheduler: BackgroundScheduler, config: Config) -> str:
    """Keep the stored schedule when it matches the config; otherwise (re)create it."""
    trigger = trigger_for(config)
    args = [config.path, parse_every(config.schedule.timeout)]
    job = scheduler.get_job(JOB_ID)
    if job is not None and str(job.trigger) == str(trigger) and list(job.args) == args:
        return f"schedule kept from the job store: {trigger}, next run at {job.next_run_time}"
    job = scheduler.add_job(
        crawl_in_subprocess,
        trigger,
        args=args,
        id=JOB_ID,
        name="storywatch crawl",
        replace_existing=True,
        next_run_time=datetime.now(UTC),
    )
    return f"schedule created: {trigger}, first run now"


def run_daemon(config: Config) -> int:
    """Crawl on the schedule until SIGTERM/SIGINT; then end the current run cleanly, exit 0."""
    every = config.schedule.every_seconds or 60
    scheduler = BackgroundScheduler(
        jobstores={"default": job_store(config)},
        executors={"default": ThreadPoolExecutor(1)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": max(30, every)},
        timezone=UTC,
    )
    scheduler.start(paused=True)
    print(f"storywatch daemon: {_schedule(scheduler, config)}", flush=True)
    stop = threading.Event()

    def on_signal(signum, frame) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    scheduler.resume()
    stop.wait()
    print(
        "storywatch daemon: stopping; a run in progress takes no new pages, finishes those in "
        "flight, stores what it read and is recorded as interrupted",
        flush=True,
    )
    scheduler.pause()
    current = _running.get("crawl")
    if current is not None:
        # The job thread is waiting on this process; _stop ends it, by force if it must.
        threading.Thread(target=_stop, args=(current,), daemon=True).start()
    scheduler.shutdown(wait=True)
    return 0
