"""Pilot tests of the app shell: tabs, namespace picker, filter, detail, help, literal text."""

from __future__ import annotations

import pytest
from textual.widgets import Input, OptionList, Static, TabbedContent

from mlview.ui.messages import OpenDetail
from mlview.ui.screens import DetailScreen, HelpScreen, NamespaceScreen
from tests.uitext import make_app, notifications, screen_text, settle


async def test_launch_switch_tabs(small_snapshot):
    app = make_app(small_snapshot)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        tabs = app.query_one(TabbedContent)
        assert tabs.active == "storage"
        assert "imagenet-dataset" in screen_text(app)
        for key, pane in (
            ("2", "ingress"),
            ("3", "reachability"),
            ("4", "findings"),
            ("1", "storage"),
        ):
            await pilot.press(key)
            await settle(app, pilot)
            assert tabs.active == pane
        await pilot.press("2")
        await settle(app, pilot)
        assert "/v1/translate" in screen_text(app)


async def test_namespace_picker_narrows(small_snapshot):
    app = make_app(small_snapshot)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NamespaceScreen)
        options = app.screen.query_one(OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert ids == ["", "ml-serving", "ml-training"]
        options.highlighted = ids.index("ml-serving")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.namespace == "ml-serving"
        assert "imagenet-dataset" not in screen_text(app)  # it lives in ml-training
        assert "ns: ml-serving" in str(app.query_one("#source-header", Static).render())


async def test_filter_narrows_and_escape_clears(small_snapshot):
    app = make_app(small_snapshot)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        assert "/v1/translate" in screen_text(app)
        await pilot.press("slash")
        await pilot.press(*"zzz")
        await settle(app, pilot)
        assert app.query_one("#filter-input", Input).has_focus
        assert "/v1/translate" not in screen_text(app)
        assert "filter: zzz" in screen_text(app)
        await pilot.press("escape")
        await settle(app, pilot)
        assert "/v1/translate" in screen_text(app)
        assert app.filter_text == ""


async def test_detail_opens_and_closes_with_events_and_literal_text(small_snapshot):
    app = make_app(small_snapshot)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        shown = screen_text(app)
        assert "ProvisioningFailed" in shown
        assert "1m ago" in shown  # event 05:39, snapshot recorded 05:40: the injected clock
        assert "pwned" not in shown  # an OSC (window title) sequence is removed whole
        assert "\x1b" not in shown and "\x07" not in shown
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, DetailScreen)


async def test_help_lists_keys(small_snapshot):
    app = make_app(small_snapshot)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for word in ("Storage", "Namespace", "Filter", "Quit"):
            assert word in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_cluster_text_is_literal_not_markup(small_snapshot):
    """A pod named `trainer-[bold]0[/bold]` and an annotation with markup and ESC stay literal."""
    app = make_app(small_snapshot)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        pod = app.store.view().get("Pod", "ml-serving", "translation-7d9f-abcde")
        app.post_message(OpenDetail(pod))
        await pilot.pause()
        shown = screen_text(app)
        assert "[bold red]x[/]" in shown
        assert "red" in shown and "\x1b" not in shown
        await pilot.press("escape")
        # the markup-named pod is shown with its brackets in a table cell
        from mlview.ui.widgets import safe

        cell = safe("trainer-[bold]0[/bold]")
        assert cell.plain == "trainer-[bold]0[/bold]" and not cell.spans


async def test_quit(small_snapshot):
    app = make_app(small_snapshot)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code in (0, None)


async def test_a_failing_analyzer_is_a_notice_not_a_crash(small_snapshot, monkeypatch):
    from mlview.analysis import registry

    def broken(view):
        raise KeyError("spec")

    monkeypatch.setattr(registry, "analyzers", lambda only=None: [("broken", broken)])
    app = make_app(small_snapshot)
    notes = notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert "imagenet-dataset" in screen_text(app)  # the tabs still work
        assert any("analyzer broken failed" in n for n in notes)


async def test_first_screen_focuses_the_table_and_defers_what_it_does_not_show(small_snapshot):
    """Startup is benchmarked: the first screen holds only what it shows (the filter box and
    the other tabs' panes and styles come on first use), with the table focused from the start."""
    app = make_app(small_snapshot)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert app.focused is app.query_one("#storage-claims")
        assert not app.query("#filter-input")
        assert not app.query("#ingress-pane")
        sources = {path for path, _ in app.stylesheet.source}
        assert not any(p.endswith("ingress.tcss") for p in sources)
        await pilot.press("2")
        await settle(app, pilot)
        sources = {path for path, _ in app.stylesheet.source}
        assert any(p.endswith("ingress.tcss") for p in sources)
        detail = app.query_one("#ingress-detail")
        assert detail.styles.border_top[0] == "round"  # its own stylesheet applies
        await pilot.press("slash")
        await pilot.press(*"zzz")
        await settle(app, pilot)
        assert app.query_one("#filter-input", Input).has_focus
        assert app.filter_text == "zzz"


