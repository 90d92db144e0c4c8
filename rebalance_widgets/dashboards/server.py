"""The Voila application that serves the lessons: warm kernels, a visitor cap, one cookie.

:class:`LessonServer` is Voila with one change: every dashboard request goes through
:class:`LessonHandler`, which asks :class:`~rebalance_widgets.dashboards.DashboardHook`
whether the visitor may have a kernel (the visitor cap) and sets the ``_xsrf`` cookie that
the page's close request needs, *before* Voila hands out a kernel. Voila can do that in a
``prelaunch_hook``, but refuses a prelaunch hook together with warm kernels
(``preheat_kernel``); a handler works with both.

It also serves the charts' library (:func:`rebalance_widgets.chart_library.library_file`)
at ``<base URL>rebalance-widgets/chart-library.js``, so that a page loads it once, while its
own scripts load, instead of once per chart over the kernel's websocket.

Warm kernels are Voila's own: ``VoilaConfiguration.preheat_kernel`` keeps
``default_pool_size`` kernels per lesson that have already run the notebook, and refills the
pool in the background after a visitor takes one, here once the visitor's page has opened
(:mod:`rebalance_widgets.dashboards.refill`). Voila's kernel manager never culls a kernel
while it waits in the pool, so idle culling on a public site keeps the pool full. A warm
kernel that died or restarted while it waited is replaced before anyone gets it, and the
visitor cap counts the kernels handed to visitors (:mod:`rebalance_widgets.dashboards.pool`).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from jupyter_server.utils import url_path_join
from tornado import web
from traitlets import Bool, Float, Instance, Unicode
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler

from rebalance_widgets.chart_library import LIBRARY_ROUTE
from rebalance_widgets.dashboards.admission import DashboardHook
from rebalance_widgets.dashboards.pool import UNCLAIMED_AFTER, count_visitors, keep_pool
from rebalance_widgets.dashboards.refill import REFILL_DELAY, hold_refills

__all__ = ["ChartLibraryHandler", "LessonHandler", "LessonServer"]


class ChartLibraryHandler(web.RequestHandler):
    """Sends the charts' library, read once when the server starts.

    Tornado answers ``304`` when the browser's copy carries the same ETag.
    """

    def initialize(self, body: bytes, etag: str) -> None:
        """Keep the library and its ETag, both made once by :class:`LessonServer`."""
        self.body = body
        self.etag = etag

    def compute_etag(self) -> str:
        """Return the ETag made once, instead of hashing the library on every request."""
        return self.etag

    def get(self) -> None:
        """Send the library; revalidated on every visit (``no-cache``), resent only if new."""
        self.set_header("Content-Type", "text/javascript; charset=utf-8")
        self.set_header("Cache-Control", "no-cache")
        self.write(self.body)


class LessonHandler(TornadoVoilaHandler):
    """Voila's dashboard handler, with the kit's admission check first."""

    def initialize(self, **kwargs: Any) -> None:
        """Take the admission check out of the handler's arguments."""
        self.admission: DashboardHook = kwargs.pop("admission")
        super().initialize(**kwargs)

    async def get(self, path: str | None = None) -> None:
        """Admit the visitor (or answer 503), then render the dashboard as Voila does."""
        with self.admission.admitted(self):
            await super().get(path)


class LessonServer(Voila):
    """Voila whose dashboards go through :class:`LessonHandler`."""

    admission = Instance(
        DashboardHook, kw=None, config=True,
        help="Who may open a dashboard: the visitor cap (None: no cap).",
    )

    chart_library = Unicode(
        "", config=True,
        help="The charts' library file to serve (empty: none; kernels then send it).",
    )

    refill_delay = Float(
        REFILL_DELAY, min=0, config=True,
        help="Seconds a lesson's warm pool waits, after a visitor takes a kernel, before it "
             "starts the next one (at once if another visitor asks for the lesson and no ready "
             "kernel is left).",
    )

    unclaimed_timeout = Float(
        UNCLAIMED_AFTER, min=0.1, config=True,
        help="Seconds a visitor's kernel waits for its page to connect before it is shut "
             "down (a request that never runs the page, such as a crawler's).",
    )

    compress = Bool(
        False, config=True,
        help="Send pages, scripts and styles gzip-compressed to browsers that accept it, "
             "and the kernels' websocket messages deflated (about 6 MB of a lesson's files "
             "become about 2 MB; worth it over a network, not on this machine's loopback).",
    )

    def init_settings(self) -> dict:
        """Voila's settings; its preheating kernel manager holds refills (``refill``)."""
        settings = super().init_settings()
        settings["compress_response"] = self.compress  # read when the application is made
        if self.compress:  # the kernels' websockets too (widget state, charts' data)
            settings["websocket_compression_options"] = {}
        if self.voila_configuration.preheat_kernel:
            hold_refills(self.kernel_manager, self.refill_delay)
            keep_pool(self.kernel_manager)
        else:
            count_visitors(self.kernel_manager)
        self.kernel_manager.unclaimed_after = self.unclaimed_timeout
        return settings

    def init_handlers(self) -> list[Any]:
        """Voila's handlers, with :class:`LessonHandler` in place of its dashboard handler."""
        handlers: list[Any] = []
        if self.chart_library:
            body = Path(self.chart_library).read_bytes()
            etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
            route = url_path_join(self.server_url, LIBRARY_ROUTE)
            handlers.append((route, ChartLibraryHandler, {"body": body, "etag": etag}))
        for rule in super().init_handlers():
            if len(rule) >= 2 and rule[1] is TornadoVoilaHandler:
                options = {**(rule[2] if len(rule) > 2 else {}), "admission": self.admission}
                rule = (rule[0], LessonHandler, options, *rule[3:])
            handlers.append(rule)
        return handlers
