"""The live source from the command line: kubeconfig, context, in-cluster, and error lines."""

from __future__ import annotations

import argparse
import json
import threading

import pytest

from mlview.cli import main
from mlview.commands import common
from mlview.sources.live.config import ConfigError, connect
from tests.fake_apiserver import FakeApiServer
from tests.live.test_live_sync import cluster_objects


@pytest.fixture
def fake():
    with FakeApiServer(cluster_objects()) as server:
        yield server


@pytest.fixture(autouse=True)
def no_ambient_cluster(monkeypatch, tmp_path):
    """Tests never see the machine's kubeconfig or a pod's environment."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("KUBECONFIG", raising=False)
    monkeypatch.delenv("KUBERNETES_SERVICE_HOST", raising=False)


def watch_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("mlview-watch-")]


def test_the_cli_opens_the_live_source_without_starting_it(fake, tmp_path):
    args = argparse.Namespace(kubeconfig=str(fake.kubeconfig(tmp_path)), context=None)
    source = common.open_live(args)
    assert source.store.source.context == "fake" and source.namespace is None
    assert all(s.thread is None for s in source.syncs) and not watch_threads()


def test_the_app_on_the_live_cluster_starts_and_stops_the_watches(fake, tmp_path, monkeypatch):
    from mlview.sources.live import LiveSource

    started: list[LiveSource] = []
    start = LiveSource.start
    monkeypatch.setattr(LiveSource, "start", lambda self: started.append(self) or start(self))
    # --headless-check runs the whole app (mount, first screen, exit) on the live source.
    assert main(["--kubeconfig", str(fake.kubeconfig(tmp_path)), "--headless-check"]) == 0
    [source] = started  # the app started the watches once
    assert all(s.thread is not None and not s.thread.is_alive() for s in source.syncs)
    assert not watch_threads()  # and stopped them when it exited


def test_check_runs_on_the_live_cluster(fake, tmp_path, capsys):
    code = main(["check", "--kubeconfig", str(fake.kubeconfig(tmp_path)), "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert code in (0, 1)
    assert out["source"] == "fake"


def test_kubeconfig_from_the_environment_and_context(fake, tmp_path, monkeypatch, capsys):
    path = fake.kubeconfig(tmp_path, context="prod-eu")
    monkeypatch.setenv("KUBECONFIG", str(path))
    assert main(["check", "--context", "prod-eu", "--format", "json"]) in (0, 1)
    assert json.loads(capsys.readouterr().out)["source"] == "prod-eu"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--context", "nope"], "context 'nope' not in kubeconfig"),
        (["--kubeconfig", "/does/not/exist"], "--kubeconfig /does/not/exist: no such file"),
    ],
)
def test_config_errors_are_one_line(fake, tmp_path, monkeypatch, capsys, argv, message):
    monkeypatch.setenv("KUBECONFIG", str(fake.kubeconfig(tmp_path)))
    assert main(["check", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_no_kubeconfig_and_not_in_a_pod(capsys):
    assert main(["check"]) == 2
    err = capsys.readouterr().err
    assert "no kubeconfig at ~/.kube/config and not running in a pod" in err


def test_wrong_token_exits_with_the_credential_message(fake, tmp_path, capsys):
    path = fake.kubeconfig(tmp_path, token="expired")
    assert main(["check", "--kubeconfig", str(path)]) == 2
    assert "rejected the credentials of context fake (401 Unauthorized)" in capsys.readouterr().err


def test_broken_kubeconfig_is_one_line(tmp_path, capsys):
    path = tmp_path / "kubeconfig"
    path.write_text("apiVersion: v1\nkind: Config\ncontexts: [\n")
    assert main(["check", "--kubeconfig", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("mlview: kubeconfig") and err.count("\n") == 1


def test_in_cluster_configuration_inside_a_pod(tmp_path, monkeypatch):
    from kubernetes.config import incluster_config

    token, ca = tmp_path / "token", tmp_path / "ca.crt"
    token.write_text("sa-token")
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    monkeypatch.setattr(incluster_config, "SERVICE_TOKEN_FILENAME", str(token))
    monkeypatch.setattr(incluster_config, "SERVICE_CERT_FILENAME", str(ca))
    monkeypatch.setenv("KUBERNETES_SERVICE_HOST", "10.0.0.1")
    monkeypatch.setenv("KUBERNETES_SERVICE_PORT", "443")
    conn = connect()
    assert conn.context == "in-cluster" and conn.host == "https://10.0.0.1:443"
    assert conn.client.configuration.api_key["BearerToken"] == "bearer sa-token"


def test_in_cluster_without_the_token_file(monkeypatch):
    monkeypatch.setenv("KUBERNETES_SERVICE_HOST", "10.0.0.1")
    monkeypatch.setenv("KUBERNETES_SERVICE_PORT", "443")
    with pytest.raises(ConfigError, match="in-cluster configuration: Service token file"):
        connect()
