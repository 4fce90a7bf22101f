"""Run a real etcd + kube-apiserver 1.20 for integration tests.

The apiserver binary is built from Debian's source package by tools/build-apiserver.sh and
cached outside the repo; etcd comes from Debian's etcd-server package. Use the session
fixture `real_apiserver` (or make another with `apiserver_fixture(...)`), or the context
manager `running_apiserver(tmpdir)` directly.

What this server is (and is not):
- kube-apiserver 1.20.2: discovery.k8s.io/v1 EndpointSlices are 404 (v1beta1 exists).
- No controller-manager, scheduler or kubelet: nothing fills in status, Endpoints or
  ServiceAccounts. Write status with `set_status`, create Endpoints with `apply`.
  Deleted namespaces stay Terminating forever, so use fresh namespace names.
- The ServiceAccount admission plugin is off, so pods need no default ServiceAccount.
- The watch cache is off for the resources in `watch_cache_sizes` (pods by default), so
  after `compact()` a watch or a list `continue` from an older resourceVersion gets 410.
  The apiserver's own periodic compaction is off: only `compact()` compacts.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import secrets
import shutil
import signal
import ssl
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.apiserver_procs import HarnessError, Proc, http_ok, make_pki, start_server

VERSION = "1.20.2"
DEFAULT_WATCH_CACHE_SIZES = ("pods#0",)


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("true", "1", "yes")


def find_binary() -> Path | None:
    """The cached kube-apiserver: $MLVIEW_APISERVER_BIN, else the build script's cache path."""
    explicit = os.environ.get("MLVIEW_APISERVER_BIN")
    cache = Path(os.environ.get("MLVIEW_CACHE") or Path.home() / ".cache" / "mlview")
    path = Path(explicit) if explicit else cache / f"kube-apiserver-{VERSION}"
    return path if path.is_file() and os.access(path, os.X_OK) else None


def missing_prerequisites() -> str | None:
    """Why the servers cannot run here, or None if everything is installed."""
    if find_binary() is None:
        return "kube-apiserver 1.20.2 not built: run tools/build-apiserver.sh"
    for tool in ("etcd", "openssl"):
        if shutil.which(tool) is None:
            return f"{tool} not installed: run tools/build-apiserver.sh"
    return None


def _kubeconfig(host: str, ca_file: Path, users: dict[str, str], current: str) -> str:
    # JSON is valid YAML, so the kubernetes client and kubectl both read it.
    return json.dumps(
        {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [
                {
                    "name": "mlview-test",
                    "cluster": {"server": host, "certificate-authority": str(ca_file)},
                }
            ],
            "users": [{"name": u, "user": {"token": t}} for u, t in users.items()],
            "contexts": [
                {"name": u, "context": {"cluster": "mlview-test", "user": u}} for u in users
            ],
            "current-context": current,
        },
        indent=2,
    )


