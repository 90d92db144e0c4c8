"""A workshop on one server: many visitors across the lessons, each using the widgets.

Run: ``.venv/bin/python benchmarks/bench_workshop.py [--visitors 50] [--minutes 3]``

One ``rebalance-widgets serve --public`` on 127.0.0.1 (warm kernels as its defaults, the
visitor cap raised to the number of visitors). Each visitor is a small client that does
what a browser does over the wire, without drawing: it opens a lesson (the page's HTML),
connects to the lesson's kernel websocket, reads the widgets' state, and then, after a
think time of 2-10 s (uniform), moves a slider or ticks a box, again and again. The answer
time of a move is from sending the new value to the kernel reporting idle for it, by which
time every chart and sentence update has been sent. Visitors arrive over the first 30 s.
At the end each visitor closes its tab the way the page does (Voila's shutdown request).

It prints the answer times (p50, p95, max), the kernels' total memory (RSS) at the peak,
the machine's CPU use, and how many visitors' kernels are left after every visitor left.
Drawing the charts is the browser's work and not measured here (see
``bench_dashboards.py`` for time to a drawn lesson in Chromium).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import statistics
import struct
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psutil
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_dashboards import (  # noqa: E402
    NOTEBOOKS,
    free_port,
    kernel_processes,
    start_server,
    stop_server,
)

LESSONS = [name for name in NOTEBOOKS if not name.startswith("00-")]  # lesson 0 has no controls
CONTROL_MODELS = {"IntSliderModel", "FloatSliderModel", "CheckboxModel", "DropdownModel",
                  "ToggleButtonsModel", "TextModel"}
AMOUNT = re.compile(r"^\$?[0-9][0-9,]*(\.[0-9]+)?$")  # a text box that holds dollars


@dataclass
class Visitor:
    """One simulated visitor and what it measured."""

    number: int
    lesson: str
    answers: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    reader: bool = False


def _message(msg_type: str, content: dict, session: str, metadata: dict | None = None,
             channel: str = "shell") -> dict:
    return {
        "header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "visitor",
                   "session": session, "date": "", "version": "5.3"},
        "parent_header": {}, "metadata": metadata or {}, "content": content,
        "channel": channel, "buffers": [],
    }


class Connection:
    """A kernel websocket with a queue of received messages."""

    def __init__(self, socket) -> None:
        self.socket = socket
        self.session = uuid.uuid4().hex

    async def send(self, msg_type: str, content: dict, metadata: dict | None = None) -> str:
        message = _message(msg_type, content, self.session, metadata)
        await self.socket.write_message(json.dumps(message))
        return message["header"]["msg_id"]

    async def until(self, done, timeout: float) -> list[dict]:
        """Read messages until ``done(message)`` is true; return what was read."""
        seen = []
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no answer")
            raw = await asyncio.wait_for(self.socket.read_message(), left)
            if raw is None:
                raise ConnectionError("the kernel websocket closed")
            message = json.loads(_message_part(raw) if isinstance(raw, bytes) else raw)
            seen.append(message)
            if done(message):
                return seen


def p95(ordered: list[float]) -> float:
    """The 95th percentile of sorted times (the nearest rank below; NaN for none)."""
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] if ordered else float("nan")


def _message_part(frame: bytes) -> bytes:
    """The JSON of a binary frame (a message with buffers: a count, offsets, then the parts;
    Jupyter Server's websocket format); the buffers are not needed here."""
    count = struct.unpack_from("!I", frame)[0]
    offsets = struct.unpack_from(f"!{count}I", frame, 4)
    return frame[offsets[0]:offsets[1] if count > 1 else None]


def _idle_for(msg_id: str):
    def done(message: dict) -> bool:
        return (message.get("msg_type") == "status"
                and message["parent_header"].get("msg_id") == msg_id
                and message["content"].get("execution_state") == "idle")
    return done


async def _controls(connection: Connection) -> list[tuple[str, dict]]:
    """Every slider and tick box of the page: (comm id, state)."""
    ask = await connection.send("comm_info_request", {"target_name": "jupyter.widget"})
    seen = await connection.until(lambda m: m["parent_header"].get("msg_id") == ask
                                  and m.get("msg_type") == "comm_info_reply", 60)
    comms = list(seen[-1]["content"]["comms"])
    states = {}
    for comm in comms:
        asked = await connection.send("comm_msg", {"comm_id": comm,
                                                   "data": {"method": "request_state"}})
        for message in await connection.until(_idle_for(asked), 60):
            data = message["content"].get("data", {})
            if message.get("msg_type") == "comm_msg" and data.get("method") == "update":
                states[message["content"]["comm_id"]] = data["state"]
    return [(comm, state) for comm, state in states.items()
            if state.get("_model_name") in CONTROL_MODELS and not state.get("disabled")
            and (state["_model_name"] != "DropdownModel" or len(state["_options_labels"]) > 1)
            and (state["_model_name"] != "TextModel" or AMOUNT.match(state["value"] or ""))]


def _change(state: dict, rng: random.Random) -> dict:
    """A new state for a control: another value, another tick, another menu choice."""
    if state["_model_name"] == "CheckboxModel":
        return {"value": not state["value"]}
    if state["_model_name"] == "TextModel":
        return {"value": f"{rng.randrange(1_000, 100_000):,}"}
    if state["_model_name"] in ("DropdownModel", "ToggleButtonsModel"):
        others = [i for i in range(len(state["_options_labels"])) if i != state["index"]]
        return {"index": rng.choice(others or [state["index"]])}
    return {"value": _new_value(state, rng)}


def _new_value(state: dict, rng: random.Random):
    low, high, step = state["min"], state["max"], state.get("step") or 1
    choices = [low + step * k for k in range(int(round((high - low) / step)) + 1)]
    choices = [value for value in choices if value != state["value"]] or choices
    value = rng.choice(choices)
    return int(value) if state["_model_name"] == "IntSliderModel" else round(value, 10)


@dataclass
class Tab:
    """A lesson open as a page does it: its kernel, its websocket, its cookies."""

    port: int
    kernel: str
    cookie: str
    connection: Connection

    async def close(self, client: AsyncHTTPClient) -> None:
        """Close the tab the way the page does (Voila's shutdown request)."""
        self.connection.socket.close()
        xsrf = re.search(r"_xsrf=([^;]+)", self.cookie)
        headers = {"Cookie": self.cookie, "X-XSRFToken": xsrf.group(1) if xsrf else ""}
        await client.fetch(HTTPRequest(
            f"http://127.0.0.1:{self.port}/voila/api/shutdown/{self.kernel}",
            method="POST", body=b"", headers=headers), raise_error=False)


async def open_lesson(client: AsyncHTTPClient, port: int, lesson: str) -> Tab | str:
    """Ask for a lesson's page and connect to its kernel; a failure's words if it fails."""
    page = await client.fetch(f"http://127.0.0.1:{port}/voila/render/{lesson}",
                              request_timeout=300, raise_error=False)
    if page.code != 200:
        return f"page {page.code}"
    html = page.body.decode()
    config = re.search(r'<script id="jupyter-config-data"[^>]*>(.*?)</script>', html, re.S)
    kernel = json.loads(config.group(1))["kernelId"]
    cookie = "; ".join(value.split(";")[0] for value in page.headers.get_list("Set-Cookie"))
    socket = await websocket_connect(
        f"ws://127.0.0.1:{port}/api/kernels/{kernel}/channels?session_id={uuid.uuid4().hex}",
        max_message_size=64 * 2**20)
    return Tab(port, kernel, cookie, Connection(socket))


async def visit(visitor: Visitor, port: int, until: float, rng: random.Random) -> None:
    client = AsyncHTTPClient()
    tab = await open_lesson(client, port, visitor.lesson)
    if isinstance(tab, str):
        visitor.failures.append(tab)
        return
    connection = tab.connection
    try:
        controls = await _controls(connection)
        visitor.reader = not controls  # a lesson without controls is read, not used
        while controls and time.monotonic() < until:
            await asyncio.sleep(rng.uniform(2, 10))
            comm, state = rng.choice(controls)
            change = _change(state, rng)
            start = time.monotonic()
            sent = await connection.send("comm_msg", {
                "comm_id": comm, "data": {"method": "update", "state": change,
                                          "buffer_paths": []}})
            try:
                await connection.until(_idle_for(sent), 60)
            except TimeoutError:
                visitor.failures.append("an answer took over 60 s")
                continue
            visitor.answers.append(time.monotonic() - start)
            state.update(change)
    finally:
        await tab.close(client)


async def _watch(server, stop: asyncio.Event, peak: dict) -> None:
    while not stop.is_set():
        rss = 0
        kernels = kernel_processes(server)
        for kernel in kernels:
            try:
                rss += kernel.memory_info().rss
            except psutil.NoSuchProcess:
                continue
        peak["rss"] = max(peak["rss"], rss)
        peak["kernels"] = max(peak["kernels"], len(kernels))
        await asyncio.sleep(2)


async def run(visitors: int, minutes: float, port: int, server, seed: int) -> list[Visitor]:
    rng = random.Random(seed)
    start = time.monotonic()
    until = start + 60 * minutes
    people = [Visitor(i, LESSONS[i % len(LESSONS)]) for i in range(visitors)]
    stop = asyncio.Event()
    peak = {"rss": 0, "kernels": 0}
    watcher = asyncio.create_task(_watch(server, stop, peak))

    async def arrive(person: Visitor) -> None:
        await asyncio.sleep(rng.uniform(0, 30))
        try:
            await visit(person, port, until, random.Random(rng.random()))
        except Exception as error:  # noqa: BLE001 - a benchmark reports, it does not stop
            person.failures.append(f"{type(error).__name__}: {error}")

    psutil.cpu_percent(None)
    await asyncio.gather(*(arrive(person) for person in people))
    cpu = psutil.cpu_percent(None)
    stop.set()
    await watcher
    answers = sorted(t for person in people for t in person.answers)
    print(f"{visitors} visitors across {len(LESSONS)} lessons for {minutes:g} min "
          f"(think time 2-10 s), {psutil.cpu_count()} CPU cores")
    if answers:
        print(f"answers: {len(answers)}; p50 {statistics.median(answers):.2f} s, "
              f"p95 {p95(answers):.2f} s, max {answers[-1]:.2f} s")
    for lesson in LESSONS:
        mine = sorted(t for p in people if p.lesson == lesson for t in p.answers)
        if mine:
            print(f"  {lesson:36s} {len(mine):4d} answers, median {statistics.median(mine):.2f}"
                  f" s, max {mine[-1]:.2f} s")
    print(f"kernels at the peak: {peak['kernels']}, their memory (RSS) {peak['rss'] / 2**30:.2f}"
          f" GiB; CPU use over the run: {cpu:.0f}%")
    readers = sorted({p.lesson for p in people if p.reader})
    if readers:
        print(f"lessons without a control to move (their visitors only read): {readers}")
    failures = [f"visitor {p.number} ({p.lesson}): {f}" for p in people for f in p.failures]
    print(f"failures: {len(failures)}")
    for line in failures[:10]:
        print("  " + line)
    return people


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visitors", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    if not 1 <= args.visitors <= 60:
        raise SystemExit("--visitors must be 1 to 60")
    port = free_port()
    server = start_server(port, "--public", "--max-visitors", str(args.visitors))
    try:
        time.sleep(30)  # the warm pools fill
        warm = len(kernel_processes(server))
        asyncio.run(run(args.visitors, args.minutes, port, server, args.seed))
        time.sleep(15)  # shutdowns finish, the pools refill
        left = len(kernel_processes(server)) - warm
        print(f"visitors' kernels left after every visitor left: {max(left, 0)} "
              f"(besides {warm} warm kernels waiting in the pools)")
    finally:
        stop_server(server)


if __name__ == "__main__":
    main()
