"""The ``rebalance-widgets`` command.

``rebalance-widgets serve`` serves every teaching notebook as a Voila dashboard on
http://127.0.0.1:8866 with a landing page that lists them; ``rebalance-widgets list`` prints
the lessons it would serve; ``rebalance-widgets prepare`` builds, once, what the lessons
would otherwise build in every new kernel (the kit's bytecode, the charts' offline
JavaScript, every widget's chart specs, the compiled comparison loop). See
:mod:`rebalance_widgets.dashboards` for what the served site allows and what it refuses.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    from rebalance_widgets.dashboards import MAX_LESSON_WARM_KERNELS, MAX_WARM_KERNELS

    parser = argparse.ArgumentParser(
        prog="rebalance-widgets",
        description="Teaching notebooks on 401(k) allocation and rebalancing.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser(
        "serve",
        help="serve every notebook as a dashboard (code hidden)",
        description=(
            "Serve every teaching notebook as a Voila dashboard, with a landing page that "
            "lists them. Stop it with Ctrl+C."
        ),
    )
    serve.add_argument("--port", type=int, default=8866, help="port (default: 8866)")
    serve.add_argument(
        "--ip", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)"
    )
    serve.add_argument(
        "--public",
        action="store_true",
        help=(
            "settings for a public site behind a reverse proxy: idle kernels culled, "
            "a cap on visitors and on each kernel's memory"
        ),
    )
    serve.add_argument(
        "--max-visitors",
        type=int,
        default=20,
        help="with --public: most dashboards open at once (default: 20)",
    )
    serve.add_argument(
        "--max-memory-mb",
        type=int,
        default=2048,
        help="with --public: memory limit of each kernel in MiB, 0 for none (default: 2048)",
    )
    serve.add_argument(
        "--show-tracebacks",
        action="store_true",
        help="show a failing cell's whole traceback on the page (for checking your own "
             "notebook; never with --public)",
    )
    serve.add_argument(
        "--warm-kernels",
        type=int,
        default=1,
        help=(
            "kernels per lesson that run it before a visitor arrives, so a lesson opens in "
            f"about a second; 0 for none, at most {MAX_WARM_KERNELS} (default: 1)"
        ),
    )
    serve.add_argument(
        "--warm-lesson",
        action="append",
        default=[],
        type=_warm_lesson,
        metavar="LESSON=N",
        help=(
            "keep N kernels warm for one lesson instead, e.g. 03-drift=30 for a class that "
            "opens it together (about 120 MiB each while it waits); N at most "
            f"{MAX_LESSON_WARM_KERNELS}; repeat for other lessons"
        ),
    )
    serve.add_argument(
        "--compress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help=(
            "send pages and scripts gzip-compressed (default: with an --ip other than a "
            "loopback address, when visitors come over a network; behind a reverse proxy "
            "the proxy compresses)"
        ),
    )
    serve.add_argument(
        "--config", help="a Voila configuration file (.json or .py) applied last"
    )
    serve.add_argument(
        "--settings",
        help=(
            "a class settings file (TOML: seed, years, futures, model, costs, match "
            "formulas, mixes) read by every lesson; sets $REBALANCE_WIDGETS_SETTINGS"
        ),
    )
    serve.add_argument(
        "--notebooks", help="the folder of notebooks (default: the clone's notebooks/)"
    )

    commands.add_parser(
        "prepare",
        help=("build the kit's bytecode, the charts' JavaScript and specs and the "
              "comparison loop, once"),
    )

    balancer = commands.add_parser(
        "nginx",
        help="print an nginx configuration that spreads visitors over several servers",
        description=(
            "Print the nginx configuration (http context) that sends each new visitor to the "
            "next lesson server and keeps them there (a cookie), so that a page and its "
            "kernel's websocket reach the same server."
        ),
    )
    balancer.add_argument("--listen", default="127.0.0.1:8080",
                          help="HOST:PORT nginx listens on (default: 127.0.0.1:8080)")
    balancer.add_argument("--backend", action="append", required=True, metavar="HOST:PORT",
                          help="a rebalance-widgets serve; give it once per server")

    copying = commands.add_parser(
        "lessons", help="copy the lessons into a folder, to open them in JupyterLab or edit them"
    )
    copying.add_argument("folder", help="where to put them (created if missing)")
    copying.add_argument("--force", action="store_true", help="replace lessons already there")

    listing = commands.add_parser("list", help="list the lessons that serve would show")
    listing.add_argument("--notebooks", help="the folder of notebooks")
    return parser


def _warm_lesson(text: str) -> tuple[str, int]:
    """Read ``LESSON=N`` (``--warm-lesson``)."""
    lesson, _, number = text.partition("=")
    if not lesson.strip() or not number.strip().isdigit():
        raise argparse.ArgumentTypeError(
            f"write it as LESSON=N, e.g. 03-drift=30; got {text!r}")
    return lesson.strip(), int(number)


def _with_tracebacks(extra: Any) -> Any:
    """``extra`` (a traitlets Config, or None) with Voila's tracebacks switched on."""
    from traitlets.config import Config

    config = Config() if extra is None else extra
    config.VoilaConfiguration.show_tracebacks = True
    return config


