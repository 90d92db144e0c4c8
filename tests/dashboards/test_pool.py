"""The warm pool's keeper: visitors' kernels counted exactly, unfit warm kernels replaced."""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
from types import SimpleNamespace

import pytest
from tornado import web

from rebalance_widgets.dashboards.admission import DashboardHook, kernel_handed, visitor_count
from rebalance_widgets.dashboards.pool import PoolKeeper, count_visitors, keep_pool
from rebalance_widgets.dashboards.refill import hold_refills

LONG = 30.0


class Kernel:
    def __init__(self, pid: int) -> None:
        self.alive = True
        self.provisioner = SimpleNamespace(pid=pid)

    async def is_alive(self) -> bool:
        return self.alive


class PreheatingManager:
    """Voila's preheating kernel manager in miniature, with real kernel bookkeeping."""

    log = logging.getLogger("test-pool")

    def __init__(self) -> None:
        self._pools: dict[str, list[asyncio.Task]] = {}
        self.kernels: dict[str, Kernel] = {}
        self.count = 0

    def list_kernel_ids(self) -> list[str]:
        return list(self.kernels)

    def get_kernel(self, kernel_id: str) -> Kernel:
        return self.kernels[kernel_id]

    async def _start(self) -> str:  # what the pool calls past the mixins
        self.count += 1
        kernel_id = f"k{self.count}"
        self.kernels[kernel_id] = Kernel(pid=1000 + self.count)
        return kernel_id

    async def start_kernel(self, **kwargs) -> str:  # what a visitor's request calls
        return await self._start()

    async def shutdown_kernel(self, kernel_id: str, now: bool = False) -> None:
        del self.kernels[kernel_id]

    def notify_connect(self, kernel_id: str) -> None:
        self.connected = [*getattr(self, "connected", []), kernel_id]

    async def _initialize(self, notebook_path: str, kernel_id: str | None = None, **kwargs):
        if kernel_id is None:
            kernel_id = await self._start()
        return {"kernel_id": kernel_id, "task": asyncio.ensure_future(self._run(kernel_id))}

    async def _run(self, kernel_id: str):
        """Running the lesson, which fails when the kernel died first."""
        if not self.kernels[kernel_id].alive:
            raise RuntimeError("Kernel died before replying to kernel_info")
        return [], None

    def fill_if_needed(self, delay: float | None = None, notebook_name: str | None = None):
        pool = self._pools.setdefault(notebook_name, [])
        while len(pool) < 1:
            pool.append(asyncio.ensure_future(self._initialize(notebook_name)))

    def get_pool_size(self, notebook_name: str) -> int:
        return len(self._pools.get(notebook_name, []))

    async def get_rendered_notebook(self, notebook_name: str, **kwargs):
        content = await self._pools[notebook_name].pop(0)
        self.fill_if_needed(delay=None, notebook_name=notebook_name)
        return None, [], content["kernel_id"]

    def restart(self, kernel_id: str) -> None:
        """What Jupyter does when a kernel's process dies: same id, new process."""
        self.kernels[kernel_id].provisioner.pid += 500


def run(coroutine):
    async def bounded():
        return await asyncio.wait_for(coroutine, timeout=10)

    with concurrent.futures.ThreadPoolExecutor(1) as worker:
        return worker.submit(asyncio.run, bounded()).result()


async def drain(manager: PreheatingManager) -> None:
    """Let held refills start and every pool task finish (none is left pending)."""
    for held in manager._holds().values():
        for asked in held:
            asked.set()
    for pool in manager._pools.values():
        await asyncio.gather(*pool)


def site(delay: float = LONG) -> PreheatingManager:
    """A manager as ``serve`` sets it up: filled when made, then refills held, pool kept."""
    manager = PreheatingManager()
    manager.fill_if_needed(delay=0, notebook_name="a.ipynb")
    return keep_pool(hold_refills(manager, delay=delay))


