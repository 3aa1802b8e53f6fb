"""The committee appendix as PDF: real files, text extracted with pypdf, pages rendered."""

from __future__ import annotations

import copy
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import NameObject

from cspdesk.report.pdf import write_pdf
from cspdesk.store.db import Workspace
from tests.conftest import small_plan_data
from tests.report.report_helpers import (
    HOSTILE,
    hostile_data,
    make_workspace,
    model_of,
    pdf_text,
    squash,
)

A4_LANDSCAPE = (841.89, 595.28)


def test_every_action_lead_and_update_is_printed(workspace: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "appendix.pdf"
    progress: list[tuple[int, int]] = []
    write_pdf(model_of(workspace), out, progress=lambda d, t: progress.append((d, t)))
    reader, pages = pdf_text(out)
    text = squash(" ".join(pages))
    for wanted in (
        "Test Vale CSP",
        "Partnership Plan 2016/17 – 1st Quarter Update",
        "Version 1 – June 2016",
        "Printed 15 July 2016",
        "Actively promote Essex wide campaigns",
        "Re-introduce the J9 scheme in both districts",
        "Joint days of action",
        "All partners",
        "Rochford District Council – Graham Browne (GB)",
        "Essex Police – Emma Clark (EC)",
        "'Together we Can' campaign promoted.",
        "J9 training sessions booked for October",
        "No update this quarter.",
        "To raise awareness of Domestic abuse",
        "Strategic Objective Actions Outcomes / Measures Lead Agency / Officer",
        "Campaign one launched",
        "RAG key",
        "Not on track: significant problems",
    ):
        assert wanted in text, wanted
    for label in ("Red", "Amber", "Green"):
        assert label in text
    assert len(pages) == 4
    for number, page in enumerate(reader.pages, start=1):
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
            A4_LANDSCAPE, abs=0.5
        )
        assert f"Page {number} of 4" in pages[number - 1]
    assert reader.metadata.title == "Test Vale CSP – Partnership Plan 2016/17 – 1st Quarter Update"
    assert reader.trailer["/Root"][NameObject("/Lang")] == "en-GB"
    assert progress and progress[-1][0] == progress[-1][1] > 0


def test_user_markup_prints_as_typed_and_pulls_in_nothing(tmp_path: Path) -> None:
    workspace = make_workspace(tmp_path / "h.cspdesk", hostile_data())
    for layout in ("objectives", "milestones"):
        out = tmp_path / f"{layout}.pdf"
        write_pdf(model_of(workspace), out, layout=layout)
        reader, pages = pdf_text(out)
        text = squash(" ".join(pages))
        for prefix in ("Intro", "Safeguarding", "Title", "Update", "Milestone", "Indicator"):
            if layout == "objectives" and prefix == "Indicator":
                continue  # the indicators block belongs to the milestones layout
            assert squash(f"{prefix} {HOSTILE}") in text, (layout, prefix)
        for page in reader.pages:
            assert "/Annots" not in page, "a link came from user text"
            resources = page["/Resources"]
            xobjects = resources.get("/XObject", {}) if resources else {}
            for name in xobjects:
                assert xobjects[name].get_object()["/Subtype"] != "/Image", "an image came in"
        assert b"/etc/hosts" not in out.read_bytes() or "/etc/hosts" in text
    workspace.close()


