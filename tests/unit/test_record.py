"""`mlview record` against the loopback fake: the snapshot it writes opens to the same store."""

from __future__ import annotations

import pytest
import yaml

from mlview.cli import main
from mlview.sources import snapshot
from tests.fake_apiserver import FakeApiServer
from tests.live.test_live_sync import cluster_objects


@pytest.fixture
def fake():
    with FakeApiServer(cluster_objects()) as server:
        yield server


def live_view(kubeconfig, namespace=None):
    from argparse import Namespace

    from mlview.commands.common import open_store

    args = Namespace(kubeconfig=str(kubeconfig), context=None, namespace=namespace)
    return open_store(args).view()


def objects_of(view):
    return {
        kind: {
            (o["metadata"].get("namespace", ""), o["metadata"]["name"]): o for o in view.list(kind)
        }
        for kind in view.kinds()
    }


def test_record_then_snapshot_gives_the_same_store(fake, tmp_path, capsys):
    kubeconfig = fake.kubeconfig(tmp_path)
    out = tmp_path / "rec.yaml"
    assert main(["record", str(out), "--kubeconfig", str(kubeconfig)]) == 0
    err = capsys.readouterr().err
    assert err.startswith("mlview: recorded 21 objects of 8 kinds from context fake to")
    store = snapshot.load([out]).to_store()
    recorded, live = store.view(), live_view(kubeconfig)
    assert objects_of(recorded) == objects_of(live)
    assert recorded.listed_kinds == live.listed_kinds
    assert store.source.context == "fake" and store.source.recorded_at.endswith("Z")


def test_recording_is_a_v1_list_without_managed_fields_or_secret_data(fake, tmp_path):
    out = tmp_path / "rec.yaml"
    assert main(["record", str(out), "--kubeconfig", str(fake.kubeconfig(tmp_path))]) == 0
    text = out.read_text()
    doc = yaml.safe_load(text)
    assert doc["apiVersion"] == "v1" and doc["kind"] == "List"
    ann = doc["metadata"]["annotations"]
    assert ann["mlview.io/context"] == "fake" and "Pod" in ann["mlview.io/listed-kinds"]
    assert "managedFields" not in text and "c2VjcmV0" not in text
    secret = next(o for o in doc["items"] if o["kind"] == "Secret")
    assert set(secret) == {"kind", "apiVersion", "metadata"}


def test_record_with_a_namespace_keeps_that_namespace_and_cluster_kinds(fake, tmp_path):
    out = tmp_path / "rec.yaml"
    assert (
        main(["record", str(out), "-n", "other", "--kubeconfig", str(fake.kubeconfig(tmp_path))])
        == 0
    )
    snap = snapshot.load([out])
    pods = [o["metadata"]["name"] for o in snap.objects if o["kind"] == "Pod"]
    assert pods == ["elsewhere"]
    assert {o["kind"] for o in snap.objects} >= {"Namespace", "Node"}
    assert snap.description == "namespace other only"


def test_record_names_the_kinds_it_could_not_read(fake, tmp_path, capsys):
    fake.cluster.forbidden.add("secrets")
    out = tmp_path / "rec.yaml"
    assert main(["record", str(out), "--kubeconfig", str(fake.kubeconfig(tmp_path))]) == 0
    assert "not recorded: Secret (forbidden (list secrets))" in capsys.readouterr().err
    assert "Secret" not in snapshot.load([out]).listed_kinds


@pytest.mark.parametrize(
    ("name", "message"),
    [("rec.json", "give a name ending in .yaml"), ("nodir/rec.yaml", "no such directory")],
)
def test_bad_output_paths_are_one_line(tmp_path, capsys, name, message):
    assert main(["record", str(tmp_path / name)]) == 2
    assert message in capsys.readouterr().err


def test_unreachable_cluster_writes_nothing(tmp_path, capsys):
    with FakeApiServer() as gone:
        kubeconfig = gone.kubeconfig(tmp_path)
    out = tmp_path / "rec.yaml"
    assert main(["record", str(out), "--kubeconfig", str(kubeconfig)]) == 2
    assert "cannot reach the API server" in capsys.readouterr().err
    assert not out.exists() and not list(tmp_path.glob(".rec.yaml*"))


@pytest.mark.parametrize("before", [True, False])
def test_options_before_or_after_the_command(fake, tmp_path, before):
    out = tmp_path / "rec.yaml"
    opts = ["--kubeconfig", str(fake.kubeconfig(tmp_path)), "-n", "other"]
    argv = [*opts, "record", str(out)] if before else ["record", str(out), *opts]
    assert main(argv) == 0
    assert snapshot.load([out]).description == "namespace other only"
