"""`mlview matrix`: the JSON contract, the text grid, --explain, --namespace, bad input."""

from __future__ import annotations

import json

import pytest
import yaml

from mlview.cli import main
from tests.unit.test_netpol_builders import namespace, netpol, pod

OBJS = [
    namespace("ml", {"team": "ml"}),
    namespace("store"),
    pod("ml", "trainer", {"app": "trainer"}),
    pod("ml", "api", {"app": "api"}),
    pod("ml", "agent", {"app": "agent"}, host=True),
    pod("store", "minio", {"app": "minio"}, ports=[("s3", 9000)]),
    netpol(
        "store",
        "minio",
        {
            "podSelector": {"matchLabels": {"app": "minio"}},
            "ingress": [
                {
                    "from": [
                        {
                            "namespaceSelector": {"matchLabels": {"team": "ml"}},
                            "podSelector": {"matchLabels": {"app": "api"}},
                        }
                    ],
                    "ports": [{"port": "s3"}],
                }
            ],
        },
    ),
]


@pytest.fixture
def snap(tmp_path):
    path = tmp_path / "snap.yaml"
    path.write_text(yaml.safe_dump({"apiVersion": "v1", "kind": "List", "items": OBJS}))
    return str(path)


def run(capsys, *args):
    code = main(["matrix", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_json_contract(snap, capsys):
    code, out, _ = run(capsys, "--snapshot", snap, "--port", "9000", "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert data["port"] == 9000 and data["protocol"] == "TCP"
    assert data["pods"] == ["ml/agent", "ml/api", "ml/trainer", "store/minio"]
    assert data["allowed"] == {
        "ml/agent": [],
        "ml/api": ["ml/trainer", "store/minio"],
        "ml/trainer": ["ml/api"],
        "store/minio": ["ml/api", "ml/trainer"],
    }
    assert data["marked"] == {"ml/agent": "host-network"}


def test_protocol_is_case_insensitive_and_changes_the_answer(snap, capsys):
    _, out, _ = run(capsys, "--snapshot", snap, "--protocol", "udp", "--format", "json")
    data = json.loads(out)
    assert data["protocol"] == "UDP"
    assert data["allowed"]["ml/api"] == ["ml/trainer"]  # s3 is a TCP port name


def test_namespace_restricts_the_pods(snap, capsys):
    _, out, _ = run(capsys, "--snapshot", snap, "-n", "ml", "--format", "json")
    data = json.loads(out)
    assert data["pods"] == ["ml/agent", "ml/api", "ml/trainer"]
    assert data["allowed"]["ml/api"] == ["ml/trainer"]


def test_text_grid(snap, capsys):
    code, out, _ = run(capsys, "--snapshot", snap)
    lines = out.splitlines()
    assert code == 0
    assert lines[0] == "TCP 9000: 4 pods, 5 allowed ordered pairs"
    row = next(line for line in lines if "ml/trainer" in line)
    assert row.split()[-4:] == ["h", "+", "\\", "."]


def test_explain_text_and_json(snap, capsys):
    code, out, _ = run(capsys, "--snapshot", snap, "--explain", "ml/trainer", "store/minio")
    assert code == 0
    assert out.splitlines()[0] == "ml/trainer -> store/minio on TCP 9000: DENIED"
    assert "near miss: store/minio ingress rule 0 allows TCP 9000" in out
    _, out, _ = run(
        capsys, "--snapshot", snap, "--explain", "ml/api", "store/minio", "--format", "json"
    )
    data = json.loads(out)
    assert data["verdict"] == "allowed"
    admit = data["ingress"]["admitted_by"][0]
    assert (admit["policy"], admit["rule_index"], admit["peer_index"], admit["port_index"]) == (
        "store/minio",
        0,
        0,
        0,
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "0"], "port 0 is out of range"),
        (["--port", "http"], "port 'http' is not a number"),
        (["--protocol", "ICMP"], "protocol 'ICMP' is not one of TCP, UDP, SCTP"),
        (["--explain", "ml/nope", "store/minio"], "no pod 'ml/nope'"),
    ],
)
def test_bad_input_exits_2_with_one_line(snap, capsys, args, message):
    code, out, err = run(capsys, "--snapshot", snap, *args)
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1
    assert out == ""


def test_large_cluster_prints_one_line_per_source(tmp_path, capsys):
    objs = [pod("ns", f"p{i:02}") for i in range(45)]
    path = tmp_path / "big.yaml"
    path.write_text(yaml.safe_dump({"apiVersion": "v1", "kind": "List", "items": objs}))
    _, out, _ = run(capsys, "--snapshot", str(path))
    lines = out.splitlines()
    assert lines[0] == "TCP 9000: 45 pods, 1980 allowed ordered pairs"
    assert lines[1].startswith("ns/p00 -> ns/p01, ns/p02")
