"""Pods and their controllers for the demo scenarios: containers, pod status by state, and
Deployments (with ReplicaSets), StatefulSets, DaemonSets and Jobs whose status counts and
owner references are derived from the pods they create."""

from __future__ import annotations

from dataclasses import dataclass

from demo_kit import Cluster, Node, Obj, hexid, metadata, suffix, ts


def container(
    name: str,
    image: str,
    *,
    ports: list[tuple[str, int] | tuple[str, int, str]] = (),  # type: ignore[assignment]
    cpu: str = "250m",
    memory: str = "512Mi",
    gpu: int = 0,
    mounts: list[Obj] = (),  # type: ignore[assignment]
    probe: tuple[str, str | int] | None = None,  # (path, port name or number)
    args: list[str] | None = None,
    env: list[Obj] | None = None,
) -> Obj:
    c: Obj = {"name": name, "image": image, "imagePullPolicy": "IfNotPresent"}
    if args:
        c["args"] = list(args)
    if env:
        c["env"] = list(env)
    if ports:
        c["ports"] = [
            {"containerPort": p[1], "name": p[0], "protocol": p[2] if len(p) > 2 else "TCP"}
            for p in ports
        ]
    if probe:
        c["readinessProbe"] = {
            "failureThreshold": 3,
            "httpGet": {"path": probe[0], "port": probe[1], "scheme": "HTTP"},
            "periodSeconds": 10,
            "successThreshold": 1,
            "timeoutSeconds": 1,
        }
    limits: Obj = {"memory": memory}
    if gpu:
        limits["nvidia.com/gpu"] = str(gpu)
    c["resources"] = {"limits": limits, "requests": {"cpu": cpu, "memory": memory}}
    c["terminationMessagePath"] = "/dev/termination-log"
    c["terminationMessagePolicy"] = "File"
    if mounts:
        c["volumeMounts"] = [dict(m) for m in mounts]
    return c


def mount(name: str, path: str, read_only: bool = False) -> Obj:
    m: Obj = {"mountPath": path, "name": name}
    if read_only:
        m["readOnly"] = True
    return m


def claim_volume(name: str, claim: str, read_only: bool = False) -> Obj:
    src: Obj = {"claimName": claim}
    if read_only:
        src["readOnly"] = True
    return {"name": name, "persistentVolumeClaim": src}


GPU_TOLERATION = {"effect": "NoSchedule", "key": "nvidia.com/gpu", "operator": "Exists"}
DEFAULT_TOLERATIONS = [
    {
        "effect": "NoExecute",
        "key": f"node.kubernetes.io/{k}",
        "operator": "Exists",
        "tolerationSeconds": 300,
    }
    for k in ("not-ready", "unreachable")
]


def _api_access(pod_name: str) -> tuple[Obj, Obj]:
    vol_name = f"kube-api-access-{suffix(pod_name, 'sa')}"
    volume = {
        "name": vol_name,
        "projected": {
            "defaultMode": 420,
            "sources": [
                {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                {
                    "configMap": {
                        "items": [{"key": "ca.crt", "path": "ca.crt"}],
                        "name": "kube-root-ca.crt",
                    }
                },
                {
                    "downwardAPI": {
                        "items": [
                            {
                                "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"},
                                "path": "namespace",
                            }
                        ]
                    }
                },
            ],
        },
    }
    vm = {
        "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
        "name": vol_name,
        "readOnly": True,
    }
    return volume, vm


@dataclass
class PodState:
    """How a pod is doing. kind: running | unready | crashloop | imagepull | creating | pending |
    completed."""

    kind: str = "running"
    message: str = ""  # Pending: the scheduler's message; imagepull: the pull error
    restarts: int = 0
    last_reason: str = "Error"  # crashloop: how the last run ended
    exit_code: int = 1


RUNNING = PodState()


