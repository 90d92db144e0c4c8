"""Who may open a dashboard: the visitor cap of a public site, and the close-tab cookie."""

from __future__ import annotations

from typing import Any

__all__ = ["DashboardHook", "visitor_count", "warm_kernel_count"]


def warm_kernel_count(kernel_manager: Any) -> int:
    """Kernels that wait in Voila's warm pools for a visitor (0 without warm kernels).

    Parameters
    ----------
    kernel_manager : voila kernel manager
        With warm kernels, Voila's ``VoilaKernelManager``: its ``_pools`` maps each lesson
        to a list of tasks, one per kernel that is starting, running the notebook, or
        ready. Every task counts: a kernel still starting is not a visitor's.

    Returns
    -------
    int
    """
    pools = getattr(kernel_manager, "_pools", None) or {}
    return sum(len(pool) for pool in pools.values())


def visitor_count(kernel_manager: Any) -> int:
    """Kernels that visitors hold: every running kernel but those of the warm pools.

    Parameters
    ----------
    kernel_manager : jupyter kernel manager
        Anything with ``list_kernel_ids()`` (and ``_pools`` with warm kernels).

    Returns
    -------
    int
    """
    running = len(kernel_manager.list_kernel_ids())
    return max(running - warm_kernel_count(kernel_manager), 0)


class DashboardHook:
    """Runs before a visitor gets a dashboard's kernel (:class:`LessonHandler` calls it).

    - It makes sure the page gets Voila's ``_xsrf`` cookie. When a person closes the tab,
      the page asks Voila to stop its kernel, and that request carries the cookie; without
      it Voila refuses ("'_xsrf' argument missing") and the kernel keeps running.
    - With ``max_visitors``, it refuses a new dashboard (HTTP 503, "try again") when that
      many visitors already hold a kernel. Kernels that wait in the warm pool are not
      visitors' (see :func:`visitor_count`); the pool adds a fixed number of kernels on top.
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

    def __call__(self, request_handler: Any, notebook: Any = None, cwd: str = "") -> None:
        """Set the ``_xsrf`` cookie; raise HTTP 503 when the site is full."""
        from tornado import web

        full = (self.max_visitors is not None
                and visitor_count(request_handler.kernel_manager) >= self.max_visitors)
        if full:
            raise web.HTTPError(
                503, reason="The lessons are busy right now; please try again in a few minutes."
            )
        request_handler.xsrf_token  # noqa: B018 - reading it sets the cookie
