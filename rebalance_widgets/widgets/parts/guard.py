"""Widget callbacks that never raise, and a progress bar around big jobs.

:func:`guarded` wraps a widget method so that an error becomes a sentence in the widget's
message line, and after a widget's first call (its build) hands the memory freed so far
back to the system (:func:`release_freed_memory`); :func:`long_job` shows the progress
bar while a large one-step job runs.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
from collections.abc import Callable
from typing import Any, TypeVar

from rebalance_widgets.widgets.parts.views import Message, Progress

__all__ = ["LONG_JOB_CELLS", "guarded", "long_job", "release_freed_memory"]


F = TypeVar("F", bound=Callable[..., Any])

#: Paths x periods above which a simulation shows the progress bar while it runs.
LONG_JOB_CELLS = 1_500_000


def long_job(
    progress: Progress, n_paths: int, n_periods: int, description: str = "Simulating"
) -> contextlib.AbstractContextManager[Any]:
    """Show ``progress`` as busy while a large one-step job runs (nothing for small ones).

    Parameters
    ----------
    progress : Progress
        The widget's progress bar.
    n_paths, n_periods : int
        Size of the job.
    description : str
        Label next to the bar.

    Returns
    -------
    context manager
        Use as ``with base.long_job(self.progress, paths, periods): simulate(...)``.

    Examples
    --------
    >>> with long_job(Progress(), 10, 12):
    ...     pass
    """
    if n_paths * n_periods > LONG_JOB_CELLS:
        return progress.busy(description)
    return contextlib.nullcontext()


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(None).malloc_trim  # GNU libc (Linux); not macOS, Windows, musl
    except (AttributeError, OSError):
        return None


def release_freed_memory() -> bool:
    """Hand memory this process has freed, but still holds, back to the system.

    A simulation of 1,000 futures allocates and frees tens of MiB of arrays; GNU libc keeps
    much of what is freed for later, so lesson 5's kernel sat at 130-180 MiB instead of
    about 120 until it was asked to give it back (``malloc_trim``). It takes about 2 ms
    after a simulation and microseconds otherwise. Elsewhere than GNU libc it does nothing.

    Returns
    -------
    bool
        Whether any memory went back to the system.

    Examples
    --------
    >>> release_freed_memory() in (True, False)
    True
    """
    trim = _malloc_trim()
    return bool(trim(0)) if trim is not None else False


def _report(owner: Any, text: str) -> None:
    owner.message.show_error(text)
    owner.last_error = text


def guarded(method: F) -> F:
    """Wrap a widget method so no exception escapes and the person sees what to fix.

    The instance must have a ``message`` (:class:`Message`); :class:`TeachingWidget`
    provides one. A ``ValueError`` shows its text as-is; a ``MemoryError`` asks for fewer
    futures or years; any other exception shows "Something went wrong with these inputs:
    ...". On success, queued notes are shown (or the message is cleared). Returns the
    method's result, or ``None`` after an error. After an instance's first guarded call (its
    build, as a rule), the memory freed so far goes back to the system
    (:func:`release_freed_memory`), so that a kernel waiting for a visitor is no bigger than
    it needs to be. Later calls leave it to the allocator: with 50 visitors on two cores,
    handing memory back after every answer made the next answers slower (p95 1.11 s
    against 0.95 s) for 4% less memory.

    Parameters
    ----------
    method : callable
        A method ``(self, *args, **kwargs)``.

    Returns
    -------
    callable
        The wrapped method.

    Examples
    --------
    >>> class W:
    ...     message = Message()
    ...     @guarded
    ...     def act(self, change=None):
    ...         raise ValueError("Amount must be a number.")
    >>> w = W()
    >>> w.act()
    >>> w.message.text
    'Amount must be a number.'
    """

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        message: Message = self.message
        if message.depth > 0:  # an outer guarded call reports errors once
            return method(self, *args, **kwargs)
        message.depth = 1
        try:
            result = method(self, *args, **kwargs)
        except ValueError as error:
            _report(self, str(error))
            return None
        except MemoryError:
            _report(self, "This server ran out of memory for that: try fewer futures or "
                          "fewer years.")
            return None
        except Exception as error:  # noqa: BLE001 - a callback must never raise
            _report(self, f"Something went wrong with these inputs: {error}")
            return None
        finally:
            message.depth = 0
            if not getattr(self, "_memory_released", False):  # once, after the build
                release_freed_memory()
                self._memory_released = True
        self.last_error = ""
        message.show_notes()
        return result

    return wrapper  # type: ignore[return-value]
