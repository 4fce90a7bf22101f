"""Benchmark and differential check of the reachability engine against network-config-analyzer.

Both read the same `kubectl get -o json` Lists (JSON is valid YAML, so the peer reads it too, and
it is the fastest form for both). Exits 1 when answers differ or a target is missed.

    python bench/bench_netpol.py               # 100, 200, 500 pods with the peer; 5000 alone
    python bench/bench_netpol.py --sizes 100,1000 --peer-max 1000 --big 5000
    python bench/bench_netpol.py --deviations  # the known peer deviations, side by side

For each size it generates a cluster (bench/netpol_gen.py; one policy per five pods), writes it
as JSON, and runs both on the same files in this one run: mlview (load + classes + every
allowed pair on TCP 9000) and the peer (`nca --connectivity ... --output_format
txt_no_fw_rules --output_endpoints pods`, whose answer for TCP 9000 is read off each pair's
connection set). It compares the two pair by pair and prints the RATIO of wall times.
The largest size runs the engine alone in a child process, for its time and peak memory.

The peer is not a dependency: install it in a separate venv (its pins clash with ours) and pass
`--nca PATH` or set MLVIEW_NCA; without it, the comparison is skipped with a message.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from netpol_gen import generate  # noqa: E402

from mlview.analysis.reachability.engine import compute_matrix  # noqa: E402
from mlview.sources import snapshot  # noqa: E402
from mlview.store import StoreView  # noqa: E402

PORT, PROTO = 9000, "TCP"
TARGET_RATIO = 100  # the peer's time over ours, end to end, at every size the peer finishes
BIG_SECONDS, BIG_MB = 2.0, 500  # the engine alone on 5,000 pods with 1,000 policies


def find_peer(explicit: str | None) -> str | None:
    for cand in (explicit, os.environ.get("MLVIEW_NCA"), shutil.which("nca")):
        if cand and Path(cand).exists():
            return cand
    return None


def write_cluster(objs: list[dict], folder: Path) -> None:
    """Three files, as nca wants them: pods, namespaces, policies."""

    def dump(name: str, items: list[dict]) -> None:
        # JSON (`kubectl get -o json`): both tools read it, and it parses fastest for both.
        doc = {"apiVersion": "v1", "kind": "List", "items": items}
        (folder / name).write_text(json.dumps(doc))

    dump("pods.json", [o for o in objs if o["kind"] == "Pod"])
    dump("namespaces.json", [o for o in objs if o["kind"] == "Namespace"])
    dump("policies.json", [o for o in objs if o["kind"] == "NetworkPolicy"])


def run_mlview(folder: Path) -> tuple[set[tuple[str, str]], dict[str, float], int]:
    t0 = time.perf_counter()
    view = snapshot.load([folder]).to_store().view()
    t1 = time.perf_counter()
    mx = compute_matrix(view, PORT, PROTO)
    t2 = time.perf_counter()
    allowed = mx.allowed_map()  # what `mlview matrix --format json` prints
    t3 = time.perf_counter()
    times = {"load": t1 - t0, "engine": t2 - t1, "pairs": t3 - t2, "total": t3 - t0}
    return {(s, d) for s, dsts in allowed.items() for d in dsts}, times, len(mx.classes)


def run_peer(
    nca: str, folder: Path, pods: set[str], timeout: float
) -> tuple[set[tuple[str, str]] | None, float, str]:
    """The peer's allowed pairs on TCP 9000, its own 'Total run time' (load + analysis +
    output, without interpreter start-up; the wall time when it does not print one), errors."""
    cmd = [
        nca,
        "--connectivity",
        str(folder / "policies.json"),
        "--pod_list",
        str(folder / "pods.json"),
        "--ns_list",
        str(folder / "namespaces.json"),
        "--output_format",
        "txt_no_fw_rules",
        "--output_endpoints",
        "pods",
    ]
    t0 = time.perf_counter()
    try:
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, time.perf_counter() - t0, f"did not finish in {timeout:.0f} s"
    wall = time.perf_counter() - t0
    reported = re.search(r"Total run time:\s*([0-9.]+)", res.stdout)
    wall = float(reported.group(1)) if reported else wall
    errors = [ln for ln in res.stdout.splitlines() + res.stderr.splitlines() if "Error" in ln]
    pairs = set()
    for line in res.stdout.splitlines():
        if " => " not in line or " : " not in line:
            continue
        if line.startswith("Total run time"):
            continue
        ends, conn = line.rsplit(" : ", 1)
        src, dst = ends.split(" => ", 1)
        if src in pods and dst in pods and admits(conn, PORT, PROTO):
            pairs.add((src, dst))
    return pairs, wall, "; ".join(errors[:2])


_DIMS = re.compile(
    r"(?:^|,)(protocols|src_ports|dst_ports|methods|paths|hosts|icmp_type|"
    r"icmp_code):"
)


def admits(conn: str, port: int, proto: str) -> bool:
    """Whether an nca connection set (txt form) contains `proto` `port`.

    Forms: 'All connections', 'No connections', or cubes '{protocols:TCP,UDP,dst_ports:53,80-90}'
    (a dimension left out means all its values)."""
    conn = conn.strip()
    if conn == "All connections":
        return True
    if conn == "No connections":
        return False
    cubes = re.findall(r"\{([^}]*)\}", conn)
    if not cubes:
        raise ValueError(f"unknown nca connection form: {conn!r}")
    for cube in cubes:
        parts = _DIMS.split(cube)
        dims = {parts[i]: parts[i + 1] for i in range(1, len(parts) - 1, 2)}
        protos = dims.get("protocols")
        if protos is not None:
            names = {p.strip() for p in protos.replace("allbut", "").split(",")}
            if (proto in names) == protos.startswith("allbut"):
                continue
        ports = dims.get("dst_ports")
        if ports is not None and not _in_ranges(port, ports):
            continue
        return True
    return False


def _in_ranges(port: int, text: str) -> bool:
    for item in text.split(","):
        lo, _, hi = item.strip().partition("-")
        if int(lo) <= port <= int(hi or lo):
            return True
    return False


def compare(n_pods: int, nca: str | None, peer_max: int, timeout: float, seed: int) -> list[str]:
    """Run both on one cluster; the targets this size missed (none when the peer is absent)."""
    n_pols = max(1, n_pods // 5)
    objs = generate(n_pods, n_pols, seed)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_cluster(objs, folder)
        ours, times, classes = run_mlview(folder)
        pods = {
            f"{o['metadata']['namespace']}/{o['metadata']['name']}"
            for o in objs
            if o["kind"] == "Pod"
        }
        line = (
            f"{len(pods):6} pods {n_pols:5} policies {classes:5} classes  mlview "
            f"{times['total']:7.3f} s (engine {times['engine']:.3f}, load {times['load']:.3f},"
            f" pairs {times['pairs']:.3f})  {len(ours)} allowed pairs"
        )
        if nca is None or len(pods) > peer_max:
            print(line + "  peer: skipped")
            return []
        theirs, wall, err = run_peer(nca, folder, pods, timeout)
    if theirs is None:
        print(line + f"  peer: {err}")
        return []
    same = theirs == ours
    print(line + f"  peer {wall:7.2f} s  answers {'IDENTICAL' if same else 'DIFFER'}")
    if not same:
        only_us, only_them = sorted(ours - theirs), sorted(theirs - ours)
        print(
            f"    only mlview allows {len(only_us)}: {only_us[:3]}; only the peer allows "
            f"{len(only_them)}: {only_them[:3]}; peer errors: {err or 'none'}"
        )
    ratio = wall / times["total"]
    print(
        f"RATIO peer/mlview at {len(pods)} pods: {ratio:.0f}x end to end, "
        f"{wall / times['engine']:.0f}x engine only (target >= {TARGET_RATIO}x, identical answers)"
    )
    missed = [] if same else [f"answers differ at {len(pods)} pods"]
    if ratio < TARGET_RATIO:
        missed.append(f"{ratio:.0f}x at {len(pods)} pods")
    return missed


def big(n_pods: int, seed: int) -> list[str]:
    """The engine alone in a fresh process: time and peak memory (generation included)."""
    code = (
        "import json,resource,sys,time;"
        f"sys.path[:0]=[{str(ROOT)!r},{str(ROOT / 'bench')!r}];"
        "from netpol_gen import generate;"
        "from mlview.store import StoreView;"
        "from mlview.analysis.reachability.engine import compute_matrix;"
        f"objs=generate({n_pods},{max(1, n_pods // 5)},{seed});"
        "v=StoreView.from_objects(objs);"
        f"t=time.perf_counter();mx=compute_matrix(v,{PORT},{PROTO!r});e=time.perf_counter()-t;"
        "t=time.perf_counter();n=mx.count_allowed();c=time.perf_counter()-t;"
        "print(json.dumps({'engine':e,'count':c,'pairs':n,'classes':len(mx.classes),"
        "'rss_mb':resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    r = json.loads(out.stdout)
    print(
        f"{n_pods:6} pods {n_pods // 5:5} policies {r['classes']:5} classes  engine "
        f"{r['engine']:.3f} s, counting {r['pairs']} allowed pairs {r['count']:.3f} s, "
        f"peak RSS {r['rss_mb']:.0f} MB (whole process, cluster generation included; "
        f"targets {BIG_SECONDS:.0f} s, {BIG_MB} MB)"
    )
    missed = []
    if r["engine"] > BIG_SECONDS:
        missed.append(f"engine {r['engine']:.2f} s at {n_pods} pods")
    if r["rss_mb"] > BIG_MB:
        missed.append(f"{r['rss_mb']:.0f} MB at {n_pods} pods")
    return missed


def deviations(nca: str | None) -> None:
    from tests.unit.test_netpol_deviations import CASES, objects

    for name, policy, expected, peer_note in CASES:
        objs = objects(policy)
        ours = {
            (s.ref, d.ref)
            for s, d in compute_matrix(StoreView.from_objects(objs), PORT).allowed_pairs()
        }
        print(f"{name}: mlview (API) allows {sorted(ours)}")
        assert ours == expected
        if nca:
            with tempfile.TemporaryDirectory() as tmp:
                write_cluster(objs, Path(tmp))
                pods = {
                    f"{o['metadata']['namespace']}/{o['metadata']['name']}"
                    for o in objs
                    if o["kind"] == "Pod"
                }
                theirs, _, err = run_peer(nca, Path(tmp), pods, 60)
            print(f"    peer allows {sorted(theirs or [])}{'  errors: ' + err if err else ''}")
        print(f"    known: the peer {peer_note}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100,200,500", help="pod counts compared with the peer")
    ap.add_argument("--peer-max", type=int, default=500, help="largest size given to the peer")
    ap.add_argument("--peer-timeout", type=float, default=300.0)
    ap.add_argument("--big", type=int, default=5000, help="engine-only size (0 to skip)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--nca", help="path to the nca executable (or MLVIEW_NCA)")
    ap.add_argument("--deviations", action="store_true", help="show the known deviations")
    args = ap.parse_args()
    nca = find_peer(args.nca)
    if nca is None:
        print(
            "peer: network-config-analyzer not found; comparison skipped. Install it in its own "
            "venv (python -m venv nca-env && nca-env/bin/pip install network-config-analyzer) "
            "and pass --nca nca-env/bin/nca."
        )
    if args.deviations:
        deviations(nca)
        return 0
    print(f"query: {PROTO} {PORT}; one policy per five pods; seed {args.seed}")
    missed: list[str] = []
    for n in (int(s) for s in args.sizes.split(",") if s):
        missed += compare(n, nca, args.peer_max, args.peer_timeout, args.seed)
    if args.big:
        missed += big(args.big, args.seed)
    usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"(this process peaked at {usage:.0f} MB)")
    print("targets: " + ("MISSED: " + "; ".join(missed) if missed else "all met"))
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
