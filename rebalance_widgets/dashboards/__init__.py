"""Serve the teaching notebooks as Voila dashboards.

This module turns the ``notebooks/`` folder of the source repository into a small web site:
a landing page that lists the lessons, and each lesson as a dashboard with its code hidden.
:func:`voila_config` builds the whole Voila configuration; ``rebalance-widgets serve``
(:mod:`rebalance_widgets.cli`) starts Voila with it.

What the configuration guarantees:

- the page asks nothing from the internet: the ``rebalance`` template (in ``share/``) is Voila's
  lab template without the Font Awesome style sheets it would fetch from a CDN, and with the
  kit's own small front end (``static/lesson-page.js``, built from ``frontend/``) in place of
  Voila's JupyterLab application;
- code is hidden (``strip_sources``) and cells tagged ``skip-voila`` (the teacher's checks)
  are removed before the notebook runs; dollar amounts stay dollar amounts,
  never math (:mod:`rebalance_widgets.dashboards.markdown`);
- the landing page shows only the dashboards, no other file of the folder, and no file can be
  downloaded through ``/voila/files``;
- a visitor's browser can only send widget messages to the kernel (Voila's default list of
  allowed message types): it can never run code.

Every lesson has warm kernels: kernels that have already run the notebook wait for the next
visitor (Voila's preheated kernels, served by :mod:`rebalance_widgets.dashboards.server`).

For a public site, :func:`voila_config` with ``public=True`` adds the settings of
``public.json`` (idle kernels culled, tracebacks hidden) plus a cap on simultaneous visitors
(:class:`DashboardHook`) and a memory limit per kernel (see
:mod:`rebalance_widgets.dashboards.kernel`).
"""

from __future__ import annotations

import ipaddress
import json
import os
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from traitlets.config import Config
from traitlets.config.loader import JSONFileConfigLoader, PyFileConfigLoader

from rebalance_widgets.chart_library import LIBRARY_ROUTE, LIBRARY_SERVED
from rebalance_widgets.dashboards.admission import DashboardHook
from rebalance_widgets.dashboards.lessons import (
    TEACHER_ONLY_TAG,
    Dashboard,
    NotebooksNotFoundError,
    dashboard_list,
    draws_charts,
    find_notebooks,
)
from rebalance_widgets.dashboards.refill import REFILL_DELAY

__all__ = [
    "TEACHER_ONLY_TAG",
    "TEMPLATE",
    "Dashboard",
    "NotebooksNotFoundError",
    "DashboardHook",
    "LAB_EXTENSIONS",
    "MAX_LESSON_WARM_KERNELS",
    "MAX_WARM_KERNELS",
    "REFILL_DELAY",
    "add_dashboard_list",
    "dashboard_list",
    "draws_charts",
    "find_notebooks",
    "load_config_file",
    "voila_config",
]

#: Name of the Voila template shipped in ``share/voila/templates``.
TEMPLATE = "rebalance"

#: Preprocessor that keeps dollar amounts from being typeset as formulas on the page.
DOLLAR_SIGNS = "rebalance_widgets.dashboards.markdown.DollarSignPreprocessor"

#: The front-end extensions Voila lists in a page's config. A lesson page loads none of them
#: (the template's own front end bundles what it needs), so the list only keeps the config
#: short: JupyterLab's and Notebook 7's extensions installed beside them are left out.
LAB_EXTENSIONS = [
    "@voila-dashboards/widgets-manager8",
    "@jupyter-widgets/jupyterlab-manager",
    "anywidget",
    "jupyterlab_pygments",
]

#: Most warm kernels per lesson ``serve`` accepts (each holds a kernel's memory).
MAX_WARM_KERNELS = 16

#: Most warm kernels ``serve`` keeps for one named lesson (a class arriving at it at once).
MAX_LESSON_WARM_KERNELS = 60

HERE = Path(__file__).resolve().parent
SHARE_DIR = HERE / "share"
PUBLIC_CONFIG = HERE / "public.json"


def add_dashboard_list(
    page_config: dict[str, Any],
    base_url: str,
    settings: dict[str, Any],
    log: Any,
    voila_configuration: Any,
    notebook_path: str,
) -> dict[str, Any]:
    """Put the list of lessons into Voila's page config (Voila's ``page_config_hook``).

    The landing page template (``tree.html``) reads ``page_config["dashboards"]``.

    Parameters
    ----------
    page_config : dict
        Voila's page configuration; changed in place and returned.
    base_url, settings, log, voila_configuration, notebook_path
        Passed by Voila; ``settings["contents_manager"].root_dir`` and ``notebook_path``
        are used.

    Returns
    -------
    dict
        The same ``page_config`` with a ``"dashboards"`` list of dicts (path, title,
        summary), and ``"rebalanceChartLibrary"`` (the path of the charts' library) when
        the server sends it as a file and the lesson draws charts.

    Examples
    --------
    >>> add_dashboard_list({}, "/", {"contents_manager": cm}, None, None, "")  # doctest: +SKIP
    """
    root = settings["contents_manager"].root_dir
    page_config["dashboards"] = [vars(d) for d in dashboard_list(root)]
    served = os.environ.get(LIBRARY_SERVED) == "served"
    if served and notebook_path and draws_charts(Path(root) / notebook_path):
        page_config["rebalanceChartLibrary"] = LIBRARY_ROUTE  # the page asks for it early
    return page_config


