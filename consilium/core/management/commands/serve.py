"""``python -m consilium serve``: the development server and the task worker, as one command.

``make run`` uses it so that what the demo queues (certificates on completion, invitation and
password-reset e-mails, statistics refreshes) actually runs. One Ctrl+C stops both: the worker
is a child process that is stopped when the server ends, however it ends.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve Consilium with the development server and run its task worker beside it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--noreload", action="store_true", help="Do not reload the server on code changes."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        manage = [sys.executable, "-m", "consilium"]
        worker = subprocess.Popen([*manage, "worker", "--queue-name", "*", "--no-reload"])  # noqa: S603
        self.stdout.write(f"Task worker started (process {worker.pid}).")
        server_command = [*manage, "runserver", options["addrport"]]
        if options["noreload"]:
            server_command.append("--noreload")
        server = subprocess.Popen(server_command)  # noqa: S603
        previous = signal.signal(signal.SIGTERM, lambda *_: server.terminate())
        try:
            server.wait()
        except KeyboardInterrupt:
            server.wait()
        finally:
            signal.signal(signal.SIGTERM, previous)
            for process in (server, worker):
                if process.poll() is None:
                    process.terminate()
            for process in (server, worker):
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
            self.stdout.write("Server and task worker stopped.")
