"""Refilling a lesson's warm kernels after its visitor's page has opened, not during it.

When a visitor takes a lesson's warm kernel, Voila starts the next one at once (after its
``fill_delay``, 1 s by default). Starting a kernel and running the lesson in it keeps a
core busy for one to three seconds, exactly while the visitor's page asks its own kernel
for the widgets and draws them: on a small server, and on a laptop that serves and shows
the lesson, that slows every page open. Voila's ``fill_delay`` alone cannot help: a second
visitor arriving during the delay takes the delayed kernel and waits for the whole delay.

:class:`RefillAfterPage` holds each refill for :data:`REFILL_DELAY` seconds, unless a
visitor asks for that lesson when no ready kernel is left in its pool: then the held
refills start at once, and that visitor waits only for the kernel to start, as without
the delay. The kernels started when the server starts, and restarted kernels, are not
held.
"""

from __future__ import annotations

import asyncio
from typing import Any

from rebalance_widgets.dashboards.pool import mix_in

__all__ = ["REFILL_DELAY", "RefillAfterPage", "hold_refills"]

#: Seconds a lesson's warm pool waits after a visitor takes a kernel before it starts the
#: next one (a lesson page is drawn within about two seconds).
REFILL_DELAY = 5.0


class RefillAfterPage:
    """A mixin for Voila's preheating kernel manager (see the module's docstring).

    Voila makes its kernel manager class at run time, so :func:`hold_refills` puts this
    mixin in front of the class of the manager it made. Voila refills a pool by calling
    ``fill_if_needed(delay=None, ...)`` when a visitor takes a kernel (its first fill passes
    ``delay=0``); that call makes each new kernel's ``_initialize`` coroutine, so whether a
    kernel is held is decided when it is asked for, before anything runs.
    """

    refill_delay: float = REFILL_DELAY
    _refilling: str | None = None  # the lesson whose taken kernel is being replaced

    def _holds(self) -> dict[str, list[asyncio.Event]]:
        """Each lesson's held refills (one event each, set when a visitor asks)."""
        return self.__dict__.setdefault("_hold_events", {})

    async def get_rendered_notebook(self, notebook_name: str, *args: Any, **kwargs: Any):
        """Hand out a kernel as Voila does, after starting the lesson's held refills if need be.

        They start when every kernel left in the pool is a held one (this visitor would
        otherwise wait out a hold). A larger pool (a class arriving at one lesson) hands
        out its ready kernels first, and no refill runs while those visitors' pages open.
        """
        held = self._holds().get(notebook_name, [])
        if held and len(self._pools.get(notebook_name, ())) <= len(held):
            for asked in self._holds().pop(notebook_name):
                asked.set()
        return await super().get_rendered_notebook(notebook_name, *args, **kwargs)

    def fill_if_needed(self, delay: float | None = None, notebook_name: str | None = None,
                       **kwargs: Any) -> None:
        """Fill the pool as Voila does; kernels that replace a taken one are held."""
        self._refilling = notebook_name if delay is None else None
        try:
            super().fill_if_needed(delay, notebook_name, **kwargs)
        finally:
            self._refilling = None

    def _initialize(self, notebook_path: str, kernel_id: str | None = None,
                    **kwargs: Any) -> Any:
        """Voila's kernel start, after a hold if this kernel replaces one a visitor took."""
        asked = None
        if kernel_id is None and self._refilling == notebook_path:
            asked = asyncio.Event()
            self._holds().setdefault(notebook_path, []).append(asked)
        return self._start_after(asked, notebook_path, kernel_id, **kwargs)

    async def _start_after(self, asked: asyncio.Event | None, notebook_path: str,
                           kernel_id: str | None, **kwargs: Any) -> Any:
        if asked is not None:
            try:
                await asyncio.wait_for(asked.wait(), self.refill_delay)
            except asyncio.TimeoutError:
                pass
            finally:
                waiting = self._holds().get(notebook_path, [])
                if asked in waiting:
                    waiting.remove(asked)
        return await super()._initialize(notebook_path, kernel_id, **kwargs)


def hold_refills(manager: Any, delay: float = REFILL_DELAY) -> Any:
    """Give Voila's preheating kernel manager :class:`RefillAfterPage`'s behaviour.

    Parameters
    ----------
    manager : voila's kernel manager
        The instance Voila made (its class comes from ``voila_kernel_manager_factory``).
    delay : float
        Seconds a refill waits when nobody asks for the lesson, zero or more.

    Returns
    -------
    The same manager, now an instance of a subclass of its class with the mixin first.

    Raises
    ------
    TypeError
        If the manager is not Voila's preheating one (it lacks ``_initialize``,
        ``fill_if_needed`` or ``get_rendered_notebook``).
    """
    needed = ("_initialize", "fill_if_needed", "get_rendered_notebook")
    if not all(hasattr(manager, name) for name in needed):
        raise TypeError("warm kernels need Voila's preheating kernel manager")
    mix_in(manager, RefillAfterPage)
    manager.refill_delay = delay
    return manager
