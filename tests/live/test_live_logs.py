"""`mlview --logs`: the previous container's last lines, read with one `get` on pods/log
(previous=true, tailLines) through the official client, shown in the pod view, never stored and
never recorded; off by default; 403 is one line in the view."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from rich.console import Console

from mlview.cli import main
from mlview.sources.live import LiveSource
from mlview.sources.live.config import connect
from mlview.sources.logs import TAIL_LINES
from mlview.ui.app import MLViewApp
from mlview.ui.pod_screen import PodScreen
from tests.fake_apiserver import FakeApiServer
from tests.live.test_live_sync import obj
from tests.uitext import screen_text, settle

SECRET_LINE = "torch.OutOfMemoryError: CUDA out of memory (log-line-7f3a)"
LOG = "".join(f"line {i}\n" for i in range(80)) + SECRET_LINE + "\n"


def crashing_pod() -> dict[str, Any]:
    return obj(
        "Pod",
        "llm-0",
        spec={"nodeName": "n1", "containers": [{"name": "server", "image": "vllm:1"}]},
        status={
            "phase": "Running",
            "containerStatuses": [
                {
                    "name": "server",
                    "ready": False,
                    "restartCount": 3,
                    "state": {"waiting": {"reason": "CrashLoopBackOff"}},
                    "lastState": {
                        "terminated": {
                            "reason": "OOMKilled",
                            "exitCode": 137,
                            "finishedAt": "2026-11-27T05:00:00Z",
                        }
                    },
                }
            ],
        },
    )


@pytest.fixture
def fake():
    with FakeApiServer([obj("Namespace", "ml"), obj("Node", "n1"), crashing_pod()]) as server:
        server.cluster.logs[("ml", "llm-0", "server", True)] = LOG
        server.cluster.logs[("ml", "llm-0", "server", False)] = "current run: not asked for\n"
        yield server


@pytest.fixture(autouse=True)
def no_ambient_cluster(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("KUBECONFIG", raising=False)
    monkeypatch.delenv("KUBERNETES_SERVICE_HOST", raising=False)


def plain(static: Any) -> str:
    """What a Static holds, as plain text (it may be scrolled out of the screen)."""
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(static.content)
    return console.export_text()


def log_requests(fake: FakeApiServer) -> list[tuple[str, dict[str, str]]]:
    return [(path, q) for path, q, _ in fake.cluster.requests if path.endswith("/log")]


def source_of(fake: FakeApiServer, tmp_path) -> LiveSource:
    return LiveSource(connect(str(fake.kubeconfig(tmp_path)), None))


def test_the_reader_gets_the_previous_runs_tail_once(fake, tmp_path):
    tail = source_of(fake, tmp_path).log_reader()("ml", "llm-0", "server")
    assert tail.error == "" and tail.container == "server"
    assert len(tail.lines) == TAIL_LINES and tail.lines[-1] == SECRET_LINE
    [(path, query)] = log_requests(fake)
    assert path == "/api/v1/namespaces/ml/pods/llm-0/log"
    assert query["previous"] in ("true", "True") and query["tailLines"] == str(TAIL_LINES)
    assert query["container"] == "server"


def test_a_log_of_one_json_line_comes_back_as_written(fake, tmp_path):
    fake.cluster.logs[("ml", "llm-0", "server", True)] = '{"level": "error", "msg": "oom"}\n'
    tail = source_of(fake, tmp_path).log_reader()("ml", "llm-0", "server")
    assert tail.lines == ('{"level": "error", "msg": "oom"}',)


def test_403_and_no_previous_run_are_one_line(fake, tmp_path):
    reader = source_of(fake, tmp_path).log_reader()
    missing = reader("ml", "llm-0", "sidecar")
    assert missing.lines == () and "no previous run" in missing.error
    fake.cluster.forbidden.add("pods/log")
    denied = reader("ml", "llm-0", "server")
    assert denied.lines == () and "\n" not in denied.error
    assert "403" in denied.error and "mlview rbac --logs" in denied.error


async def open_pod_view(app: MLViewApp, source: LiveSource) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(200):
            await settle(app, pilot)
            if source.synced() and app.store.view().get("Pod", "ml", "llm-0"):
                break
        app.apply_store_now()
        await settle(app, pilot)
        app.action_show_pod("ml/llm-0")
        await settle(app, pilot)
        assert isinstance(app.screen, PodScreen)
        await settle(app, pilot)
        app.seen_text = screen_text(app) + "\n" + plain(app.screen.query_one("#pod-log"))


@pytest.mark.parametrize("flag", [True, False])
async def test_the_pod_view_shows_the_log_only_with_the_flag(fake, tmp_path, flag):
    source = source_of(fake, tmp_path)
    app = MLViewApp(source.store, feed=source, logs=source.log_reader() if flag else None)
    await open_pod_view(app, source)
    text = app.seen_text
    assert "OOMKilled (exit 137, SIGKILL)" in text
    if flag:
        assert "Previous log of server" in text and SECRET_LINE in text
        assert len(log_requests(fake)) == 1
    else:
        assert SECRET_LINE not in text and "mlview --logs" in text
        assert log_requests(fake) == []  # off by default: not even asked
    # shown, never stored: nothing in the store (what `record` writes) holds a log line
    objects = [o for kind in app.store.view().kinds() for o in app.store.view().list(kind)]
    assert SECRET_LINE not in json.dumps(objects)


async def test_403_on_logs_is_a_line_in_the_view_not_a_traceback(fake, tmp_path):
    fake.cluster.forbidden.add("pods/log")
    source = source_of(fake, tmp_path)
    app = MLViewApp(source.store, feed=source, logs=source.log_reader())
    await open_pod_view(app, source)
    assert "not allowed to get pods/log in ml (403)" in app.seen_text
    assert "Traceback" not in app.seen_text


def test_record_never_writes_logs_even_with_the_flag(fake, tmp_path, capsys):
    out = tmp_path / "rec.yaml"
    kubeconfig = str(fake.kubeconfig(tmp_path))
    assert main(["--logs", "record", str(out), "--kubeconfig", kubeconfig]) == 0
    text = out.read_text()
    assert "llm-0" in text  # the pod is recorded...
    assert SECRET_LINE not in text and "line 79" not in text  # ...its log is not
    assert log_requests(fake) == []  # record never even reads a log


def test_logs_on_a_snapshot_say_they_need_a_live_cluster():
    from mlview.cli import _log_reader, build_parser

    args = build_parser().parse_args(["--demo", "incident-504", "--logs"])
    tail = _log_reader(args, None)("ml-serving", "p", "server")
    assert "live cluster only" in tail.error and tail.lines == ()
    assert _log_reader(build_parser().parse_args(["--demo", "incident-504"]), None) is None
