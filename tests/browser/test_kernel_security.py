"""A visitor's browser can talk widgets to the kernel, but can never make it run code."""

from __future__ import annotations

import time
import urllib.error
import urllib.request

import pytest
from browser_support import close, is_local, kernel_id, open_dashboard, open_page

PROBE = r"""
async ([url, code]) => {
  const socket = new WebSocket(url);
  const received = [];
  socket.onmessage = (event) => received.push(JSON.parse(event.data));
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = () => reject(new Error("the kernel websocket did not open"));
  });
  const session = "probe-" + Math.random().toString(16).slice(2);
  const send = (msgType, content) => {
    const msgId = msgType + "-" + Math.random().toString(16).slice(2);
    socket.send(JSON.stringify({
      header: {msg_id: msgId, msg_type: msgType, username: "visitor", session: session,
               date: new Date().toISOString(), version: "5.3"},
      parent_header: {}, metadata: {}, content: content, channel: "shell", buffers: [],
    }));
    return msgId;
  };
  const replyTo = async (msgId, waitMs) => {
    const end = Date.now() + waitMs;
    while (Date.now() < end) {
      const reply = received.find(
        (m) => m.parent_header && m.parent_header.msg_id === msgId && m.channel === "shell");
      if (reply) return reply.header.msg_type;
      await new Promise((r) => setTimeout(r, 100));
    }
    return null;
  };
  // An allowed message first: proves the socket reaches the kernel.
  const info = send("kernel_info_request", {});
  const infoReply = await replyTo(info, 15000);
  const run = send("execute_request", {code: code, silent: false, store_history: false,
                                       user_expressions: {}, allow_stdin: false,
                                       stop_on_error: true});
  const runReply = await replyTo(run, 5000);
  const related = received.filter((m) => m.parent_header && m.parent_header.msg_id === run)
                          .map((m) => m.header.msg_type);
  socket.close();
  return {infoReply, runReply, related};
}
"""


def test_execute_request_through_the_kernel_websocket_runs_nothing(browser, server, tmp_path):
    visit = open_dashboard(browser, server, "00-start-here.ipynb")
    try:
        marker = tmp_path / "visitor-ran-code.txt"
        code = f"open({str(marker)!r}, 'w').write('a visitor ran code')"
        url = f"ws://127.0.0.1:{server.port}/api/kernels/{kernel_id(visit)}/channels"
        outcome = visit.page.evaluate(PROBE, [url, code])
        visit.page.wait_for_timeout(1000)
    finally:
        close(visit)
    assert outcome["infoReply"] == "kernel_info_reply", outcome  # the channel works ...
    assert outcome["runReply"] is None, outcome  # ... but code is refused
    assert outcome["related"] == [], outcome
    assert not marker.exists()


def kernel_running(server, kernel: str) -> bool:
    try:
        with urllib.request.urlopen(f"{server.url}api/kernels/{kernel}", timeout=5):
            return True
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return False
        raise


@pytest.mark.parametrize("name", ["00-start-here.ipynb", "glossary.ipynb"])  # widgets, words only
def test_closing_a_dashboard_stops_its_kernel(browser, server, name):
    visit = open_dashboard(browser, server, name)
    kernel = kernel_id(visit)
    assert kernel_running(server, kernel)
    close(visit)
    deadline = time.monotonic() + 20
    while kernel_running(server, kernel) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not kernel_running(server, kernel)


def test_leaving_a_words_only_dashboard_at_once_stops_its_kernel(browser, server):
    visit = open_page(browser)
    visit.page.goto(f"{server.url}voila/render/glossary.ipynb", wait_until="domcontentloaded")
    kernel = kernel_id(visit)  # the page's HTML names its kernel before any script has run
    assert kernel_running(server, kernel)
    close(visit)  # at once: Voila's widget manager has not started yet
    deadline = time.monotonic() + 20
    while kernel_running(server, kernel) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not kernel_running(server, kernel)


def test_only_this_machine_counts_as_local():
    assert is_local("http://127.0.0.1:8866/voila/render/03-drift.ipynb")
    assert is_local("ws://127.0.0.1:8866/api/kernels/1/channels")
    assert is_local("data:image/png;base64,AA==") and is_local("about:blank")
    for url in ("http://127.0.0.1:80@example.com/", "http://127.0.0.1.example.com/",
                "https://cdn.example.com/vega.js", "http://10.0.0.1:8866/"):
        assert not is_local(url), url