def test_long_plans_repeat_headers_and_never_lose_a_row(tmp_path: Path) -> None:
    data = copy.deepcopy(small_plan_data())
    objective = data["plans"][0]["priorities"][1]["objectives"][0]
    template = objective["actions"][0]
    objective["actions"] = []
    for n in range(60):
        action = copy.deepcopy(template)
        action["title"] = f"Action number {n} " + "with a longer title " * (n % 5)
        action["updates"] = [{"quarter": 1, "rag": "G", "text": f"Update {n} " + "words " * 40}]
        objective["actions"].append(action)
    giant = " ".join(f"w{i}" for i in range(4000))  # one row taller than a page
    objective["actions"][10]["updates"] = [{"quarter": 1, "rag": "A", "text": giant}]
    workspace = make_workspace(tmp_path / "long.cspdesk", data)
    out = tmp_path / "long.pdf"
    write_pdf(model_of(workspace), out)
    _reader, pages = pdf_text(out)
    text = squash(" ".join(pages))
    for n in range(60):
        assert f"Action number {n} " in text
    # the giant row runs over several pages, between their headers and footers, in order
    assert re.findall(r"\bw\d+\b", text) == giant.split()
    table_pages = [p for p in pages[2:] if "Update " in p or "w1" in p]
    assert len(table_pages) > 4
    for page in table_pages:
        assert "Strategic Objective" in page and "Timescales / Updates" in page
    assert "(continued)" in text
    workspace.close()


def test_spanned_text_taller_than_a_page_runs_on(tmp_path: Path) -> None:
    data = copy.deepcopy(small_plan_data())
    priority = data["plans"][0]["priorities"][0]
    giant = " ".join(f"w{i}" for i in range(3000))
    priority["objectives"][0]["title"] = " ".join(f"t{i}" for i in range(900))
    priority["objectives"][0]["actions"][0]["updates"][0]["text"] = giant
    workspace = make_workspace(tmp_path / "span.cspdesk", data)
    for layout in ("objectives", "milestones"):
        out = tmp_path / f"{layout}.pdf"
        write_pdf(model_of(workspace), out, layout=layout)
        text = squash(" ".join(pdf_text(out)[1]))
        assert re.findall(r"\bw\d+\b", text) == giant.split(), layout
        if layout == "objectives":
            # every word of the objective, in order; pages after the first start with
            # a short "t0 t1 … (continued)" heading
            titles = re.findall(r"\bt\d+\b", text)
            first_seen = [titles.index(f"t{i}") for i in range(900)]
            assert first_seen == sorted(first_seen)
            assert "(continued)" in text
    workspace.close()


def test_milestones_layout(workspace: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "m.pdf"
    write_pdf(model_of(workspace), out, layout="milestones")
    _reader, pages = pdf_text(out)
    text = squash(" ".join(pages))
    for wanted in (
        "Key Milestones RAG Outcomes & Outputs RAG",
        "Campaign one launched Done 20 Jun 2016 Blue",
        "Campaign two launched Due 31 Dec 2016 Green",
        "Baseline 1259 incidents",
        "Target Reduce by 5%",
        "Update: J9 training sessions booked for October",
    ):
        assert wanted in text, wanted


def test_options_filter_priorities_and_completed(workspace: Workspace, tmp_path: Path) -> None:
    model = model_of(workspace, include_completed=False, include_milestones=False)
    assert [s.title for s in model.sections] == [
        "Safeguarding Vulnerable People",
        "Anti-Social Behaviour",
    ]
    first = model.sections[0].id
    only = model_of(workspace, priority_ids=[first])
    assert [s.id for s in only.sections] == [first]
    out = tmp_path / "o.pdf"
    write_pdf(model, out)
    text = squash(" ".join(pdf_text(out)[1]))
    assert "Campaign one launched" not in text


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_rendered_page_shows_rag_colours(workspace: Workspace, tmp_path: Path) -> None:
    from PIL import Image

    out = tmp_path / "r.pdf"
    write_pdf(model_of(workspace), out)
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-f", "3", "-l", "3", str(out), str(tmp_path / "p")],
        check=True,
    )
    image = Image.open(next(tmp_path.glob("p*.png"))).convert("RGB")
    colours = {c for _n, c in image.getcolors(maxcolors=1 << 20)}

    def near(target: tuple[int, int, int]) -> bool:
        return any(sum(abs(a - b) for a, b in zip(c, target, strict=True)) < 12 for c in colours)

    assert near((0x2E, 0x8B, 0x57)), "no Green fill on the first table page"
    assert near((0xF0, 0xA3, 0x0A)), "no Amber fill on the first table page"