def pod(
    cl: Cluster,
    ns: str,
    name: str,
    *,
    labels: dict[str, str],
    containers: list[Obj],
    volumes: list[Obj] = (),  # type: ignore[assignment]
    node_: Node | None = None,
    state: PodState = RUNNING,
    owner: Obj | None = None,
    age: float = 60 * 24 * 3,
    annotations: dict[str, str] | None = None,
    host_network: bool = False,
    tolerations: list[Obj] = (),  # type: ignore[assignment]
    restart_policy: str = "Always",
    service_account: str = "default",
    extra_spec: Obj | None = None,
) -> Obj:
    api_vol, api_mount = _api_access(f"{ns}/{name}")
    ctrs = []
    for c in containers:
        c = dict(c)
        c["volumeMounts"] = list(c.get("volumeMounts") or []) + [api_mount]
        ctrs.append(c)
    spec: Obj = {
        "containers": ctrs,
        "dnsPolicy": "ClusterFirstWithHostNet" if host_network else "ClusterFirst",
        "enableServiceLinks": True,
    }
    if host_network:
        spec["hostNetwork"] = True
    scheduled = state.kind != "pending"
    if scheduled:
        assert node_ is not None, name
        spec["nodeName"] = node_.name
    spec.update(
        {
            "preemptionPolicy": "PreemptLowerPriority",
            "priority": 0,
            "restartPolicy": restart_policy,
            "schedulerName": "default-scheduler",
            "securityContext": {},
            "serviceAccount": service_account,
            "serviceAccountName": service_account,
            "terminationGracePeriodSeconds": 30,
            "tolerations": list(tolerations) + DEFAULT_TOLERATIONS,
            "volumes": list(volumes) + [api_vol],
        }
    )
    if extra_spec:
        spec.update(extra_spec)
    obj = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": metadata(
            cl, "Pod", name, ns, labels=labels, annotations=annotations, age=age, owner=owner
        ),
        "spec": spec,
    }
    obj["status"] = _pod_status(cl, obj, node_, state, age, host_network)
    return cl.add(obj)


def _cond(type_: str, status: bool, when: str, reason: str = "", message: str = "") -> Obj:
    c: Obj = {
        "lastProbeTime": None,
        "lastTransitionTime": when,
        "status": "True" if status else "False",
        "type": type_,
    }
    if reason:
        c["reason"] = reason
    if message:
        c["message"] = message
    return c


def _pod_status(
    cl: Cluster, obj: Obj, nd: Node | None, state: PodState, age: float, host_network: bool
) -> Obj:
    start = ts(age - 0.05)
    name = obj["metadata"]["name"]
    k = state.kind
    if k == "pending":
        return {
            "conditions": [_cond("PodScheduled", False, start, "Unschedulable", state.message)],
            "phase": "Pending",
            "qosClass": "Burstable",
        }
    assert nd is not None
    ready = k == "running"
    names = [c["name"] for c in obj["spec"]["containers"]]
    not_ready_msg = f"containers with unready status: [{' '.join(names)}]"
    conds = [
        _cond("PodReadyToStartContainers", k != "creating", ts(age - 0.2)),
        _cond("Initialized", True, start),
        _cond(
            "Ready",
            ready,
            ts(age - 0.4) if ready else ts(min(age - 0.1, 30)),
            "" if ready else ("PodCompleted" if k == "completed" else "ContainersNotReady"),
            "" if ready or k == "completed" else not_ready_msg,
        ),
        _cond(
            "ContainersReady",
            ready,
            ts(age - 0.4) if ready else ts(min(age - 0.1, 30)),
            "" if ready else ("PodCompleted" if k == "completed" else "ContainersNotReady"),
            "" if ready or k == "completed" else not_ready_msg,
        ),
        _cond("PodScheduled", True, start),
    ]
    statuses = []
    for c in obj["spec"]["containers"]:
        cs: Obj = {
            "image": c["image"],
            "imageID": "",
            "lastState": {},
            "name": c["name"],
            "ready": ready,
            "restartCount": state.restarts,
            "started": k in ("running", "unready"),
        }
        if k not in ("creating", "imagepull"):
            cs["containerID"] = f"containerd://{hexid(cl.name, name, c['name'], n=64)}"
            cs["imageID"] = f"{c['image'].split(':')[0]}@sha256:{hexid(c['image'], n=64)}"
        if k in ("running", "unready"):
            cs["state"] = {"running": {"startedAt": ts(age - 0.3)}}
        elif k == "crashloop":
            cs["lastState"] = {
                "terminated": {
                    "containerID": cs["containerID"],
                    "exitCode": state.exit_code,
                    "finishedAt": ts(1.5),
                    "reason": state.last_reason,
                    "startedAt": ts(1.6),
                }
            }
            cs["state"] = {
                "waiting": {
                    "message": f"back-off 5m0s restarting failed container={c['name']} "
                    f"pod={name}_{obj['metadata']['namespace']}"
                    f"({obj['metadata']['uid']})",
                    "reason": "CrashLoopBackOff",
                }
            }
        elif k == "creating":
            cs["state"] = {"waiting": {"reason": "ContainerCreating"}}
        elif k == "imagepull":
            cs["state"] = {
                "waiting": {
                    "message": f'Back-off pulling image "{c["image"]}"',
                    "reason": "ImagePullBackOff",
                }
            }
        elif k == "completed":
            cs["state"] = {
                "terminated": {
                    "containerID": cs["containerID"],
                    "exitCode": 0,
                    "finishedAt": ts(age - 25),
                    "reason": "Completed",
                    "startedAt": ts(age - 0.3),
                }
            }
        statuses.append(cs)
    status: Obj = {
        "conditions": conds,
        "containerStatuses": statuses,
        "hostIP": nd.ip,
        "hostIPs": [{"ip": nd.ip}],
        "phase": {"creating": "Pending", "imagepull": "Pending", "completed": "Succeeded"}.get(
            k, "Running"
        ),
    }
    if k != "creating":
        ip = nd.ip if host_network else cl.pod_ip(nd)
        status["podIP"] = ip
        status["podIPs"] = [{"ip": ip}]
    status["qosClass"] = "Burstable"
    status["startTime"] = start
    return status