@dataclass
class ApiServer:
    """A running apiserver and what a test needs to talk to it."""

    host: str
    admin_token: str
    viewer_token: str
    ca_file: Path
    kubeconfig_path: Path  # contexts `admin` (current) and `viewer`
    admin_kubeconfig: Path  # context `admin` only
    viewer_kubeconfig: Path  # context `viewer` only
    etcd_url: str
    workdir: Path
    verify_ssl: bool = True
    _dynamic: Any = field(default=None, repr=False)

    def api_client(self, token: str | None = None) -> Any:
        """A kubernetes.client.ApiClient for `token` (default: admin)."""
        from kubernetes import client

        cfg = client.Configuration()
        cfg.host = self.host
        cfg.ssl_ca_cert = str(self.ca_file)
        cfg.verify_ssl = self.verify_ssl
        cfg.api_key = {"authorization": f"Bearer {token or self.admin_token}"}
        return client.ApiClient(cfg)

    def dynamic(self) -> Any:
        """An admin DynamicClient (discovery cached in the work dir, not /tmp)."""
        if self._dynamic is None:
            from kubernetes.dynamic import DynamicClient

            cache = self.workdir / "discovery-cache.json"
            self._dynamic = DynamicClient(self.api_client(), cache_file=str(cache))
        return self._dynamic

    def _resource(self, obj: dict[str, Any]) -> Any:
        return self.dynamic().resources.get(api_version=obj["apiVersion"], kind=obj["kind"])

    def apply(self, obj: dict[str, Any]) -> dict[str, Any]:
        """Create `obj` as admin, or replace it if it exists; returns the stored object."""
        from kubernetes.client.exceptions import ApiException

        res = self._resource(obj)
        ns = obj.get("metadata", {}).get("namespace") if res.namespaced else None
        try:
            return res.create(body=obj, namespace=ns).to_dict()
        except ApiException as e:
            if e.status != 409:
                raise
        current = res.get(name=obj["metadata"]["name"], namespace=ns)
        body = json.loads(json.dumps(obj))
        body["metadata"]["resourceVersion"] = current.metadata.resourceVersion
        return res.replace(body=body, namespace=ns).to_dict()

    def set_status(self, obj: dict[str, Any]) -> dict[str, Any]:
        """Merge-patch `obj["status"]` through the status subresource (no controllers run)."""
        res = self._resource(obj)
        meta = obj["metadata"]
        ns = meta.get("namespace") if res.namespaced else None
        status = res.subresources["status"]
        return status.patch(
            body={"status": obj["status"]},
            name=meta["name"],
            namespace=ns,
            content_type="application/merge-patch+json",
        ).to_dict()

    def _etcd(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        req = urllib.request.Request(
            self.etcd_url + path,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=10) as resp:
            return json.loads(resp.read())

    def etcd_revision(self) -> int:
        """The current etcd revision (the newest resourceVersion any object can have)."""
        header = self._etcd("/v3/kv/range", {"key": base64.b64encode(b"/").decode()})["header"]
        return int(header["revision"])

    def compact(self) -> int:
        """Compact etcd at its current revision; older resourceVersions then answer 410."""
        rev = self.etcd_revision()
        self._etcd("/v3/kv/compaction", {"revision": str(rev), "physical": True})
        return rev


@contextlib.contextmanager
def running_apiserver(
    workdir: Path,
    *,
    watch_cache_sizes: Sequence[str] = DEFAULT_WATCH_CACHE_SIZES,
    extra_args: Sequence[str] = (),
) -> Iterator[ApiServer]:
    """Start etcd + kube-apiserver under `workdir`, yield an ApiServer, stop both."""
    binary = find_binary()
    problem = missing_prerequisites()
    if problem or binary is None:
        raise HarnessError(problem or "kube-apiserver missing")
    workdir.mkdir(parents=True, exist_ok=True)
    pki = workdir / "pki"
    pki.mkdir(exist_ok=True)
    make_pki(pki)
    admin_token, viewer_token = secrets.token_hex(16), secrets.token_hex(16)
    tokens = workdir / "tokens.csv"
    tokens.write_text(
        f'{admin_token},admin,admin-uid,"system:masters"\n{viewer_token},viewer,viewer-uid\n'
    )
    tokens.chmod(0o600)

    procs: list[Proc] = []
    try:

        def etcd_cmd(ports: list[int]) -> list[str]:
            shutil.rmtree(workdir / "etcd-data", ignore_errors=True)  # fresh member per try
            client_url, peer_url = (f"http://127.0.0.1:{p}" for p in ports)
            return [
                shutil.which("etcd") or "etcd",
                "--name=mlview-test",
                f"--data-dir={workdir / 'etcd-data'}",
                f"--listen-client-urls={client_url}",
                f"--advertise-client-urls={client_url}",
                f"--listen-peer-urls={peer_url}",
                f"--initial-advertise-peer-urls={peer_url}",
                f"--initial-cluster=mlview-test={peer_url}",
                "--log-level=warn",
                "--logger=zap",
            ]

        etcd, (client_port, _) = start_server(
            "etcd",
            2,
            etcd_cmd,
            workdir / "etcd.log",
            lambda ports: http_ok(f"http://127.0.0.1:{ports[0]}/health"),
        )
        procs.append(etcd)
        etcd_url = f"http://127.0.0.1:{client_port}"

        def api_cmd(ports: list[int]) -> list[str]:
            args = [
                str(binary),
                f"--etcd-servers={etcd_url}",
                "--bind-address=127.0.0.1",
                "--advertise-address=127.0.0.1",
                f"--secure-port={ports[0]}",
                "--insecure-port=0",  # 1.20 still opens :8080 by default
                f"--cert-dir={workdir / 'certs'}",
                f"--tls-cert-file={pki / 'server.crt'}",
                f"--tls-private-key-file={pki / 'server.key'}",
                f"--token-auth-file={tokens}",
                "--authorization-mode=RBAC",
                "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                f"--service-account-signing-key-file={pki / 'sa.key'}",
                f"--service-account-key-file={pki / 'sa.pub'}",
                "--service-cluster-ip-range=10.96.0.0/16",
                # The default reconciler would loop on "127.0.0.1 may not be in the loopback
                # range" for default/kubernetes Endpoints; the Service is still created.
                "--endpoint-reconciler-type=none",
                "--disable-admission-plugins=ServiceAccount",
                "--etcd-compaction-interval=0",  # only compact() compacts: deterministic 410s
                "--profiling=false",
                "--v=1",
            ]
            if watch_cache_sizes:
                args.append("--watch-cache-sizes=" + ",".join(watch_cache_sizes))
            return args + list(extra_args)

        ctx = ssl.create_default_context(cafile=str(pki / "ca.crt"))
        api, (api_port,) = start_server(
            "kube-apiserver",
            1,
            api_cmd,
            workdir / "kube-apiserver.log",
            lambda ports: http_ok(f"https://127.0.0.1:{ports[0]}/readyz", ctx, admin_token),
        )
        procs.append(api)
        host = f"https://127.0.0.1:{api_port}"

        users = {"admin": admin_token, "viewer": viewer_token}
        paths = {}
        for name, (content_users, current) in {
            "kubeconfig": (users, "admin"),
            "admin": ({"admin": admin_token}, "admin"),
            "viewer": ({"viewer": viewer_token}, "viewer"),
        }.items():
            paths[name] = workdir / f"{name}.kubeconfig"
            paths[name].write_text(_kubeconfig(host, pki / "ca.crt", content_users, current))
            paths[name].chmod(0o600)
        yield ApiServer(
            host=host,
            admin_token=admin_token,
            viewer_token=viewer_token,
            ca_file=pki / "ca.crt",
            kubeconfig_path=paths["kubeconfig"],
            admin_kubeconfig=paths["admin"],
            viewer_kubeconfig=paths["viewer"],
            etcd_url=etcd_url,
            workdir=workdir,
        )
    finally:
        for proc in reversed(procs):
            proc.stop()
        # etcd preallocates 64 MB WAL files; keep only the logs for post-mortems.
        shutil.rmtree(workdir / "etcd-data", ignore_errors=True)


def apiserver_fixture(
    *,
    scope: str = "session",
    watch_cache_sizes: Sequence[str] = DEFAULT_WATCH_CACHE_SIZES,
    extra_args: Sequence[str] = (),
) -> Any:
    """Make a pytest fixture yielding an ApiServer.

    Skips when the binary/etcd are missing, except under CI=true where that is a failure.
    """

    @pytest.fixture(scope=scope)  # type: ignore[call-overload]
    def _fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
        problem = missing_prerequisites()
        if problem:
            if in_ci():
                pytest.fail(f"CI=true but {problem}", pytrace=False)
            pytest.skip(problem)
        workdir = tmp_path_factory.mktemp("apiserver")
        with running_apiserver(
            workdir, watch_cache_sizes=watch_cache_sizes, extra_args=extra_args
        ) as server:
            yield server

    return _fixture


real_apiserver = apiserver_fixture()


def main() -> None:
    """`python -m tests.apiserver_harness`: run a server until Ctrl-C, for manual poking."""
    import tempfile

    def _interrupt(*_: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _interrupt)  # `kill PID` stops the servers too
    problem = missing_prerequisites()
    if problem:
        sys.exit(problem)
    with tempfile.TemporaryDirectory(prefix="mlview-apiserver-") as tmp:
        with running_apiserver(Path(tmp)) as server:
            print(f"kube-apiserver {VERSION} at {server.host}")
            print(f"KUBECONFIG={server.kubeconfig_path}  (contexts: admin, viewer)")
            print("Ctrl-C to stop.", flush=True)
            with contextlib.suppress(KeyboardInterrupt):
                while True:
                    time.sleep(3600)


if __name__ == "__main__":
    main()
