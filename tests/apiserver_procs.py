"""Processes and PKI for the real-apiserver harness (tests/apiserver_harness.py).

Start a server on free loopback ports, wait until it answers, stop it for sure (also when
the test process dies), and make the throwaway certificates it serves with.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import functools
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path

READY_TIMEOUT_S = float(os.environ.get("MLVIEW_APISERVER_TIMEOUT", "90"))


class HarnessError(RuntimeError):
    """The servers could not be started; the message carries the log tail."""


def free_port() -> int:
    # Small race (the port is released before the server binds it); startup errors say so.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(cmd: Sequence[str], cwd: Path) -> None:
    subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, timeout=60)


_OPENSSL_CNF = """\
[req]
distinguished_name = dn
prompt = no
[dn]
CN = placeholder
[ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1,DNS:localhost
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
"""


def make_pki(d: Path) -> None:
    """A throwaway CA, a serving cert for 127.0.0.1 and the service-account key."""
    (d / "openssl.cnf").write_text(_OPENSSL_CNF)
    cnf = ["-config", "openssl.cnf"]
    _run(["openssl", "genrsa", "-out", "ca.key", "2048"], d)
    _run(["openssl", "req", "-x509", "-new", "-key", "ca.key", "-out", "ca.crt", "-days", "2"]
         + cnf + ["-extensions", "ca", "-subj", "/CN=mlview-test-ca"], d)  # fmt: skip
    _run(["openssl", "genrsa", "-out", "server.key", "2048"], d)
    _run(["openssl", "req", "-new", "-key", "server.key", "-out", "server.csr"]
         + cnf + ["-subj", "/CN=kube-apiserver"], d)  # fmt: skip
    _run(["openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
          "-CAcreateserial", "-out", "server.crt", "-days", "2",
          "-extfile", "openssl.cnf", "-extensions", "server"], d)  # fmt: skip
    _run(["openssl", "genrsa", "-out", "sa.key", "2048"], d)
    _run(["openssl", "rsa", "-in", "sa.key", "-pubout", "-out", "sa.pub"], d)


def _die_with_parent() -> None:
    """Runs in the child before exec: on Linux, get SIGTERM if the test process dies
    (even by SIGKILL or a CI timeout), so no etcd/apiserver outlives it."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG


class Proc:
    """A child process with its output in a log file; stopped on exit no matter what."""

    def __init__(self, name: str, cmd: list[str], log: Path) -> None:
        self.name, self.log = name, log
        env = {k: v for k, v in os.environ.items() if not k.startswith("ETCD")}
        with log.open("wb") as out:
            self.popen = subprocess.Popen(
                cmd,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
        atexit.register(self.stop)

    def tail(self, lines: int = 25) -> str:
        try:
            text = self.log.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        return "\n".join(text[-lines:])

    def check_alive(self) -> None:
        if self.popen.poll() is not None:
            raise HarnessError(f"{self.name} exited with {self.popen.returncode}:\n{self.tail()}")

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(10)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(10)
        atexit.unregister(self.stop)


def wait_ready(
    what: str, proc: Proc, probe: Callable[[], bool], timeout: float = READY_TIMEOUT_S
) -> None:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        proc.check_alive()
        try:
            if probe():
                return
        except (OSError, urllib.error.URLError, ValueError) as e:
            last = str(e)
        time.sleep(0.25)
    raise HarnessError(f"{what} not ready after {timeout:.0f}s ({last}):\n{proc.tail()}")


def http_ok(url: str, ctx: ssl.SSLContext | None = None, token: str | None = None) -> bool:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    req = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=5, context=ctx) as resp:
            return resp.status == 200
    except urllib.error.HTTPError:
        return False  # e.g. 500 from /readyz while post-start hooks still run


def start_server(
    name: str,
    n_ports: int,
    make_cmd: Callable[[list[int]], list[str]],
    log: Path,
    ready: Callable[[list[int]], bool],
    attempts: int = 3,
) -> tuple[Proc, list[int]]:
    """Start a server on fresh free ports and wait until `ready`; retry if a port was taken
    between picking and binding (another test run on the same machine)."""
    for attempt in range(1, attempts + 1):
        ports = [free_port() for _ in range(n_ports)]
        proc = Proc(name, make_cmd(ports), log)
        try:
            wait_ready(name, proc, functools.partial(ready, ports))
            return proc, ports
        except HarnessError:
            proc.stop()
            if attempt == attempts or "address already in use" not in proc.tail(200):
                raise
    raise AssertionError("unreachable")
