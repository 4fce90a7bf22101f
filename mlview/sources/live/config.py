"""Find the cluster: kubeconfig (file, context) or the in-cluster service account.

Order: an explicit --kubeconfig/--context wins; else $KUBECONFIG or ~/.kube/config when one
exists; else in-cluster configuration when running in a pod. Anything else is one clear line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml
from kubernetes import config as kconfig
from kubernetes.client import ApiClient, Configuration
from kubernetes.config.config_exception import ConfigException

from mlview.kinds import KINDS


class ConfigError(Exception):
    """One line: why we cannot build a client. `offline`: the snapshot/demo alternative is
    worth suggesting (the caller knows whether its command can take one)."""

    def __init__(self, message: str, *, offline: bool = False) -> None:
        super().__init__(message)
        self.offline = offline


@dataclass
class Connection:
    client: ApiClient
    context: str  # kubeconfig context name, or "in-cluster"
    host: str
    kubeconfig: str | None = None  # as given (None: $KUBECONFIG or ~/.kube/config): for switching


def connect(kubeconfig: str | None = None, context: str | None = None) -> Connection:
    files = _kubeconfig_files(kubeconfig)
    if kubeconfig is None and context is None and not files and _in_pod():
        return _in_cluster()
    if not files:
        where = kubeconfig or os.environ.get("KUBECONFIG") or "~/.kube/config"
        raise ConfigError(
            f"no kubeconfig at {where} and not running in a pod: give --kubeconfig",
            offline=True,
        )
    path = os.pathsep.join(str(f) for f in files)
    try:
        contexts, current = kconfig.list_kube_config_contexts(config_file=path)
    except (ConfigException, OSError, ValueError, TypeError, AttributeError, yaml.YAMLError) as exc:
        raise ConfigError(f"kubeconfig {path}: {_first_line(exc)}") from None
    names = [c.get("name", "") for c in contexts or []]
    if context and context not in names:
        raise ConfigError(
            f"context {context!r} not in kubeconfig {path} (contexts: {', '.join(names) or 'none'})"
        )
    name = context or (current or {}).get("name", "")
    if not name:
        raise ConfigError(f"kubeconfig {path} sets no current context: give --context NAME")
    conf = Configuration()
    try:
        kconfig.load_kube_config(
            config_file=path, context=name, client_configuration=conf, persist_config=False
        )
    except (ConfigException, OSError, ValueError, TypeError, KeyError, yaml.YAMLError) as exc:
        raise ConfigError(f"kubeconfig {path}, context {name}: {_first_line(exc)}") from None
    return Connection(make_client(conf), name, conf.host, kubeconfig)


def context_names(kubeconfig: str | None = None) -> list[str]:
    """The contexts of the kubeconfig (as `connect` finds it), in file order; ConfigError when
    there is no kubeconfig or it cannot be read."""
    files = _kubeconfig_files(kubeconfig)
    if not files:
        raise ConfigError("no kubeconfig: only the in-cluster context")
    path = os.pathsep.join(str(f) for f in files)
    try:
        contexts, _ = kconfig.list_kube_config_contexts(config_file=path)
    except (ConfigException, OSError, ValueError, TypeError, AttributeError, yaml.YAMLError) as exc:
        raise ConfigError(f"kubeconfig {path}: {_first_line(exc)}") from None
    return [c.get("name", "") for c in contexts or [] if c.get("name")]


def make_client(conf: Configuration) -> ApiClient:
    # We retry ourselves (backoff with jitter); urllib3's own 3 retries would triple the wait
    # before an unreachable server is reported.
    conf.retries = 0
    # One long-lived watch per kind shares the pool: room for all of them plus lists.
    conf.connection_pool_maxsize = len(KINDS) + 8
    client = ApiClient(configuration=conf)
    client.user_agent = "mlview (read-only)"
    return client


def _in_cluster() -> Connection:
    conf = Configuration()
    try:
        kconfig.load_incluster_config(client_configuration=conf)
    except ConfigException as exc:
        raise ConfigError(f"in-cluster configuration: {_first_line(exc)}") from None
    return Connection(make_client(conf), "in-cluster", conf.host)


def _kubeconfig_files(explicit: str | None) -> list[Path]:
    if explicit:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise ConfigError(f"--kubeconfig {explicit}: no such file")
        return [path]
    env = os.environ.get("KUBECONFIG")
    paths = env.split(os.pathsep) if env else ["~/.kube/config"]
    return [p for p in (Path(x).expanduser() for x in paths if x) if p.is_file()]


def _in_pod() -> bool:
    return bool(os.environ.get("KUBERNETES_SERVICE_HOST"))


def _first_line(exc: BaseException) -> str:
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        return f"not valid YAML (line {exc.problem_mark.line + 1}): {exc.problem}"
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