def _template(
    labels: dict[str, str], containers: list[Obj], volumes: list[Obj], extra: Obj | None
) -> Obj:
    spec: Obj = {
        "containers": containers,
        "dnsPolicy": "ClusterFirst",
        "restartPolicy": "Always",
        "schedulerName": "default-scheduler",
        "securityContext": {},
        "terminationGracePeriodSeconds": 30,
    }
    if volumes:
        spec["volumes"] = list(volumes)
    if extra:
        spec.update(extra)
    return {"metadata": {"creationTimestamp": None, "labels": dict(labels)}, "spec": spec}


def _states(states: list[PodState] | None, n: int) -> list[PodState]:
    return list(states) if states else [RUNNING] * n


def _place(cl: Cluster, pool: str, nodes: list[Node] | None, i: int) -> Node:
    return nodes[i % len(nodes)] if nodes else cl.pick(pool)


@dataclass
class Previous:
    """The ReplicaSet a rollout is moving away from: its image and the pods it still has."""

    image: str
    states: list[PodState]
    args: list[str] | None = None


def deployment(
    cl: Cluster,
    ns: str,
    name: str,
    *,
    labels: dict[str, str],
    replicas: int,
    containers: list[Obj],
    volumes: list[Obj] = (),
    pool: str = "cpu",  # type: ignore[assignment]
    nodes: list[Node] | None = None,
    states: list[PodState] | None = None,
    age: float = 60 * 24 * 6,
    annotations: dict[str, str] | None = None,
    dep_labels: dict[str, str] | None = None,
    previous: Previous | None = None,
    strategy: Obj | None = None,
) -> list[Obj]:
    """Deployment -> ReplicaSet -> Pods; status counts derived from the pod states.

    With `previous`, a rollout in progress: the new ReplicaSet (revision 4) has `states`, the
    old one (revision 3, `previous.image`) keeps `previous.states`; the Deployment counts both.
    """
    states = _states(states, replicas)
    extra = {"tolerations": [GPU_TOLERATION]} if pool == "gpu" else None
    tmpl = _template(labels, containers, volumes, extra)
    old_states = previous.states if previous else []
    ready = sum(s.kind == "running" for s in states + old_states)
    revision = "4" if previous else "3"
    status = _workload_status(replicas, ready, age, deployment=True)
    if previous:
        status = _rollout_status(status, replicas, len(states) + len(old_states), len(states))
    dep = cl.add(
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": metadata(
                cl,
                "Deployment",
                name,
                ns,
                labels=dep_labels or labels,
                age=age,
                annotations={"deployment.kubernetes.io/revision": revision},
            ),
            "spec": {
                "progressDeadlineSeconds": 600,
                "replicas": replicas,
                "revisionHistoryLimit": 10,
                "selector": {"matchLabels": dict(labels)},
                "strategy": {
                    "rollingUpdate": strategy or {"maxSurge": "25%", "maxUnavailable": "25%"},
                    "type": "RollingUpdate",
                },
                "template": tmpl,
            },
            "status": status,
        }
    )
    placed = _Placement(cl, pool, nodes)
    pods = []
    if previous:
        old_containers = [
            {**c, "image": previous.image, **({"args": previous.args} if previous.args else {})}
            for c in containers
        ]
        old_tmpl = _template(labels, old_containers, volumes, extra)
        pods += _replicaset(
            cl, dep, ns, name, "3", replicas, old_tmpl, old_states, placed, age, annotations
        )
    pods += _replicaset(
        cl,
        dep,
        ns,
        name,
        revision,
        replicas,
        tmpl,
        states,
        placed,
        age,
        annotations,
        new_age=30 if previous else None,
    )
    return pods


