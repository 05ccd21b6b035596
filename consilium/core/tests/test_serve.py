"""``python -m consilium serve`` (what ``make run`` starts) runs queued work and stops with one
Ctrl+C: without a worker beside the server, a demo learner who completed a course was told
"Congratulations" and never got a certificate."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _manage(*args: str, env: dict[str, str], timeout: float = 120) -> None:
    subprocess.run(
        [sys.executable, "-m", "consilium", *args],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=timeout,
        capture_output=True,
    )


def _status(database: Path) -> list[str]:
    with sqlite3.connect(database) as db:
        return [
            row[0] for row in db.execute("SELECT status FROM django_tasks_database_dbtaskresult")
        ]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_serve_runs_queued_work_and_one_interrupt_stops_server_and_worker(tmp_path: Path) -> None:
    database = tmp_path / "serve.sqlite3"
    env = {
        **os.environ,
        "CONSILIUM_ENV": "development",
        "DATABASE_URL": f"sqlite:///{database}",
        "TASK_BACKEND": "django_tasks_db.backend.DatabaseBackend",
        "PYTHONUNBUFFERED": "1",
    }
    _manage("migrate", "--noinput", env=env)
    _manage(
        "shell",
        "-c",
        "from consilium.core.tasks import send_email; "
        "send_email.enqueue(subject='Queued', body='by the test', to=['a@example.org'])",
        env=env,
    )
    assert _status(database) == ["READY"]
    port = _free_port()
    serve = subprocess.Popen(
        [sys.executable, "-m", "consilium", "serve", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while _status(database) != ["SUCCESSFUL"] and time.monotonic() < deadline:
            time.sleep(0.5)
        assert _status(database) == ["SUCCESSFUL"]
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("the server did not answer")
        # Ctrl+C in a terminal: SIGINT to the whole foreground process group.
        os.killpg(serve.pid, signal.SIGINT)
        output, _ = serve.communicate(timeout=30)
    finally:
        if serve.poll() is None:
            os.killpg(serve.pid, signal.SIGKILL)
    assert serve.returncode is not None
    worker_pid = int(output.split("Task worker started (process ")[1].split(")")[0])
    assert not _alive(worker_pid)
    assert "Server and task worker stopped." in output