def load_config_file(path: str | os.PathLike[str]) -> Config:
    """Read a Voila/Jupyter configuration file (``.json`` or ``.py``).

    Parameters
    ----------
    path : path
        The file, e.g. a copy of ``rebalance_widgets/dashboards/public.json``.

    Returns
    -------
    traitlets.config.Config

    Raises
    ------
    ValueError
        If the file does not exist or is neither ``.json`` nor ``.py``.

    Examples
    --------
    >>> load_config_file(PUBLIC_CONFIG).MappingKernelManager.cull_interval  # doctest: +SKIP
    60
    """
    file = Path(path).resolve()
    if not file.is_file():
        raise ValueError(f"The configuration file {file} does not exist.")
    if file.suffix == ".json":
        loader: JSONFileConfigLoader | PyFileConfigLoader = JSONFileConfigLoader(
            file.name, str(file.parent)
        )
    elif file.suffix == ".py":
        loader = PyFileConfigLoader(file.name, str(file.parent))
    else:
        raise ValueError(f"A configuration file must end in .json or .py; got {file.name}.")
    return loader.load_config()


def _memory_limited_kernel(max_memory_mb: int) -> Path:
    """Write a ``python3`` kernel spec that starts the kernel with a memory limit."""
    folder = Path(tempfile.mkdtemp(prefix="rebalance-widgets-"))
    spec_dir = folder / "kernels" / "python3"
    spec_dir.mkdir(parents=True)
    spec = {
        "argv": [
            sys.executable,
            "-m",
            "rebalance_widgets.dashboards.kernel",
            f"--max-memory-mb={max_memory_mb}",
            "-f",
            "{connection_file}",
        ],
        "display_name": "Python 3 (memory-limited)",
        "language": "python",
        "metadata": {"debugger": False},
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec, indent=1), encoding="utf-8")
    return folder


def _lesson_pools(root: Path, warm_lessons: Mapping[str, int]) -> dict[str, int]:
    """Check the per-lesson warm kernels; key them as Voila names a notebook's pool."""
    pools = {}
    for lesson, size in warm_lessons.items():
        name = lesson if lesson.endswith(".ipynb") else f"{lesson}.ipynb"
        if not (root / name).is_file() or Path(name).name != name:
            known = ", ".join(path.stem for path in sorted(root.glob("*.ipynb")))
            raise ValueError(f"There is no lesson {lesson!r} to keep kernels warm for; "
                             f"the lessons are: {known}.")
        if isinstance(size, bool) or not 0 <= size <= MAX_LESSON_WARM_KERNELS:
            raise ValueError(f"Warm kernels for one lesson must be 0 to "
                             f"{MAX_LESSON_WARM_KERNELS}; got {size} for {lesson}.")
        pools[name] = size
    return pools


def _loopback(ip: str) -> bool:
    """Tell whether only this machine reaches ``ip`` (127.0.0.1, ::1, localhost)."""
    if ip == "localhost":
        return True
    try:
        return ipaddress.ip_address(ip).is_loopback
    except ValueError:  # a host name
        return False