def _serve(args: argparse.Namespace) -> int:
    from rebalance_widgets.dashboards import (
        NotebooksNotFoundError,
        find_notebooks,
        load_config_file,
        voila_config,
    )
    from rebalance_widgets.widgets.parts.class_settings import ENVIRONMENT, read_settings

    try:
        folder = find_notebooks(args.notebooks)
        extra = load_config_file(args.config) if args.config else None
        if args.show_tracebacks:
            if args.public:
                raise ValueError("A public site never shows tracebacks; drop --show-tracebacks.")
            extra = _with_tracebacks(extra)
        if args.settings:  # checked here, so a class never starts on a broken file
            settings = Path(args.settings).resolve()
            read_settings(settings)
            os.environ[ENVIRONMENT] = str(settings)
        config, environment = voila_config(
            folder,
            port=args.port,
            ip=args.ip,
            public=args.public,
            max_visitors=args.max_visitors,
            max_memory_mb=args.max_memory_mb or None,
            warm_kernels=args.warm_kernels,
            warm_lessons=dict(args.warm_lesson),
            compress=args.compress,
            extra=extra,
        )
    except (NotebooksNotFoundError, ValueError) as error:
        print(f"rebalance-widgets: {error}", file=sys.stderr)
        return 2
    os.environ.update(environment)
    compile_bytecode()  # before the warm kernels import the kit
    from rebalance_widgets.chart_library import LIBRARY_SERVED, bundle_path, library_file
    from rebalance_widgets.charts.datasets import spec_folder

    if not bundle_path().is_file():  # once, before the warm kernels would each build it
        subprocess.run(_python(_BUILD_CHARTS), check=False)  # noqa: S603
    if not spec_folder().is_dir():  # new charts' source: build the specs once, before the
        # warm kernels would each import Altair to build their own (and keep its memory)
        print("Building the charts' specs once (a few seconds)...", flush=True)
        subprocess.run(_python(_BUILD_SPECS), check=False)  # noqa: S603
    library = library_file()
    if library is not None:  # pages load it as a file; kernels need not send it
        config.LessonServer.chart_library = str(library)
        os.environ[LIBRARY_SERVED] = "served"
    # compile the policy comparison's loop in the background, once, for the first visitor
    compiling = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        _python(_COMPILE_LOOP),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    threading.Thread(target=compiling.wait, daemon=True).start()  # collected when it ends
    print(f"Serving the lessons in {folder} on http://{args.ip}:{args.port}/", flush=True)

    from rebalance_widgets.dashboards.server import LessonServer

    LessonServer.launch_instance(argv=[], config=config)
    return 0


