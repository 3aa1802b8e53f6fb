"""`figures import DOWNLOAD.zip` as an officer runs it: a download of our own making with known
counts, the committee's lines in the PDF text, the HTML and the Excel export; a re-import that
changes nothing; each bad input one line, nothing changed."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import docx
import openpyxl
import pytest
from sqlalchemy import select, update

from cspdesk.core.plan.model import IndicatorValue, Partnership, Plan, PoliceCount, PoliceMonth
from cspdesk.store.address import Location
from cspdesk.store.db import Workspace
from tests.cli.runner import run_cli
from tests.police_download import HEADER, TWO_YEARS, TYPES, csv_text, months_between, write_zip
from tests.report.report_helpers import pdf_text

pytestmark = pytest.mark.both_engines
OURS = ("Castle Point", "Rochford")


def expected(download, months: list[str], types: tuple[str, ...], unit: str) -> str:  # type: ignore[no-untyped-def]
    """The line worked out from the generator's own counts (not from the code under test)."""
    this = download.total(months, OURS, types)
    last = download.total([f"{int(m[:4]) - 1}{m[4:]}" for m in months], OURS, types)
    diff = this - last
    pct = (Decimal(abs(diff)) * 100 / last).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    word = "increase" if diff > 0 else "reduction"
    amount = f"{abs(diff)} more crimes" if unit == "crimes" else f"{abs(diff)} incidents"
    if unit == "crimes" and diff < 0:
        amount = f"{abs(diff)} fewer crimes"
    return f"{pct}% {word} ({amount})"


def dump(location: Location) -> tuple[list[tuple[object, ...]], ...]:
    def read(session):  # type: ignore[no-untyped-def]
        counts = session.execute(
            select(PoliceCount.month, PoliceCount.district, PoliceCount.crime_type,
                   PoliceCount.count, PoliceCount.id).order_by(PoliceCount.id)
        ).all()  # fmt: skip
        months = session.execute(
            select(PoliceMonth.month, PoliceMonth.no_location, PoliceMonth.imported_at)
        ).all()
        values = session.execute(
            select(IndicatorValue.id, IndicatorValue.indicator_id, IndicatorValue.quarter,
                   IndicatorValue.value, IndicatorValue.previous_value)
            .order_by(IndicatorValue.id)
        ).all()  # fmt: skip
        return [tuple(r) for r in counts], [tuple(r) for r in months], [tuple(r) for r in values]

    with Workspace.open(location, read_only=True) as workspace:
        return workspace.read(read)


@pytest.fixture
def partnership(workspace_path: Location) -> Location:
    with Workspace.open(workspace_path) as workspace:
        workspace.write(
            lambda s: s.execute(update(Partnership).values(areas="Castle Point; Rochford"))
        )
        workspace.write(lambda s: s.execute(update(Plan).values(current_quarter=3)))
    return workspace_path


