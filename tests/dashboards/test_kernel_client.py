"""The client a lesson runs through waits for a kernel's reply in short polls."""

from __future__ import annotations

import asyncio
import concurrent.futures
import time
from pathlib import Path
from queue import Empty

import pytest
from jupyter_client.channels import AsyncZMQSocketChannel
from jupyter_client.manager import AsyncKernelManager

from rebalance_widgets.dashboards import voila_config
from rebalance_widgets.dashboards.kernel_client import (
    POLL_INTERVAL,
    LessonKernelClient,
    ShellChannel,
)

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def run(coroutine):
    with concurrent.futures.ThreadPoolExecutor(1) as worker:
        return worker.submit(asyncio.run, coroutine).result(timeout=30)


class Socket:
    """A shell socket whose first few polls miss a reply that has arrived."""

    def __init__(self, missed: int) -> None:
        self.missed = missed
        self.polls: list[float | None] = []

    async def poll(self, timeout_ms):
        self.polls.append(timeout_ms)
        if self.missed:
            self.missed -= 1
            await asyncio.sleep(timeout_ms / 1000)
            return 0
        return 1


def channel(socket: Socket) -> ShellChannel:
    shell = ShellChannel.__new__(ShellChannel)
    shell.socket = socket

    async def recv():
        return {"msg_type": "execute_reply"}

    shell._recv = recv
    return shell


def test_a_reply_a_poll_missed_is_found_by_the_next_one():
    socket = Socket(missed=3)
    assert run(channel(socket).get_msg(timeout=None)) == {"msg_type": "execute_reply"}
    assert socket.polls == [POLL_INTERVAL * 1000] * 4  # never one endless wait


def test_waiting_ends_when_the_time_asked_for_is_up():
    socket = Socket(missed=100)
    started = time.monotonic()
    with pytest.raises(Empty):
        run(channel(socket).get_msg(timeout=0.6))
    assert 0.6 <= time.monotonic() - started < 0.6 + 2 * POLL_INTERVAL + 1
    assert all(ms <= POLL_INTERVAL * 1000 for ms in socket.polls)


def test_every_kernel_of_a_site_is_run_through_the_lesson_client():
    config, _ = voila_config(NOTEBOOKS)
    client = AsyncKernelManager(config=config).client()
    assert isinstance(client, LessonKernelClient)
    assert issubclass(client.shell_channel_class, AsyncZMQSocketChannel)
    assert client.shell_channel_class is ShellChannel
