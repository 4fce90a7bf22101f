"""Every tab at 80x24 (the size the README promises): the columns and cells that answer the
tab's question are on screen, Help and Quit are in the footer, wrapped lines hang."""

from __future__ import annotations

import io

from rich.console import Console
from rich.text import Text

from mlview.sanitize import shorten
from mlview.ui.app import MLViewApp
from mlview.ui.panes.reachability.grid import GLYPHS, MatrixGrid
from mlview.ui.widgets import Hanging, ObjectTable
from tests.uitext import make_app, screen_text, settle

SIZE = (80, 24)


async def show(app: MLViewApp, pilot, key: str) -> list[str]:
    await settle(app, pilot)
    await pilot.press(key)
    await settle(app, pilot)
    await pilot.pause()
    return screen_text(app).splitlines()


def header_line(lines: list[str], first: str) -> str:
    return next(line for line in lines if line.split()[:1] == [first])


def assert_footer_has_help_and_quit(lines: list[str]) -> None:
    footer = lines[-1]
    assert "? Help" in footer and "q Quit" in footer, footer


async def test_storage_shows_class_and_modes_and_says_what_it_left_out():
    app = make_app("incident-pending-pvc")
    async with app.run_test(size=SIZE) as pilot:
        lines = await show(app, pilot, "1")
        head = header_line(lines, "WORST")
        for column in ("NAME", "PHASE", "MODES", "CLASS"):
            assert column in head, head
        assert "NAMESPACE" not in head  # the least important goes first
        table = app.query_one("#storage-claims", ObjectTable)
        hidden = table.hidden_columns
        assert "NAMESPACE" in hidden and f"+{len(hidden)} w" in head
        screen = "\n".join(lines)
        assert "premium-nvme" in screen  # the missing class, on the claim's row
        assert "ROX" in screen  # ReadOnlyMany on an EBS class
        assert_footer_has_help_and_quit(lines)
        # w: every column, scrolled sideways; w again: fitted back
        await pilot.press("w")
        await pilot.pause()
        assert [str(c.label) for c in table.ordered_columns][-3:] == [
            "PROVISIONER",
            "BINDING",
            "VOLUME",
        ]
        assert table.hidden_columns == ()
        await pilot.press("w")
        await pilot.pause()
        assert table.hidden_columns == hidden


async def test_storage_chain_wraps_under_its_branch():
    app = make_app("ml-platform")
    async with app.run_test(size=SIZE) as pilot:
        lines = await show(app, pilot, "1")
        detail = [line.strip("│ ▄▇▅▃▁") for line in lines if line.startswith("│")]
        i = next(i for i, line in enumerate(detail) if "└─ StorageClass" in line)
        branch = lines[[j for j, x in enumerate(lines) if "└─ StorageClass" in x][0]]
        wrapped = lines[[j for j, x in enumerate(lines) if "└─ StorageClass" in x][0] + 1]
        # the wrapped part starts under "StorageClass", not at the panel's edge
        assert detail[i + 1] and not detail[i + 1].startswith("└─")
        assert wrapped.index(detail[i + 1].split()[0]) == branch.index("StorageClass")


async def test_ingress_shows_the_504_and_413_columns():
    app = make_app("incident-504")
    async with app.run_test(size=SIZE) as pilot:
        lines = await show(app, pilot, "2")
        head = header_line(lines, "WORST")
        for column in ("PATH", "SERVICE:PORT", "READY", "READ", "BODY"):
            assert column in head, head
        translate = next(line for line in lines if "/v1/translate" in line)
        assert "60s*" in translate  # the controller's 60 s default on the 90 s model: 504
        vision = next(line for line in lines if "/v1/vision" in line)
        assert "8m!" in vision  # an invalid body size annotation: 413 above 8m
        assert_footer_has_help_and_quit(lines)


async def test_gateway_routes_show_timeout_and_ready():
    app = make_app("ml-gateway")
    async with app.run_test(size=SIZE) as pilot:
        lines = await show(app, pilot, "2")
        head = header_line(lines, "WORST")
        for column in ("PATH", "READY", "TIMEOUT"):
            assert column in head, head
        assert "request 30s" in next(line for line in lines if "/v1/translate" in line)


