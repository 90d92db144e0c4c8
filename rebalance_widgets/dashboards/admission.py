"""Who may open a dashboard: the visitor cap of a public site, and the close-tab cookie."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from typing import Any

__all__ = ["DashboardHook", "kernel_handed", "visitor_count"]

#: The page being sent in this request, while its kernel is not handed out yet.
_PAGE: contextvars.ContextVar[dict | None] = contextvars.ContextVar("page", default=None)


def kernel_handed(kernel_id: str) -> None:
    """Note that the page being sent in this request now holds ``kernel_id``.

    The kernel manager calls it when it hands a kernel to a visitor (see
    :class:`~rebalance_widgets.dashboards.pool.VisitorKernels`); from then on the kernel,
    not the page, counts against the visitor cap.
    """
    page = _PAGE.get()
    if page is not None:
        page["kernel"] = kernel_id


def visitor_count(kernel_manager: Any) -> int:
    """Kernels that visitors hold.

    Parameters
    ----------
    kernel_manager : jupyter kernel manager
        With the kit's :class:`~rebalance_widgets.dashboards.pool.VisitorKernels`
        (``visitor_kernel_ids()``: the kernels it handed to visitors); otherwise anything
        with ``list_kernel_ids()``, every kernel then being a visitor's.

    Returns
    -------
    int
    """
    visitors = getattr(kernel_manager, "visitor_kernel_ids", None)
    if visitors is not None:
        return len(visitors())
    return len(kernel_manager.list_kernel_ids())


class DashboardHook:
    """Runs before a visitor gets a dashboard's kernel (:class:`LessonHandler` calls it).

    - It makes sure the page gets Voila's ``_xsrf`` cookie. When a person closes the tab,
      the page asks Voila to stop its kernel, and that request carries the cookie; without
      it Voila refuses ("'_xsrf' argument missing") and the kernel keeps running.
    - With ``max_visitors``, it refuses a new dashboard (HTTP 503, "try again") when that
      many visitors already hold a kernel. Kernels that wait in the warm pool, or are being
      started for it, are not visitors' (see :func:`visitor_count`); the pool adds a fixed
      number of kernels on top. Pages admitted whose kernel is not handed out yet count
      too (:meth:`admitted`): a burst of simultaneous requests cannot all pass before any
      of them holds a kernel.
      So the memory of the whole site is at most about ``max_visitors + warm`` kernels.

    Parameters
    ----------
    max_visitors : int, optional
        Most visitors at once; no limit when omitted.

    Examples
    --------
    >>> DashboardHook(20).max_visitors
    20
    """

    def __init__(self, max_visitors: int | None = None) -> None:
        if max_visitors is not None and max_visitors < 1:
            raise ValueError(f"The visitor limit must be at least 1; it is {max_visitors}.")
        self.max_visitors = max_visitors
        self.pages: list[dict] = []  # pages being sent; "kernel" once they hold one

    def __call__(self, request_handler: Any, notebook: Any = None, cwd: str = "") -> None:
        """Set the ``_xsrf`` cookie; raise HTTP 503 when the site is full."""
        from tornado import web

        waiting = sum(1 for page in self.pages if "kernel" not in page)
        busy = visitor_count(request_handler.kernel_manager) + waiting
        full = self.max_visitors is not None and busy >= self.max_visitors
        if full:
            raise web.HTTPError(
                503, reason="The lessons are busy right now; please try again in a few minutes."
            )
        request_handler.xsrf_token  # noqa: B018 - reading it sets the cookie

    @contextlib.contextmanager
    def admitted(self, request_handler: Any) -> Iterator[None]:
        """Admit a visitor (or raise HTTP 503); the page counts until it holds a kernel.

        Use it around the sending of the page, in the request's own task: the kernel
        manager's :func:`kernel_handed` finds the page through a context variable.
        """
        self(request_handler)
        page: dict = {}
        self.pages.append(page)
        token = _PAGE.set(page)
        try:
            yield
        finally:
            _PAGE.reset(token)
            self.pages.remove(page)