def test_import_prints_the_committee_lines_everywhere(
    partnership: Location, tmp_path: Path
) -> None:
    made = write_zip(tmp_path / "essex.zip")
    db = str(partnership)
    dry = run_cli("figures", "import", str(made.path), "--db", db, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "Dry run: nothing changed." in dry.stdout
    assert dump(partnership) == ([], [], [])

    done = run_cli("figures", "import", str(made.path), "--db", db)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "essex.zip: 24 street file(s), " in out
    assert "Ignored: 24 outcomes file(s)" in out
    assert "Ignored: 24 stop-and-search file(s) (not crime counts)" in out
    assert "24 months, April 2015 to March 2017 (Essex Police)" in out
    assert "Districts counted: Castle Point, Rochford" in out
    assert "Other districts, ignored: Southend-on-Sea" in out
    assert "Rows with no location, not counted: 72" in out
    assert "Kept 24 month(s) of police data" in out

    q3 = months_between("2016-04", "2016-12")
    all_crime = "All crime: " + expected(made, q3, TYPES[1:], "crimes")
    asb = "Anti-social behaviour: " + expected(made, q3, TYPES[:1], "incidents")
    period = "1 April – 31 December 2016 against the same period of 2015"
    assert all_crime == "All crime: 4.4% increase (18 more crimes)"  # the counts are known
    assert f"  {all_crime}" in out and f"  {asb}" in out

    pdf = tmp_path / "q3.pdf"
    assert run_cli("report", "--db", db, "--quarter", "Q3", "-o", str(pdf)).returncode == 0
    text = " ".join(" ".join(pdf_text(pdf)[1]).split())
    for line in (period, all_crime, asb, "Castle Point", "Rochford"):
        assert line in text, line
    html = tmp_path / "q3.html"
    assert run_cli("report", "--db", db, "--quarter", "Q3", "-o", str(html)).returncode == 0
    page = html.read_text(encoding="utf-8")
    assert f"<li>{all_crime}</li>" in page and f"<li>{asb}</li>" in page
    assert "<h3>Rochford</h3>" in page and f"<p>{period}.</p>" in page
    word = tmp_path / "q3.docx"
    assert run_cli("report", "--db", db, "--quarter", "Q3", "-o", str(word)).returncode == 0
    paragraphs = [p.text for p in docx.Document(str(word)).paragraphs]
    assert "Police recorded crime" in paragraphs and f"{period}." in paragraphs
    assert all_crime in paragraphs and asb in paragraphs and "Rochford" in paragraphs

    export = tmp_path / "plan.xlsx"
    assert run_cli("export-xlsx", "--db", db, "-o", str(export)).returncode == 0
    sheet = openpyxl.load_workbook(export)["Police recorded crime"]
    rows = [row for row in sheet.iter_rows(min_row=2, values_only=True) if row[1]]
    first = rows[0]
    assert first[1:3] == ("All crime", period)
    assert first[6] == all_crime
    assert first[3] == made.total(q3, OURS, TYPES[1:])
    assert {row[0] for row in rows} == {"Test Vale CSP", "Castle Point", "Rochford"}

    before = dump(partnership)
    again = run_cli("figures", "import", str(made.path), "--db", db)
    assert again.returncode == 0, again.stderr
    assert "Nothing changed: the same counts are already kept." in again.stdout
    assert dump(partnership) == before


def bad_zip(tmp_path: Path) -> Path:
    made = write_zip(tmp_path / "full.zip", TWO_YEARS[:2])
    cut = tmp_path / "cut.zip"
    cut.write_bytes(made.path.read_bytes()[:-200])
    return cut


def other_shape(tmp_path: Path) -> Path:
    path = tmp_path / "crimes.csv"
    path.write_text("Date,Ward,Offence\n2016-04-01,Rayleigh,Burglary\n", encoding="utf-8")
    return path


def twice(tmp_path: Path) -> list[Path]:
    row = ["", "2016-04", "P", "Essex Police", "", "", "", "", "Rochford 001A", "Burglary", "", ""]
    paths = []
    for n, folder in ((1, "a"), (2, "b")):
        path = tmp_path / folder / "2016-04-essex-street.csv"
        path.parent.mkdir()
        path.write_text(csv_text(HEADER, [row] * n), encoding="utf-8")
        paths.append(path)
    return paths


def elsewhere(tmp_path: Path) -> Path:
    path = tmp_path / "2016-04-kent-street.csv"
    rows = [["", "2016-04", "Kent Police", "Kent Police", "", "", "", "", f"{d} 001A", "Drugs",
             "", ""] for d in ("Maidstone", "Dover", "Dover")]  # fmt: skip
    path.write_text(csv_text(HEADER, rows), encoding="utf-8")
    return path


def too_old(tmp_path: Path) -> Path:
    return write_zip(tmp_path / "old.zip", ["2014-12", "2015-04"]).path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (bad_zip, "cut.zip: the zip is damaged or incomplete (was the download cut short?)"),
        (other_shape, "crimes.csv: crimes.csv is not a police street-level crime file: no column "
                      "Month, Falls within, LSOA name, Crime type (its columns: Date, Ward, "
                      "Offence)"),
        (twice, "2016-04 (Essex Police) is given twice with different counts"),
        (elsewhere, "no row lies in the partnership's districts (its areas: 'Castle Point; "
                    "Rochford'); the download holds Dover (2 rows), Maidstone (1 row)"),
        (too_old, "2014-12 lies outside 2015/16 and 2016/17 (the plan's year and the year "
                  "before); download April 2015 to March 2017 only"),
    ],
)  # fmt: skip
def test_bad_input_changes_nothing_and_says_why_in_one_line(
    partnership: Location,
    tmp_path: Path,
    make,
    message: str,  # type: ignore[no-untyped-def]
) -> None:
    db = str(partnership)
    first = write_zip(tmp_path / "first.zip", months_between("2016-03", "2016-05"))
    assert run_cli("figures", "import", str(first.path), "--db", db).returncode == 0
    before = dump(partnership)
    made = make(tmp_path)
    paths = [str(p) for p in made] if isinstance(made, list) else [str(made)]
    result = run_cli("figures", "import", *paths, "--db", db)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert message in lines[0]
    assert lines[0].endswith("nothing imported")
    assert dump(partnership) == before


def test_district_option_chooses_the_districts(partnership: Location, tmp_path: Path) -> None:
    made = write_zip(tmp_path / "essex.zip", months_between("2015-04", "2016-06"))
    db = str(partnership)
    result = run_cli("figures", "import", str(made.path), "--db", db, "--district", "rochford")
    assert result.returncode == 0, result.stderr
    assert "Districts counted: Rochford (" in result.stdout
    assert "Other districts, ignored: " in result.stdout and "Castle Point" in result.stdout
    unknown = run_cli("figures", "import", str(made.path), "--db", db, "--district", "Leeds")
    assert unknown.returncode == 1
    assert "no row lies in Leeds; the download holds" in unknown.stderr
    sheet = run_cli("figures", "import", str(made.path), "--db", db, "--priority", "1")
    assert sheet.returncode == 1
    assert "--priority apply to a performance workbook, not police data" in sheet.stderr


def test_the_analysts_workbook_still_takes_its_own_path(partnership: Location) -> None:
    missing = run_cli("figures", "import", "nowhere.xlsx", "--db", str(partnership))
    assert missing.returncode == 1
    assert "nowhere.xlsx" in missing.stderr and "street" not in missing.stderr


def test_export_json_carries_the_counts_kept(partnership: Location, tmp_path: Path) -> None:
    import json

    made = write_zip(tmp_path / "essex.zip", months_between("2016-03", "2016-04"))
    db = str(partnership)
    assert run_cli("figures", "import", str(made.path), "--db", db).returncode == 0
    data = json.loads(run_cli("export-json", "--db", db).stdout)["police_data"]
    assert [m["month"] for m in data["months"]] == ["2016-03", "2016-04"]
    assert data["months"][0]["no_location"] == 3
    kept = {(c["month"], c["district"], c["crime_type"]): c["count"] for c in data["counts"]}
    assert kept == {key: n for key, n in made.counts.items() if key[1] in OURS}
