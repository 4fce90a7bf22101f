"""The Ingress tab shows Gateway API routes (issue 8): toggled with `v`, chain in the detail."""

from __future__ import annotations

from tests.uitext import make_app, screen_text, settle


async def test_gateway_routes_shown_when_cluster_has_no_ingress():
    app = make_app("ml-gateway", label="ml-gateway")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        text = screen_text(app)
        assert "Gateway API route rows" in text
        assert "/v1/translate" in text and "request 30s" in text
        # the first route's chain is in the detail panel
        assert "Accepted" in text and "Gateway" in text
        await pilot.press("v")
        await settle(app, pilot)
        assert "No Ingress objects" in screen_text(app)
        await pilot.press("v")
        await settle(app, pilot)
        assert "/v1/translate" in screen_text(app)


async def test_ingress_first_when_cluster_has_ingress():
    app = make_app("incident-504", label="incident-504")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        text = screen_text(app)
        assert "/v1/translate" in text and "Gateway API route rows" not in text
        await pilot.press("v")
        await settle(app, pilot)
        text = screen_text(app)
        assert "no Gateway API routes in this snapshot" in text
        assert "not installed" in text or "No Gateway API routes" in text
