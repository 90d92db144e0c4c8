"""The folder of lessons: where it is, what each lesson is called, what it shows."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["PACKAGED_LESSONS", "Dashboard", "NotebooksNotFoundError", "copy_lessons",
           "dashboard_list", "draws_charts", "find_notebooks"]

#: Cell tag of teacher-only cells (checks, asserts); Voila removes them before running.
TEACHER_ONLY_TAG = "skip-voila"
HERE = Path(__file__).resolve().parent
#: Where an installed package keeps the lessons (the wheel copies ``notebooks/`` there).
PACKAGED_LESSONS = HERE.parent / "lessons"


class NotebooksNotFoundError(FileNotFoundError):
    """The folder of teaching notebooks could not be found."""


@dataclass(frozen=True)
class Dashboard:
    """One lesson as the landing page lists it.

    Attributes
    ----------
    path : str
        File name of the notebook inside the notebooks folder, e.g. ``"03-drift.ipynb"``.
    title : str
        The notebook's ``title`` metadata, or its first heading.
    summary : str
        The notebook's ``description`` metadata (one sentence), or ``""``.
    """

    path: str
    title: str
    summary: str


def find_notebooks(folder: str | os.PathLike[str] | None = None) -> Path:
    """Find the folder that holds the teaching notebooks.

    Parameters
    ----------
    folder : path, optional
        Use this folder. Without it: ``$REBALANCE_WIDGETS_NOTEBOOKS``, then the ``notebooks``
        folder next to the package (a clone installed with ``pip install -e .``), then
        ``./notebooks``, then the lessons the installed package carries
        (:data:`PACKAGED_LESSONS`).

    Returns
    -------
    Path
        An absolute path to a folder with at least one ``.ipynb`` file.

    Raises
    ------
    NotebooksNotFoundError
        With a message that says where the notebooks were looked for and how to get them.

    Examples
    --------
    >>> find_notebooks().name  # doctest: +SKIP
    'notebooks'
    """
    if folder is not None:
        candidates = [Path(folder)]
    else:
        candidates = []
        if os.environ.get("REBALANCE_WIDGETS_NOTEBOOKS"):
            candidates.append(Path(os.environ["REBALANCE_WIDGETS_NOTEBOOKS"]))
        candidates += [HERE.parent.parent / "notebooks", Path.cwd() / "notebooks",
                       PACKAGED_LESSONS]
    for candidate in candidates:
        if candidate.is_dir() and any(candidate.glob("*.ipynb")):
            return candidate.resolve()
    looked = ", ".join(str(c) for c in candidates)
    raise NotebooksNotFoundError(
        f"No teaching notebooks found (looked in: {looked}). Pass a folder of .ipynb "
        "lessons with --notebooks, or leave it out to use the lessons that come with the "
        "package (`rebalance-widgets lessons DIR` copies them out to edit)."
    )


def _first_heading(cells: list[dict[str, Any]]) -> str:
    for cell in cells:
        if cell.get("cell_type") != "markdown":
            continue
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else source
        for line in text.splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    return ""


def dashboard_list(folder: str | os.PathLike[str]) -> list[Dashboard]:
    """List the lessons of a notebooks folder in file-name order.

    Parameters
    ----------
    folder : path
        The notebooks folder (see :func:`find_notebooks`).

    Returns
    -------
    list of Dashboard
        One entry per ``*.ipynb`` file (hidden files and checkpoints are skipped).

    Examples
    --------
    >>> [d.path for d in dashboard_list(find_notebooks())][:1]  # doctest: +SKIP
    ['00-start-here.ipynb']
    """
    dashboards = []
    for path in sorted(Path(folder).glob("*.ipynb")):
        if path.name.startswith("."):
            continue
        notebook = json.loads(path.read_text(encoding="utf-8"))
        metadata = notebook.get("metadata", {})
        title = metadata.get("title") or _first_heading(notebook.get("cells", []))
        dashboards.append(
            Dashboard(
                path=path.name,
                title=title or path.stem.replace("-", " "),
                summary=metadata.get("description", ""),
            )
        )
    return dashboards


def draws_charts(notebook: Path) -> bool:
    """Whether a lesson shows a chart: a code cell the dashboard runs places a widget.

    Parameters
    ----------
    notebook : Path
        The ``.ipynb`` file.

    Returns
    -------
    bool
        True if a code cell not tagged ``skip-voila`` names a widget of the kit (one of
        ``rebalance_widgets.WIDGETS``) or a ``ChartPanel``; False for a missing file.
    """
    from rebalance_widgets import WIDGETS

    try:
        cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return False
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        if TEACHER_ONLY_TAG in cell.get("metadata", {}).get("tags", []):
            continue
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else source
        if any(name in text for name in (*WIDGETS, "ChartPanel")):
            return True
    return False


def copy_lessons(destination: str | os.PathLike[str], *, overwrite: bool = False
                 ) -> list[Path]:
    """Copy the lessons (see :func:`find_notebooks`) into a folder, to open or edit them.

    Parameters
    ----------
    destination : path
        The folder; created if missing.
    overwrite : bool, default False
        Replace lessons already there.

    Returns
    -------
    list of Path
        The copied files, in lesson order.

    Raises
    ------
    FileExistsError
        If a lesson is already in ``destination`` and ``overwrite`` is False (nothing is
        copied then).
    NotebooksNotFoundError
        If no lessons can be found.
    """
    import shutil

    source = find_notebooks()
    target = Path(destination)
    lessons = [path for path in sorted(source.glob("*.ipynb")) if not path.name.startswith(".")]
    clashes = [path.name for path in lessons if (target / path.name).exists()]
    if clashes and not overwrite:
        raise FileExistsError(
            f"{target} already has {', '.join(clashes)}; choose another folder or pass "
            "--force to replace them."
        )
    target.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copyfile(path, target / path.name)) for path in lessons]