def test_names_beyond_winansi_print_in_the_fallback_font(tmp_path: Path) -> None:
    from cspdesk.report.fonts import fallback_available

    if not fallback_available():
        pytest.skip("no fallback TrueType font (Arial, Liberation Sans, DejaVu Sans)")
    data = copy.deepcopy(small_plan_data())
    data["agencies"][0]["officers"].append({"name": "Łukasz Wiśniewski", "initials": "ŁW"})
    plan = data["plans"][0]
    plan["introduction"] = "Visit from Gdańsk partners – £5 each"
    action = plan["priorities"][0]["objectives"][0]["actions"][0]
    action["leads"] = [{"agency": "Essex Police", "officer": "Łukasz Wiśniewski"}]
    action["updates"][0]["text"] = "Met Şükrü Yılmaz; it’s done • £40"
    workspace = make_workspace(tmp_path / "names.cspdesk", data)
    out = tmp_path / "names.pdf"
    write_pdf(model_of(workspace), out)
    text = squash(" ".join(pdf_text(out)[1]))
    for wanted in (
        "Essex Police – Łukasz Wiśniewski (ŁW)",
        "Met Şükrü Yılmaz; it’s done • £40",
        "Visit from Gdańsk partners – £5 each",
    ):
        assert wanted in text, wanted
    assert "■" not in text
    assert b"/FontFile2" in out.read_bytes()  # the fallback font, embedded as a subset
    if keep := os.environ.get("CSPDESK_KEEP_PDF"):
        shutil.copy(out, keep)
    workspace.close()


def test_awkward_characters_print_as_typed_every_time(tmp_path: Path) -> None:
    """A cell is encoded for the page in one go once its characters have codes (fonts.py):
    brackets, backslashes, a typed "\\000", characters given codes 1-31 and above 127 print
    as typed, the first time (the long way, which gives them codes) and every time after."""
    from cspdesk.report.fonts import fallback_available

    if not fallback_available():
        pytest.skip("no fallback TrueType font (Arial, Liberation Sans, DejaVu Sans)")
    awkward = "Costs (£4K) – C:\\new\\000 ‘ok’ • €5 Łódź ) ( \\ ñ"
    data = copy.deepcopy(small_plan_data())
    actions = data["plans"][0]["priorities"][0]["objectives"][0]["actions"]
    for number, action in enumerate(actions):
        action["updates"][0]["text"] = f"Update {number}: {awkward}"
        action["outcomes"] = f"Outcome {number}: {awkward}"
    workspace = make_workspace(tmp_path / "awkward.cspdesk", data)
    out = tmp_path / "awkward.pdf"
    write_pdf(model_of(workspace), out)
    text = squash(" ".join(pdf_text(out)[1]))
    assert len(actions) > 1
    for number in range(len(actions)):
        for kind in ("Update", "Outcome"):
            assert squash(f"{kind} {number}: {awkward}") in text, (kind, number)
    workspace.close()