def voila_config(
    notebooks: str | os.PathLike[str],
    *,
    port: int = 8866,
    ip: str = "127.0.0.1",
    public: bool = False,
    max_visitors: int = 20,
    max_memory_mb: int | None = 2048,
    warm_kernels: int = 1,
    warm_lessons: Mapping[str, int] | None = None,
    compress: bool | None = None,
    extra: Config | None = None,
) -> tuple[Config, dict[str, str]]:
    """Build the Voila configuration that serves the lessons.

    Parameters
    ----------
    notebooks : path
        The notebooks folder (see :func:`find_notebooks`).
    port : int, default 8866
        Port to listen on; Voila fails instead of silently moving to another port.
    ip : str, default "127.0.0.1"
        Address to listen on. Keep 127.0.0.1 behind a reverse proxy.
    public : bool, default False
        Add the public-site settings: ``public.json`` (kernel culling, no tracebacks),
        at most ``max_visitors`` kernels, and ``max_memory_mb`` per kernel.
    max_visitors : int, default 20
        Only with ``public``: most dashboards open at once.
    max_memory_mb : int or None, default 2048
        Only with ``public``: address-space limit of each kernel in MiB (None: no limit).
    warm_kernels : int, default 1
        Kernels per lesson that run the notebook before a visitor arrives (0 to
        ``MAX_WARM_KERNELS``; 0 starts a kernel when the page is asked for). They add
        ``warm_kernels`` x lessons idle kernels to the site's memory.
    warm_lessons : mapping of str to int, optional
        Warm kernels for named lessons instead of ``warm_kernels``, e.g.
        ``{"03-drift": 30}`` for a class that opens lesson 3 together (0 to
        ``MAX_LESSON_WARM_KERNELS``; the name with or without ``.ipynb``). Each adds a
        kernel's memory (about 120 MiB) while it waits; they start with the server.
    compress : bool, optional
        Send pages, scripts and styles gzip-compressed, and the kernels' websocket
        messages deflated (``LessonServer.compress``). By default, when visitors reach
        this server over a network: an ``ip`` other than a loopback address. A lesson's
        6.3 MB of files become about 1.8 MB, for about 0.12 s of the server's time per
        page. Behind a reverse proxy (``ip`` 127.0.0.1), the proxy compresses instead
        (nginx's ``gzip``, in its own worker processes; :mod:`.balancer`).
    extra : Config, optional
        More settings, applied last (e.g. from ``--config FILE``).

    Returns
    -------
    config : traitlets.config.Config
        For ``voila.app.Voila``.
    environment : dict of str
        Environment variables to set before Voila starts (``JUPYTER_PATH`` so that Voila
        finds the template, and the memory-limited kernel with ``public``).

    Raises
    ------
    ValueError
        If ``warm_kernels`` is outside 0..``MAX_WARM_KERNELS``, or ``warm_lessons`` names
        a lesson not in ``notebooks`` or a number outside 0..``MAX_LESSON_WARM_KERNELS``.

    Examples
    --------
    >>> config, env = voila_config("notebooks", port=9000)
    >>> config.Voila.port, config.VoilaConfiguration.strip_sources
    (9000, True)
    """
    if isinstance(warm_kernels, bool) or not 0 <= warm_kernels <= MAX_WARM_KERNELS:
        raise ValueError(
            f"Warm kernels per lesson must be 0 to {MAX_WARM_KERNELS}; got {warm_kernels}."
        )
    root = Path(notebooks).resolve()
    pools = _lesson_pools(root, warm_lessons or {})
    c = Config()
    c.Voila.root_dir = str(root)
    c.Voila.ip = ip
    c.Voila.port = port
    c.Voila.port_retries = 0
    c.Voila.open_browser = False
    c.Voila.config_file_paths = []  # no stray voila.json from the current folder
    c.VoilaConfiguration.template = TEMPLATE
    c.VoilaConfiguration.theme = "light"
    c.VoilaConfiguration.strip_sources = True
    c.VoilaConfiguration.classic_tree = True  # the server-rendered landing page (tree.html)
    c.VoilaConfiguration.show_tracebacks = False
    c.VoilaConfiguration.file_allowlist = []  # nothing downloadable through /voila/files
    c.VoilaConfiguration.extension_allowlist = LAB_EXTENSIONS  # not JupyterLab's own
    c.VoilaConfiguration.page_config_hook = add_dashboard_list
    c.LessonServer.admission = DashboardHook()
    c.VoilaConfiguration.preheat_kernel = warm_kernels > 0 or any(pools.values())
    c.VoilaConfiguration.default_pool_size = warm_kernels
    if pools:
        c.VoilaKernelManager.kernel_pools_config = {
            "default": {"pool_size": warm_kernels},
            **{name: {"pool_size": size} for name, size in pools.items()},
        }
    c.VoilaKernelManager.fill_delay = 0  # the server holds refills itself (``refill``)
    # the lesson is run through a client that never misses a reply (``kernel_client``)
    c.KernelManager.client_factory = "rebalance_widgets.dashboards.kernel_client.LessonKernelClient"
    c.LessonServer.compress = not _loopback(ip) if compress is None else compress
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = {TEACHER_ONLY_TAG}
    c.VoilaExporter.preprocessors = [DOLLAR_SIGNS]

    jupyter_path = [str(SHARE_DIR)]
    if public:
        c.merge(load_config_file(PUBLIC_CONFIG))
        c.LessonServer.admission = DashboardHook(max_visitors)
        if max_memory_mb is not None:
            jupyter_path.insert(0, str(_memory_limited_kernel(max_memory_mb)))
    if extra is not None:
        c.merge(extra)
    existing = os.environ.get("JUPYTER_PATH")
    if existing:
        jupyter_path.append(existing)
    return c, {"JUPYTER_PATH": os.pathsep.join(jupyter_path)}
