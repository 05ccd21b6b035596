"""A small HTTP/1.1 load generator: N connections, each in a thread, for a fixed time.

Pure standard library, so it runs on any machine the project runs on. Each thread keeps its
connection alive while the server allows it (gunicorn's sync workers close after every
response; the generator then reconnects, which is counted), sends pre-encoded GET requests
rotating through the given paths and parses just enough of each response (status line,
Content-Length or chunked body) to know it is complete. Requests completed during the warm-up
are not counted; the measurement window is the ``--seconds`` that follow it.

Requests are anonymous unless extra headers are given: ``--cookie sessionid=…`` for a signed-in
session, ``--header "Authorization: Bearer cns_…"`` for the API, or ``--headers-from FILE``
(one header line per line) to keep them out of the process list; bench/visitors.py makes them.

Prints one JSON object on stdout: requests, statuses, errors, requests/s, latency percentiles
and the generator's own CPU time (it shares the machine with the server, so this shows how
much it took from it).

    python bench/load.py --port 8000 --path /floor/ --seconds 10 --warmup 2 --connections 4
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO

MAX_SAMPLES = 2_000_000  # latency samples kept per thread; requests beyond are still counted
MAX_HEADER_LINES = 100
MAX_BODY = 64 * 1024 * 1024


class ProtocolError(Exception):
    pass


@dataclass
class Tally:
    requests: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    transport_errors: int = 0
    late_errors: int = 0  # sent in the window, failed after it (a timeout, typically)
    connects: int = 0
    body_bytes: int = 0
    latencies: list[float] = field(default_factory=list)
    samples: list[str] = field(default_factory=list)  # a few error descriptions

    def error(self, text: str) -> None:
        if len(self.samples) < 5:
            self.samples.append(text)


class Connection:
    """One keep-alive connection; reopened transparently when the server closes it."""

    def __init__(self, host: str, port: int, timeout: float, tally: Tally) -> None:
        self.host, self.port, self.timeout, self.tally = host, port, timeout, tally
        self.sock: socket.socket | None = None
        self.reader: BinaryIO | None = None
        self.used = False  # a request completed on the current socket

    def open(self) -> None:
        sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock, self.reader, self.used = sock, sock.makefile("rb"), False
        self.tally.connects += 1

    def close(self) -> None:
        if self.reader is not None:
            self.reader.close()
        if self.sock is not None:
            self.sock.close()
        self.sock = self.reader = None

    def request(self, raw: bytes) -> tuple[int, int]:
        """Send ``raw`` and read the response: (status, body length)."""
        for attempt in range(2):
            if self.sock is None:
                self.open()
            assert self.sock is not None and self.reader is not None
            try:
                self.sock.sendall(raw)
                status_line = self.reader.readline(8192)
                if not status_line:
                    raise ConnectionResetError("connection closed before the response")
            except (ConnectionResetError, BrokenPipeError):
                # A kept-alive connection the server closed meanwhile: retry once on a new one.
                reused = self.used
                self.close()
                if reused and attempt == 0:
                    continue
                raise
            return self._rest(status_line)
        raise ProtocolError("unreachable")

    def _rest(self, status_line: bytes) -> tuple[int, int]:
        assert self.reader is not None
        parts = status_line.split(None, 2)
        if len(parts) < 2 or not parts[0].startswith(b"HTTP/1."):
            raise ProtocolError(f"bad status line {status_line[:80]!r}")
        status = int(parts[1])
        length: int | None = None
        chunked = False
        close = parts[0] == b"HTTP/1.0"
        for _ in range(MAX_HEADER_LINES):
            line = self.reader.readline(65536)
            if line in (b"\r\n", b"\n", b""):
                break
            name, _sep, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                chunked = b"chunked" in value.lower()
            elif name == b"connection":
                close = value.strip().lower() == b"close"
        else:
            raise ProtocolError("too many header lines")
        if chunked:
            size = self._read_chunked()
        elif length is not None:
            size = len(self.reader.read(length))
            if size != length:
                raise ProtocolError("short body")
        else:  # no length: the body runs to the end of the connection
            size = len(self.reader.read(MAX_BODY))
            close = True
        if close:
            self.close()
        else:
            self.used = True
        return status, size

    def _read_chunked(self) -> int:
        assert self.reader is not None
        total = 0
        while total <= MAX_BODY:
            size = int(self.reader.readline(1024).split(b";")[0], 16)
            if size == 0:
                for _ in range(MAX_HEADER_LINES):  # trailers
                    if self.reader.readline(65536) in (b"\r\n", b"\n", b""):
                        return total
                raise ProtocolError("too many trailer lines")
            total += len(self.reader.read(size))
            self.reader.readline(8)
        raise ProtocolError("body too large")


def encode(host: str, port: int, path: str, headers: Sequence[str] = ()) -> bytes:
    extra = "".join(f"{header}\r\n" for header in headers)
    return (
        f"GET {path} HTTP/1.1\r\n"
        f"Host: {host}:{port}\r\n"
        "User-Agent: consilium-bench/1\r\n"
        "Accept: */*\r\n"
        "Accept-Language: en\r\n"
        f"{extra}"
        "Connection: keep-alive\r\n\r\n"
    ).encode("ascii")


def header(text: str) -> str:
    """``Name: value`` as given on the command line, checked so it cannot split the request."""
    name, sep, value = text.partition(":")
    if not sep or not name.strip() or any(c in text for c in "\r\n") or not text.isascii():
        raise argparse.ArgumentTypeError(f"not a header line: {text!r}")
    return f"{name.strip()}: {value.strip()}"


def drive(
    args: argparse.Namespace,
    requests: list[bytes],
    offset: int,
    start: float,
    end: float,
    tally: Tally,
) -> None:
    conn = Connection(args.host, args.port, args.timeout, tally)
    index = offset
    try:
        for _ in range(args.max_requests):
            sent = time.perf_counter()
            if sent >= end:
                break
            raw = requests[index % len(requests)]
            index += 1
            try:
                status, size = conn.request(raw)
            except (OSError, ProtocolError, ValueError) as exc:
                conn.close()
                done = time.perf_counter()
                if start <= done <= end:
                    tally.requests += 1
                    tally.transport_errors += 1
                    tally.error(f"{type(exc).__name__}: {exc}")
                elif start <= sent < end:
                    # Not a request of the window (it does not count towards req/s), but a
                    # failure of one sent in it: a server too slow for the timeout shows.
                    tally.late_errors += 1
                    tally.error(f"{type(exc).__name__} after the window: {exc}")
                time.sleep(0.01)  # do not spin on a refused connection
                continue
            done = time.perf_counter()
            if start <= done <= end:  # completed inside the measurement window
                tally.requests += 1
                tally.statuses[status] = tally.statuses.get(status, 0) + 1
                tally.body_bytes += size
                if len(tally.latencies) < MAX_SAMPLES:
                    tally.latencies.append(done - sent)
                if status != 200:
                    tally.error(f"HTTP {status} for {raw.split(b' ', 2)[1].decode()}")
    finally:
        conn.close()


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, round(fraction * (len(sorted_values) - 1)))
    return sorted_values[index]


def run(args: argparse.Namespace) -> dict[str, Any]:
    headers = list(args.header or [])
    if args.cookie:
        headers.append(header(f"Cookie: {args.cookie}"))
    requests = [encode(args.host, args.port, path, headers) for path in args.path]
    cpu_before = os.times()
    start = time.perf_counter() + args.warmup
    end = start + args.seconds
    tallies = [Tally() for _ in range(args.connections)]
    threads = [
        threading.Thread(
            target=drive, args=(args, requests, i, start, end, tallies[i]), daemon=True
        )
        for i in range(args.connections)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=args.warmup + args.seconds + args.timeout + 5)
    stuck = sum(thread.is_alive() for thread in threads)
    cpu_after = os.times()

    statuses: dict[int, int] = {}
    latencies: list[float] = []
    for tally in tallies:
        for status, n in tally.statuses.items():
            statuses[status] = statuses.get(status, 0) + n
        latencies.extend(tally.latencies)
    latencies.sort()
    total = sum(t.requests for t in tallies)
    ok = statuses.get(200, 0)
    cpu = (cpu_after.user - cpu_before.user) + (cpu_after.system - cpu_before.system)
    return {
        "paths": args.path,
        "connections": args.connections,
        "seconds": args.seconds,
        "requests": total,
        "ok": ok,
        "errors": total - ok + sum(t.late_errors for t in tallies),
        "transport_errors": sum(t.transport_errors for t in tallies),
        "late_errors": sum(t.late_errors for t in tallies),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "rps": total / args.seconds,
        "ok_rps": ok / args.seconds,
        "connects": sum(t.connects for t in tallies),
        "mean_body_bytes": (sum(t.body_bytes for t in tallies) / ok) if ok else 0,
        "latency_ms": {
            name: round(percentile(latencies, q) * 1000, 2)
            for name, q in (("p50", 0.5), ("p90", 0.9), ("p99", 0.99), ("max", 1.0))
        },
        "client_cpu_seconds": round(cpu, 2),
        "client_cpu_share": round(cpu / (args.warmup + args.seconds), 3),
        "stuck_threads": stuck,
        "error_samples": [s for t in tallies for s in t.samples][:10],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument(
        "--path", action="append", required=True, help="a path to request (repeat to rotate)"
    )
    parser.add_argument(
        "--header", type=header, action="append", help="an extra request header, Name: value"
    )
    parser.add_argument(
        "--cookie", help="send this Cookie header with every request, e.g. sessionid=..."
    )
    parser.add_argument(
        "--headers-from",
        type=argparse.FileType("r"),
        help="extra header lines from a file (one per line), e.g. a session cookie or a token "
        "that should not appear in the process list",
    )
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--timeout", type=float, default=10.0, help="socket timeout, seconds")
    parser.add_argument(
        "--max-requests", type=int, default=10_000_000, help="upper bound per connection"
    )
    args = parser.parse_args(argv)
    if args.headers_from:
        with args.headers_from as lines:
            args.header = (args.header or []) + [
                header(line.rstrip("\r\n")) for line in lines if line.strip()
            ]
    if args.seconds <= 0 or args.warmup < 0 or not 1 <= args.connections <= 256:
        parser.error("--seconds > 0, --warmup >= 0 and 1 <= --connections <= 256")
    json.dump(run(args), sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
