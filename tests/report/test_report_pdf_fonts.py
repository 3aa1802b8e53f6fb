"""The print PDF draws each table line in the font it was wrapped in, so a row is as tall as its
drawn text needs: no line runs past its column (measured regular, drawn bold) and none ends
early with room for the next word (measured bold, drawn regular)."""

from __future__ import annotations

import copy
import itertools
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from cspdesk.report.pdf import write_pdf
from cspdesk.report.pdf.blocks import BOLD, FONT, HPAD, LEADING, SIZE
from cspdesk.report.pdf.sheet import sheet_for
from tests.conftest import small_plan_data
from tests.report.report_helpers import make_workspace, model_of

# Long enough to wrap over several lines, with words whose widths differ in bold and regular,
# so bold and regular lines break in different places.
LONG = (
    "Quarterly multi-agency reviews with the Community Safety Partnership, Essex Police, "
    "Rochford District Council and the youth service, reporting in March, June, September "
    "and December; milestones WWW MMM agreed with the partnership's Wellbeing board"
)


@dataclass(frozen=True)
class Drawn:
    """One line of text as the page shows it: where it starts, its font and its words."""

    page: int
    x: float
    y: float
    font: str  # ours: FONT or BOLD
    text: str
    scale: float = 1.0  # page points per layout point (large print: 12/9)

    @property
    def width(self) -> float:
        """How wide the line is on the page."""
        return stringWidth(self.text, self.font, SIZE) * self.scale


def drawn_lines(pdf: Path) -> list[Drawn]:
    """Every line of text the PDF draws, in drawing order (pypdf's text operators)."""
    found: list[Drawn] = []
    number = 0

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        base = str(font.get("/BaseFont", "")) if isinstance(font, dict) else ""
        if text.strip():
            x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            ours = BOLD if base.endswith("-Bold") else FONT
            line = Drawn(number, round(x, 2), round(y, 2), ours, text.strip(), cm[0] * tm[0])
            found.append(line)

    for number, page in enumerate(PdfReader(pdf).pages):  # noqa: B007 (read by visit)
        page.extract_text(visitor_text=visit)
    return found


def column_rooms(lines: list[Drawn], header: str) -> dict[tuple[int, float], float]:
    """Each table column's text start (page, x) -> the width its text may take: up to where
    the next column's text starts, less the padding either side (the last column, whose edge
    no text marks, is left out). ``header``: the first column's heading."""
    rooms: dict[tuple[int, float], float] = {}
    for first in (line for line in lines if line.text == header):
        row = sorted({ln.x for ln in lines if ln.page == first.page and ln.y == first.y})
        for x, after in itertools.pairwise(row):
            rooms[(first.page, x)] = after - x - 2 * HPAD
    return rooms


def paragraph_lines(lines: list[Drawn], paragraph: str) -> list[Drawn]:
    """The run of lines, one under the other in one column, that prints ``paragraph``."""
    words = paragraph.split()
    for start, line in enumerate(lines):
        if not line.text or words[: len(line.text.split())] != line.text.split():
            continue
        run, taken = [line], len(line.text.split())
        for below in lines[start + 1 :]:
            if taken >= len(words):
                break
            step = (run[-1].page, run[-1].x, round(run[-1].y - LEADING, 2))
            if (below.page, below.x, below.y) != step:
                break
            run.append(below)
            taken += len(below.text.split())
        if " ".join(ln.text for ln in run).split() == words:
            return run
    raise AssertionError(f"not printed as one run of lines: {paragraph[:40]}…")


def assert_wrapped_as_drawn(run: list[Drawn], room: float, font: str) -> None:
    """Each line fits ``room`` in the font it is drawn in, and none would have had room for
    the next line's first word: the lines are those the drawn font needs."""
    for line, below in zip(run, [*run[1:], None], strict=True):
        assert line.font == font, (line.text, line.font)
        width = stringWidth(line.text, line.font, SIZE)
        assert width <= room + 0.01, f"{line.text!r} runs {width - room:.1f} pt past its column"
        if below is not None:
            longer = f"{line.text} {below.text.split()[0]}"
            assert stringWidth(longer, line.font, SIZE) > room, (
                f"{line.text!r} ends early: {below.text.split()[0]!r} fits after it"
            )


