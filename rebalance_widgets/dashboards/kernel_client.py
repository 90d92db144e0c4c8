"""The kernel client Voila runs a lesson through, which never misses a kernel's reply.

When Voila runs a lesson, nbclient sends a cell to the kernel and waits on the kernel's
shell socket for the reply. A cell that prints into an ``Output`` widget (``interact`` does)
makes nbclient send the widget's new state to the kernel on that same socket while it
waits. Now and then (7 of 60 page opens of a notebook with ``interact`` on this machine)
the waiting side is then never woken although the reply has arrived: the page stops at
that cell and never finishes, and its kernel is held until culled (reported upstream as
jupyter/nbclient#312). Asking the socket again finds the reply.

:class:`LessonKernelClient` waits for shell messages in short polls
(:data:`POLL_INTERVAL`), for as long as it was asked to wait, so a missed wake-up costs a
fraction of a second instead of the page. ``serve`` makes it the client of every kernel
(``KernelManager.client_factory``).
"""

from __future__ import annotations

import time
from queue import Empty
from typing import Any

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.channels import AsyncZMQSocketChannel
from traitlets import Type

__all__ = ["POLL_INTERVAL", "LessonKernelClient", "ShellChannel"]

#: Seconds of one poll of the shell socket.
POLL_INTERVAL = 0.25


class ShellChannel(AsyncZMQSocketChannel):
    """The shell channel, waiting for a message in polls of :data:`POLL_INTERVAL` seconds."""

    async def get_msg(self, timeout: float | None = None) -> dict[str, Any]:
        """Return the next message, waiting up to ``timeout`` seconds (None: no limit).

        Raises
        ------
        queue.Empty
            If no message came within ``timeout``.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = POLL_INTERVAL if deadline is None else max(deadline - time.monotonic(), 0.0)
            try:
                return await super().get_msg(timeout=min(POLL_INTERVAL, left))
            except Empty:  # under a millisecond left: a poll would round to 0 ms and spin
                if deadline is not None and deadline - time.monotonic() < 0.001:
                    raise


class LessonKernelClient(AsyncKernelClient):
    """Jupyter's asynchronous kernel client with :class:`ShellChannel`."""

    shell_channel_class = Type(ShellChannel)
