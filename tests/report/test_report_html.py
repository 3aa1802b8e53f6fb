"""The accessible HTML appendix: a golden outline of its structure, escaping, Chromium render."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cspdesk.report.html import write_html
from cspdesk.store.db import Workspace
from tests.report.report_helpers import HOSTILE, hostile_data, make_workspace, model_of

GOLDEN = Path(__file__).resolve().parent.parent / "data" / "report" / "appendix_outline.txt"
CHROMIUM = Path("/usr/bin/chromium")


class Outline(HTMLParser):
    """The parts of the page that carry its structure: lang, title, headings, tables, figures."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.stack: list[str] = []
        self.text = ""
        self.capture: str | None = None
        self.table: dict[str, object] = {}
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        self.tags.append(tag)
        if tag == "html":
            self.lines.append(f"html lang={attr.get('lang')}")
        if tag in ("title", "h1", "h2", "h3", "caption"):
            self.capture, self.text = tag, ""
        if tag == "table":
            self.table = {"th": [], "rows": 0}
        if tag == "th":
            scope = attr.get("scope") or "-"
            span = f"/{attr['rowspan']}" if "rowspan" in attr else ""
            self.table["th"].append(scope + span)  # type: ignore[union-attr]
        if tag == "tr" and self.table is not None:
            self.table["rows"] = int(self.table["rows"]) + 1  # type: ignore[call-overload]
        if tag == "div" and attr.get("role") == "img":
            self.lines.append(f"  img alt: {attr.get('aria-label')}")
        if tag == "svg":
            self.lines.append(f"  svg role={attr.get('role')} alt: {attr.get('aria-label')}")
        if tag == "text" and attr.get("aria-hidden") != "true":
            self.lines.append("  svg text not hidden")  # outside the PDF's structure
        if tag == "div" and attr.get("role") == "region":
            self.lines.append(f"  region labelled by {attr.get('aria-labelledby')}")

    def handle_endtag(self, tag: str) -> None:
        if tag == self.capture:
            label = "  caption" if tag == "caption" else tag
            self.lines.append(f"{label}: {' '.join(self.text.split())}")
            self.capture = None
        if tag == "table":
            scopes = " ".join(self.table["th"])  # type: ignore[arg-type]
            self.lines.append(f"  table rows={self.table['rows']} th=[{scopes}]")

    def handle_data(self, data: str) -> None:
        if self.capture:
            self.text += data


def outline(page: str) -> str:
    parser = Outline()
    parser.feed(page)
    return "\n".join(parser.lines) + "\n"


def test_structure_matches_the_golden_outline(workspace: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "appendix.html"
    write_html(model_of(workspace), out)
    got = outline(out.read_text(encoding="utf-8"))
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(got, encoding="utf-8")
    assert got == GOLDEN.read_text(encoding="utf-8")


def test_user_markup_is_text(tmp_path: Path) -> None:
    workspace = make_workspace(tmp_path / "h.cspdesk", hostile_data())
    for layout in ("objectives", "milestones"):
        out = tmp_path / f"{layout}.html"
        write_html(model_of(workspace), out, layout=layout)
        page = out.read_text(encoding="utf-8")
        assert "<img" not in page and "<a " not in page and "<font" not in page
        assert "&lt;img src=&quot;/etc/hosts&quot;/&gt; &amp; &lt;a href=" in page
        parser = Outline()
        parser.feed(page)
        assert not {"img", "a", "font", "b"} & set(parser.tags)
    workspace.close()
    assert HOSTILE  # the fixture text really holds markup


@pytest.mark.skipif(not CHROMIUM.exists(), reason="chromium not installed")
def test_chromium_renders_it(workspace: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "appendix.html"
    write_html(model_of(workspace), out, layout="objectives")
    profile = tempfile.mkdtemp(prefix="chromium-", dir=tmp_path)
    flags = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
    ]
    dom = subprocess.run(
        [*flags, "--dump-dom", out.as_uri()], capture_output=True, text=True, timeout=60
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "Partnership Plan 2016/17 – 1st Quarter Update" in dom.stdout
    assert "Essex Police – Emma Clark (EC)" in dom.stdout
    shot = tmp_path / "shot.png"
    result = subprocess.run(
        [*flags, f"--screenshot={shot}", "--window-size=1280,2000", out.as_uri()],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    from PIL import Image

    image = Image.open(shot).convert("RGB")
    assert image.size == (1280, 2000)
    assert len(image.getcolors(maxcolors=1 << 20) or []) > 50  # text and colours, not blank
    if os.environ.get("CSPDESK_KEEP_SHOT"):
        shutil.copy(shot, os.environ["CSPDESK_KEEP_SHOT"])
