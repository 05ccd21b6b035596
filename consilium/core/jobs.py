"""Long work done by the task worker for one person, with a progress bar (``core.models.Job``).

An app registers a runner for a kind of job (in its ``AppConfig.ready``)::

    register_job_runner("institutions.import", run_import)

and starts one with ``job_start(kind=..., user=..., payload=..., filename=...)``: the job row
is written and ``run_job`` is enqueued, with the job's id only, once the request's transaction
commits. The worker calls the runner with the job and a ``progress(done, total)`` callback;
what the runner returns (JSON) becomes ``job.result``. Progress is written outside the
runner's transaction, so the page that polls the job sees it move (the runner must not hold a
transaction open while it reports progress; see ``institutions/spreadsheets.py``, which
checks every row first and writes them all at the end). Core knows no app: it only keeps the
runners it is given.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone, translation

from consilium.core.models import Job, JobStatus

Progress = Callable[[int, int], None]
Runner = Callable[[Job, Progress], dict[str, Any]]

_RUNNERS: dict[str, Runner] = {}


def register_job_runner(kind: str, runner: Runner) -> None:
    _RUNNERS[kind] = runner


def job_start(*, kind: str, user: Any, payload: bytes = b"", filename: str = "") -> Job:
    """Write a job and queue its run after the current transaction commits."""
    from consilium.core.tasks import run_job

    if kind not in _RUNNERS:
        raise LookupError(f"no runner registered for jobs of kind {kind!r}")
    job = Job.objects.create(
        kind=kind,
        user=user,
        payload=payload,
        filename=filename[:255],
        language=translation.get_language() or "",
    )
    transaction.on_commit(lambda: run_job.enqueue(job_id=job.pk))
    return job


def _progress(job_id: int) -> Progress:
    def report(done: int, total: int) -> None:
        Job.objects.filter(pk=job_id).update(done=done, total=total)

    return report


def job_run(job_id: int) -> str:
    """Run a queued job (the worker's side); returns its final status."""
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING
    )
    if not claimed:
        return "skipped"  # run already, or gone
    job = Job.objects.get(pk=job_id)
    runner = _RUNNERS[job.kind]
    with translation.override(job.language or None):
        try:
            result = runner(job, _progress(job.pk))
        except Exception:
            Job.objects.filter(pk=job.pk).update(
                status=JobStatus.FAILED, payload=b"", finished_at=timezone.now()
            )
            raise  # the task is kept as failed, with its traceback
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE, result=result, payload=b"", finished_at=timezone.now()
    )
    return JobStatus.DONE.value
