"""The Voila application that serves the lessons: warm kernels, a visitor cap, one cookie.

:class:`LessonServer` is Voila with one change: every dashboard request goes through
:class:`LessonHandler`, which asks :class:`~rebalance_widgets.dashboards.DashboardHook`
whether the visitor may have a kernel (the visitor cap) and sets the ``_xsrf`` cookie that
the page's close request needs, *before* Voila hands out a kernel. Voila can do that in a
``prelaunch_hook``, but refuses a prelaunch hook together with warm kernels
(``preheat_kernel``); a handler works with both.

Warm kernels are Voila's own: ``VoilaConfiguration.preheat_kernel`` keeps
``default_pool_size`` kernels per lesson that have already run the notebook, and refills the
pool in the background after a visitor takes one. Voila's kernel manager never culls a
kernel while it waits in the pool, so idle culling on a public site keeps the pool full.
"""

from __future__ import annotations

from typing import Any

from traitlets import Instance
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler

from rebalance_widgets.dashboards.admission import DashboardHook

__all__ = ["LessonHandler", "LessonServer"]


class LessonHandler(TornadoVoilaHandler):
    """Voila's dashboard handler, with the kit's admission check first."""

    def initialize(self, **kwargs: Any) -> None:
        """Take the admission check out of the handler's arguments."""
        self.admission: DashboardHook = kwargs.pop("admission")
        super().initialize(**kwargs)

    async def get(self, path: str | None = None) -> None:
        """Admit the visitor (or answer 503), then render the dashboard as Voila does."""
        self.admission(self, notebook=None, cwd="")
        await super().get(path)


class LessonServer(Voila):
    """Voila whose dashboards go through :class:`LessonHandler`."""

    admission = Instance(
        DashboardHook, kw=None, config=True,
        help="Who may open a dashboard: the visitor cap (None: no cap).",
    )

    def init_handlers(self) -> list[Any]:
        """Voila's handlers, with :class:`LessonHandler` in place of its dashboard handler."""
        handlers = []
        for rule in super().init_handlers():
            if len(rule) >= 2 and rule[1] is TornadoVoilaHandler:
                options = {**(rule[2] if len(rule) > 2 else {}), "admission": self.admission}
                rule = (rule[0], LessonHandler, options, *rule[3:])
            handlers.append(rule)
        return handlers