def test_a_held_refill_is_neither_a_visitor_nor_lets_one_through_the_cap():
    async def scenario():
        manager = site()
        await asyncio.sleep(0)
        await manager._pools["a.ipynb"][0]
        assert visitor_count(manager) == 0
        *_, first = await manager.get_rendered_notebook("a.ipynb")
        await asyncio.sleep(0.05)
        assert manager.list_kernel_ids() == [first]  # the refill is held: no kernel yet
        assert visitor_count(manager) == 1  # (running 1 - pool entries 1 would say 0)
        handler = SimpleNamespace(kernel_manager=manager, xsrf_token=b"t")
        with pytest.raises(web.HTTPError):
            DashboardHook(1)(handler)
        kernel_id = await manager.start_kernel()  # a visitor when the pool is empty
        assert visitor_count(manager) == 2
        await manager.shutdown_kernel(kernel_id)
        assert manager.visitor_kernel_ids() == {first}
        await drain(manager)

    run(scenario())


@pytest.mark.parametrize("fault", ["restarted", "dead", "gone", "failed"])
def test_a_warm_kernel_that_restarted_or_died_is_replaced_before_anyone_gets_it(fault):
    async def scenario():
        manager = site()
        if fault == "failed":  # died while it started: running the lesson in it failed
            manager._start = died_at_start(manager._start, manager)
        warm = (await manager._pools["a.ipynb"][0])["kernel_id"]
        await asyncio.sleep(0.05)  # running the lesson has ended (or failed)
        if fault == "restarted":
            manager.restart(warm)
        elif fault == "dead":
            manager.kernels[warm].alive = False
        elif fault == "gone":
            del manager.kernels[warm]
        *_, given = await manager.get_rendered_notebook("a.ipynb")
        assert given != warm
        assert warm not in manager.list_kernel_ids()  # shut down, not left running
        assert manager.visitor_kernel_ids() == {given}
        await drain(manager)

    run(scenario())


def died_at_start(start, manager):
    """The first kernel started dies at once; Jupyter restarts it as a live process."""
    async def dying_start() -> str:
        kernel_id = await start()
        if manager.count == 1:
            manager.kernels[kernel_id].alive = False
            asyncio.get_running_loop().call_later(0.02, setattr, manager.kernels[kernel_id],
                                                  "alive", True)
        return kernel_id
    return dying_start


def test_a_healthy_warm_kernel_is_handed_out_and_a_visitors_restart_changes_nothing():
    async def scenario():
        manager = site()
        warm = (await manager._pools["a.ipynb"][0])["kernel_id"]
        *_, given = await manager.get_rendered_notebook("a.ipynb")
        assert given == warm
        manager.restart(given)  # the visitor's own kernel restarting is the visitor's
        assert await manager.drop_unfit_kernels("a.ipynb") == []
        assert manager.visitor_kernel_ids() == {given}
        await drain(manager)

    run(scenario())


def test_pages_being_sent_count_against_the_cap():
    handler = SimpleNamespace(kernel_manager=SimpleNamespace(list_kernel_ids=lambda: []),
                              xsrf_token=b"t")
    limit = DashboardHook(2)
    # two pages on their way, no kernel handed to either yet: a third is refused
    with limit.admitted(handler), limit.admitted(handler), pytest.raises(web.HTTPError):
        limit(handler)
    assert limit.pages == []
    limit(handler)  # sent: the kernels (none here) are what count now
    with limit.admitted(handler):
        kernel_handed("k1")  # the page holds its kernel: the kernel counts, not the page
        limit(handler)


def test_keep_pool_needs_a_preheating_manager_and_mixes_in_once():
    with pytest.raises(TypeError, match="preheating"):
        keep_pool(object())
    manager = keep_pool(keep_pool(PreheatingManager()))
    assert type(manager).__mro__.count(PoolKeeper) == 1


def test_a_visitors_kernel_no_page_connects_to_is_shut_down_and_a_claimed_one_kept():
    async def scenario():
        manager = count_visitors(PreheatingManager())
        manager.unclaimed_after = 0.2
        crawler = await manager.start_kernel()
        visitor = await manager.start_kernel()
        manager.notify_connect(visitor)  # the visitor's page connects to its kernel
        assert manager.connected == [visitor]  # counted as Jupyter counts it
        assert await manager.stop_unclaimed_kernels() == []  # not yet: within the time
        await asyncio.sleep(0.3)  # past it; the manager's own sweep may have run by now
        await manager.stop_unclaimed_kernels()
        assert manager.list_kernel_ids() == [visitor]
        assert crawler not in manager.visitor_kernel_ids()
        manager._sweeper.cancel()

    run(scenario())