def test_every_font_is_embedded_and_the_bookmarks_are_shown(
    workspace: Workspace, tmp_path: Path
) -> None:
    """A published PDF embeds its fonts (the shipped Liberation Sans, never bare Helvetica)."""
    out = tmp_path / "plain.pdf"
    write_pdf(model_of(workspace), out)
    reader = PdfReader(out)
    fonts = {
        str(font.get_object()["/BaseFont"]): font.get_object()
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all("LiberationSans" in name for name in fonts), list(fonts)
    assert all("/FontFile2" in f["/FontDescriptor"] for f in fonts.values())
    root = reader.trailer["/Root"]
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712 (pypdf boolean)
    assert root["/PageMode"] == "/UseOutlines"
    assert [item.title for item in reader.outline] == [
        "Introduction",
        "Summary",
        "Priority 1: Safeguarding Vulnerable People",
        "Priority 2: Anti-Social Behaviour",
    ]


def test_an_objective_title_is_never_split_across_pages(tmp_path: Path) -> None:
    """Wherever the page break falls, the objective's title is printed whole on one page."""
    words = " ".join(f"word{n}" for n in range(60))
    title = f"Titlestart {words} Titleend"
    breaks_inside_title = 0
    for filler in range(6, 16):
        data = copy.deepcopy(small_plan_data())
        priority = data["plans"][0]["priorities"][0]
        action = priority["objectives"][0]["actions"][1]
        priority["objectives"] = [
            {"title": "Filler", "actions": [copy.deepcopy(action) for _ in range(filler)]},
            {"title": title, "actions": [copy.deepcopy(action) for _ in range(12)]},
        ]
        workspace = make_workspace(tmp_path / f"{filler}.cspdesk", data)
        out = tmp_path / f"{filler}.pdf"
        write_pdf(model_of(workspace, include_milestones=False), out)
        workspace.close()
        pages = [squash(text) for text in pdf_text(out)[1]]
        start = next(n for n, text in enumerate(pages) if "Titlestart" in text)
        assert "Titleend" in pages[start], f"{filler} filler actions: title split"
        breaks_inside_title += "(continued)" in pages[start + 1]
    assert breaks_inside_title  # some of the layouts did break inside that objective


def test_milestones_layout_continuation_names_its_action(tmp_path: Path) -> None:
    data = copy.deepcopy(small_plan_data())
    action = data["plans"][0]["priorities"][0]["objectives"][0]["actions"][0]
    milestone = action["milestones"][0]
    action["milestones"] = [dict(milestone, title=f"Milestone {n}") for n in range(60)]
    workspace = make_workspace(tmp_path / "m.cspdesk", data)
    out = tmp_path / "m.pdf"
    write_pdf(model_of(workspace), out, layout="milestones")
    workspace.close()
    pages = [squash(text) for text in pdf_text(out)[1]]
    continued = [text for text in pages if "Milestone 59" in text and "Milestone 0 " not in text]
    assert continued, "the milestones did not run on to a second page"
    assert "Action: Actively promote Essex wide campaigns (continued)" in continued[0]


def test_a_column_no_action_fills_is_left_out_of_the_pdf_and_html(tmp_path: Path) -> None:
    """A plan imported without outcomes prints no empty "Outcomes / Measures" column: its width
    goes to the columns that have words."""
    from tests.cli.runner import run_cli

    data = copy.deepcopy(small_plan_data())
    for priority in data["plans"][0]["priorities"]:
        for objective in priority["objectives"]:
            for action in objective["actions"]:
                action["outcomes"] = ""
    db = tmp_path / "plan.cspdesk"
    make_workspace(db, data).close()
    pdf, html = tmp_path / "appendix.pdf", tmp_path / "appendix.html"
    for out in (pdf, html):
        result = run_cli("report", "--db", str(db), "--quarter", "Q1", "-o", str(out))
        assert result.returncode == 0, result.stderr
    _, pages = pdf_text(pdf)
    printed = squash(" ".join(pages))
    assert "Lead Agency / Officer" in printed and "Timescales / Updates" in printed
    assert "Outcomes / Measures" not in printed
    page = html.read_text(encoding="utf-8")
    assert '<th scope="col">Lead Agency / Officer</th>' in page
    assert "Outcomes / Measures" not in page

    # With outcomes, the column is back.
    with Workspace.open(db) as workspace:
        from sqlalchemy import select

        from cspdesk.core.plan import ops
        from cspdesk.core.plan.model import Action

        first = workspace.read(lambda s: s.execute(select(Action.id)).scalars().first())
        workspace.write(ops.edit_field, "action", first, "outcomes", "Two campaigns")
    assert run_cli("report", "--db", str(db), "--quarter", "Q1", "-o", str(pdf)).returncode == 0
    assert "Outcomes / Measures" in squash(" ".join(pdf_text(pdf)[1]))
