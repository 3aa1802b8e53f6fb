"""The appendix for the council website, checked by tools nobody here wrote: the tagged PDF
`cspdesk report --accessible` writes (pdfua, pypdf) and the HTML (axe-core in chromium)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from cspdesk.report.browser import find_browser
from tests.cli.runner import run_cli
from tests.report.report_helpers import median_word_height

BROWSER = find_browser()
needs_browser = pytest.mark.skipif(
    BROWSER is None, reason="no Chromium-based browser (apt-get install chromium)"
)
A4_LANDSCAPE = (842, 595)  # points, rounded
NODE_PACKAGES = ("axe-core@4", "playwright-core@1")
AXE_SCRIPT = Path(__file__).with_name("axe_run.cjs")


def bookmark_titles(outline: list[object]) -> list[str]:
    titles: list[str] = []
    for item in outline:
        titles += bookmark_titles(item) if isinstance(item, list) else [item.title]  # type: ignore[attr-defined]
    return titles


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.cspdesk"
    assert run_cli("demo", "--db", str(path)).returncode == 0
    return path


@pytest.fixture(scope="module")
def accessible_pdf(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("accessible") / "appendix.pdf"
    result = run_cli(
        "report", "--db", str(demo_db), "--quarter", "Q2", "-o", str(out), "--accessible"
    )
    assert result.returncode == 0, result.stderr
    assert f"32 actions written to {out}" in result.stdout
    return out


@needs_browser
def test_accessible_pdf_passes_pdfua_and_is_tagged_a4_landscape(
    demo_db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "appendix.pdf"
    result = run_cli(
        "report", "--db", str(demo_db), "--quarter", "Q2", "-o", str(out), "--accessible"
    )
    assert result.returncode == 0, result.stderr
    assert f"32 actions written to {out}" in result.stdout
    check = subprocess.run(
        [sys.executable, "-m", "pdfua", "check", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "errors=0" in check.stdout, check.stdout
    assert check.returncode in (0, 2), check.stdout  # 2: warnings only (no XMP claim)
    reader = PdfReader(out)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
    assert root["/Lang"] == "en-GB"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    assert root["/PageMode"] == "/UseOutlines"
    titles = bookmark_titles(reader.outline)
    assert "Partnership Plan 2016/17 – 2nd Quarter Update" in titles
    assert any(title.startswith("Priority 1: ") for title in titles), titles
    assert reader.metadata is not None
    assert reader.metadata.title.startswith("Castle Point and Rochford")
    for page in reader.pages:
        size = (round(float(page.mediabox.width)), round(float(page.mediabox.height)))
        assert size == A4_LANDSCAPE
    pages = len(reader.pages)
    assert reader.metadata.creator == "CSP Desk"  # so the next run may replace it
    assert f"Page 1 of {pages}" in reader.pages[0].extract_text()
    assert f"Page {pages} of {pages}" in reader.pages[-1].extract_text()


@needs_browser
def test_accessible_pdf_replaces_the_one_it_wrote_before(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "appendix.pdf"
    for quarter in ("Q1", "Q2"):
        args = ("report", "--db", str(demo_db), "--quarter", quarter, "-o", str(out))
        result = run_cli(*args, "--accessible")
        assert result.returncode == 0, result.stderr
    assert "2nd Quarter Update" in PdfReader(out).pages[0].extract_text()


def test_accessible_pdf_without_a_browser_says_so_and_offers_the_html(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSPDESK_BROWSER", str(tmp_path / "no-such-browser"))
    out = tmp_path / "appendix.pdf"
    result = run_cli(
        "report", "--db", str(demo_db), "--quarter", "Q2", "-o", str(out), "--accessible"
    )
    assert result.returncode == 1
    assert "No Microsoft Edge, Chrome or Chromium found" in result.stderr
    assert "write the web version (.html) instead" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


@pytest.fixture(scope="module")
def node_modules() -> Path:
    """axe-core and playwright-core from npm, cached; playwright-core downloads no browser."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are needed to run axe-core")
    cache = Path(os.environ.get("CSPDESK_NODE_CACHE", Path.home() / ".cache" / "cspdesk-tests"))
    modules = cache / "node_modules"
    if not all((modules / name.split("@")[0]).is_dir() for name in NODE_PACKAGES):
        cache.mkdir(parents=True, exist_ok=True)
        installed = subprocess.run(
            [
                "npm",
                "install",
                "--no-save",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(cache),
                *NODE_PACKAGES,
            ],
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1"},
        )
        if installed.returncode != 0:
            pytest.skip(f"npm could not install axe-core: {installed.stderr.strip()[-300:]}")
    return modules


