"""Altair, loaded fast and drawn offline.

Two costs are kept out of a lesson's kernel:

- Altair imports ``jsonschema``, whose format checkers import optional packages when they
  are installed; one of them, ``rfc3987_syntax``, compiles some 35 grammars on import (about
  2-4 s). Altair never checks formats, so :func:`import_altair` imports it with those
  optional modules hidden, then un-hides them: a later ``import rfc3987_syntax`` (or a
  ``jsonschema`` format check in another library) works as usual.
- ``alt.JupyterChart.enable_offline()`` builds the chart widget's JavaScript (about 0.9 MB,
  Vega, Vega-Lite and vega-embed) with vl-convert, which loads a JavaScript engine into the
  process (about 1 s and 110 MiB). :func:`enable_offline` builds it once per Altair and
  vl-convert version, keeps it in a cache folder, and later processes read the file.

:func:`library_module` turns that bundle into a module that leaves the chart code on the page
(``globalThis``), so that a page can load it once for all its charts (see
:mod:`rebalance_widgets.widgets.parts.vega`); :func:`library_file` caches it beside the bundle
for ``rebalance-widgets serve`` to send as a file.

The cache folder is ``$REBALANCE_WIDGETS_CACHE``, else ``$XDG_CACHE_HOME/rebalance-widgets``,
else ``~/.cache/rebalance-widgets``; when it cannot be written the bundle is built in memory.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile
from importlib import metadata
from pathlib import Path
from types import ModuleType

__all__ = [
    "LIBRARY_GLOBAL",
    "LIBRARY_ROUTE",
    "LIBRARY_SERVED",
    "bundle_path",
    "cache_folder",
    "enable_offline",
    "import_altair",
    "library_file",
    "library_module",
    "write_atomically",
]

#: Where the library module leaves the chart code on the page.
LIBRARY_GLOBAL = "__rebalanceVegaChart"
#: Path of the library file under the base URL of ``rebalance-widgets serve``.
LIBRARY_ROUTE = "rebalance-widgets/chart-library.js"
#: Set to "served" in a kernel's environment when its server sends the library as a file.
LIBRARY_SERVED = "REBALANCE_WIDGETS_CHART_LIBRARY"
_DEFAULT_EXPORT = re.compile(r"export\s*\{\s*([A-Za-z_$][\w$]*)\s+as\s+default\s*\}\s*;?")

#: Optional modules of ``jsonschema``'s format checkers (``jsonschema/_format.py``).
FORMAT_CHECKER_MODULES = ("rfc3987_syntax", "rfc3987", "rfc3986_validator", "rfc3339_validator",
                          "fqdn", "idna", "webcolors", "jsonpointer", "uri_template",
                          "isoduration")


def import_altair() -> ModuleType:
    """Import Altair without the grammar-compiling IRI checker of ``jsonschema``.

    Returns
    -------
    module
        The ``altair`` module.

    Examples
    --------
    >>> import_altair().__name__
    'altair'
    """
    hidden = []
    if "jsonschema" not in sys.modules:
        hidden = [name for name in FORMAT_CHECKER_MODULES if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment] - its import fails quietly
    try:
        import altair
    finally:
        for name in hidden:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]
    return altair


def cache_folder() -> Path:
    """Name the folder where built chart files are kept (see the module's docstring).

    Returns
    -------
    Path
        It may not exist yet.
    """
    if os.environ.get("REBALANCE_WIDGETS_CACHE"):
        return Path(os.environ["REBALANCE_WIDGETS_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "rebalance-widgets"


def bundle_path() -> Path:
    """Where the chart widget's offline JavaScript is cached for these library versions.

    Returns
    -------
    Path
        ``<cache folder>/jupyterchart-<altair version>-<vl-convert version>.js`` (it may
        not exist yet).
    """
    versions = f"{metadata.version('altair')}-{metadata.version('vl-convert-python')}"
    return cache_folder() / f"jupyterchart-{versions}.js"


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (two processes may build it at once).

    Parameters
    ----------
    path : Path
        The file; its folder is created when missing.
    text : str
        Its whole content (UTF-8).

    Raises
    ------
    OSError
        When the folder or the file cannot be written.
    """
    missing = [folder for folder in (path.parent, *path.parent.parents) if not folder.exists()]
    path.parent.mkdir(parents=True, exist_ok=True)
    for folder in missing:  # readable by other users' kernels, whatever the umask
        with contextlib.suppress(OSError):
            os.chmod(folder, 0o755)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.chmod(temporary, 0o644)  # other users' kernels read it too (mkstemp makes 0600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def enable_offline() -> Path | None:
    """Make ``alt.JupyterChart`` draw with bundled JavaScript (no CDN), from the cache.

    Returns
    -------
    Path or None
        The cache file used or written; None when it could not be written (the bundle
        then lives in this process only).

    Examples
    --------
    >>> enable_offline() is None or enable_offline().is_file()
    True
    """
    chart = import_altair().JupyterChart
    path = bundle_path()
    if getattr(chart, "_is_offline", False):
        return path if path.is_file() else None
    try:
        chart._esm = path.read_text(encoding="utf-8")
        chart._is_offline = True
        return path
    except (OSError, UnicodeDecodeError):
        pass
    chart.enable_offline()  # builds the bundle with vl-convert
    try:
        write_atomically(path, chart._esm)
    except OSError:
        return None
    return path


def library_module(bundle: str) -> str | None:
    """Turn Altair's offline chart module into one that leaves its chart code on the page.

    Parameters
    ----------
    bundle : str
        The ES module ``alt.JupyterChart`` uses offline.

    Returns
    -------
    str or None
        The module with its default export also stored as ``globalThis`` +
        :data:`LIBRARY_GLOBAL`; None if the bundle has no single
        ``export { name as default }`` to rewrite.

    Examples
    --------
    >>> library_module("const d = {render}; export { d as default };").endswith("{};")
    True
    >>> library_module("export default 1;") is None
    True
    """
    found = list(_DEFAULT_EXPORT.finditer(bundle))
    if len(found) != 1:
        return None
    match = found[0]
    return (bundle[: match.start()] + f"globalThis.{LIBRARY_GLOBAL} = {match.group(1)};"
            + bundle[match.end():] + "\nexport default {};")


def library_file() -> Path | None:
    """Find or write the library module as a file in the cache, from the cached bundle.

    Returns
    -------
    Path or None
        The file; None when the bundle is not built yet, cannot be rewritten, or the cache
        cannot be written.
    """
    bundle = bundle_path()
    path = bundle.with_name(bundle.name.replace("jupyterchart-", "chart-library-"))
    if path.is_file():
        return path
    try:
        module = library_module(bundle.read_text(encoding="utf-8"))
        if module is None:
            return None
        write_atomically(path, module)
    except (OSError, UnicodeDecodeError):
        return None
    return path
