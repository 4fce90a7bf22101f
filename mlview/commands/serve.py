"""`mlview serve`: the same app in a browser tab, through textual-serve (Textualize's package).

textual-serve starts one mlview process per browser session, with the source options given
here, and relays its terminal over a websocket. It has no authentication: anyone who can reach
the port sees the cluster as mlview does, so it binds to loopback unless --host says otherwise,
and then warns.
"""

from __future__ import annotations

import argparse
import ipaddress
import shlex
import sys
from pathlib import Path

from mlview.commands.common import EXIT_OK, UsageError, add_source_options, offline_store

WARNING = (
    "mlview: warning: serving on {host}, not loopback: anyone who can reach port {port} "
    "sees the cluster as mlview does (textual-serve has no authentication)"
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve",
        help="serve the app to a browser (textual-serve; loopback only by default)",
        description="Serve the interactive app to a browser through textual-serve: each "
        "browser session runs its own mlview on the same source.",
    )
    add_source_options(p)
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument(
        "--public-url",
        metavar="URL",
        help="the URL browsers use to reach this server (behind a proxy, or --host 0.0.0.0)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    argv = app_argv(args)
    if getattr(args, "snapshot", None) or getattr(args, "demo", None):
        offline_store(args)  # a bad snapshot fails here, once, not in every browser session
    if not is_loopback(args.host):
        print(WARNING.format(host=args.host, port=args.port), file=sys.stderr)
    from textual_serve.server import Server  # aiohttp: only for this command

    command = shlex.join([sys.executable, "-m", "mlview", *argv])
    Server(
        command, host=args.host, port=args.port, title="mlview", public_url=args.public_url
    ).serve()
    return EXIT_OK


def app_argv(args: argparse.Namespace) -> list[str]:
    """The source options again, for the app each browser session starts."""
    out: list[str] = []
    snapshots = getattr(args, "snapshot", None)
    if snapshots:
        if "-" in snapshots:
            raise UsageError("serve cannot read standard input: save it to a file first")
        out += ["--snapshot", *(str(Path(p).resolve()) for p in snapshots)]
    elif getattr(args, "demo", None):
        out += ["--demo", str(args.demo)]
    for option in ("context", "kubeconfig", "namespace"):
        value = getattr(args, option, None)
        if value:
            out += [f"--{option}", str(value)]
    return out


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