@needs_browser
@pytest.mark.parametrize("width", [1280, 320])
def test_axe_finds_no_violations_and_the_page_reflows(
    demo_db: Path, tmp_path: Path, node_modules: Path, width: int
) -> None:
    out = tmp_path / "appendix.html"
    assert (
        run_cli("report", "--db", str(demo_db), "--quarter", "Q2", "-o", str(out)).returncode == 0
    )
    result = subprocess.run(
        ["node", str(AXE_SCRIPT), str(node_modules), str(BROWSER), out.as_uri(), str(width)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    found = json.loads(result.stdout)
    assert found["violations"] == []
    assert found["scrollWidth"] <= found["clientWidth"] == width


@needs_browser
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) missing")
def test_printed_from_a_browser_it_is_a4_landscape_with_header_colours_kept(
    demo_db: Path, tmp_path: Path, node_modules: Path
) -> None:
    """As a browser's print dialog prints by default: without "background graphics"."""
    from PIL import Image

    html, pdf = tmp_path / "appendix.html", tmp_path / "printed.pdf"
    assert (
        run_cli("report", "--db", str(demo_db), "--quarter", "Q2", "-o", str(html)).returncode == 0
    )
    node = [str(AXE_SCRIPT), str(node_modules), str(BROWSER), html.as_uri(), "1280", str(pdf)]
    printed = subprocess.run(["node", *node], capture_output=True, text=True, timeout=180)
    assert printed.returncode == 0, printed.stderr[-2000:]
    for page in PdfReader(pdf).pages:
        size = (round(float(page.mediabox.width)), round(float(page.mediabox.height)))
        assert size == A4_LANDSCAPE
    png = tmp_path / "page"
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "3", "-l", "3", str(pdf), str(png)],
                   check=True, timeout=60)  # fmt: skip
    image = Image.open(next(tmp_path.glob("page*.png"))).convert("RGB")
    colours = {colour for _count, colour in image.getcolors(maxcolors=1 << 20) or []}
    navy = (0x1F, 0x38, 0x64)  # the table headers: white text on navy
    assert any(max(abs(a - b) for a, b in zip(c, navy, strict=True)) < 12 for c in colours)


@needs_browser
def test_no_caption_or_header_row_is_stranded_at_a_page_foot(accessible_pdf: Path) -> None:
    head = ("Strategic Objective", "Actions", "Outcomes / Measures", "Lead Agency /", "Officer")
    head += ("Timescales /", "Updates", "RAG")
    for number, page in enumerate(PdfReader(accessible_pdf).pages, start=1):
        text = page.extract_text()
        last = text.rfind("strategic objective:")
        if last < 0:
            continue
        after = text[last:].split("\n", 1)[-1]  # past the caption's first line
        for word in (*head, f"Page {number} of"):
            after = after.replace(word, "")
        assert len(after.split()) > 20, f"page {number} ends with a caption: {text[last:]!r}"


@needs_browser
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")
def test_large_print_enlarges_the_accessible_pdfs_text(
    demo_db: Path, accessible_pdf: Path, tmp_path: Path
) -> None:
    large = tmp_path / "large.pdf"
    result = run_cli(
        "report", "--db", str(demo_db), "--quarter", "Q2", "-o", str(large), "--accessible",
        "--large-print",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    ratio = median_word_height(large) / median_word_height(accessible_pdf)
    assert 1.1 < ratio < 1.3  # 12 pt against 10 pt
    assert len(PdfReader(large).pages) > len(PdfReader(accessible_pdf).pages)