@pytest.fixture
def long_texts(tmp_path: Path) -> Path:
    data = copy.deepcopy(small_plan_data())
    priorities = data["plans"][0]["priorities"]
    objective = priorities[0]["objectives"][0]
    objective["title"] = f"Objective: {LONG}"
    action = objective["actions"][0]
    action.update(title=f"Action: {LONG}", outcomes=f"Outcomes: {LONG}", timescale=LONG)
    action["updates"][0]["text"] = f"Update: {LONG}"
    other = priorities[1]["objectives"][0]["actions"][0]
    other.update(title=f"Unmarked: {LONG}", milestones=[])  # milestones layout: its title, bold
    workspace = make_workspace(tmp_path / "long.cspdesk", data)
    out = tmp_path / "long_texts.pdf"
    write_pdf(model_of(workspace), out)
    write_pdf(model_of(workspace), tmp_path / "milestones.pdf", layout="milestones")
    workspace.close()
    return out


def test_every_long_text_wraps_in_the_font_it_is_drawn_in(long_texts: Path) -> None:
    lines = drawn_lines(long_texts)
    rooms = column_rooms(lines, "Strategic Objective")
    for paragraph, font in (
        (LONG, BOLD),  # the timescale
        (f"Update: {LONG}", FONT),
        (f"Objective: {LONG}", BOLD),
        (f"Action: {LONG}", FONT),
        (f"Outcomes: {LONG}", FONT),
    ):
        run = paragraph_lines(lines, paragraph)
        assert len(run) > 2, paragraph
        assert_wrapped_as_drawn(run, rooms[(run[0].page, run[0].x)], font)

    milestones = drawn_lines(long_texts.with_name("milestones.pdf"))
    run = paragraph_lines(milestones, f"Unmarked: {LONG}")
    room = column_rooms(milestones, "Key Milestones")[(run[0].page, run[0].x)]
    assert_wrapped_as_drawn(run, room, BOLD)


def test_the_timescale_is_bold_above_a_regular_update(long_texts: Path) -> None:
    lines = drawn_lines(long_texts)
    timescale = paragraph_lines(lines, LONG)
    update = paragraph_lines(lines, f"Update: {LONG}")
    # the update starts on the line under the timescale's last: no line lost or left empty
    assert (update[0].x, update[0].y) == (timescale[-1].x, round(timescale[-1].y - LEADING, 2))


@pytest.mark.parametrize("layout", ["objectives", "milestones"])
def test_the_direction_of_travel_fits_the_rag_column_in_large_print(
    tmp_path: Path, layout: str
) -> None:
    """The arrow and its word ("No change") are drawn beside each other, never measured as
    text: the RAG column is made wide enough for them, even in large print's narrower one."""
    workspace = make_workspace(tmp_path / "d.cspdesk", small_plan_data())
    ids = [action.id for section in model_of(workspace).sections for action in section.actions()]
    ways = ("up", "same", "down")
    model = model_of(workspace, direction={a: ways[n % 3] for n, a in enumerate(ids)})
    out = tmp_path / "large.pdf"
    write_pdf(model, out, layout=layout, large_print=True)
    workspace.close()
    lines = drawn_lines(out)
    first_heading = "Strategic" if layout == "objectives" else "Key Milestones"
    words = set()
    for heading in (line for line in lines if line.text == first_heading):
        scale = heading.scale
        header = sorted({ln.x for ln in lines if ln.page == heading.page and ln.y == heading.y})
        right = heading.x - HPAD * scale + sheet_for(True).frame_width * scale  # the table's edge
        for line in lines:
            if line.page == heading.page and line.y < heading.y and line.x >= header[-1] - 0.5:
                assert line.x + line.width <= right - HPAD * scale + 0.01, line
                words.add(line.text)
    assert {"Improved", "No change", "Worsened"} <= words