_BUILD_CHARTS = "from rebalance_widgets.chart_library import enable_offline; enable_offline()"
_BUILD_SPECS = """
import rebalance_widgets as rw
widgets = {name: getattr(rw, name)() for name in rw.WIDGETS}
quiz = widgets["RiskQuestionnaire"]  # its charts appear with the last answer
quiz.answers = {q.id: q.answers[0].id for q in quiz.questionnaire.questions}
"""
_COMPILE_LOOP = (
    "from rebalance_widgets.core.simulation.streamed import compile_ahead; compile_ahead()"
)


def _python(code: str) -> list[str]:
    """Command running ``code`` in a new interpreter of this environment.

    With ``-P`` (Python 3.11 and later) the current folder is not put first on the module
    path, so a file there named like a module (``html.py``) cannot stand in for it.
    """
    safe_path = ["-P"] if sys.version_info >= (3, 11) else []
    return [sys.executable, *safe_path, "-c", code]


def compile_bytecode(folder: Path | None = None) -> None:
    """Write the bytecode of every module of the kit (or of ``folder``) that lacks a current one.

    Python writes a module's bytecode (``__pycache__/*.pyc``) the first time it imports it,
    unless told not to (``PYTHONDONTWRITEBYTECODE``, or a folder it cannot write); an
    editable install writes none. Without it, every new kernel compiles the kit's modules
    from source again: about 0.03-0.05 s of each kernel's start, and of JupyterLab's first
    cell, on a 2-core machine. Modules whose bytecode is current are only checked (by
    :mod:`compileall`); a folder that cannot be written is left as it is.
    """
    import compileall

    compileall.compile_dir(folder or Path(__file__).parent, quiet=2)


def _prepare() -> int:
    compile_bytecode()
    for step in (_BUILD_CHARTS, _BUILD_SPECS, _COMPILE_LOOP):  # each in its own process
        subprocess.run(_python(step), check=True)  # noqa: S603
    from rebalance_widgets.chart_library import library_file
    from rebalance_widgets.charts.datasets import spec_folder

    print(f"Modules' bytecode: {Path(__file__).parent}")
    print(f"Charts' offline JavaScript: {library_file()}")
    print(f"Charts' specs: {spec_folder()}")
    print("Comparison loop: compiled into numba's cache beside the package.")
    return 0


def _nginx(args: argparse.Namespace) -> int:
    from rebalance_widgets.dashboards.balancer import nginx_config

    try:
        print(nginx_config(args.listen, args.backend), end="")
    except ValueError as error:
        print(f"rebalance-widgets: {error}", file=sys.stderr)
        return 2
    return 0


def _copy_lessons(args: argparse.Namespace) -> int:
    from rebalance_widgets.dashboards.lessons import NotebooksNotFoundError, copy_lessons

    try:
        copied = copy_lessons(args.folder, overwrite=args.force)
    except (NotebooksNotFoundError, FileExistsError) as error:
        print(f"rebalance-widgets: {error}", file=sys.stderr)
        return 2
    print(f"Copied {len(copied)} lessons to {Path(args.folder).resolve()}")
    return 0


def _list(args: argparse.Namespace) -> int:
    from rebalance_widgets.dashboards import NotebooksNotFoundError, dashboard_list, find_notebooks

    try:
        folder = find_notebooks(args.notebooks)
    except NotebooksNotFoundError as error:
        print(f"rebalance-widgets: {error}", file=sys.stderr)
        return 2
    for dashboard in dashboard_list(folder):
        print(f"{dashboard.path}\t{dashboard.title}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the ``rebalance-widgets`` command.

    Parameters
    ----------
    argv : list of str, optional
        Arguments without the program name (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit status: 0 on success, 2 when the notebooks or the configuration are missing.

    Examples
    --------
    >>> main(["list"])  # doctest: +SKIP
    00-start-here.ipynb	Start here
    """
    args = _parser().parse_args(argv)
    if args.command == "serve":
        return _serve(args)
    if args.command == "prepare":
        return _prepare()
    if args.command == "nginx":
        return _nginx(args)
    if args.command == "lessons":
        return _copy_lessons(args)
    return _list(args)


if __name__ == "__main__":
    sys.exit(main())
