"""Two lesson servers behind nginx: visitors spread over both, and each one's widgets answer.

Starts two ``rebalance-widgets serve`` on free ports of 127.0.0.1 (one lesson each, one
warm kernel), and Debian's nginx with the configuration of ``rebalance-widgets nginx``;
stops all three by their PIDs.
"""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import urllib.request
from pathlib import Path

import pytest
from browser_support import (
    NOTEBOOKS,
    Server,
    close,
    free_port,
    open_dashboard,
    require_or_skip,
    start_serve,
    stop_server,
    wait_for_http,
)
from test_interaction import sentences, wait_for_change

from rebalance_widgets.dashboards.balancer import COOKIE, nginx_config

LESSON = "03-drift.ipynb"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _nginx(folder: Path, listen: str, backends: list[str]) -> subprocess.Popen:
    (folder / "lessons.conf").write_text(nginx_config(listen, backends))
    temp = {name: folder / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temp.values():
        path.mkdir()
    user = "user root;" if os.geteuid() == 0 else ""
    (folder / "nginx.conf").write_text(f"""
{user}
worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 256; }}
http {{
    access_log {folder}/access.log;
    client_body_temp_path {temp['body']};
    proxy_temp_path {temp['proxy']};
    fastcgi_temp_path {temp['fastcgi']};
    uwsgi_temp_path {temp['uwsgi']};
    scgi_temp_path {temp['scgi']};
    include {folder}/lessons.conf;
}}
""")
    return subprocess.Popen([NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)


@pytest.fixture(scope="module")
def balanced(tmp_path_factory):
    if not Path(NGINX).exists():
        require_or_skip("nginx is not installed (Debian package nginx-light)")
    root = tmp_path_factory.mktemp("balanced")
    lessons = root / "lessons"
    lessons.mkdir()
    shutil.copy(NOTEBOOKS / LESSON, lessons / LESSON)
    ports: list[int] = []
    servers = []
    try:
        for number in range(2):
            started = start_serve("--notebooks", str(lessons), "--warm-kernels", "1",
                                  log=root / f"server{number}.log")
            servers.append(started.process)
            ports.append(started.port)
        listen = free_port()
        balancer = _nginx(root, f"127.0.0.1:{listen}", [f"127.0.0.1:{port}" for port in ports])
        servers.append(balancer)
        url = f"http://127.0.0.1:{listen}/"
        wait_for_http(url, balancer)
        yield Server(url=url, port=listen, process=balancer, log=root / "error.log"), root
    finally:
        for process in reversed(servers):
            stop_server(process)


def test_visitors_spread_over_both_servers_and_every_slider_answers(browser, balanced):
    server, root = balanced
    visits = []
    try:
        for _ in range(4):
            visit = open_dashboard(browser, server, LESSON)
            visits.append(visit)
            page = visit.page
            before = sentences(page)
            handle = page.locator(".widget-slider", has_text="Stocks").locator(".noUi-handle")
            handle.first.focus()
            handle.first.press("ArrowLeft")
            after = wait_for_change(page, before, sentences)
            assert after != before, "the slider got no answer through the balancer"
            assert visit.console_errors == [] and visit.page_errors == []
            assert visit.blocked == []
        chosen = [next(c["value"] for c in v.page.context.cookies() if c["name"] == COOKIE)
                  for v in visits]
    finally:
        for visit in visits:
            close(visit)
    assert len(set(chosen)) == 2, chosen  # new visitors take the servers in turn
    for number in range(2):
        log = (root / f"server{number}.log").read_text()
        assert "Using pre-heated kernel" in log, f"server {number} served no visitor"


def test_nginx_compresses_what_the_servers_behind_it_send_plain(balanced):
    server, _ = balanced
    library = f"{server.url}rebalance-widgets/chart-library.js"
    asked = urllib.request.Request(library, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(asked, timeout=30) as answer:
        sent, encoding = answer.read(), answer.headers.get("Content-Encoding")
    with urllib.request.urlopen(library, timeout=30) as answer:
        plain = answer.read()
    assert encoding == "gzip" and gzip.decompress(sent) == plain
    assert len(sent) < len(plain) / 2
