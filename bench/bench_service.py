"""Benchmark: POST /calculate over HTTP under 32 concurrent clients, against Engine.calculate in-process.

    python bench/bench_service.py [--requests 10000] [--clients 32] [--workers 2]

Method. The baseline, in this process: what one request asks of the engine, done directly (read the
JSON text with exact numbers, ``Engine.calculate``, render the report as JSON), timed with
``time.process_time`` over a few hundred runs after a warm-up. The service: ``mrv serve``'s app on
uvicorn with ``--workers`` processes on a local port; ``--clients`` asyncio connections (HTTP/1.1
keep-alive, a minimal client so that the client spends little of the machine's two cores) send
``--requests`` POST /calculate of the example file and check every answer is 200 with the expected
total. Reported: requests per second, p50/p99 latency, errors, and the service's cost per request as
the CPU seconds its processes spent (read from /proc) divided by the requests, next to the baseline's
CPU per calculation: the ratio is the HTTP service's overhead. No timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from mrv_engine import Engine, load_json_text

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = {"hubei-coke.json": "108462.4949", "power-plant-2022.json": None}


def baseline(engine: Engine, text: str, runs: int) -> float:
    """CPU seconds per in-process calculation: parse exactly, calculate, render the JSON report."""
    for _ in range(5):
        engine.render(engine.calculate(load_json_text(text, "x")), "json")
    t = time.process_time()
    for _ in range(runs):
        engine.render(engine.calculate(load_json_text(text, "x")), "json")
    return (time.process_time() - t) / runs


def healthy(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as c:
            c.sendall(b"GET /health HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n")
            return c.recv(64).startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of ``pid`` and every process below it."""
    tick = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = {}
    stats = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                fields = Path(f"/proc/{d}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(d))
            stats[int(d)] = (int(fields[11]) + int(fields[12])) / tick
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        total += stats.get(p, 0.0)
        todo.extend(children.get(p, []))
    return total


async def client(port: int, body: bytes, count: int, expect: str | None, latencies: list, errors: list) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = (f"POST /calculate HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode()
    for _ in range(count):
        t = time.perf_counter()
        writer.write(head + body)
        await writer.drain()
        status = await reader.readline()
        length = 0
        while (line := await reader.readline()) not in (b"\r\n", b""):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        payload = await reader.readexactly(length)
        latencies.append(time.perf_counter() - t)
        if b" 200 " not in status or (expect and f'"total_co2e": "{expect}"'.encode() not in payload):
            errors.append(status.decode().strip())
    writer.close()


async def load(port: int, body: bytes, requests: int, clients: int, expect: str | None):
    latencies: list = []
    errors: list = []
    share = [requests // clients + (1 if i < requests % clients else 0) for i in range(clients)]
    t = time.perf_counter()
    await asyncio.gather(*(client(port, body, n, expect, latencies, errors) for n in share))
    return time.perf_counter() - t, latencies, errors


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=10000)
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--baseline-runs", type=int, default=300)
    args = ap.parse_args()

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "mrv_engine.service.app:app_from_environment", "--factory",
                               "--host", "127.0.0.1", "--port", str(port), "--workers", str(args.workers),
                               "--log-level", "warning", "--no-access-log"])
    try:
        deadline = time.monotonic() + 120
        while not healthy(port):  # every worker loads the engine first: wait until one answers
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the service did not start")
            time.sleep(0.5)
        time.sleep(2 * args.workers)  # and give the others the time it took
        engine = Engine()
        print(f"{args.requests} requests per example, {args.clients} clients, {args.workers} worker processes\n")
        for name, expect in EXAMPLES.items():
            text = (ROOT / "examples" / name).read_text(encoding="utf-8")
            body = text.encode()
            per_calc = baseline(engine, text, args.baseline_runs if "power" in name else args.baseline_runs * 5)
            asyncio.run(load(port, body, args.clients * 5, args.clients, expect))  # warm every worker
            cpu0 = tree_cpu(server.pid)
            wall, lat, errors = asyncio.run(load(port, body, args.requests, args.clients, expect))
            per_request = (tree_cpu(server.pid) - cpu0) / args.requests
            lat.sort()
            p50, p99 = statistics.median(lat), lat[int(len(lat) * 0.99) - 1]
            print(f"{name}: {args.requests / wall:,.0f} requests/s, p50 {p50 * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, "
                  f"{len(errors)} errors")
            print(f"  in-process parse + Engine.calculate + JSON report: {per_calc * 1000:.2f} ms CPU "
                  f"({1 / per_calc:,.0f} per second on one core)")
            print(f"  service: {per_request * 1000:.2f} ms CPU per request, {per_request / per_calc:.2f}x the in-process cost\n")
            if errors:
                print("  first errors:", errors[:3])
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
