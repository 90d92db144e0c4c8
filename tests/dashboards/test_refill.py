"""Warm pools refill after a visitor's page has opened, at once if another visitor asks."""

from __future__ import annotations

import asyncio
import concurrent.futures
import time

import pytest

from rebalance_widgets.dashboards.refill import RefillAfterPage, hold_refills

LONG = 30.0  # a hold no test waits for: each test ends within seconds if refills go early


class PoolManager:
    """Voila's preheating manager in miniature: a pool of tasks, refilled when one is taken."""

    def __init__(self) -> None:
        self._pools: dict[str, list[asyncio.Task]] = {}
        self.started: list[tuple[str, str | None, float]] = []

    async def _initialize(self, notebook_path: str, kernel_id: str | None = None, **kwargs):
        self.started.append((notebook_path, kernel_id, time.monotonic()))
        return {"kernel_id": f"k{len(self.started)}"}

    def fill_if_needed(self, delay: float | None = None, notebook_name: str | None = None):
        pool = self._pools.setdefault(notebook_name, [])
        pool.append(asyncio.ensure_future(self._initialize(notebook_name)))

    def fill(self, name: str) -> None:
        """The server's first fill."""
        self.fill_if_needed(delay=0, notebook_name=name)

    async def get_rendered_notebook(self, notebook_name: str, **kwargs):
        content = await self._pools[notebook_name].pop(0)
        self.fill_if_needed(delay=None, notebook_name=notebook_name)
        return content["kernel_id"]


def run(coroutine):
    """Run a scenario on a loop of its own (other tests may leave one running here)."""
    async def bounded():
        return await asyncio.wait_for(coroutine, timeout=10)

    with concurrent.futures.ThreadPoolExecutor(1) as worker:
        return worker.submit(asyncio.run, bounded()).result()


def test_the_first_fill_is_not_held_and_a_refill_waits_for_the_delay():
    async def scenario():
        manager = hold_refills(PoolManager(), delay=0.3)
        manager.fill("a.ipynb")
        await asyncio.sleep(0)
        assert [name for name, _, _ in manager.started] == ["a.ipynb"]
        taken = time.monotonic()
        assert await manager.get_rendered_notebook("a.ipynb") == "k1"
        await asyncio.sleep(0.05)
        assert len(manager.started) == 1  # the refill waits while the page opens ...
        await manager._pools["a.ipynb"][0]
        assert manager.started[1][2] - taken >= 0.3  # ... then starts by itself

    run(scenario())


def test_a_visitor_asking_during_the_hold_starts_the_refill_at_once():
    async def scenario():
        manager = hold_refills(PoolManager(), delay=LONG)
        manager.fill("a.ipynb")
        assert await manager.get_rendered_notebook("a.ipynb") == "k1"
        await asyncio.sleep(0.05)
        assert len(manager.started) == 1
        assert await manager.get_rendered_notebook("a.ipynb") == "k2"  # not after LONG s
        assert len(manager.started) == 2
        for task in manager._pools["a.ipynb"]:
            task.cancel()

    run(scenario())


def test_a_class_takes_the_ready_kernels_first_and_no_refill_starts_meanwhile():
    """With three ready kernels (a larger pool), three visitors at once start no refill;
    the fourth, finding only held ones, starts them."""
    async def scenario():
        manager = hold_refills(PoolManager(), delay=LONG)
        for _ in range(3):
            manager.fill("a.ipynb")
        await asyncio.sleep(0)
        taken = await asyncio.gather(*(manager.get_rendered_notebook("a.ipynb")
                                       for _ in range(3)))
        assert sorted(taken) == ["k1", "k2", "k3"]
        await asyncio.sleep(0.05)
        assert len(manager.started) == 3  # no refill while the class's pages open
        assert await manager.get_rendered_notebook("a.ipynb") == "k4"  # not after LONG s
        await asyncio.sleep(0.05)
        assert len(manager.started) == 6  # the held three started; one more is held
        for task in manager._pools["a.ipynb"]:
            task.cancel()

    run(scenario())


def test_a_visitor_of_another_lesson_does_not_start_a_held_refill():
    async def scenario():
        manager = hold_refills(PoolManager(), delay=LONG)
        manager.fill("a.ipynb")
        manager.fill("b.ipynb")
        await manager.get_rendered_notebook("a.ipynb")
        await asyncio.sleep(0.05)
        await manager.get_rendered_notebook("b.ipynb")
        await asyncio.sleep(0.05)
        assert sorted(name for name, _, _ in manager.started) == ["a.ipynb", "b.ipynb"]
        for pool in manager._pools.values():
            for task in pool:
                task.cancel()

    run(scenario())


def test_a_restarted_kernel_is_not_held():
    async def scenario():
        manager = hold_refills(PoolManager(), delay=LONG)
        manager.fill("a.ipynb")
        await manager.get_rendered_notebook("a.ipynb")
        await manager._initialize("a.ipynb", "k1")  # a restart names its kernel
        assert manager.started[-1][:2] == ("a.ipynb", "k1")
        for task in manager._pools["a.ipynb"]:
            task.cancel()

    run(scenario())


def test_holding_refills_needs_voilas_preheating_manager_and_is_done_once():
    with pytest.raises(TypeError, match="preheating"):
        hold_refills(object())
    manager = hold_refills(hold_refills(PoolManager(), delay=1.0), delay=2.0)
    assert type(manager).__mro__.count(RefillAfterPage) == 1
    assert manager.refill_delay == 2.0
    assert isinstance(manager, PoolManager)