class _Placement:
    """Nodes for the pods of one Deployment, in creation order across its ReplicaSets."""

    def __init__(self, cl: Cluster, pool: str, nodes: list[Node] | None) -> None:
        self.cl, self.pool, self.nodes, self.i = cl, pool, nodes, 0

    def next(self) -> Node:
        nd = _place(self.cl, self.pool, self.nodes, self.i)
        self.i += 1
        return nd


def _replicaset(
    cl: Cluster,
    dep: Obj,
    ns: str,
    name: str,
    revision: str,
    replicas: int,
    tmpl: Obj,
    states: list[PodState],
    placed: _Placement,
    age: float,
    annotations: dict[str, str] | None,
    new_age: float | None = None,
) -> list[Obj]:
    # revision 3 keeps the hash every demo had before rollouts existed (stable names)
    key = (cl.name, ns, name, "rs") if revision == "3" else (cl.name, ns, name, "rs", revision)
    hash_ = suffix(*key, n=10)
    labels = tmpl["metadata"]["labels"]
    pod_labels = {**labels, "pod-template-hash": hash_}
    rs_age = new_age if new_age is not None else age
    ready = sum(s.kind == "running" for s in states)
    rs = cl.add(
        {
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "metadata": metadata(
                cl,
                "ReplicaSet",
                f"{name}-{hash_}",
                ns,
                labels=pod_labels,
                age=rs_age,
                owner=dep,
                annotations={
                    "deployment.kubernetes.io/desired-replicas": str(replicas),
                    "deployment.kubernetes.io/max-replicas": str(replicas + 1),
                    "deployment.kubernetes.io/revision": revision,
                },
            ),
            "spec": {
                "replicas": len(states),
                "selector": {"matchLabels": {**labels, "pod-template-hash": hash_}},
                "template": {**tmpl, "metadata": {"creationTimestamp": None, "labels": pod_labels}},
            },
            "status": {
                "availableReplicas": ready,
                "fullyLabeledReplicas": len(states),
                "observedGeneration": 1,
                "readyReplicas": ready,
                "replicas": len(states),
            },
        }
    )
    pods = []
    containers = tmpl["spec"]["containers"]
    volumes = tmpl["spec"].get("volumes") or []
    gpu = GPU_TOLERATION in (tmpl["spec"].get("tolerations") or [])
    for i, st in enumerate(states):
        pname = f"{name}-{hash_}-{suffix(*key[:3], i) if revision == '3' else suffix(*key, i)}"
        nd = placed.next()
        pods.append(
            pod(
                cl,
                ns,
                pname,
                labels=pod_labels,
                containers=containers,
                volumes=volumes,
                node_=None if st.kind == "pending" else nd,
                state=st,
                owner=rs,
                age=rs_age - 1 - i * 0.2,
                annotations=annotations,
                tolerations=[GPU_TOLERATION] if gpu else [],
            )
        )
    return pods


def _rollout_status(status: Obj, replicas: int, pods: int, updated: int) -> Obj:
    """A rollout past its progress deadline: updated pods never became available."""
    status = {**status, "replicas": pods, "updatedReplicas": updated}
    status["conditions"] = [
        c
        if c["type"] != "Progressing"
        else {
            **c,
            "message": "ReplicaSet has timed out progressing.",
            "reason": "ProgressDeadlineExceeded",
            "status": "False",
            "lastTransitionTime": ts(19),
            "lastUpdateTime": ts(19),
        }
        for c in status["conditions"]
    ]
    return status


def _workload_status(replicas: int, ready: int, age: float, deployment: bool = False) -> Obj:
    st: Obj = {
        "availableReplicas": ready,
        "observedGeneration": 1,
        "readyReplicas": ready,
        "replicas": replicas,
        "updatedReplicas": replicas,
    }
    if deployment:
        avail = ready >= replicas
        st["conditions"] = [
            {
                "lastTransitionTime": ts(age - 2),
                "lastUpdateTime": ts(age - 2),
                "message": "Deployment has minimum availability."
                if avail
                else "Deployment does not have minimum availability.",
                "reason": "MinimumReplicasAvailable" if avail else "MinimumReplicasUnavailable",
                "status": "True" if avail else "False",
                "type": "Available",
            },
            {
                "lastTransitionTime": ts(age),
                "lastUpdateTime": ts(age - 1),
                "message": "ReplicaSet has successfully progressed.",
                "reason": "NewReplicaSetAvailable",
                "status": "True",
                "type": "Progressing",
            },
        ]
        if ready < replicas:
            st["unavailableReplicas"] = replicas - ready
        if not ready:
            st.pop("availableReplicas")
            st.pop("readyReplicas")
    return st


