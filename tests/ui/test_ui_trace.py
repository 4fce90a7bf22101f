"""Pilot tests of TraceScreen: open with a URL, type one, options, bad input, escape."""

from __future__ import annotations

from textual.widgets import OptionList

from mlview.ui.screens import DetailScreen
from mlview.ui.trace_screen import RefScreen, TraceScreen
from tests.uitext import make_app, screen_text, settle


async def open_trace(app, pilot, url: str = "") -> TraceScreen:
    await settle(app, pilot)
    app.open_trace(url)
    await settle(app, pilot)
    assert isinstance(app.screen, TraceScreen)
    return app.screen


async def test_opens_with_a_url_and_shows_the_steps():
    app = make_app("netpol-lockdown")
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await open_trace(app, pilot, "https://api.ml.example.com/v1/sentiment")
        text = screen_text(app)
        assert "→ 504" in text
        assert "network-policy" in text and "failing" in text
        assert "ml-serving/default-deny" in text
        assert screen.last is not None and screen.last.status == 504


async def test_typing_a_url_and_options_then_enter():
    app = make_app("incident-504")
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await open_trace(app, pilot)
        assert "Type a URL" in screen_text(app)
        await pilot.click("#trace-url")
        await pilot.press(*"https://api.ml.example.com/v1/vision")
        screen.query_one("#trace-body").value = "20MB"
        await pilot.press("enter")
        await settle(app, pilot)
        text = screen_text(app)
        assert "→ 413" in text and "body-size" in text
        assert screen.last.status == 413


async def test_bad_option_shows_one_line_and_no_trace():
    app = make_app("ml-platform")
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await open_trace(app, pilot, "https://api.ml.example.com/v1/translate")
        assert screen.last.status == 200
        screen.query_one("#trace-latency").value = "soon"
        screen.query_one("#trace-url").focus()
        await pilot.press("enter")
        await settle(app, pilot)
        text = screen_text(app)
        assert "expected latency 'soon' is not a duration" in text
        assert "→ 200" not in text


async def test_escape_closes():
    app = make_app("ml-platform")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_trace(app, pilot, "api.ml.example.com/v1/nope")
        assert "→ 404" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, TraceScreen)


async def test_gateway_url_and_small_terminal():
    app = make_app("ml-gateway")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_trace(app, pilot, "https://api.ml.example.com/v1/translate")
        assert screen.last.via == "gateway" and screen.last.status == 504
        assert "504" in screen_text(app)


async def test_cluster_text_is_literal(tmp_path):
    ing = """
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: "x", namespace: ml}
spec:
  rules:
  - host: api.example.com
    http:
      paths:
      - path: /v1
        pathType: Prefix
        backend: {service: {name: "svc[bold]red[/bold]", port: {number: 80}}}
"""
    path = tmp_path / "s.yaml"
    path.write_text(ing, encoding="utf-8")
    app = make_app(path)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_trace(app, pilot, "http://api.example.com/v1")
        assert "svc[bold]red[/bold]" in screen_text(app)


async def test_f2_shows_every_step_detail():
    app = make_app("ml-platform")
    async with app.run_test(size=(140, 60)) as pilot:
        await open_trace(app, pilot, "https://api.ml.example.com/v1/translate")
        assert "proxy-send-timeout = 60" not in screen_text(app)  # ok steps stay one line
        await pilot.press("f2")
        await pilot.pause()
        assert "proxy-send-timeout = 60" in screen_text(app)


async def test_enter_on_a_step_opens_its_object():
    app = make_app("netpol-lockdown")
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await open_trace(app, pilot, "https://api.ml.example.com/v1/sentiment")
        steps = screen.query_one("#trace-steps", OptionList)
        await pilot.press("down")  # from the URL box to the steps
        assert steps.has_focus and steps.highlighted == 0
        steps.highlighted = [s.step for s in screen.last.steps].index("network-policy")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RefScreen)  # the Service and several policies
        refs = app.screen.refs
        app.screen.query_one(OptionList).highlighted = [r.name for r in refs].index("default-deny")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        assert "NetworkPolicy ml-serving/default-deny" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen  # back on the trace
        steps.highlighted = 0  # route: one Ingress, opened at once
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        assert "Ingress ml-serving/ml-api-ingress" in screen_text(app)


async def test_t_key_traces_the_route_under_the_cursor():
    """From the Ingress tab, `t` opens the trace for the selected route's URL."""
    from mlview.ui.trace_screen import TraceScreen

    app = make_app("incident-504")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        await pilot.press("t")
        await settle(app, pilot)
        assert isinstance(app.screen, TraceScreen)
        text = screen_text(app)
        # the first route of the table (sorted by host) is traced at once
        assert "ml.example.com" in text and "->" in text
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, TraceScreen)


async def test_trace_styles_load_when_the_screen_first_opens():
    """styles/trace.tcss (not Python strings) styles the screen, parsed on first use only."""
    app = make_app("incident-504")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert not any(path.endswith("trace.tcss") for path, _ in app.stylesheet.source)
        screen = await open_trace(app, pilot)
        assert any(path.endswith("trace.tcss") for path, _ in app.stylesheet.source)
        assert screen.query_one("#trace-box").styles.border_top[0] == "tall"
        assert screen.query_one("#trace-url").styles.height.value == 1  # one-line inputs


async def test_the_form_names_its_boxes_in_words_not_cli_options():
    app = make_app("ml-platform")
    async with app.run_test(size=(160, 45)) as pilot:
        await open_trace(app, pilot, "https://api.ml.example.com/v1/translate")
        await app.screen.run_action("toggle_expand")  # every step's lines too
        await pilot.pause()
        text = screen_text(app)
        assert "no body size given" in text
        assert "--body-size" not in text and "--expected-latency" not in text


async def test_only_http_methods_are_accepted():
    app = make_app("ml-platform")
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_trace(app, pilot, "https://api.ml.example.com/v1/translate")
        screen.query_one("#trace-method").value = "FETCH"
        screen.query_one("#trace-url").focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert "method 'FETCH' is not an HTTP method" in screen_text(app)
        screen.query_one("#trace-method").value = "patch"
        await pilot.press("enter")
        await settle(app, pilot)
        assert screen.last.method == "PATCH"


async def test_t_after_finding_a_route_traces_the_url_typed_with_its_host():
    app = make_app("ml-platform")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        await pilot.press("u")
        await pilot.press(*"https://api.ml.example.com/v1/translate/batch", "enter")
        await settle(app, pilot)
        await pilot.press("t")
        await settle(app, pilot)
        assert isinstance(app.screen, TraceScreen)
        url = app.screen.query_one("#trace-url").value
        assert url == "https://api.ml.example.com/v1/translate/batch"