async def test_reachability_shows_verdict_cells_and_the_focused_column():
    app = make_app("netpol-lockdown")
    async with app.run_test(size=SIZE) as pilot:
        lines = await show(app, pilot, "3")
        grid = app.query_one(MatrixGrid)
        assert grid.compact
        matrix = lines[lines.index(next(x for x in lines if x.startswith("source ↓"))) :]
        matrix = matrix[: next(i for i, x in enumerate(matrix) if x.startswith("╭─ why"))]
        # the focused column's name in the header, and verdict glyphs in the rows
        col = grid.grid.cols[grid.cursor[1]]
        assert col.short in matrix[1]
        glyphs = set("".join(GLYPHS.values()))
        cells = [line for line in matrix[2:] if set(line[grid.label_w :]) & glyphs]
        assert len(cells) >= 3
        # rows by workload under their namespace's line
        assert "kube-system" in [line.strip() for line in matrix]
        assert any(line.startswith(" ▸ coredns") for line in matrix)
        # the explanation under the matrix, the whole width
        why = next(x for x in lines if x.startswith("╭─ why"))
        assert len(why) == 80
        assert "denied" in "\n".join(lines[lines.index(why) :])
        assert_footer_has_help_and_quit(lines)
        # every destination: still cells, the cursor's column scrolled into view
        await pilot.press("f")
        await settle(app, pilot)
        await pilot.pause()
        assert len(grid.grid.cols) > 10
        grid.cursor = (0, len(grid.grid.cols) - 1)
        await pilot.pause()
        lines = screen_text(app).splitlines()
        top = next(i for i, x in enumerate(lines) if x.startswith("source ↓"))
        last = grid.grid.cols[-1]
        assert shorten(last.short, grid.col_w - 1) in lines[top + 1][grid.label_w :]
        assert lines[top + 1].startswith("→ " + last.group.namespace)  # named in full
        assert set(lines[top + 3][grid.label_w :]) & glyphs  # under the namespace line


async def test_findings_keep_code_and_object_and_hang_the_hint():
    app = make_app("ml-platform")
    async with app.run_test(size=SIZE) as pilot:
        lines = await show(app, pilot, "4")
        head = header_line(lines, "SEVERITY")
        assert "CODE" in head and "OBJECT" in head
        assert any("pod-ephemeral-checkpoints" in line for line in lines)
        hint = next(i for i, line in enumerate(lines) if "│ hint: " in line)
        assert lines[hint + 1].startswith("│       ")  # under the hint's first word
        assert_footer_has_help_and_quit(lines)


async def test_services_keep_ready_store_dns_restarts():
    app = make_app("incident-504")
    async with app.run_test(size=SIZE) as pilot:
        lines = await show(app, pilot, "5")
        head = header_line(lines, "WORST")
        for column in ("SERVICE", "READY", "STORE", "DNS", "RESTARTS"):
            assert column in head, head
        assert "0/2" in next(line for line in lines if "llm-generate-svc" in line)
        assert_footer_has_help_and_quit(lines)


async def test_wide_terminal_hides_nothing():
    app = make_app("incident-504")
    async with app.run_test(size=(160, 48)) as pilot:
        lines = await show(app, pilot, "2")
        assert app.query_one("#ingress-routes", ObjectTable).hidden_columns == ()
        assert "NAMESPACE" in header_line(lines, "WORST")
        assert "Trace URL" in lines[-1]  # the footer has room for every key


def render(renderable: object, width: int) -> list[str]:
    console = Console(width=width, file=io.StringIO(), record=True, color_system=None)
    console.print(renderable)
    return console.export_text().splitlines()


def test_hanging_indent_keeps_tree_branches_and_hint_words():
    text = Text(
        "│  ├─ ✔ port 80 (http) with a long note that has to wrap\n"
        "hint: Mount a PersistentVolumeClaim there before the pod ends\n"
        "short"
    )
    assert render(Hanging(text), 32) == [
        "│  ├─ ✔ port 80 (http) with a",
        "│  │    long note that has to",
        "│  │    wrap",
        "hint: Mount a",
        "      PersistentVolumeClaim",
        "      there before the pod ends",
        "short",
    ]
    assert render(Hanging(text), 200)[0] == text.plain.splitlines()[0]  # fits: as it is


def test_hanging_indent_without_a_head_and_with_a_given_one():
    text = Text("PersistentVolumeClaim ml-serving/data-model-store-0  Bound requests 500Gi")
    assert render(Hanging(text), 34) == [
        "PersistentVolumeClaim",
        "  ml-serving/data-model-store-0",
        "  Bound requests 500Gi",
    ]
    text = Text("error   pvc-storageclass-missing  PersistentVolumeClaim x asks for")
    assert render(Hanging(text, indent=8), 34) == [
        "error   pvc-storageclass-missing",
        "        PersistentVolumeClaim x",
        "        asks for",
    ]


async def test_object_view_findings_wrap_under_the_code_and_the_hint():
    app = make_app("incident-pending-pvc")
    async with app.run_test(size=SIZE) as pilot:
        await show(app, pilot, "1")
        await pilot.press("d")  # the claim under the cursor: llm-weights-cache
        await settle(app, pilot)
        # the modal's body: right of its left border (the screen behind shows at its sides)
        lines = [line[3:] for line in screen_text(app).splitlines() if line[2:3] == "│"]
        code = next(i for i, line in enumerate(lines) if "pvc-storageclass-missing" in line)
        assert lines[code + 1].startswith("         ") and lines[code + 1][9] != " "
        hint = next(i for i, line in enumerate(lines) if "hint: " in line)
        column = lines[hint].index("hint: ") + len("hint: ")
        assert lines[hint + 1][:column].strip() == "" and lines[hint + 1][column] != " "
