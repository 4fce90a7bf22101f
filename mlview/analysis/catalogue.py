"""The catalogue of findings: one entry per code, as data.

Every `finding(code, severity, ...)` call in mlview/analysis has an entry here with the same
severity (tests/unit/test_catalogue.py checks both directions), and docs/findings.md is
generated from this table by tools/gen_docs.py. Pure data: no imports from the rest of mlview,
so findings.py can consult it.

Fields: `kinds` are the object kinds a finding of this code is reported on; `means` says what
the analyzer saw, `sees` the failure the user meets, `fix` how to make it go away. `needs` names
what the analyzer must find in the input (keys of INPUTS, all required; `needs_note` the
conditions and optional extras), so a user can tell why a finding cannot fire on, say, `helm
template` output; `sources` are the official docs (Kubernetes, the controller, the Gateway API,
the CSI driver, a KEP) the rule is based on.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    code: str
    severity: str  # error, warning or info (mlview.analysis.findings.Severity values)
    domain: str  # storage, ingress, gateway or reachability: the analysis package that emits it
    kinds: tuple[str, ...]
    title: str
    means: str
    sees: str
    fix: str
    needs: tuple[str, ...] = ()  # keys of INPUTS, every one required for the finding to fire
    sources: tuple[str, ...] = ()  # URLs of the official docs behind the rule
    needs_note: str = ""  # conditions, and inputs that sharpen the verdict when present


@dataclass(frozen=True)
class Input:
    name: str  # short: "Events", "Nodes"
    detail: str  # what exactly is read ("" when the name says it)
    in_manifests: str  # YES, DEFINED (only when the folder defines them) or NO


YES, DEFINED, NO = "yes", "defined", "no"

# What an analyzer reads, and whether a plain manifest folder (helm template, kustomize build, a
# repo's k8s/) holds it: such a folder has the objects' specs but no status, Events, Nodes or
# EndpointSlices, and cluster-wide or controller objects only when it defines them.
INPUTS: dict[str, Input] = {
    "objects": Input("the objects themselves", "spec and metadata", YES),
    "workloads": Input("Pods or workloads", "a workload's pod template stands for its pods", YES),
    "services": Input("Services", "", DEFINED),
    "storageclasses": Input("StorageClasses", "", DEFINED),
    "pvs": Input("PersistentVolumes", "", DEFINED),
    "ingressclasses": Input("IngressClasses", "", DEFINED),
    "ingress-controller": Input(
        "the ingress-nginx class",
        "an IngressClass naming k8s.io/ingress-nginx, or the controller's workload",
        DEFINED,
    ),
    "nginx-controller": Input("the ingress-nginx controller", "its workload and pods", DEFINED),
    "gateways": Input("Gateways", "the routes' parents", DEFINED),
    "networkpolicies": Input("NetworkPolicies", "", DEFINED),
    "secrets": Input("TLS Secrets", "metadata only: mlview never reads Secret data", DEFINED),
    "pvc-status": Input("claim status", "PersistentVolumeClaim status.phase", NO),
    "pv-status": Input("volume status", "PersistentVolume status.phase", NO),
    "pod-status": Input("running pods", "status.phase, spec.nodeName and IPs of Pods", NO),
    "events": Input("Events", "", NO),
    "nodes": Input("Nodes", "their labels (zones)", NO),
    "endpoints": Input("EndpointSlices", "or Endpoints: which pods are ready", NO),
}


PVC = ("PersistentVolumeClaim",)
PV = ("PersistentVolume",)
SC = ("StorageClass",)
ING = ("Ingress",)
ROUTES = ("HTTPRoute", "GRPCRoute")
NETPOL = ("NetworkPolicy",)
# A Pod, or the workload that owns it (any controller kind: Deployment, Job, PyTorchJob, ...).
WORKLOAD = ("Pod", "Deployment", "StatefulSet", "DaemonSet", "Job", "ReplicaSet", "CronJob")

_ENTRIES = (
    # --- input ---------------------------------------------------------------------------
    Entry(
        "object-invalid",
        "error",
        "inputs",
        ("any",),
        "An object the API server would reject",
        "A field mlview reads has the wrong type for the Kubernetes API (a list where a map "
        "belongs, a string for a port, a label value that is a list...). The finding names the "
        "file, the field path and what the API server would say.",
        "The object is left out of the analysis (or, for a wrong field directly under status, "
        "that field): its checks do not run, and `kubectl apply` would refuse it.",
        "Fix the field in the manifest or snapshot (the message names it).",
        needs=("objects",),
        sources=(
            "https://kubernetes.io/docs/reference/kubernetes-api/",
            "https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation",
        ),
    ),
    Entry(
        "object-duplicate",
        "warning",
        "inputs",
        ("any",),
        "The same object given twice",
        "Two objects of the input have the same kind, namespace and name (two files of a "
        "folder, or a List and a manifest).",
        "Only the later copy is analysed; `kubectl apply` would also keep the last one, which "
        "may not be the one you meant.",
        "Keep one copy of each object in the input.",
        needs=("objects",),
        sources=(
            "https://kubernetes.io/docs/concepts/overview/working-with-objects/names/",
            "https://kubernetes.io/docs/tasks/manage-kubernetes-objects/declarative-config/",
        ),
    ),
    # --- storage -------------------------------------------------------------------------
    Entry(
        "pvc-storageclass-missing",
        "error",
        "storage",
        PVC,
        "The claim names a StorageClass that does not exist",
        "spec.storageClassName names a class the cluster (or the manifest folder) does not define.",
        "The claim stays Pending forever; pods that mount it stay Pending too.",
        "Create the StorageClass, or recreate the claim with an existing storageClassName "
        "(the field cannot be changed once set).",
        needs=("objects", "storageclasses"),
        needs_note="Only for a claim not yet bound (Pending, or no status at all).",
        sources=(
            "https://kubernetes.io/docs/concepts/storage/persistent-volumes/#class-1",
            "https://kubernetes.io/docs/concepts/storage/storage-classes/",
            "https://kubernetes.io/docs/concepts/storage/dynamic-provisioning/",
        ),
    ),
    Entry(
        "pvc-no-default-storageclass",
        "error",
        "storage",
        PVC,
        "No class named and no default class",
        "The claim names no StorageClass, the cluster has no default class, and no Available "
        "PersistentVolume without a class fits it.",
        "The claim stays Pending; nothing provisions a volume for it.",
        "Mark a class default (annotation storageclass.kubernetes.io/is-default-class: "
        '"true"; Kubernetes 1.28+ then assigns it to the claim), set spec.storageClassName on '
        "a new claim, or create a matching PV.",
        needs=("objects", "storageclasses", "pvs"),
        needs_note="Only for a claim not yet bound (Pending, or no status at all).",
        sources=(
            "https://kubernetes.io/docs/concepts/storage/persistent-volumes/#retroactive-default-storageclass-assignment",
            "https://kubernetes.io/docs/tasks/administer-cluster/change-default-storage-class/",
            "https://github.com/kubernetes/enhancements/tree/master/keps/sig-storage/3333-reconcile-default-storage-class",
        ),
    ),
    Entry(
        "pvc-volume-node-affinity-conflict",
        "error",
        "storage",
        PVC,
        "The volume's zone excludes every node the claim's pods may run on",
        "The bound (or pre-bound) PersistentVolume's nodeAffinity allows only nodes in some zones "
        "(topology.kubernetes.io/zone), and no node a pod of the claim may use (nodeName, "
        "nodeSelector, required node affinity, matched against the Nodes' labels) is among them.",
        'The pods stay Pending with "volume node affinity conflict" from the scheduler (the '
        "classic EKS/GKE case: an EBS or PD volume in one zone, the pods pinned to another).",
        "Let the pods schedule in the volume's zone (relax nodeSelector/affinity or add nodes "
        "there), or restore the data into a volume in the pods' zone; use a class with "
        "volumeBindingMode: WaitForFirstConsumer so new volumes follow the pods.",
        needs=("objects", "pvs", "workloads", "nodes"),
        needs_note=(
            "The claim's PersistentVolume must carry required nodeAffinity; Pod events, when "
            "listed, are quoted."
        ),
        sources=(
            "https://kubernetes.io/docs/concepts/storage/persistent-volumes/#node-affinity",
            "https://kubernetes.io/docs/concepts/storage/storage-classes/#volume-binding-mode",
            "https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/",
            "https://kubernetes.io/docs/reference/labels-annotations-taints/#topologykubernetesiozone",
        ),
    ),
    Entry(
        "pvc-multiple-default-storageclasses",
        "warning",
        "storage",
        SC,
        "More than one default StorageClass",
        "Several StorageClasses carry storageclass.kubernetes.io/is-default-class: true.",
        "Claims without a class silently get the newest default, which may not be the one "
        "intended (different disk type, reclaim policy or zone behaviour).",
        'Keep one default: set the annotation to "false" on the others.',
        needs=("objects",),
        sources=(
            "https://kubernetes.io/docs/concepts/storage/storage-classes/#default-storageclass",
            "https://kubernetes.io/docs/tasks/administer-cluster/change-default-storage-class/",
        ),
    ),
    Entry(
        "pvc-waiting-for-first-consumer",
        "info",
        "storage",
        PVC,
        "Pending under WaitForFirstConsumer, and no pod uses it",
        "The class binds volumes when a pod that mounts the claim is scheduled; no pod does yet.",
        "A Pending claim that looks broken but is normal.",
        "Nothing, unless a workload should be using it: then check that its pods exist and "
        "name this claim.",
        needs=("pvc-status", "storageclasses", "workloads"),
        sources=(
            "https://kubernetes.io/docs/concepts/storage/storage-classes/#volume-binding-mode",
        ),
    ),
    Entry(
        "pvc-provisioning-failed",
        "error",
        "storage",
        PVC,
        "Provisioning failed (quotes the latest event)",
        "The claim is Pending and its latest ProvisioningFailed event says why the provisioner "
        "could not create a volume.",
        "The claim stays Pending and its pods do not start; `kubectl describe` shows the same "
        "event among others.",
        "Fix what the message names (class parameters, quota, the provisioner's permissions, "
        "zone); the provisioner retries on its own.",
        needs=("pvc-status", "events"),
        sources=(
            "https://kubernetes.io/docs/concepts/storage/dynamic-provisioning/",
            "https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/event-v1/",
        ),
    ),
    Entry(
        "pvc-access-mode-unsupported",
        "error",
        "storage",
        PVC,
        "The provisioner cannot give the requested access mode",
        "The claim asks for an access mode (e.g. ReadWriteMany or ReadOnlyMany) that its "
        "class's provisioner cannot give a filesystem volume, per the driver's documentation "
        "or source (table in mlview/analysis/storage/provisioners.py; unknown provisioners get "
        "no verdict).",
        "The claim stays Pending with a provisioning error, or never binds.",
        "Request a mode the provisioner supports, or use a class whose provisioner offers it "
        "(EFS, Filestore, Azure Files, CephFS, NFS for ReadWriteMany).",
        needs=("objects", "storageclasses"),
        needs_note=(
            "Verdicts only for provisioners mlview knows (cloud CSI drivers, NFS, Ceph, Longhorn,"
            " local-path: its ConfigMap local-path-config tells whether it shares a file system)."
        ),
        sources=(
            "https://kubernetes.io/docs/concepts/storage/persistent-volumes/#access-modes",
            "https://docs.aws.amazon.com/eks/latest/userguide/ebs-csi.html",
            "https://cloud.google.com/kubernetes-engine/docs/how-to/persistent-volumes/gce-pd-csi-driver",
            "https://learn.microsoft.com/en-us/azure/aks/azure-disk-csi",
        ),
    ),
    Entry(
        "pvc-provisioner-missing",
        "error",
        "storage",
        PVC,
        "The class's provisioner is not installed",
        "The class names a CSI driver the cluster has no CSIDriver object for (e.g. EKS "
        "without the EBS CSI add-on), or an in-tree provisioner removed from Kubernetes.",
        "The claim stays Pending with no event explaining why.",
        "Install the CSI driver (the hint names the add-on or chart), or move the data to a "
        "class served by an installed driver.",
        needs=("objects", "storageclasses"),
        needs_note=(
            "A class naming a removed in-tree provisioner fires without CSIDrivers; a CSI driver "
            "is only called missing when the cluster's CSIDriver objects are listed."
        ),
        sources=(
            "https://kubernetes.io/docs/concepts/storage/storage-classes/#provisioner",
            "https://kubernetes-csi.github.io/docs/csi-driver-object.html",
            "https://docs.aws.amazon.com/eks/latest/userguide/ebs-csi.html",
            "https://cloud.google.com/kubernetes-engine/docs/how-to/persistent-volumes/gce-pd-csi-driver",
        ),
    ),
    Entry(
        "pvc-no-matching-pv",
        "error",
        "storage",
        PVC,
        "Static binding with no matching PersistentVolume",
        'The claim uses static binding (storageClassName "" or a class without a provisioner) '
        "and no Available PV matches its class, size, access modes, volumeMode and selector.",
        "The claim stays Pending.",
        "Create a PersistentVolume that matches, or use a StorageClass that provisions volumes.",
        needs=("objects", "pvs"),
        needs_note=(
            'Only for a claim that binds statically (storageClassName "" or a class with '
            "kubernetes.io/no-provisioner) and is not yet bound."
        ),
        sources=(
            "https://kubernetes.io/docs/concepts/storage/persistent-volumes/#binding",
            "https://kubernetes.io/docs/concepts/storage/persistent-volumes/#reserving-a-persistentvolume",
        ),
    ),
    Entry(
        "pvc-lost",
        "error",
        "storage",
        PVC,
        "The claim is Lost",
        "The claim's volume no longer exists or was bound elsewhere.",
        "Pods that mount the claim fail to start; the data may be gone.",
        "If the disk still exists, recreate the PV with its volume handle and a claimRef to the "
        "claim; otherwise delete and recreate the claim and restore from backup.",
        needs=("pvc-status",),
        sources=(
            "https://kubernetes.io/docs/reference/kubernetes-api/config-and-storage-resources/persistent-volume-claim-v1/#PersistentVolumeClaimStatus",
            "https://kubernetes.io/docs/concepts/storage/persistent-volumes/#lifecycle-of-a-volume-and-claim",
        ),
    ),
    Entry(
        "pvc-rwo-multi-node",
        "error",
        "storage",
        PVC,
        "ReadWriteOnce claim mounted on several nodes (quotes the Multi-Attach event)",
        "Pods on more than one node mount a ReadWriteOnce claim; the volume attaches to one "
        "node only.",
        "The pods on the other nodes hang in ContainerCreating with a Multi-Attach error.",
        "Keep the pods on one node (pod affinity), run one replica, or move the data to a "
        "ReadWriteMany class.",
        needs=("objects", "pod-status"),
        needs_note=(
            "The pods' nodes come from spec.nodeName, set by the scheduler; Pod events (Multi-"
            "Attach), when listed, are quoted."
        ),
        sources=(
            "https://kubernetes.io/docs/concepts/storage/persistent-volumes/#access-modes",
            "https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#inter-pod-affinity-and-anti-affinity",
        ),
    ),
    Entry(
        "pvc-rwop-multi-pod",
        "error",
        "storage",
        PVC,
        "ReadWriteOncePod claim used by several pods",
        "More than one active pod uses a ReadWriteOncePod claim.",
        "Only one pod runs; the others stay Pending.",
        "Run a single pod with this claim (replicas: 1, or a StatefulSet with "
        "volumeClaimTemplates for one claim per pod).",
        needs=("objects", "workloads"),
        sources=(
            "https://kubernetes.io/docs/concepts/storage/persistent-volumes/#access-modes",
            "https://github.com/kubernetes/enhancements/tree/master/keps/sig-storage/2485-read-write-once-pod-pv-access-mode",
        ),
    ),
    Entry(
        "pvc-readonly-claim-mounted-rw",
        "warning",
        "storage",
        PVC,
        "ReadOnlyMany claim mounted writable",
        "A pod mounts a ReadOnlyMany claim without readOnly: true; Kubernetes does not make the "
        "mount read-only for you.",
        "A job can modify or delete a shared dataset that everyone assumes is read-only.",
        "Set readOnly: true on the volumeMount (or on the pod's persistentVolumeClaim volume "
        "source).",
        needs=("objects", "workloads"),
        sources=(
            "https://kubernetes.io/docs/concepts/storage/persistent-volumes/#access-modes",
            "https://kubernetes.io/docs/concepts/storage/persistent-volumes/#claims-as-volumes",
        ),
    ),
    Entry(
        "pvc-rwx-only-read",
        "info",
        "storage",
        PVC,
        "ReadWriteMany claim that every pod mounts read-only",
        "All pods mount a ReadWriteMany claim read-only: ReadOnlyMany would grant less.",
        "Nothing fails today; a future pod can write to the dataset by mistake.",
        "For a dataset nobody writes, request ReadOnlyMany where the provisioner offers it.",
        needs=("objects", "workloads"),
        sources=("https://kubernetes.io/docs/concepts/storage/persistent-volumes/#access-modes",),
    ),
    Entry(
        "pvc-reclaim-delete",
        "info",
        "storage",
        PVC,
        "Deleting the claim deletes its data",
        "The effective reclaim policy (the bound PV's, else the class's) is Delete.",
        "Deleting the claim (or its namespace, or a Helm release) deletes the disk and every "
        "checkpoint or dataset on it.",
        "For datasets and checkpoints set the PV's persistentVolumeReclaimPolicy to Retain, or "
        "use a class with reclaimPolicy: Retain.",
        needs=("objects", "storageclasses"),
        needs_note=(
            "The policy comes from the bound PersistentVolume when it is listed, else from the "
            "class."
        ),
        sources=(
            "https://kubernetes.io/docs/concepts/storage/persistent-volumes/#reclaiming",
            "https://kubernetes.io/docs/concepts/storage/storage-classes/#reclaim-policy",
            "https://kubernetes.io/docs/tasks/administer-cluster/change-pv-reclaim-policy/",
        ),
    ),
    Entry(
        "pv-released",
        "warning",
        "storage",
        PV,
        "A Released PersistentVolume",
        "The PV's claim was deleted. With reclaim policy Retain it holds data and will not bind "
        "again while its claimRef is set; with Delete, the provisioner failed to delete it.",
        "A new claim does not bind to the old volume; the disk keeps costing money.",
        "Recover or reuse the data and remove spec.claimRef so a new claim can bind, or delete "
        "the PV and its disk; for Delete, check the provisioner's logs (VolumeFailedDelete).",
        needs=("objects", "pv-status"),
        sources=(
            "https://kubernetes.io/docs/concepts/storage/persistent-volumes/#phase",
            "https://kubernetes.io/docs/concepts/storage/persistent-volumes/#reclaiming",
            "https://kubernetes.io/docs/tasks/administer-cluster/change-pv-reclaim-policy/",
        ),
    ),
    Entry(
        "pv-failed",
        "error",
        "storage",
        PV,
        "A Failed PersistentVolume",
        "Automatic reclamation of the PV failed.",
        "The volume is unusable and its disk may still exist.",
        "Check the provisioner's logs, delete the backing disk by hand if needed, then delete "
        "the PV.",
        needs=("objects", "pv-status"),
        sources=(
            "https://kubernetes.io/docs/concepts/storage/persistent-volumes/#phase",
            "https://kubernetes.io/docs/concepts/storage/persistent-volumes/#delete",
        ),
    ),
    Entry(
        "pv-recycle-deprecated",
        "warning",
        "storage",
        PV,
        "Reclaim policy Recycle",
        "The PV uses the deprecated Recycle policy (a basic rm -rf, only for NFS and hostPath).",
        "Data is scrubbed in a way no current provisioner supports.",
        "Use Retain (and clean up by hand) or Delete with a dynamic provisioner.",
        needs=("objects",),
        sources=("https://kubernetes.io/docs/concepts/storage/persistent-volumes/#recycle",),
    ),
    Entry(
        "storageclass-in-tree-provisioner",
        "info",
        "storage",
        SC,
        "StorageClass with an in-tree provisioner name",
        "The class names an in-tree provisioner (e.g. kubernetes.io/aws-ebs) that is migrated "
        "to a CSI driver or removed.",
        "Existing volumes work only while the CSI driver it migrates to is installed.",
        "Create new classes with the CSI provisioner name the hint gives, or migrate the volumes "
        "to a class served by an installed CSI driver.",
        needs=("objects",),
        sources=(
            "https://kubernetes.io/docs/concepts/storage/volumes/#csi-migration",
            "https://github.com/kubernetes/enhancements/tree/master/keps/sig-storage/625-csi-migration",
            "https://kubernetes.io/docs/concepts/storage/storage-classes/#provisioner",
        ),
    ),
    Entry(
        "pod-waiting-on-pvc",
        "error",
        "storage",
        ("Pod",),
        "Pod Pending on its claims",
        "A Pending pod mounts claims that are not bound.",
        "The pod never starts (no events of its own explain the storage cause).",
        "Fix the claim: its own finding (missing class, unsupported mode, ...) says how; it "
        "binds once a volume is provisioned or a matching PV exists.",
        needs=("pod-status",),
        needs_note=(
            "And the claims it mounts: their status (Pending, Lost), or a complete list of claims"
            " that lacks one. A claim under WaitForFirstConsumer counts only when the scheduler's"
            " FailedScheduling event blames volumes."
        ),
        sources=(
            "https://kubernetes.io/docs/concepts/storage/persistent-volumes/#binding",
            "https://kubernetes.io/docs/concepts/storage/ephemeral-volumes/#generic-ephemeral-volumes",
            "https://kubernetes.io/docs/tasks/debug/debug-application/debug-pods/",
        ),
    ),
    Entry(
        "pod-ephemeral-checkpoints",
        "warning",
        "storage",
        WORKLOAD,
        "Checkpoints, models or logs written to an emptyDir",
        "A container writes to an emptyDir whose name or mount path says checkpoints, models, "
        "outputs or logs (one finding per owning workload; pod templates count too).",
        "Everything written there is lost when the pod is deleted, evicted or rescheduled: "
        "hours of training gone.",
        "Mount a PersistentVolumeClaim there (reclaim policy Retain for checkpoints), or copy "
        "results to object storage before the pod ends.",
        needs=("workloads",),
        sources=(
            "https://kubernetes.io/docs/concepts/storage/volumes/#emptydir",
            "https://kubernetes.io/docs/concepts/storage/persistent-volumes/",
        ),
    ),
    # --- ingress -------------------------------------------------------------------------
    Entry(
        "service-selector-matches-nothing",
        "warning",
        "ingress",
        ("Service",),
        "The Service's selector picks no pod and no workload template",
        "spec.selector matches no pod in the Service's namespace (running, or one a workload "
        "would create) and no Deployment, StatefulSet, DaemonSet, Job or CronJob template there; "
        "its EndpointSlices list no address.",
        "The Service has no endpoints: clients get connection refused, and an Ingress or Gateway "
        "in front answers 503.",
        "Fix the label on one side (the hint names the closest template and each label that "
        "differs), or drop the selector if the endpoints are managed by hand.",
        needs=("objects", "workloads"),
        needs_note=(
            "Listed EndpointSlices or Endpoints with addresses silence it (the pods exist, even "
            "if the input lacks them)."
        ),
        sources=(
            "https://kubernetes.io/docs/concepts/services-networking/service/",
            "https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/",
            "https://kubernetes.io/docs/tasks/debug/debug-application/debug-service/",
        ),
    ),
    Entry(
        "ingress-backend-service-missing",
        "error",
        "ingress",
        ING,
        "The rule's backend Service does not exist",
        "An Ingress rule points at a Service that does not exist.",
        "Clients get 503.",
        "Create the Service or point the rule at an existing one.",
        needs=("objects", "services"),
        sources=(
            "https://kubernetes.io/docs/concepts/services-networking/ingress/#ingress-rules",
            "https://kubernetes.io/docs/concepts/services-networking/service/",
            "https://kubernetes.io/docs/tasks/debug/debug-application/debug-service/",
        ),
    ),
    Entry(
        "ingress-backend-port-missing",
        "error",
        "ingress",
        ING,
        "The backend Service has no such port",
        "An Ingress rule names a port number or name its Service does not define.",
        "Clients get 503.",
        "Use a port number or name the Service defines (kubectl get svc -o yaml).",
        needs=("objects", "services"),
        sources=(
            "https://kubernetes.io/docs/concepts/services-networking/ingress/#ingress-rules",
            "https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service",
        ),
    ),
    Entry(
        "ingress-backend-no-ready-endpoints",
        "error",
        "ingress",
        ING,
        "The backend Service has no ready endpoints",
        "The Service behind the rule has no ready endpoint (says why: no pod matches, pods not "
        "ready, crashing, Pending).",
        "Clients get 503.",
        "Check the pods behind the Service (selector, readiness probe, crashes).",
        needs=("objects", "services", "endpoints"),
        sources=(
            "https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/",
            "https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-probes",
            "https://kubernetes.io/docs/tasks/debug/debug-application/debug-service/",
        ),
    ),
    Entry(
        "ingress-annotation-invalid-value",
        "error",
        "ingress",
        ING,
        "An ingress-nginx annotation value is invalid (says which value applies)",
        'An annotation\'s value does not parse the way ingress-nginx parses it (e.g. "120s" '
        'for a timeout, which takes unitless seconds, or "50 MB" for a size); the controller '
        "ignores it.",
        "The setting the author meant does not apply: the ConfigMap's or built-in value does "
        "(a 504 after 60 s, a 413 above 1m).",
        "Write the value in the annotation's format (the hint gives the corrected value).",
        needs=("objects",),
        needs_note=(
            "Checked when the class is served by ingress-nginx, or (conditionally) when the class"
            " is unknown; the controller's ConfigMap, when listed, names the value used instead."
        ),
        sources=(
            "https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/",
            "https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#custom-timeouts",
        ),
    ),
    Entry(
        "ingress-timeout-default-for-model",
        "warning",
        "ingress",
        ING,
        "A model-serving route keeps the default read timeout",
        "The backend looks like model serving (names, labels, KServe or Seldon labels, or a "
        "declared latency) and the route keeps the default proxy-read-timeout (60 s).",
        "Slow inference (LLMs, large images) ends in 504.",
        'Set nginx.ingress.kubernetes.io/proxy-read-timeout (e.g. "300") and declare '
        "mlview.io/expected-latency on the Service.",
        needs=("objects", "services", "ingress-controller"),
        needs_note=(
            "The controller's ConfigMap, when listed, gives proxy-read-timeout (else the built-in"
            " 60s); the model-serving guess reads the Service's and its pods' names and labels."
        ),
        sources=(
            "https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#custom-timeouts",
            "https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/configmap/#proxy-read-timeout",
        ),
    ),
    Entry(
        "ingress-timeout-below-latency",
        "error",
        "ingress",
        ING,
        "The read timeout is below the backend's declared latency",
        "The effective proxy-read-timeout is shorter than the Service's "
        "mlview.io/expected-latency (or the KServe predictor's timeout).",
        "Requests slower than the timeout end in 504.",
        "Raise nginx.ingress.kubernetes.io/proxy-read-timeout above the latency budget.",
        needs=("objects", "services", "ingress-controller"),
        needs_note=(
            "The latency budget is the Service's mlview.io/expected-latency annotation or its "
            "KServe InferenceService's timeout; the controller's ConfigMap, when listed, gives "
            "the timeout."
        ),
        sources=(
            "https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#custom-timeouts",
            "https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/configmap/#proxy-read-timeout",
        ),
    ),
    Entry(
        "ingress-body-size-default",
        "info",
        "ingress",
        ING,
        "An upload route keeps the default body size limit",
        "The backend takes uploads (names and labels with image, vision, upload, document, ocr, "
        'audio, or mlview.io/accepts-uploads: "true") and the route keeps the 1m default '
        "proxy-body-size.",
        "Larger requests get 413 Request Entity Too Large.",
        'Set nginx.ingress.kubernetes.io/proxy-body-size (e.g. "50m").',
        needs=("objects", "services", "ingress-controller"),
        needs_note=(
            "The controller's ConfigMap, when listed, gives proxy-body-size (else the built-in 1m)."
        ),
        sources=(
            "https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#custom-max-body-size",
            "https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/configmap/#proxy-body-size",
        ),
    ),
    Entry(
        "ingress-annotation-unknown",
        "warning",
        "ingress",
        ING,
        "Unknown or removed ingress-nginx annotation (suggests the closest key)",
        "An nginx.ingress.kubernetes.io/ annotation that ingress-nginx does not know (a typo "
        "such as proxy-read-timout) or has removed.",
        "The setting does nothing, silently.",
        "Use the key the hint suggests, or check the name against the ingress-nginx "
        "annotations list.",
        needs=("objects",),
        needs_note=(
            "Checked when the class is served by ingress-nginx, or (conditionally) when the class"
            " is unknown."
        ),
        sources=(
            "https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/",
        ),
    ),
    Entry(
        "ingress-annotation-wrong-controller",
        "warning",
        "ingress",
        ING,
        "Annotations for another controller",
        "ingress-nginx annotations on an Ingress another controller serves, or F5 NGINX "
        "(nginx.org/) annotations on an ingress-nginx class.",
        "The annotations do nothing.",
        "Use the annotations of the controller that serves the class (the hint gives the "
        "ingress-nginx equivalents).",
        needs=("objects", "ingressclasses"),
        needs_note=(
            "Fires when the class resolves to another controller (its IngressClass), or when it "
            "does not resolve at all."
        ),
        sources=(
            "https://kubernetes.io/docs/concepts/services-networking/ingress/#ingress-class",
            "https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/",
            "https://docs.nginx.com/nginx-ingress-controller/configuration/ingress-resources/advanced-configuration-with-annotations/",
        ),
    ),
    Entry(
        "ingress-class-missing",
        "error",
        "ingress",
        ING,
        "No IngressClass serves the Ingress",
        "The Ingress names an IngressClass that does not exist, or names none and no class is "
        "the default.",
        "No controller serves the Ingress: requests get the controller's 404 or nothing at all.",
        "Set spec.ingressClassName to an existing IngressClass, or mark one as the default.",
        needs=("objects", "ingressclasses"),
        needs_note=(
            "A legacy kubernetes.io/ingress.class value is only called missing when the input "
            "also lists Deployments (a controller may claim it by --ingress-class)."
        ),
        sources=(
            "https://kubernetes.io/docs/concepts/services-networking/ingress/#ingress-class",
            "https://kubernetes.io/docs/concepts/services-networking/ingress/#default-ingress-class",
            "https://kubernetes.github.io/ingress-nginx/user-guide/multiple-ingress/",
        ),
    ),
    Entry(
        "ingress-tls-secret-missing",
        "error",
        "ingress",
        ING,
        "The TLS Secret does not exist",
        "A spec.tls entry names a Secret that does not exist (no verdict when Secrets could not "
        "be listed).",
        "Its hosts get the controller's default self-signed certificate: clients that verify "
        "fail the handshake.",
        "Create the Secret or fix secretName; with cert-manager, check the Certificate's status.",
        needs=("objects", "secrets"),
        sources=(
            "https://kubernetes.io/docs/concepts/services-networking/ingress/#tls",
            "https://kubernetes.github.io/ingress-nginx/user-guide/tls/#default-ssl-certificate",
            "https://cert-manager.io/docs/usage/ingress/",
        ),
    ),
    Entry(
        "ingress-tls-host-not-covered",
        "warning",
        "ingress",
        ING,
        "A host is not covered by TLS",
        "A rule's host is in no spec.tls entry, or the certificate in the Secret does not cover "
        "it.",
        "HTTPS to that host gets the wrong (default) certificate: verifying clients fail.",
        "Add the host to a spec.tls entry, or to the Certificate's dnsNames.",
        needs=("objects",),
        needs_note=(
            "A host missing from spec.tls needs only the Ingress; a certificate that does not "
            "cover a host needs the Secret's cert-manager.io/alt-names annotation (Secret "
            "metadata)."
        ),
        sources=(
            "https://kubernetes.io/docs/concepts/services-networking/ingress/#tls",
            "https://kubernetes.github.io/ingress-nginx/user-guide/tls/",
            "https://cert-manager.io/docs/reference/annotations/#cert-managerioalt-names",
        ),
    ),
    Entry(
        "ingress-path-conflict",
        "warning",
        "ingress",
        ING,
        "Two rules claim the same host and path",
        "Several non-canary rules of one class claim the same host, path and path type (in "
        "different Ingresses, or twice in one).",
        "Only one of them gets traffic: ingress-nginx serves the oldest Ingress's rule, other "
        "controllers choose their own way.",
        "Remove or change the duplicate rule.",
        needs=("objects",),
        needs_note="Creation timestamps, when present, name the Ingress that ingress-nginx serves.",
        sources=(
            "https://kubernetes.io/docs/concepts/services-networking/ingress/#multiple-matches",
            "https://kubernetes.github.io/ingress-nginx/how-it-works/#building-the-nginx-model",
        ),
    ),
    Entry(
        "ingress-pathtype-regex",
        "warning",
        "ingress",
        ING,
        "A path with regex characters that is not treated as a regex",
        "A path contains regex characters but its pathType is Exact or Prefix, or the host has "
        "no use-regex annotation.",
        "The path matches literally: requests the author meant to match get 404.",
        "Use pathType ImplementationSpecific with nginx.ingress.kubernetes.io/use-regex: "
        '"true", or a literal path.',
        needs=("objects",),
        needs_note=(
            "For ImplementationSpecific paths, only when the class is served by ingress-nginx."
        ),
        sources=(
            "https://kubernetes.io/docs/concepts/services-networking/ingress/#path-types",
            "https://kubernetes.github.io/ingress-nginx/user-guide/ingress-path-matching/",
            "https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#use-regex",
        ),
    ),
    Entry(
        "ingress-canary-annotation-ignored",
        "info",
        "ingress",
        ING,
        "Settings on a canary Ingress are ignored",
        "A canary Ingress carries annotations that ingress-nginx ignores on canaries.",
        "The canary gets the main Ingress's settings, not its own.",
        "Set these on the main Ingress for the same host and path.",
        needs=("objects",),
        needs_note=(
            "Checked when the class is served by ingress-nginx, or (conditionally) when the class"
            " is unknown."
        ),
        sources=(
            "https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#canary",
        ),
    ),
    Entry(
        "ingress-latency-annotation-invalid",
        "warning",
        "ingress",
        ("Service",),
        "mlview.io/expected-latency does not parse",
        "A Service's mlview.io/expected-latency is not a duration mlview reads (90s, 2m, 1m30s "
        "or plain seconds).",
        "Timeout checks against the latency budget are skipped for its routes.",
        'Use a duration such as "90s" or "2m".',
        needs=("objects", "services", "ingress-controller"),
        needs_note=(
            "mlview.io/expected-latency is mlview's own annotation; it is read for Services "
            "behind an ingress-nginx route."
        ),
        sources=(
            "https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations/",
            "https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#custom-timeouts",
        ),
    ),
    Entry(
        "ingress-malformed",
        "error",
        "ingress",
        ING,
        "An Ingress that could not be read",
        "The Ingress's spec does not have the shape of the Ingress API (a field of the wrong "
        "type, a rule without http paths).",
        "Its routes are not shown; the API server would likely have rejected it.",
        "Check the object's spec against the Ingress API (kubectl explain ingress.spec).",
        needs=("objects",),
        sources=(
            "https://kubernetes.io/docs/reference/kubernetes-api/service-resources/ingress-v1/",
            "https://kubernetes.io/docs/concepts/services-networking/ingress/#the-ingress-resource",
        ),
    ),
    Entry(
        "ingress-backend-blocked-by-networkpolicy",
        "error",
        "ingress",
        ING,
        "NetworkPolicy blocks the ingress controller from the backend",
        "No ingress-nginx controller pod may reach the backend pods on the targetPort (the "
        "reachability engine decides; the finding names the deciding policies).",
        "Requests end in 504 after proxy-connect-timeout (5 s), as the common CNIs drop the SYN "
        "silently; a classic cause of gateway errors after a lockdown.",
        "Add a NetworkPolicy selecting the backend pods with an ingress rule from the "
        "controller's namespace (namespaceSelector kubernetes.io/metadata.name) and pod labels "
        "on the targetPort; `mlview trace URL` shows the path.",
        needs=("objects", "services", "networkpolicies", "nginx-controller", "workloads"),
        needs_note=(
            "Pods count with an IP, or as a workload's template (it will have one); the "
            "backend's targetPort must resolve in them. Pods on the host network get no verdict."
        ),
        sources=(
            "https://kubernetes.io/docs/concepts/services-networking/network-policies/",
            "https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/configmap/#proxy-connect-timeout",
        ),
    ),
    # --- gateway -------------------------------------------------------------------------
    Entry(
        "httproute-not-accepted",
        "error",
        "gateway",
        ROUTES,
        "The route is not accepted by its Gateway (quotes the reason)",
        "A parent Gateway's status says Accepted=False, or, without controller status, the "
        "Gateway API rules say it cannot attach (hostname, namespace, allowedRoutes kinds, "
        "missing listener).",
        "The route serves nothing: requests get 404 from the Gateway.",
        "Fix what the reason names (parentRef sectionName, hostnames, allowedRoutes on the "
        "listener).",
        needs=("objects", "gateways"),
        needs_note=(
            "The controller's status on the route (Accepted) is the verdict when present; without"
            " it mlview applies the spec's attachment rules (Namespaces needed for a namespace "
            "selector)."
        ),
        sources=(
            "https://gateway-api.sigs.k8s.io/api-types/httproute/",
            "https://gateway-api.sigs.k8s.io/api-types/httproute/#attaching-to-gateways",
            "https://gateway-api.sigs.k8s.io/api-types/gateway/",
        ),
    ),
    Entry(
        "httproute-refs-unresolved",
        "error",
        "gateway",
        ROUTES,
        "Backend references do not resolve",
        "A backendRef names a Service or port that does not exist, or a Service in another "
        "namespace without a ReferenceGrant.",
        "Requests to those backends get HTTP 500.",
        "Fix the reference, or add a ReferenceGrant in the backend's namespace from the route's "
        "kind and namespace to Services.",
        needs=("objects", "services"),
        needs_note=(
            "The route's ResolvedRefs status, when present; a cross-namespace backendRef is only "
            "called unpermitted when ReferenceGrants are listed."
        ),
        sources=(
            "https://gateway-api.sigs.k8s.io/api-types/httproute/#backendrefs-optional",
            "https://gateway-api.sigs.k8s.io/reference/spec/#httpbackendref",
            "https://gateway-api.sigs.k8s.io/api-types/referencegrant/",
        ),
    ),
    Entry(
        "httproute-backend-no-ready-endpoints",
        "error",
        "gateway",
        ROUTES,
        "A backend Service has no ready endpoints",
        "The route sends traffic to a Service with no ready endpoint.",
        "Requests to it get HTTP 503 (or 500).",
        "Check the Service's pods (readiness, selector, targetPort), or set the backendRef's "
        "weight to 0.",
        needs=("objects", "services", "endpoints"),
        sources=(
            "https://gateway-api.sigs.k8s.io/api-types/httproute/#backendrefs-optional",
            "https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/",
        ),
    ),
    Entry(
        "httproute-timeout-invalid",
        "error",
        "gateway",
        ("HTTPRoute",),
        "An invalid route timeout",
        "timeouts.request or timeouts.backendRequest is not a Gateway API duration "
        "(^([0-9]{1,5}(h|m|s|ms)){1,4}$), or backendRequest is longer than request.",
        "The API server or the implementation rejects the route or ignores the timeout.",
        'Write it as e.g. "90s" or "2m" (no fractions, spaces or us), with backendRequest <= '
        "request.",
        needs=("objects",),
        sources=(
            "https://gateway-api.sigs.k8s.io/api-types/httproute/#timeouts-optional",
            "https://gateway-api.sigs.k8s.io/geps/gep-1742/",
            "https://gateway-api.sigs.k8s.io/geps/gep-2257/",
        ),
    ),
    Entry(
        "httproute-timeout-below-latency",
        "error",
        "gateway",
        ("HTTPRoute",),
        "The route's timeout is below the backend's declared latency",
        "timeouts.request (or backendRequest, or the implementation's default) cuts requests "
        "before the Service's mlview.io/expected-latency.",
        "Slow requests get a timeout error (504 from Envoy).",
        "Raise the timeout to at least the latency budget, keeping backendRequest <= request.",
        needs=("objects", "services"),
        needs_note=(
            "The latency budget is the Service's mlview.io/expected-latency annotation or its "
            "KServe InferenceService's timeout."
        ),
        sources=(
            "https://gateway-api.sigs.k8s.io/guides/http-timeouts/",
            "https://gateway-api.sigs.k8s.io/geps/gep-1742/",
        ),
    ),
    Entry(
        "httproute-no-timeout-for-model",
        "info",
        "gateway",
        ("HTTPRoute",),
        "A model-serving route sets no timeouts",
        "The backend looks like model serving and the route sets no timeouts, so the "
        "implementation's default applies (Envoy Gateway: 15 s).",
        "Slow inference may be cut by the default.",
        'Set timeouts.request on the rule to the longest request the model may take (e.g. "120s").',
        needs=("objects", "services"),
        needs_note=(
            "The model-serving guess reads the Service's and its pods' names and labels; the "
            "implementation's default timeout is named when its controller is known."
        ),
        sources=(
            "https://gateway-api.sigs.k8s.io/guides/http-timeouts/",
            "https://gateway-api.sigs.k8s.io/geps/gep-1742/",
        ),
    ),
    Entry(
        "gateway-listener-conflict",
        "warning",
        "gateway",
        ("Gateway",),
        "Gateway listeners conflict",
        "A listener's status is Conflicted, or two listeners on one port collide (same "
        "hostname, incompatible protocols).",
        "Conflicted listeners do not serve routes: their hosts get no answer or 404.",
        "Give each listener on a port a distinct hostname and a compatible protocol.",
        needs=("objects",),
        needs_note=(
            "The Gateway's listener status (Conflicted), when present; otherwise the spec's rules"
            " for listeners sharing a port."
        ),
        sources=(
            "https://gateway-api.sigs.k8s.io/api-types/gateway/",
            "https://gateway-api.sigs.k8s.io/reference/spec/",
        ),
    ),
    # --- reachability --------------------------------------------------------------------
    Entry(
        "netpol-and-or-peers",
        "warning",
        "reachability",
        NETPOL,
        "A namespaceSelector peer beside a podSelector peer: OR where AND may be meant",
        "One from/to list holds a namespaceSelector-only peer and a podSelector-only peer as two "
        "items, so they are ORed: every pod of the selected namespaces, plus the selected pods of "
        "the policy's own namespace. One item with both selectors (AND) is the common intent.",
        "Far more sources (or destinations) are allowed than intended: every pod of the selected "
        "namespaces, not only the selected pods there.",
        "For AND, put namespaceSelector and podSelector in the same list item (drop the second "
        "'-'); for OR, keep them apart and ignore this warning (or accept it in .mlview.yaml).",
        needs=("objects",),
        needs_note=(
            "Namespace labels, when listed, tell whether a namespaceSelector picks only the "
            "policy's own namespace."
        ),
        sources=(
            "https://kubernetes.io/docs/concepts/services-networking/network-policies/#behavior-of-to-and-from-selectors",
        ),
    ),
    Entry(
        "netpol-selects-no-pods",
        "warning",
        "reachability",
        NETPOL,
        "A NetworkPolicy selects no pod",
        "The policy's podSelector matches none of the pods in its namespace.",
        "The policy protects nothing; often a label typo, and traffic it should restrict flows.",
        "Check the podSelector labels against the pods' labels.",
        needs=("objects", "workloads"),
        sources=(
            "https://kubernetes.io/docs/concepts/services-networking/network-policies/#the-networkpolicy-resource",
            "https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/",
        ),
    ),
    Entry(
        "netpol-named-port-unresolved",
        "warning",
        "reachability",
        NETPOL,
        "A named port no destination pod defines",
        "A rule names a port (and protocol) that none of the rule's destination pods defines "
        "as a containerPort.",
        "That entry opens nothing: connections it should allow are denied.",
        "Use the containerPort name (and protocol) the pods define, or the number.",
        needs=("objects", "workloads"),
        sources=(
            "https://kubernetes.io/docs/concepts/services-networking/network-policies/#the-networkpolicy-resource",
            "https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/",
        ),
    ),
    Entry(
        "netpol-egress-blocks-dns",
        "warning",
        "reachability",
        NETPOL,
        "Egress isolation without DNS",
        "A policy isolates egress of pods and no egress rule of the policies selecting them "
        "reaches the k8s-app=kube-dns pods on UDP 53 (without those pods in the data: no rule "
        "opening UDP 53 at all).",
        "Name lookups fail: every connection by hostname times out.",
        "Add an egress rule to the DNS pods (k8s-app=kube-dns in kube-system) on UDP and TCP 53.",
        needs=("objects", "workloads"),
        needs_note=(
            "With the DNS pods (k8s-app=kube-dns) in the input the verdict is exact; without them"
            " any rule opening UDP 53 counts."
        ),
        sources=(
            "https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-egress-traffic",
            "https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/",
            "https://kubernetes.io/docs/tasks/administer-cluster/dns-debugging-resolution/",
        ),
    ),
    Entry(
        "netpol-allows-all-sources",
        "info",
        "reachability",
        NETPOL,
        "An ingress rule with no `from`",
        "An ingress rule without `from` admits any source, inside or outside the cluster.",
        "Nothing fails; the ports it lists are open to everyone.",
        "Intended for public endpoints? Otherwise list the peers in `from`.",
        needs=("objects",),
        sources=(
            "https://kubernetes.io/docs/concepts/services-networking/network-policies/#allow-all-ingress-traffic",
            "https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/",
        ),
    ),
    Entry(
        "netpol-namespace-unprotected",
        "info",
        "reachability",
        ("Namespace",),
        "No NetworkPolicy selects a namespace's pods",
        "No policy selects any pod of the namespace.",
        "Every pod in the cluster may connect to them on any port.",
        "Add a default-deny ingress policy to the namespace and allow what it needs, if it "
        "holds anything worth protecting.",
        needs=("networkpolicies", "workloads"),
        needs_note=(
            "Only when NetworkPolicies are listed (in a manifest folder: when it holds at least "
            "one)."
        ),
        sources=(
            "https://kubernetes.io/docs/concepts/services-networking/network-policies/#the-two-sorts-of-pod-isolation",
            "https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-ingress-traffic",
        ),
    ),
    Entry(
        "netpol-selector-invalid",
        "error",
        "reachability",
        NETPOL,
        "A NetworkPolicy with an invalid selector",
        "A selector the API server would reject (e.g. an unknown operator); mlview treats the "
        "policy as selecting no pod.",
        "The policy protects nothing (and applying it fails).",
        "Fix the selector; until then the policy's rules protect nothing.",
        needs=("objects",),
        sources=(
            "https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors",
            "https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/",
        ),
    ),
    Entry(
        "netpol-policy-invalid",
        "error",
        "reachability",
        NETPOL,
        "A NetworkPolicy the API server would reject",
        "An ipBlock next to a selector, an empty peer, endPort with a named port, an unknown "
        "protocol or policyType; mlview treats the policy as selecting no pod.",
        "The policy protects nothing (and applying it fails).",
        "Fix the policy; until then its rules protect nothing.",
        needs=("objects",),
        sources=(
            "https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/",
            "https://kubernetes.io/docs/concepts/services-networking/network-policies/#targeting-a-range-of-ports",
        ),
    ),
)

CATALOGUE: dict[str, Entry] = {e.code: e for e in _ENTRIES}

DOMAIN_ORDER = ("inputs", "storage", "ingress", "gateway", "reachability")


def needs_text(entry: Entry) -> list[str]:
    """One line per input the entry needs, saying when a manifest folder lacks it."""
    out = []
    for key in entry.needs:
        item = INPUTS[key]
        detail = f" ({item.detail})" if item.detail else ""
        where = {
            YES: "",
            DEFINED: ": in a manifest folder only if it defines them",
            NO: ": never in a manifest folder",
        }[item.in_manifests]
        out.append(f"{item.name}{detail}{where}")
    return out


def on_manifests(entry: Entry) -> str:
    """yes, partly (when the folder defines what it needs) or no: can it fire on a folder?"""
    levels = {INPUTS[k].in_manifests for k in entry.needs}
    return "no" if NO in levels else "partly" if DEFINED in levels else "yes"


def manifest_verdict(entry: Entry) -> str:
    """Whether the finding can fire on a plain manifest folder, and what it would need."""
    missing = [INPUTS[k].name for k in entry.needs if INPUTS[k].in_manifests == NO]
    if missing:
        return (
            f"Cannot fire on a manifest folder (helm template output): it has no {_join(missing)}."
        )
    partial = [INPUTS[k].name for k in entry.needs if INPUTS[k].in_manifests == DEFINED]
    if partial:
        return f"Fires on a manifest folder only when it defines {_join(partial)}."
    return "Fires on a manifest folder too."


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
