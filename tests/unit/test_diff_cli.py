"""`mlview diff` and `mlview check --baseline`: sources, JSON shape, text, exit codes, and the
bundled before-upgrade -> after-upgrade pair."""

from __future__ import annotations

import json
from functools import cache

import pytest

from mlview.cli import main
from tests import ingress_fixtures as ing


@cache
def demo_pair_json() -> dict:
    import io
    from contextlib import redirect_stdout

    buf = io.StringIO()
    with redirect_stdout(buf):
        main(["diff", "--demo", "--format", "json"])
    return json.loads(buf.getvalue())


def write(tmp_path, name, objs):
    path = tmp_path / name
    path.write_text(json.dumps({"apiVersion": "v1", "kind": "List", "items": objs}))
    return str(path)


def backend(ready):
    return ing.platform(
        ing.ingress("api", [ing.path("/", "svc")]), *ing.backend_set("svc", ready=ready)
    )


def test_identical_sources_exit_0_with_empty_lists_everywhere(capsys):
    code = main(["diff", "demo:ml-platform", "demo:ml-platform", "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert out["old"] == out["new"] == "demo:ml-platform"
    assert out["findings"] == {"new": [], "resolved": []}
    assert out["reachability"] == out["routes"] == out["storage"] == []
    assert out["objects"] == {"added": [], "removed": [], "changed": [], "pods": []}


def test_json_shape(capsys):
    out = demo_pair_json()
    assert {"old", "new", "findings", "reachability", "routes", "storage", "objects"} <= set(out)
    assert (out["old"], out["new"]) == ("demo:before-upgrade", "demo:after-upgrade")
    finding = out["findings"]["new"][0]
    assert {"code", "severity", "kind", "namespace", "name", "message", "hint"} <= set(finding)
    flip = out["reachability"][0]
    assert {"port", "protocol", "from", "to", "old", "new", "because"} <= set(flip)
    assert all("/" in p for p in flip["from"] + flip["to"])
    assert {"kind", "namespace", "name", "change"} <= set(flip["because"][0])
    for ref in out["objects"]["added"] + out["objects"]["removed"]:
        assert set(ref) == {"kind", "namespace", "name"}
    changed = out["objects"]["changed"][0]
    assert {"kind", "namespace", "name", "fields"} <= set(changed)
    assert set(changed["fields"][0]) == {"path", "old", "new"}
    cluster_scoped = [r for r in out["objects"]["added"] if r["kind"] == "StorageClass"]
    assert cluster_scoped and cluster_scoped[0]["namespace"] == ""


def test_the_demo_pair_tells_the_upgrade_story():
    out = demo_pair_json()
    new = {(f["code"], f["kind"], f["namespace"], f["name"]) for f in out["findings"]["new"]}
    # the read timeout dropped (504), ingress-nginx cut off, a claim in the wrong zone
    assert ("ingress-timeout-below-latency", "Ingress", "ml-serving", "ml-api-ingress") in new
    assert (
        "ingress-backend-blocked-by-networkpolicy",
        "Ingress",
        "ml-serving",
        "ml-api-ingress",
    ) in new
    assert (
        "pvc-volume-node-affinity-conflict",
        "PersistentVolumeClaim",
        "ml-training",
        "checkpoint-pvc",
    ) in new
    assert out["findings"]["resolved"] == []
    # the flip: ingress-nginx -> the model servers on 8080, caused by the edited policy
    (flip,) = out["reachability"]
    assert (flip["port"], flip["old"], flip["new"]) == (8080, True, False)
    assert all(p.startswith("ingress-nginx/") for p in flip["from"])
    assert [(c["name"], c["change"]) for c in flip["because"]] == [
        ("allow-ingress-nginx", "edited")
    ]
    # the route's effective read timeout, with its sources
    timeouts = [
        fld
        for r in out["routes"]
        for fld in r["fields"]
        if fld["path"] == "proxy-read-timeout" and "translate" in r["url"]
    ]
    assert timeouts and timeouts[0]["old"].startswith("120 (annotation")
    assert timeouts[0]["new"] == "60 (built-in default)"
    # the recreated claim
    (claim,) = [s for s in out["storage"] if s["kind"] == "PersistentVolumeClaim"]
    fields = {f["path"]: (f["old"], f["new"]) for f in claim["fields"]}
    assert fields["storageClass"] == ("gp3", "gp3-immediate")
    # the rollout is one line; the noise (resourceVersions, heartbeats, last-applied) is absent
    pods = [(p["kind"], p["name"], p["replaced"], p["changed"]) for p in out["objects"]["pods"]]
    assert pods == [("Deployment", "embedding-model", 2, 0), ("Pod", "training-pod", 0, 1)]
    changed = {(c["kind"], c["name"]) for c in out["objects"]["changed"]}
    assert ("Service", "sentiment-model-svc") not in changed
    assert not any(k == "Node" for k, _ in changed)
    paths = [f["path"] for c in out["objects"]["changed"] for f in c["fields"]]
    assert not any("resourceVersion" in p or "last-applied" in p for p in paths)


def test_text_fits_80_columns_and_goes_worst_first(capsys):
    code = main(["diff", "--demo"])
    text = capsys.readouterr().out
    assert code == 1  # new errors
    assert max(len(line) for line in text.splitlines()) <= 80
    heads = [h for h in ("Findings:", "Reachability:", "Routes:", "Storage:", "Objects:")]
    assert [text.index(h) for h in heads] == sorted(text.index(h) for h in heads)
    assert "replaced 2 pods" in text


def test_exit_1_only_for_a_new_finding_reaching_fail_on(tmp_path, capsys):
    good, bad = write(tmp_path, "good.json", backend(2)), write(tmp_path, "bad.json", backend(0))
    assert main(["diff", good, bad]) == 1
    assert main(["diff", good, bad, "--fail-on", "never"]) == 0
    assert main(["diff", bad, good]) == 0  # a resolved finding never fails
    assert main(["diff", bad, bad]) == 0  # existing debt does not fail
    capsys.readouterr()


@pytest.mark.parametrize(
    "argv",
    [
        ["diff", "nope.yaml", "demo:ml-platform"],
        ["diff", "demo:no-such-demo", "demo:ml-platform"],
        ["diff", "demo:ml-platform"],
        ["diff", "--demo", "ml-platform"],
        ["diff", "live", "live"],
        ["diff", "demo:ml-platform", "demo:ml-platform", "--port", "x"],
    ],
)
def test_bad_input_exits_2_with_one_line(argv, capsys):
    with pytest.raises(SystemExit) if "--port" in argv else _nothing():
        assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("mlview: ") and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_demo_names_with_the_demo_flag(capsys):
    assert main(["diff", "--demo", "ml-platform", "ml-platform", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["old"] == "demo:ml-platform"


def test_extra_ports_are_compared(capsys):
    main(["diff", "--demo", "--format", "json", "--port", "7777"])
    out = json.loads(capsys.readouterr().out)
    assert {"port": 7777, "protocol": "TCP"} in out["compared"]["ports"]


def test_check_baseline_counts_and_shows_only_new_findings(tmp_path, capsys):
    good, bad = write(tmp_path, "good.json", backend(2)), write(tmp_path, "bad.json", backend(0))
    assert main(["check", "--snapshot", bad, "--baseline", good, "--format", "json"]) == 1
    out = json.loads(capsys.readouterr().out)
    codes = {f["code"] for f in out["findings"]}
    assert "ingress-backend-no-ready-endpoints" in codes
    assert any("also in the baseline" in n for n in out["notes"])
    assert main(["check", "--snapshot", bad, "--baseline", bad]) == 0
    text = capsys.readouterr().out
    assert "findings also in the baseline" in text
    assert main(["check", "--snapshot", bad, "--baseline", "missing.yaml"]) == 2
    assert "missing.yaml" in capsys.readouterr().err


def test_check_baseline_on_the_demo_pair(capsys):
    assert main(["check", "--demo", "after-upgrade", "--baseline", "demo:before-upgrade"]) == 1
    text = capsys.readouterr().out
    assert "pvc-volume-node-affinity-conflict" in text
    assert main(["check", "--demo", "before-upgrade", "--baseline", "demo:before-upgrade"]) == 0


def test_check_honours_a_baseline_given_before_the_command(tmp_path, capsys):
    """`mlview --baseline OLD check` is `mlview check --baseline OLD`, not a check without it."""
    good, bad = write(tmp_path, "good.json", backend(2)), write(tmp_path, "bad.json", backend(0))
    assert main(["--baseline", bad, "check", "--snapshot", bad]) == 0
    assert "findings also in the baseline" in capsys.readouterr().out
    assert main(["--baseline", good, "check", "--snapshot", bad]) == 1
    assert main(["--baseline", "missing.yaml", "check", "--snapshot", bad]) == 2
    assert "missing.yaml" in capsys.readouterr().err
    # the command's own option still wins over the one given before it
    assert main(["--baseline", good, "check", "--snapshot", bad, "--baseline", bad]) == 0
