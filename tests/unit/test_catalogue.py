"""The catalogue of findings (mlview/analysis/catalogue.py) and the code agree.

The sources of mlview/analysis are read, not run: every `finding(...)` call names its code and
severity with literals (or module constants), so each call site is checked against the catalogue,
and every catalogued code must be emitted somewhere. The suite also runs with
MLVIEW_STRICT_FINDINGS set (tests/conftest.py), so a code built at run time that is not
catalogued raises in any test that produces it.
"""

from __future__ import annotations

import ast
import importlib.util
import json
from pathlib import Path

import pytest

from mlview.analysis import findings as findings_mod
from mlview.analysis.catalogue import CATALOGUE, DOMAIN_ORDER
from mlview.analysis.findings import Severity, finding
from mlview.cli import main
from mlview.sources.demo import scenarios

ANALYSIS = Path(findings_mod.__file__).parent
SEVERITY_NAMES = {s.name: s.value for s in Severity}


def _const(node: ast.AST, consts: dict[str, str]) -> list[str] | None:
    """The string values an argument can take, or None when it is not a literal."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        a, b = _const(node.body, consts), _const(node.orelse, consts)
        return a + b if a is not None and b is not None else None
    if isinstance(node, ast.Name) and node.id in consts:
        return [consts[node.id]]
    if isinstance(node, ast.Name) and node.id in SEVERITY_NAMES:
        return [SEVERITY_NAMES[node.id]]
    if isinstance(node, ast.Attribute) and node.attr in SEVERITY_NAMES:
        return [SEVERITY_NAMES[node.attr]]
    return None


def _module_consts(tree: ast.Module) -> dict[str, str]:
    out = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            for t in node.targets:
                if isinstance(t, ast.Name) and isinstance(node.value.value, str):
                    out[t.id] = node.value.value
    return out


def _callee(call: ast.Call) -> str | None:
    f = call.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None


def call_sites() -> tuple[list[tuple[str, str, str]], list[str]]:
    """(code, severity, where) for every finding call in mlview/analysis, and the call sites
    whose code or severity is not a literal.

    A function that passes its own parameters on as code and severity (a forwarder such as
    storage's `_ClaimChecks.add`) is followed: its calls in the same module are the sites."""
    sites, unresolved = [], []
    for path in sorted(ANALYSIS.rglob("*.py")):
        if path.name == "findings.py" and path.parent == ANALYSIS:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        consts = _module_consts(tree)
        callees = {"finding"}
        forwarders: set[str] = set()
        for fn in ast.walk(tree):
            if isinstance(fn, ast.FunctionDef):
                params = [a.arg for a in fn.args.args if a.arg != "self"]
                for call in ast.walk(fn):
                    if (
                        isinstance(call, ast.Call)
                        and _callee(call) == "finding"
                        and len(call.args) >= 2
                        and all(isinstance(a, ast.Name) and a.id in params for a in call.args[:2])
                    ):
                        forwarders.add(fn.name)
        callees |= forwarders
        for call in ast.walk(tree):
            if not (isinstance(call, ast.Call) and _callee(call) in callees):
                continue
            where = f"{path.relative_to(ANALYSIS.parent.parent)}:{call.lineno}"
            if len(call.args) < 2:
                unresolved.append(where)
                continue
            codes, sev = _const(call.args[0], consts), _const(call.args[1], consts)
            if codes is None or sev is None:
                if not (_callee(call) == "finding" and _inside_forwarder(tree, call, forwarders)):
                    unresolved.append(where)
                continue
            sites += [(code, sev[0], where) for code in codes]
    return sites, unresolved


def _inside_forwarder(tree: ast.Module, call: ast.Call, forwarders: set[str]) -> bool:
    return any(
        isinstance(fn, ast.FunctionDef) and fn.name in forwarders and call in list(ast.walk(fn))
        for fn in ast.walk(tree)
    )


SITES, UNRESOLVED = call_sites()


def test_every_call_site_names_its_code_and_severity_literally():
    assert SITES, "the scan found no finding() calls: has the helper been renamed?"
    assert not UNRESOLVED, f"code or severity is not a literal at {UNRESOLVED}"


def test_every_emitted_code_is_catalogued_with_its_severity():
    missing = sorted({f"{code} ({where})" for code, _, where in SITES if code not in CATALOGUE})
    assert not missing, f"add these to mlview/analysis/catalogue.py: {missing}"
    wrong = [
        f"{where}: {code} is {sev} there, {CATALOGUE[code].severity} in the catalogue"
        for code, sev, where in SITES
        if CATALOGUE[code].severity != sev
    ]
    assert not wrong, wrong


def test_every_catalogued_code_is_emitted_somewhere():
    emitted = {code for code, _, _ in SITES}
    assert set(CATALOGUE) - emitted == set()


def test_entries_are_complete():
    for code, e in CATALOGUE.items():
        assert e.code == code
        assert Severity(e.severity)
        assert e.domain in DOMAIN_ORDER
        assert e.kinds and e.title and e.means and e.sees and e.fix, code


def test_the_scan_sees_a_forwarder_and_a_constant():
    """Near miss guard: storage's claim checks go through a helper, the blocked-route check
    names its code through a module constant; both must be among the sites."""
    codes = {code for code, _, _ in SITES}
    assert {"pvc-lost", "ingress-backend-blocked-by-networkpolicy"} <= codes
    assert {"netpol-selector-invalid", "netpol-policy-invalid"} <= codes  # both arms of an if


def test_unknown_code_raises_in_tests_but_not_for_users(monkeypatch):
    obj = ("Pod", "ns", "p")
    with pytest.raises(ValueError, match="not in the catalogue"):
        finding("no-such-code", "error", obj, "m", "h")
    with pytest.raises(ValueError, match="catalogued as error"):
        finding("pvc-lost", "info", obj, "m", "h")
    monkeypatch.delenv(findings_mod.STRICT_ENV)
    f = finding("no-such-code", "warning", obj, "m", "h")
    assert (f.code, f.severity) == ("no-such-code", Severity.WARNING)


@pytest.mark.parametrize("scenario", [s.name for s in scenarios()])
def test_demo_findings_are_on_catalogued_kinds(capsys, scenario):
    assert main(["check", "--demo", scenario, "--format", "json"]) in (0, 1)
    for f in json.loads(capsys.readouterr().out)["findings"]:
        assert f["kind"] in CATALOGUE[f["code"]].kinds, f


def _gen_docs():
    path = Path(__file__).resolve().parents[2] / "tools" / "gen_docs.py"
    spec = importlib.util.spec_from_file_location("gen_docs", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_findings_md_is_generated_from_the_catalogue():
    gen = _gen_docs()
    assert gen.FINDINGS_MD.read_text(encoding="utf-8") == gen.render(), (
        "docs/findings.md is stale: run python tools/gen_docs.py"
    )


def test_docs_findings_md_lists_every_code():
    text = _gen_docs().render()
    for code in CATALOGUE:
        assert f"### `{code}`" in text


# --- what each entry needs from the input, and the docs behind it ----------------------------

OFFICIAL_HOSTS = {
    "kubernetes.io",  # Kubernetes docs and API reference
    "kubernetes.github.io",  # ingress-nginx
    "kubernetes-csi.github.io",  # the CSI docs
    "gateway-api.sigs.k8s.io",
    "github.com",  # only KEPs in kubernetes/enhancements (checked below)
    "docs.aws.amazon.com",  # the cloud providers' CSI driver docs
    "cloud.google.com",
    "learn.microsoft.com",
    "cert-manager.io",
    "docs.nginx.com",  # F5 NGINX Ingress Controller, for its annotations
}


def test_every_entry_says_what_it_needs_and_the_docs_behind_it():
    from urllib.parse import urlparse

    from mlview.analysis.catalogue import INPUTS

    for code, e in CATALOGUE.items():
        assert e.needs, f"{code}: what does it need from the input?"
        assert set(e.needs) <= set(INPUTS), (code, set(e.needs) - set(INPUTS))
        assert len(set(e.needs)) == len(e.needs), code
        assert e.sources, f"{code}: which docs is the rule based on?"
        for url in e.sources:
            u = urlparse(url)
            assert u.scheme == "https" and u.netloc in OFFICIAL_HOSTS, (code, url)
            if u.netloc == "github.com":
                assert u.path.startswith("/kubernetes/enhancements/tree/master/keps/"), url
        assert len(set(e.sources)) == len(e.sources), code


def _as_manifest_folder(objects: list[dict]) -> list[dict]:
    """What `helm template` of the same apps would give: specs only, no cluster state."""
    cluster_only = {"Event", "Node", "EndpointSlice", "Endpoints", "CSIDriver", "Pod", "Lease"}
    out = []
    for obj in objects:
        if obj.get("kind") in cluster_only:
            continue
        owners = (obj.get("metadata") or {}).get("ownerReferences")
        if owners and obj.get("kind") in ("ReplicaSet", "Job"):
            continue  # created by a Deployment or CronJob, not written in a chart
        obj = {k: v for k, v in obj.items() if k != "status"}
        if obj.get("kind") == "PersistentVolumeClaim":
            spec = {k: v for k, v in (obj.get("spec") or {}).items() if k != "volumeName"}
            obj["spec"] = spec  # set by the binder, not by the chart
        out.append(obj)
    return out


@pytest.mark.parametrize("scenario", [s.name for s in scenarios()])
def test_findings_that_need_a_cluster_never_fire_on_a_manifest_folder(scenario):
    """The `needs` of an entry is honest: a code whose needs a manifest folder lacks ("no")
    fires on the demo cluster perhaps, never on the same objects as manifests."""
    from mlview.analysis.catalogue import on_manifests
    from mlview.analysis.registry import run_checked
    from mlview.sources import snapshot

    sc = next(s for s in scenarios() if s.name == scenario)
    snap = snapshot.load([sc.path])
    snap.objects = _as_manifest_folder(snap.objects)
    snap.listed_kinds = None  # a folder: the kinds present count as listed
    found, errors = run_checked(snap.to_store("manifests").view())
    assert not errors
    wrong = sorted({f.code for f in found if on_manifests(CATALOGUE[f.code]) == "no"})
    assert not wrong, f"{scenario}: these fired on manifests but say they cannot: {wrong}"


def test_a_live_only_code_does_fire_on_the_cluster():
    """Near miss guard for the test above: the same demo, unstripped, shows such codes."""
    from mlview.analysis.catalogue import on_manifests
    from mlview.analysis.registry import run_checked
    from mlview.sources import snapshot

    fired = set()
    for sc in scenarios():
        found, _ = run_checked(snapshot.load([sc.path]).to_store("demo").view())
        fired |= {f.code for f in found if on_manifests(CATALOGUE[f.code]) == "no"}
    assert {"pvc-provisioning-failed", "ingress-backend-no-ready-endpoints"} <= fired, fired


def test_explain_prints_the_needs_and_the_sources(capsys):
    assert main(["explain", "pvc-provisioning-failed"]) == 0
    out = capsys.readouterr().out
    assert "What it needs from the input" in out
    assert (
        "Cannot fire on a manifest folder (helm template output): it has no claim status and Events"
        in out
    )
    assert "  - Events: never in a manifest folder" in out
    assert "Sources\n  https://kubernetes.io/docs/concepts/storage/dynamic-provisioning/" in out
    assert main(["explain", "ingress-tls-secret-missing", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["needs"] == ["objects", "secrets"] and data["on_manifests"] == "partly"
    assert (
        data["sources"][0] == "https://kubernetes.io/docs/concepts/services-networking/ingress/#tls"
    )
