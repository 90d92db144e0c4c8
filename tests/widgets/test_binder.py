"""Binder links in lesson 0: shown only where the repository's address is known."""

from __future__ import annotations

from rebalance_widgets.widgets import binder


def test_no_address_no_links(monkeypatch):
    monkeypatch.delenv("REBALANCE_WIDGETS_REPOSITORY", raising=False)
    monkeypatch.delenv("BINDER_REPO_URL", raising=False)
    assert binder.repository_address({}) is None
    assert binder.binder_links() is None  # the package itself names no repository


def test_binder_sets_the_address_itself(monkeypatch):
    monkeypatch.delenv("REBALANCE_WIDGETS_REPOSITORY", raising=False)
    monkeypatch.setenv("BINDER_REPO_URL", "https://github.com/ann/rebalance-widgets.git")
    links = binder.binder_links()
    assert links is not None
    assert (
        'href="https://mybinder.org/v2/gh/ann/rebalance-widgets/HEAD?urlpath='
        'lab%2Ftree%2Fnotebooks%2F00-start-here.ipynb"' in links.value
    )
    assert "urlpath=voila%2Frender%2Fnotebooks%2F00-start-here.ipynb" in links.value
    assert "<img" not in links.value  # nothing is fetched from the internet to show them


def test_the_served_address_wins_and_nonsense_is_ignored():
    environ = {"REBALANCE_WIDGETS_REPOSITORY": "bob/lessons",
               "BINDER_REPO_URL": "https://github.com/ann/rebalance-widgets"}
    assert binder.repository_address(environ) == "bob/lessons"
    assert binder.repository_address({"REBALANCE_WIDGETS_REPOSITORY": "not an address"}) is None
