"""Start an IPython kernel whose memory is capped (the kernel of a public dashboard site).

``rebalance-widgets serve --public`` points Voila's ``python3`` kernel at this module::

    python -m rebalance_widgets.dashboards.kernel --max-memory-mb=2048 -f CONNECTION_FILE

The limit is the kernel's address space (``RLIMIT_AS``): an allocation beyond it fails with
``MemoryError`` inside that one kernel, and every other visitor is unaffected.
"""

from __future__ import annotations

import sys

__all__ = ["apply_memory_limit", "main"]


def apply_memory_limit(max_memory_mb: int) -> None:
    """Cap this process's address space.

    Parameters
    ----------
    max_memory_mb : int
        The limit in MiB; must be at least 64.

    Raises
    ------
    ValueError
        If the limit is below 64 MiB or lower than what the process already uses.

    Examples
    --------
    >>> apply_memory_limit(4096)  # doctest: +SKIP
    """
    import resource

    if max_memory_mb < 64:
        raise ValueError(f"A kernel needs at least 64 MiB; the limit is {max_memory_mb} MiB.")
    limit = max_memory_mb * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def main(argv: list[str] | None = None) -> None:
    """Apply ``--max-memory-mb=N`` and run ipykernel with the remaining arguments.

    Parameters
    ----------
    argv : list of str, optional
        Command-line arguments (default: ``sys.argv[1:]``).
    """
    args = list(sys.argv[1:] if argv is None else argv)
    limits = [a for a in args if a.startswith("--max-memory-mb=")]
    for item in limits:
        args.remove(item)
        apply_memory_limit(int(item.split("=", 1)[1]))
    from ipykernel.kernelapp import IPKernelApp

    IPKernelApp.launch_instance(argv=args)


if __name__ == "__main__":
    main()
