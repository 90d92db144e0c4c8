"""Which kernels visitors hold, and warm kernels that are no longer fit to hand out.

Three things Voila's kernel manager does not keep track of:

- **Visitors' kernels.** The visitor cap counts kernels that visitors hold. A warm pool's
  entries are tasks, and a refill held back for a few seconds
  (:mod:`rebalance_widgets.dashboards.refill`) has no kernel yet: counting "running kernels
  minus pool entries" then lets visitors in beyond the cap. :class:`PoolKeeper` records
  every kernel it hands to a visitor (from the pool, or started for the visitor when the pool
  is empty), so the count is exact.
- **Kernels nobody's page claims.** Every request for a lesson takes a kernel, also one
  from a crawler that never runs the page's scripts; such a kernel held a place under the
  visitor cap until idle culling (15 minutes). :class:`VisitorKernels` shuts down a
  visitor's kernel that no page has connected to within :data:`UNCLAIMED_AFTER` seconds.
- **Warm kernels that died or restarted.** A kernel that dies while it waits (its process
  killed, a port taken when it started) is restarted by Jupyter with the same id and
  nothing run in it: handed out, it would give a page whose widgets have no models.
  Before it hands a kernel out, :class:`PoolKeeper` shuts down the lesson's warm kernels
  that are gone, not alive, failed to run the lesson, or run in another process than the
  one the lesson ran in, and starts new ones.
"""

from __future__ import annotations

import asyncio
import time
import weakref
from typing import Any

from rebalance_widgets.dashboards.admission import kernel_handed

__all__ = ["UNCLAIMED_AFTER", "PoolKeeper", "VisitorKernels", "count_visitors", "keep_pool",
           "mix_in"]

#: Seconds a visitor's kernel waits for its page to connect before it is shut down (a page
#: connects within a few seconds of arriving, a slow phone's within half a minute).
UNCLAIMED_AFTER = 120.0


def mix_in(manager: Any, mixin: type) -> Any:
    """Make ``manager`` an instance of a subclass of its class with ``mixin`` first.

    Voila makes its kernel manager's class at run time; this is how the kit adds behaviour
    to the instance it made. Adding the same mixin twice changes nothing.
    """
    base = type(manager)
    if not issubclass(base, mixin):
        manager.__class__ = type(base.__name__, (mixin, base), {})
    return manager


class VisitorKernels:
    """A mixin for a kernel manager: the kernels it hands to visitors' requests.

    A kernel whose page never connects to it within :attr:`unclaimed_after` seconds (a
    crawler, a link checker, a tab closed while the page was loading) is shut down, so
    that such requests cannot hold the site's kernels until idle culling.
    """

    #: Seconds a visitor's kernel waits for its page to connect before it is shut down.
    unclaimed_after: float = UNCLAIMED_AFTER

    def _visitors(self) -> set[str]:
        return self.__dict__.setdefault("_visitor_kernel_ids", set())

    def _unclaimed(self) -> dict[str, float]:
        """Kernels handed out whose page has not connected yet, with the time handed."""
        return self.__dict__.setdefault("_unclaimed_since", {})

    def _hand(self, kernel_id: str) -> None:
        self._visitors().add(kernel_id)
        self._unclaimed()[kernel_id] = time.monotonic()
        kernel_handed(kernel_id)
        if self.__dict__.get("_sweeper") is None:
            self._sweeper = asyncio.ensure_future(self._sweep())

    def notify_connect(self, kernel_id: str) -> None:
        """Count a connection as Jupyter does; the kernel's page has claimed it."""
        self._unclaimed().pop(kernel_id, None)
        super().notify_connect(kernel_id)

    async def _sweep(self) -> None:
        while True:
            await asyncio.sleep(max(self.unclaimed_after / 4, 0.05))
            try:
                await self.stop_unclaimed_kernels()
            except Exception:  # noqa: BLE001 - the sweep must outlive one failed shutdown
                self.log.exception("Stopping unclaimed kernels failed")

    async def stop_unclaimed_kernels(self) -> list[str]:
        """Shut down visitors' kernels whose page has not connected within the time allowed.

        Returns
        -------
        list of str
            The ids of the kernels shut down.
        """
        stopped = []
        running = set(self.list_kernel_ids())
        for kernel_id, since in list(self._unclaimed().items()):
            if kernel_id not in running:
                del self._unclaimed()[kernel_id]
            elif time.monotonic() - since >= self.unclaimed_after:
                del self._unclaimed()[kernel_id]
                self.log.warning("No page connected to kernel %s within %.0f s; stopping it",
                                 kernel_id, self.unclaimed_after)
                await self.shutdown_kernel(kernel_id, now=True)
                stopped.append(kernel_id)
        return stopped

    def visitor_kernel_ids(self) -> set[str]:
        """Ids of the running kernels that were handed to visitors.

        Returns
        -------
        set of str
            A subset of ``list_kernel_ids()``; kernels waiting in a pool are never in it.
        """
        visitors = self._visitors()
        visitors &= set(self.list_kernel_ids())  # forget stopped kernels
        return set(visitors)

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:
        """Start a kernel for a visitor (Voila's pool starts its own kernels past this)."""
        kernel_id = await super().start_kernel(*args, **kwargs)
        self._hand(kernel_id)
        return kernel_id