@pytest.mark.parametrize("analysis_fails", [False, True])
async def test_garbage_collection_paused_for_startup_resumes_with_the_first_screen(
    small_snapshot, monkeypatch, analysis_fails
):
    import gc

    import mlview.ui.app as app_module

    if analysis_fails:  # the first screen is then a notice, and collection resumes all the same

        def broken(view, only=None):
            raise RuntimeError("boom")

        monkeypatch.setattr(app_module, "run_checked", broken)
    app = make_app(small_snapshot)
    notes = notifications(app)
    gc.disable()  # as cli.run_app does
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            assert gc.isenabled()
            assert any("boom" in n for n in notes) == analysis_fails
    finally:
        gc.enable()


async def test_enter_on_a_row_posts_open_detail_with_the_object_and_the_app_opens_it(
    small_snapshot,
):
    """Enter goes pane -> OpenDetail message -> app, not pane -> app -> pane."""
    from mlview.ui.app import MLViewApp

    opened: list[dict] = []

    class Recording(MLViewApp):
        def on_open_detail(self, message: OpenDetail) -> None:
            opened.append(message.obj)  # MLViewApp's handler runs after this one

    app = make_app(small_snapshot, app_class=Recording)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        ns, name = app.query_one("#storage-claims").selected_key().split("/")
        await pilot.press("enter")
        await settle(app, pilot)
        assert [(o["kind"], o["metadata"]["namespace"], o["metadata"]["name"]) for o in opened] == [
            ("PersistentVolumeClaim", ns, name)
        ]
        assert isinstance(app.screen, DetailScreen) and app.screen.obj is opened[0]


async def test_apply_store_now_starts_the_analysis_of_a_new_version(small_snapshot):
    app = make_app(small_snapshot)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.apply_store_now()  # nothing changed: nothing to do
        assert not [w for w in app.workers if w.group == "analysis" and not w.is_finished]
        app.store.put_many(
            [{"kind": "Namespace", "metadata": {"name": "brand-new"}, "spec": {}, "status": {}}]
        )
        app.apply_store_now()
        assert [w for w in app.workers if w.group == "analysis"]
        await settle(app, pilot)
        app.narrow(None)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NamespaceScreen) and "brand-new" in app.screen.namespaces


async def test_the_findings_tab_explains_the_selected_code_from_the_catalogue():
    from mlview.analysis.catalogue import CATALOGUE
    from tests.uitext import make_app, screen_text, settle

    app = make_app("incident-504")
    async with app.run_test(size=(160, 60)) as pilot:
        await settle(app, pilot)
        await pilot.press("4")
        await settle(app, pilot)
        code = app.active_pane().selected_finding().code
        text = screen_text(app)
        assert CATALOGUE[code].title in text and "How to fix:" in text


async def test_help_shows_the_selected_findings_catalogue_entry():
    """`?` on the Findings tab opens the help at the selected finding's catalogue entry, with
    what it needs from the input and its sources; the filter narrows the codes."""
    app = make_app("incident-504")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("4")
        await settle(app, pilot)
        selected = app.active_pane().selected_finding()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen) and app.screen.code == selected.code
        text = screen_text(app)
        assert f"{selected.code}  {selected.severity.value}" in text
        await pilot.press("slash", *"provisioning-f", "enter")
        await pilot.pause()
        assert app.screen.code == "pvc-provisioning-failed"
        entry = app.screen.query_one("#help-entry", Static).content
        body = "\n".join(line.plain for line in entry.renderables)
        assert "What it needs: Cannot fire on a manifest folder" in body
        assert "  - Events: never in a manifest folder" in body
        assert "https://kubernetes.io/docs/concepts/storage/dynamic-provisioning/" in body
        await pilot.press("q")  # outside the filter box, q closes
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_help_on_another_tab_starts_with_the_keys_and_filters_the_catalogue(small_snapshot):
    app = make_app(small_snapshot)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.screen.code == "object-invalid"  # the catalogue's first entry, below
        assert "mlview keys" in screen_text(app)
        await pilot.press("slash", *"no-such-thing-q")  # q is typed, not a close
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        entry = app.screen.query_one("#help-entry", Static).content
        assert entry.plain == "No finding code matches the filter."
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