def statefulset(
    cl: Cluster,
    ns: str,
    name: str,
    *,
    labels: dict[str, str],
    replicas: int,
    containers: list[Obj],
    service_name: str,
    volumes: list[Obj] = (),  # type: ignore[assignment]
    claims: list[tuple[str, str, str, str]] = (),  # type: ignore[assignment]  # name, class, size, mode
    pool: str = "cpu",
    nodes: list[Node] | None = None,
    states: list[PodState] | None = None,
    age: float = 60 * 24 * 30,
) -> list[Obj]:
    """StatefulSet -> Pods `<name>-<i>`, plus a bound PVC/PV per volumeClaimTemplate."""
    states = _states(states, replicas)
    rev = f"{name}-{suffix(cl.name, ns, name, 'rev', n=10)}"
    ready = sum(s.kind == "running" for s in states)
    sts = cl.add(
        {
            "apiVersion": "apps/v1",
            "kind": "StatefulSet",
            "metadata": metadata(cl, "StatefulSet", name, ns, labels=labels, age=age),
            "spec": {
                "persistentVolumeClaimRetentionPolicy": {
                    "whenDeleted": "Retain",
                    "whenScaled": "Retain",
                },
                "podManagementPolicy": "OrderedReady",
                "replicas": replicas,
                "revisionHistoryLimit": 10,
                "selector": {"matchLabels": dict(labels)},
                "serviceName": service_name,
                "template": _template(labels, containers, volumes, None),
                "updateStrategy": {"rollingUpdate": {"partition": 0}, "type": "RollingUpdate"},
                "volumeClaimTemplates": [
                    {
                        "apiVersion": "v1",
                        "kind": "PersistentVolumeClaim",
                        "metadata": {"creationTimestamp": None, "name": c[0]},
                        "spec": {
                            "accessModes": [c[3]],
                            "resources": {"requests": {"storage": c[2]}},
                            "storageClassName": c[1],
                            "volumeMode": "Filesystem",
                        },
                        "status": {"phase": "Pending"},
                    }
                    for c in claims
                ],
            },
            "status": {
                **_workload_status(replicas, ready, age),
                "availableReplicas": ready,
                "collisionCount": 0,
                "currentReplicas": replicas,
                "currentRevision": rev,
                "updateRevision": rev,
            },
        }
    )
    pods = []
    for i, st in enumerate(states):
        pname = f"{name}-{i}"
        nd = _place(cl, pool, nodes, i)
        vols = list(volumes)
        for cname, sc, size, mode in claims:
            claim = f"{cname}-{pname}"
            from demo_storage import pvc  # storage builds on this module; import late

            pvc(cl, ns, claim, sc=sc, size=size, modes=[mode], node_=nd, age=age - i, labels=labels)
            vols.append(claim_volume(cname, claim))
        plabels = {
            **labels,
            "apps.kubernetes.io/pod-index": str(i),
            "controller-revision-hash": rev,
            "statefulset.kubernetes.io/pod-name": pname,
        }
        pods.append(
            pod(
                cl,
                ns,
                pname,
                labels=plabels,
                containers=containers,
                volumes=vols,
                node_=nd,
                state=st,
                owner=sts,
                age=age - 2 - i,
                extra_spec={"hostname": pname, "subdomain": service_name},
            )
        )
    return pods


