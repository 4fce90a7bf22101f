"""Virtual pods in the app: a manifest folder's Deployment stands for its pods in the Ingress
pods table (marker and legend) and the detail view says which workload would create them."""

from __future__ import annotations

from mlview.store import Store
from mlview.ui.app import MLViewApp
from mlview.ui.screens import DetailScreen
from mlview.ui.widgets import VIRTUAL_LEGEND, VIRTUAL_SHORT, ObjectTable
from tests.ui.test_ui_ingress import open_ingress_tab, select
from tests.uitext import screen_text

NS = "ml"
LABELS = {"app": "api"}
OBJS = [
    {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "api", "namespace": NS},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": LABELS},
            "template": {
                "metadata": {"labels": LABELS},
                "spec": {"containers": [{"name": "c", "ports": [{"containerPort": 8080}]}]},
            },
        },
    },
    {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "api", "namespace": NS},
        "spec": {"selector": LABELS, "ports": [{"port": 80, "targetPort": 8080}]},
    },
    {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "IngressClass",
        "metadata": {"name": "nginx"},
        "spec": {"controller": "k8s.io/ingress-nginx"},
    },
    {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {"name": "api", "namespace": NS},
        "spec": {
            "ingressClassName": "nginx",
            "rules": [
                {
                    "http": {
                        "paths": [
                            {
                                "path": "/",
                                "pathType": "Prefix",
                                "backend": {"service": {"name": "api", "port": {"number": 80}}},
                            }
                        ]
                    }
                }
            ],
        },
    },
]


def app() -> MLViewApp:
    store = Store()
    store.put_many(OBJS)
    store.mark_listed({o["kind"] for o in OBJS})
    return MLViewApp(store)


async def test_virtual_pods_are_marked_and_explained():
    mlview = app()
    async with mlview.run_test(size=(140, 40)) as pilot:
        await open_ingress_tab(mlview, pilot)
        await select(mlview, pilot, "/")
        pods = mlview.query_one("#ingress-pods", ObjectTable)
        rows = [" ".join(str(c) for c in pods.get_row_at(i)) for i in range(pods.row_count)]
        assert len(rows) == 3, rows
        assert all(r.startswith("api-") and " * virtual ? " in r for r in rows[:2]), rows
        assert "would be created by Deployment ml/api" in rows[0]
        assert rows[2].startswith(VIRTUAL_LEGEND)
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(mlview.screen, DetailScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert "2 virtual pods (from workload templates)" in screen_text(mlview)
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert "(virtual) would be created by Deployment ml/api" in screen_text(mlview)


async def test_reachability_marks_virtual_rows():
    from tests.uitext import settle

    mlview = app()
    async with mlview.run_test(size=(160, 40)) as pilot:
        await settle(mlview, pilot)
        await pilot.press("3")
        await settle(mlview, pilot)
        text = screen_text(mlview)
        assert "ml/api ×2 *" in text
        assert VIRTUAL_SHORT in text
