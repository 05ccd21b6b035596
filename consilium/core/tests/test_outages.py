"""A database outage: the worker waits it out, /health/ says so, users get "try again"."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client, RequestFactory, override_settings

from consilium.core.management.commands import worker
from consilium.core.views import error_500


def _worker(*, interval: float = 1, worker_id: str = "test") -> worker.ResilientWorker:
    """A worker on every queue of the default backend, as ``python -m consilium worker``."""
    return worker.ResilientWorker(
        queue_names=["*"],
        interval=interval,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )


def test_the_worker_reconnects_after_dropped_connections(monkeypatch: pytest.MonkeyPatch) -> None:
    outages = [OperationalError("server closed the connection unexpectedly")] * 3
    runs: list[int] = []
    closed: list[int] = []
    slept: list[float] = []

    def run(self: Any) -> None:
        runs.append(1)
        if outages:
            raise outages.pop()

    monkeypatch.setattr(worker.db_worker.Worker, "run", run)
    monkeypatch.setattr(worker.connections, "close_all", lambda: closed.append(1))
    monkeypatch.setattr(worker.time, "sleep", slept.append)
    resilient = _worker()
    resilient.run()
    assert len(runs) == 4 and len(closed) == 3
    assert slept == [1.0, 2.0, 4.0]


def test_a_stopped_worker_does_not_retry(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []

    def run(self: Any) -> None:
        calls.append(1)
        self.running = False
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(worker.db_worker.Worker, "run", run)
    resilient = _worker()
    resilient.run()
    assert calls == [1]


@pytest.mark.parametrize(
    ("path", "content_type"),
    [("/institutions/", "text/html"), ("/api/v1/institutions/", "application/json")],
)
def test_an_unreachable_database_is_a_503_to_try_again(path: str, content_type: str) -> None:
    request = RequestFactory().get(path)
    try:
        raise OperationalError("could not connect to server: Connection refused")
    except OperationalError:
        response = error_500(request)
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert response["Content-Type"].startswith(content_type)
    assert b"try again" in response.content.lower() or b"Try again" in response.content


def test_any_other_error_stays_a_500() -> None:
    try:
        raise ValueError("a bug")
    except ValueError:
        response = error_500(RequestFactory().get("/"))
    assert response.status_code == 500


@pytest.mark.django_db
def test_health_reports_the_database_and_the_queue() -> None:
    response = Client().get("/health/")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert response.json()["tasks"]["status"] == "ok"


@pytest.mark.django_db
def test_health_is_503_when_the_database_is_down(monkeypatch: pytest.MonkeyPatch) -> None:
    from consilium.core import views

    class Down:
        def __enter__(self) -> Any:
            raise OperationalError("connection refused")

        def __exit__(self, *exc: object) -> None:
            return None

    monkeypatch.setattr(views.connection, "cursor", lambda: Down())
    response = Client().get("/health/")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unavailable"}


@pytest.mark.django_db
@override_settings(
    TASKS={"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}},
    HEALTH_TASK_STALL_SECONDS=60,
)
def test_health_is_503_when_no_worker_takes_from_the_queue() -> None:
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from consilium.core.tasks import send_email

    send_email.using(backend="default").enqueue(subject="s", body="b", to=["a@example.org"])
    response = Client().get("/health/")
    assert response.status_code == 200 and response.json()["tasks"]["waiting"] == 1
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=5))
    response = Client().get("/health/")
    assert response.status_code == 503
    assert response.json()["status"] == "degraded"
    assert response.json()["tasks"]["status"] == "stalled"


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_worker_waits_out_an_outage_and_keeps_going() -> None:
    """A real outage as the worker sees it: its connection is killed and, for two seconds,
    connecting is refused (the worker is pointed at a closed port, as during a restart). The
    task queued during the outage still runs; django-tasks-db's own worker exits here."""
    import threading
    import time

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("killing another session's connection needs PostgreSQL")
    from django_tasks_db.models import DBTaskResult

    from consilium.core.tasks import send_email

    backend = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    with override_settings(TASKS=backend):
        running = _worker(interval=0.05, worker_id="outage-test")

        def work() -> None:
            try:
                running.run()
            finally:
                connections.close_all()

        thread = threading.Thread(target=work, daemon=True)
        thread.start()

        def wait_done(count: int) -> None:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                if DBTaskResult.objects.filter(status="SUCCESSFUL").count() == count:
                    return
                time.sleep(0.1)
            pytest.fail(f"{count} task(s) not done: {list(DBTaskResult.objects.values('status'))}")

        settings_dict = connection.settings_dict  # shared by every thread's connection
        port = settings_dict["PORT"]
        try:
            send_email.enqueue(subject="before", body="b", to=["a@example.org"])
            wait_done(1)
            settings_dict["PORT"] = "1"  # nothing listens there: "connection refused"
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            send_email.enqueue(subject="during", body="b", to=["a@example.org"])
            time.sleep(2)
            assert thread.is_alive(), "the worker exited during the outage"
            settings_dict["PORT"] = port
            wait_done(2)
        finally:
            settings_dict["PORT"] = port
            running.running = False
            thread.join(40)