def daemonset(
    cl: Cluster,
    ns: str,
    name: str,
    *,
    labels: dict[str, str],
    containers: list[Obj],
    volumes: list[Obj] = (),
    nodes: list[Node] | None = None,  # type: ignore[assignment]
    host_network: bool = False,
    age: float = 60 * 24 * 9,
) -> list[Obj]:
    nodes = nodes or cl.nodes
    extra: Obj = {"tolerations": [{"operator": "Exists"}]}
    if host_network:
        extra["hostNetwork"] = True
    n = len(nodes)
    ds = cl.add(
        {
            "apiVersion": "apps/v1",
            "kind": "DaemonSet",
            "metadata": metadata(
                cl,
                "DaemonSet",
                name,
                ns,
                labels=labels,
                age=age,
                annotations={"deprecated.daemonset.template.generation": "1"},
            ),
            "spec": {
                "revisionHistoryLimit": 10,
                "selector": {"matchLabels": dict(labels)},
                "template": _template(labels, containers, volumes, extra),
                "updateStrategy": {
                    "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1},
                    "type": "RollingUpdate",
                },
            },
            "status": {
                "currentNumberScheduled": n,
                "desiredNumberScheduled": n,
                "numberAvailable": n,
                "numberMisscheduled": 0,
                "numberReady": n,
                "observedGeneration": 1,
                "updatedNumberScheduled": n,
            },
        }
    )
    rev = suffix(cl.name, ns, name, "rev", n=10)
    return [
        pod(
            cl,
            ns,
            f"{name}-{suffix(cl.name, ns, name, nd.name)}",
            labels={**labels, "controller-revision-hash": rev, "pod-template-generation": "1"},
            containers=containers,
            volumes=volumes,
            node_=nd,
            owner=ds,
            age=age - 1,
            host_network=host_network,
            tolerations=[{"operator": "Exists"}],
        )
        for nd in nodes
    ]


def job(
    cl: Cluster,
    ns: str,
    name: str,
    *,
    labels: dict[str, str],
    containers: list[Obj],
    volumes: list[Obj] = (),
    completions: int = 1,
    indexed: bool = False,  # type: ignore[assignment]
    pool: str = "cpu",
    nodes: list[Node] | None = None,
    states: list[PodState] | None = None,
    age: float = 60 * 10,
) -> list[Obj]:
    """A Job and its pods; indexed Jobs name pods `<job>-<index>-<suffix>`."""
    states = _states(states, completions)
    uid = cl.uid("Job", ns, name)
    sel = {"batch.kubernetes.io/controller-uid": uid}
    jl = {
        **labels,
        **sel,
        "batch.kubernetes.io/job-name": name,
        "controller-uid": uid,
        "job-name": name,
    }
    extra: Obj = {"restartPolicy": "Never"}
    if pool == "gpu":
        extra["tolerations"] = [GPU_TOLERATION]
    done = sum(s.kind == "completed" for s in states)
    active = len(states) - done
    status: Obj = {"startTime": ts(age - 0.1), "uncountedTerminatedPods": {}}
    if active:
        status["active"] = active
        status["ready"] = sum(s.kind == "running" for s in states)
    else:
        status["completionTime"] = ts(age - 26)
        status["conditions"] = [
            {
                "lastProbeTime": ts(age - 26),
                "lastTransitionTime": ts(age - 26),
                "status": "True",
                "type": "Complete",
            }
        ]
        status["ready"] = 0
    if done:
        status["succeeded"] = done
    spec: Obj = {
        "backoffLimit": 6,
        "completions": completions,
        "parallelism": completions,
        "manualSelector": False,
        "podReplacementPolicy": "TerminatingOrFailed",
        "selector": {"matchLabels": sel},
        "suspend": False,
        "template": _template(jl, containers, volumes, extra),
    }
    spec["completionMode"] = "Indexed" if indexed else "NonIndexed"
    if indexed:
        spec["backoffLimitPerIndex"] = 2
        spec["maxFailedIndexes"] = 0
    j = cl.add(
        {
            "apiVersion": "batch/v1",
            "kind": "Job",
            "metadata": metadata(cl, "Job", name, ns, labels=labels, age=age),
            "spec": spec,
            "status": status,
        }
    )
    pods = []
    for i, st in enumerate(states):
        plabels = dict(jl)
        ann = None
        pname = f"{name}-{suffix(cl.name, ns, name, i)}"
        if indexed:
            plabels["batch.kubernetes.io/job-completion-index"] = str(i)
            ann = {"batch.kubernetes.io/job-completion-index": str(i)}
            pname = f"{name}-{i}-{suffix(cl.name, ns, name, i)}"
        nd = None if st.kind == "pending" else _place(cl, pool, nodes, i)
        pods.append(
            pod(
                cl,
                ns,
                pname,
                labels=plabels,
                containers=containers,
                volumes=volumes,
                node_=nd,
                state=st,
                owner=j,
                age=age - 0.1,
                annotations=ann,
                restart_policy="Never",
                tolerations=[GPU_TOLERATION] if pool == "gpu" else [],
            )
        )
    return pods