class PoolKeeper(VisitorKernels):
    """A mixin for Voila's preheating kernel manager (see the module's docstring)."""

    def fill_if_needed(self, delay: float | None = None, notebook_name: str | None = None,
                       **kwargs: Any) -> None:
        """Fill the pool as Voila does, and note which process each new kernel runs in."""
        super().fill_if_needed(delay, notebook_name, **kwargs)
        self.watch_pools()

    def watch_pools(self) -> None:
        """Note each pool kernel's process once it has started.

        Voila fills the pools when it makes the manager, before this mixin is added, so
        :func:`keep_pool` calls it for those kernels.
        """
        watched = self.__dict__.setdefault("_watched_tasks", weakref.WeakSet())
        for pool in self._pools.values():
            for task in pool:
                if task not in watched:
                    watched.add(task)
                    task.add_done_callback(self._note_process)

    def _note_process(self, task: Any) -> None:
        if not task.cancelled() and task.exception() is None:
            kernel_id = task.result()["kernel_id"]
            if kernel_id in self.list_kernel_ids():
                self._lesson_processes()[kernel_id] = self._process_id(kernel_id)

    def _lesson_processes(self) -> dict[str, int | None]:
        """Each warm kernel's process id when the lesson ran in it."""
        return self.__dict__.setdefault("_lesson_process_ids", {})

    def _process_id(self, kernel_id: str) -> int | None:
        provisioner = getattr(self.get_kernel(kernel_id), "provisioner", None)
        return getattr(provisioner, "pid", None)

    async def get_rendered_notebook(self, notebook_name: str, *args: Any, **kwargs: Any):
        """Drop unfit warm kernels, hand out a kernel as Voila does, and record it."""
        await self.drop_unfit_kernels(notebook_name)
        result = await super().get_rendered_notebook(notebook_name, *args, **kwargs)
        self._hand(result[-1])
        self._lesson_processes().pop(result[-1], None)  # the visitor's kernel from now on
        return result

    async def drop_unfit_kernels(self, notebook_name: str) -> list[str]:
        """Shut down the lesson's ready warm kernels that are unfit; start others.

        A warm kernel is unfit when it is gone or not alive, when running the lesson in it
        failed, or when its process is not the one the lesson ran in (Jupyter restarted it).

        Returns
        -------
        list of str
            The ids of the kernels dropped.
        """
        pool = self._pools.get(notebook_name, [])
        dropped = []
        for task in list(pool):
            if not task.done() or task.cancelled() or task.exception() is not None:
                continue
            if not await self._fit(task.result()):
                pool.remove(task)
                dropped.append(task.result()["kernel_id"])
                self._lesson_processes().pop(dropped[-1], None)
        for kernel_id in dropped:
            self.log.warning("Warm kernel %s of %s died or restarted; starting another",
                             kernel_id, notebook_name)
            if kernel_id in self.list_kernel_ids():
                await self.shutdown_kernel(kernel_id, now=True)
        if dropped:
            self.fill_if_needed(delay=0, notebook_name=notebook_name)
        return dropped

    async def _fit(self, content: dict) -> bool:
        kernel_id, render = content["kernel_id"], content.get("task")
        if kernel_id not in self.list_kernel_ids():
            return False
        if render is not None and render.done() and (
                render.cancelled() or render.exception() is not None):
            return False
        ran_in = self._lesson_processes().get(kernel_id)
        if ran_in is not None and self._process_id(kernel_id) != ran_in:
            return False
        return bool(await self.get_kernel(kernel_id).is_alive())


def count_visitors(manager: Any) -> Any:
    """Give a kernel manager without warm pools :class:`VisitorKernels`' behaviour.

    Returns
    -------
    The same manager, now also a :class:`VisitorKernels`.
    """
    return mix_in(manager, VisitorKernels)


def keep_pool(manager: Any) -> Any:
    """Give Voila's preheating kernel manager :class:`PoolKeeper`'s behaviour.

    Parameters
    ----------
    manager : voila's kernel manager
        The instance Voila made, with warm kernels (``_pools``).

    Returns
    -------
    The same manager, now also a :class:`PoolKeeper`.

    Raises
    ------
    TypeError
        If the manager has no warm pools.
    """
    if not hasattr(manager, "_pools"):
        raise TypeError("keeping a warm pool needs Voila's preheating kernel manager")
    mix_in(manager, PoolKeeper)
    manager.watch_pools()
    return manager
