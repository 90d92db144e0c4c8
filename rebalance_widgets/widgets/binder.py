"""Links that open the lessons on Binder, shown only where the repository's address is known.

Lesson 0 shows two links (the lessons in JupyterLab with their code, and as dashboards) when
it knows which public repository holds the lessons, and nothing at all otherwise: no
placeholder, no dead link. The address comes, in this order, from

1. ``$REBALANCE_WIDGETS_REPOSITORY`` (``owner/name`` or a GitHub address), set by whoever
   serves the lessons;
2. ``$BINDER_REPO_URL``, which Binder sets in every session it starts;
3. the package's ``Repository`` project address (``[project.urls]`` in ``pyproject.toml``).

The links are plain text links (no badge image), so the page asks nothing from the
internet until a learner follows one.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from importlib import metadata
from urllib.parse import quote

import ipywidgets as widgets

from rebalance_widgets.widgets.parts.formatting import html_escape

__all__ = ["BINDER", "binder_links", "binder_url", "repository_address"]

#: Where Binder starts a session for a GitHub repository.
BINDER = "https://mybinder.org/v2/gh"

_GITHUB = re.compile(
    r"^(?:https?://github\.com/)?(?P<owner>[A-Za-z0-9][A-Za-z0-9-]{0,38})/"
    r"(?P<name>[A-Za-z0-9._-]{1,100}?)(?:\.git)?/?$"
)


def _owner_and_name(address: str) -> str | None:
    found = _GITHUB.match(address.strip())
    return f"{found['owner']}/{found['name']}" if found else None


def repository_address(environ: Mapping[str, str] | None = None) -> str | None:
    """Return the lessons' GitHub repository as ``owner/name``, or None if none is set.

    Parameters
    ----------
    environ : mapping, optional
        Environment to read (default: ``os.environ``).

    Returns
    -------
    str or None
        ``owner/name``, or None when no address is configured.

    Examples
    --------
    >>> repository_address({"BINDER_REPO_URL": "https://github.com/ann/lessons"})
    'ann/lessons'
    """
    environ = os.environ if environ is None else environ
    for variable in ("REBALANCE_WIDGETS_REPOSITORY", "BINDER_REPO_URL"):
        found = _owner_and_name(environ.get(variable, ""))
        if found:
            return found
    try:
        urls = metadata.metadata("rebalance-widgets").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        urls = []
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip().lower() in ("repository", "source") and _owner_and_name(url):
            return _owner_and_name(url)
    return None


def binder_url(repository: str, view: str, lesson: str = "00-start-here.ipynb") -> str:
    """Return the Binder address that opens ``lesson`` in JupyterLab or as a dashboard.

    Parameters
    ----------
    repository : str
        ``owner/name`` on GitHub.
    view : {"lab", "dashboard"}
        JupyterLab with the code, or Voila with the code hidden.
    lesson : str, default "00-start-here.ipynb"
        The notebook to open, in the repository's ``notebooks/`` folder.

    Returns
    -------
    str
        The address.

    Examples
    --------
    >>> binder_url("ann/lessons", "dashboard").split("?")[1]
    'urlpath=voila%2Frender%2Fnotebooks%2F00-start-here.ipynb'
    """
    prefix = {"lab": "lab/tree", "dashboard": "voila/render"}[view]
    return f"{BINDER}/{repository}/HEAD?urlpath={quote(f'{prefix}/notebooks/{lesson}', safe='')}"


def binder_links(repository: str | None = None) -> widgets.HTML | None:
    """Links that open the lessons on Binder, or None (nothing shown) without an address.

    Parameters
    ----------
    repository : str, optional
        ``owner/name`` on GitHub (default: :func:`repository_address`).

    Returns
    -------
    ipywidgets.HTML or None
        Two links, or None when no repository address is configured.

    Examples
    --------
    >>> "JupyterLab" in binder_links("ann/lessons").value
    True
    """
    repository = repository or repository_address()
    if repository is None:
        return None
    style = ("display:inline-block;margin:4px 12px 4px 0;padding:4px 10px;border-radius:4px;"
             "background:#0B3D6B;color:#fff;text-decoration:underline")
    links = "".join(
        f'<a href="{html_escape(binder_url(repository, view))}" target="_blank" '
        f'rel="noopener" style="{style}">{words}</a>'
        for view, words in (
            ("lab", "Open the lessons on Binder, with their code (JupyterLab)"),
            ("dashboard", "Open the lessons on Binder as web pages"),
        )
    )
    return widgets.HTML(f'<p class="rebalance-binder">{links}</p>')
