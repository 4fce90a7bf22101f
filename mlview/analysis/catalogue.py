"""The catalogue of findings: one entry per code, as data.

Every `finding(code, severity, ...)` call in mlview/analysis has an entry here with the same
severity (tests/unit/test_catalogue.py checks both directions), and docs/findings.md is
generated from this table by tools/gen_docs.py. Pure data: no imports from the rest of mlview,
so findings.py can consult it.

Fields: `kinds` are the object kinds a finding of this code is reported on; `means` says what
the analyzer saw, `sees` the failure the user meets, `fix` how to make it go away.
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
    ),
)

CATALOGUE: dict[str, Entry] = {e.code: e for e in _ENTRIES}

DOMAIN_ORDER = ("inputs", "storage", "ingress", "gateway", "reachability")
