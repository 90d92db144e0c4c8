"""Several lesson servers behind one address: an nginx configuration with sticky visitors.

A visitor's page and its kernel's websocket must reach the same ``rebalance-widgets serve``
(the kernel lives in that one process). :func:`nginx_config` writes the ``http``-level part
of an nginx configuration that does it with the open-source nginx of Debian's packages:

- a new visitor (no cookie yet) goes to the next server in turn (round robin);
- the answer sets the cookie ``rebalance_backend`` to the server that answered;
- every later request with that cookie (the lesson's scripts, its websocket, the next
  lesson) goes to the same server;
- pages, scripts and styles are gzip-compressed by nginx (the servers behind it, on
  127.0.0.1, leave that to nginx).

Put the output in ``/etc/nginx/conf.d/`` (or ``include`` it in the ``http`` block), with TLS
added to the ``server`` block for a public site.
"""

from __future__ import annotations

import re

__all__ = ["COOKIE", "nginx_config"]

#: The cookie that keeps a visitor on one server.
COOKIE = "rebalance_backend"

_ADDRESS = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$")


def _check(address: str, what: str) -> str:
    if not _ADDRESS.match(address):
        raise ValueError(f"The {what} must look like HOST:PORT (e.g. 127.0.0.1:8866); "
                         f"got {address!r}.")
    return address


def nginx_config(listen: str, backends: list[str]) -> str:
    """Write the nginx configuration that spreads visitors over lesson servers and keeps them.

    Parameters
    ----------
    listen : str
        ``HOST:PORT`` nginx listens on, e.g. ``"127.0.0.1:8080"``.
    backends : list of str
        ``HOST:PORT`` of each ``rebalance-widgets serve``; at least one, each once.

    Returns
    -------
    str
        ``map``, ``upstream`` and ``server`` blocks for nginx's ``http`` context.

    Raises
    ------
    ValueError
        If an address is not ``HOST:PORT``, no backend is given, or one is given twice.

    Examples
    --------
    >>> text = nginx_config("127.0.0.1:8080", ["127.0.0.1:8866", "127.0.0.1:8867"])
    >>> "server 127.0.0.1:8867;" in text and "rebalance_backend=" in text
    True
    """
    _check(listen, "address to listen on")
    if not backends:
        raise ValueError("Give at least one lesson server (HOST:PORT).")
    if len(set(backends)) != len(backends):
        raise ValueError("Each lesson server may be given only once.")
    for backend in backends:
        _check(backend, "lesson server")
    names = [f"rebalance_lessons_{number}" for number in range(len(backends))]
    sticky = "\n".join(f'    "{address}" {name};' for address, name in zip(backends, names,
                                                                          strict=True))
    singles = "\n".join(f"upstream {name} {{ server {address}; }}"
                        for address, name in zip(backends, names, strict=True))
    every = "\n".join(f"    server {address};" for address in backends)
    return f"""\
# Lesson servers behind one address; each visitor stays on the server that first answered.
map $cookie_{COOKIE} $rebalance_upstream {{
{sticky}
    default rebalance_lessons_any;
}}
# The server that answered (the last one nginx tried), for the cookie.
map $upstream_addr $rebalance_answered {{
    "~(?<last>[^ ,]+)$" $last;
    default "";
}}
map $http_upgrade $rebalance_connection {{
    default upgrade;
    ''      close;
}}
upstream rebalance_lessons_any {{
{every}
}}
{singles}

server {{
    listen {listen};
    # a lesson's 6.3 MB of pages, scripts and styles arrive as about 1.8 MB
    gzip on;
    gzip_proxied any;
    gzip_types text/css text/javascript application/javascript application/json image/svg+xml;

    location / {{
        proxy_pass http://$rebalance_upstream;
        add_header Set-Cookie "{COOKIE}=$rebalance_answered; Path=/; HttpOnly; SameSite=Lax" always;
        proxy_http_version 1.1;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $rebalance_connection;
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_read_timeout 3600s;
        client_max_body_size 1m;
    }}
}}
"""
