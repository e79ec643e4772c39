"""Real worker processes against the test database, for the crash-recovery tests.

PostgreSQL's test database is shared with `manage.py run_jobs` subprocesses directly; SQLite's lives in memory, so
the test data is copied into a file database that the workers open.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
LEASE_SECONDS = 2


class WorkerDatabase:
    def __init__(self, tmp_path: Path):
        self.tmp_path = tmp_path
        self.vendor = connection.vendor
        self.path = tmp_path / "kechuang.sqlite3"
        self.workers: list[subprocess.Popen] = []
        env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}}
        env.update(
            KECHUANG_DEV_KEY="1",
            KECHUANG_DATA_DIR=str(tmp_path),
            KECHUANG_JOBS_LEASE_SECONDS=str(LEASE_SECONDS),
            KECHUANG_JOBS_POLL_SECONDS="0.1",
        )
        if self.vendor == "postgresql":
            s = connection.settings_dict
            env["DATABASE_URL"] = (
                f"postgres://{s['USER']}:{s.get('PASSWORD') or ''}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"
            )
        self.env = env

    def publish(self) -> None:
        """Make the data created so far visible to worker processes."""
        if self.vendor == "sqlite":
            connection.ensure_connection()
            with closing(sqlite3.connect(self.path)) as target:
                connection.connection.backup(target)

    def query(self, sql: str, params=()) -> list[tuple]:
        if self.vendor == "sqlite":
            with closing(sqlite3.connect(self.path, timeout=20)) as db:
                return db.execute(sql.replace("%s", "?"), params).fetchall()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def value(self, sql: str, params=()):
        rows = self.query(sql, params)
        return rows[0][0] if rows else None

    def start_worker(self) -> subprocess.Popen:
        log = (self.tmp_path / f"worker-{len(self.workers)}.log").open("w")
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "run_jobs"], cwd=ROOT, env=self.env, stdout=log, stderr=log
        )
        self.workers.append(worker)
        return worker

    def run_worker_once(self) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", "run_jobs", "--once"],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    def log(self, index: int = 0) -> str:
        return (self.tmp_path / f"worker-{index}.log").read_text()

    def wait_until(self, sql: str, params=(), expected=True, timeout: float = 120.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.value(sql, params) == expected:
                return
            time.sleep(0.002)
        raise AssertionError(
            f"timed out waiting for {sql} == {expected!r}; worker log:\n{self.log()[-3000:]}"
        )

    def kill_mid_job(self, job_id: int) -> None:
        """Start a worker, let it claim the job, freeze it there at once (SIGSTOP), and SIGKILL it."""
        worker = self.start_worker()
        self.wait_until("SELECT status FROM jobs_job WHERE id = %s", (job_id,), "running")
        os.kill(worker.pid, signal.SIGSTOP)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
        assert worker.returncode == -signal.SIGKILL
        # let the dead worker's lease run out
        time.sleep(LEASE_SECONDS + 0.5)

    def stop(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait(timeout=30)
