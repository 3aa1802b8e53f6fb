"""Reading police open data: a download of our own making in the real layout (zip, folder, CSV
files) gives its known counts; every bad input is refused in one line naming what is wrong."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from cspdesk.io.gate import ImportRefused
from cspdesk.io.police_data import read_police_data
from cspdesk.io.police_rows import district_of
from tests.police_download import (
    DISTRICTS,
    HEADER,
    NO_LOCATION_PER_MONTH,
    TWO_YEARS,
    TYPES,
    csv_text,
    download_files,
    write_folder,
    write_zip,
)


def as_counts(download) -> dict[tuple[str, str, str], int]:  # type: ignore[no-untyped-def]
    return {
        (month, district, crime_type): n
        for month, counts in download.months.items()
        for (district, crime_type), n in counts.counts.items()
    }


def test_a_download_zip_gives_its_known_counts(tmp_path: Path) -> None:
    made = write_zip(tmp_path / "download.zip")
    seen: list[tuple[int, int]] = []
    read = read_police_data([made.path], lambda done, total: seen.append((done, total)))
    assert sorted(read.months) == list(TWO_YEARS)
    assert as_counts(read) == made.counts
    assert all(m.no_location == NO_LOCATION_PER_MONTH for m in read.months.values())
    assert all(m.forces == ("Essex Police",) for m in read.months.values())
    assert read.rows == sum(made.counts.values()) + 24 * NO_LOCATION_PER_MONTH
    assert len(read.street_files) == 24
    whys = sorted({item.why for item in read.ignored})
    assert whys == ["outcomes", "stop-and-search"]
    assert len(read.ignored) == 48
    assert seen and seen[-1][0] == seen[-1][1]  # progress reaches its end
    # ASB rows have no Crime ID and are counted all the same.
    asb = sum(n for (m, d, t), n in as_counts(read).items() if t == TYPES[0])
    assert asb == sum(n for (m, d, t), n in made.counts.items() if t == TYPES[0]) > 0


def test_a_folder_and_csv_files_give_the_same_counts(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "unzipped", TWO_YEARS[:3])
    read = read_police_data([folder.path])
    assert as_counts(read) == folder.counts
    files = sorted((folder.path).rglob("*-street.csv"))
    one_by_one = read_police_data(files)
    assert as_counts(one_by_one) == folder.counts
    renamed = tmp_path / "april.csv"  # a street file saved under another name
    renamed.write_bytes(files[0].read_bytes())
    assert sorted(read_police_data([renamed]).months) == [TWO_YEARS[0]]


def test_district_is_the_lsoa_name_without_its_code() -> None:
    assert district_of("Rochford 004B") == "Rochford"
    assert district_of("Castle Point 012C") == "Castle Point"
    assert district_of("Brighton and Hove 027E") == "Brighton and Hove"
    assert district_of("Somewhere") == "Somewhere"


def refused(tmp_path: Path, *paths: Path) -> str:
    with pytest.raises(ImportRefused) as caught:
        read_police_data(list(paths))
    return str(caught.value)


def test_a_truncated_zip_is_refused(tmp_path: Path) -> None:
    made = write_zip(tmp_path / "download.zip", TWO_YEARS[:2])
    data = made.path.read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(data[: len(data) // 2])
    message = refused(tmp_path, cut)
    assert message.startswith("cut.zip: the zip is damaged or incomplete")


def test_a_damaged_member_is_refused(tmp_path: Path) -> None:
    made = write_zip(tmp_path / "download.zip", TWO_YEARS[:1])
    data = bytearray(made.path.read_bytes())
    with zipfile.ZipFile(made.path) as archive:
        street = next(i for i in archive.infolist() if i.filename.endswith("-street.csv"))
    start = street.header_offset + 30 + len(street.filename) + len(street.extra)
    data[start + street.compress_size // 2] ^= 0xFF
    bad = tmp_path / "bad.zip"
    bad.write_bytes(bytes(data))
    # Caught by the row it garbles, or else by the zip's checksum: refused either way.
    message = refused(tmp_path, bad)
    assert message.startswith("bad.zip: ") and "damaged" in message


def test_a_csv_of_another_shape_names_the_missing_columns(tmp_path: Path) -> None:
    other = tmp_path / "2016-04-essex-street.csv"
    other.write_text("Crime ID,Month,Falls within,Type\n1,2016-04,Essex Police,Burglary\n")
    message = refused(tmp_path, other)
    assert message == (
        "2016-04-essex-street.csv: 2016-04-essex-street.csv is not a police street-level crime "
        "file: no column LSOA name, Crime type (its columns: Crime ID, Month, Falls within, Type)"
    )
    outcomes = tmp_path / "outcomes.csv"
    outcomes.write_text(csv_text([*HEADER[:9], "Outcome type"], []))
    assert "is an outcomes file" in refused(tmp_path, outcomes)


def test_a_month_given_twice_with_different_counts_is_refused(tmp_path: Path) -> None:
    files, _ = download_files(TWO_YEARS[:1])
    street = next(text for name, text in files.items() if name.endswith("-street.csv"))
    first = tmp_path / "a" / "2015-04-essex-street.csv"
    second = tmp_path / "b" / "2015-04-essex-street.csv"
    for path in (first, second):
        path.parent.mkdir()
    first.write_text(street)
    second.write_text(street)
    same = read_police_data([first, second])  # the same file twice: counted once, said so
    assert same.duplicates == ["2015-04-essex-street.csv"]
    assert sum(same.months["2015-04"].counts.values()) == street.count("\n") - 1 - 3
    second.write_text(street + street.splitlines()[1] + "\n")  # one more row
    message = refused(tmp_path, first, second)
    assert message.endswith(
        "2015-04 (Essex Police) is given twice with different counts, in "
        "2015-04-essex-street.csv and 2015-04-essex-street.csv; give each month once"
    )


def test_bad_rows_are_named_with_their_row(tmp_path: Path) -> None:
    path = tmp_path / "2016-04-essex-street.csv"
    good = ["", "2016-04", "P", "Essex Police", "", "", "", "", "Rochford 001A", "Burglary", "", ""]
    path.write_text(csv_text(HEADER, [good, [*good[:1], "April 16", *good[2:]]]))
    assert "row 3, column Month: 'April 16' is not a month like 2016-04" in refused(tmp_path, path)
    path.write_text(csv_text(HEADER, [good, good[:5]]))
    assert "row 3: 5 values where the header has 12" in refused(tmp_path, path)
    path.write_text(csv_text(HEADER, [good, [*good[:8], "Rochford " + "x" * 200, *good[9:]]]))
    assert "row 3: a Falls within, LSOA name or Crime type longer than 100" in refused(
        tmp_path, path
    )
    path.write_bytes(csv_text(HEADER, [good]).encode() + b"\xff\xfe bad\n")
    assert "not UTF-8 text" in refused(tmp_path, path)


def test_hostile_zips_are_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "2016-04/2016-04-essex-street.csv", ",".join(HEADER) + "\n" + "," * 5_000_000
        )
    assert "refused as a possible zip bomb" in refused(tmp_path, bomb)

    outside = tmp_path / "outside.zip"
    with zipfile.ZipFile(outside, "w") as archive:
        archive.writestr("../2016-04-essex-street.csv", ",".join(HEADER) + "\n")
    assert "names a file outside itself" in refused(tmp_path, outside)

    twice = tmp_path / "twice.zip"
    with zipfile.ZipFile(twice, "w") as archive:
        archive.writestr("2016-04/2016-04-essex-street.csv", ",".join(HEADER) + "\n")
        archive.writestr("2016-04/2016-04-Essex-street.csv", ",".join(HEADER) + "\n")
    assert "twice (or under names differing in case)" in refused(tmp_path, twice)

    nothing = tmp_path / "nothing.zip"
    with zipfile.ZipFile(nothing, "w") as archive:
        archive.writestr("2016-04/2016-04-essex-outcomes.csv", ",".join(HEADER) + "\n")
        archive.writestr("readme.txt", "hello")
    message = refused(tmp_path, nothing)
    assert message.startswith("nothing.zip: no street-level crime file")
    assert "(other, outcomes files only)" in message


def test_every_district_and_type_is_read(tmp_path: Path) -> None:
    made = write_zip(tmp_path / "download.zip", TWO_YEARS[:1])
    read = read_police_data([made.path])
    assert {d for d, _ in read.months[TWO_YEARS[0]].counts} == set(DISTRICTS)
    assert {t for _, t in read.months[TWO_YEARS[0]].counts} == set(TYPES)


def test_quoted_fields_and_windows_line_ends_count_the_same(tmp_path: Path) -> None:
    files, _ = download_files(TWO_YEARS[:1])
    street = next(text for name, text in files.items() if name.endswith("-street.csv"))
    plain = tmp_path / "plain" / "2015-04-essex-street.csv"
    plain.parent.mkdir()
    plain.write_text(street, encoding="utf-8")
    expected = as_counts(read_police_data([plain]))
    crlf = tmp_path / "crlf" / "2015-04-essex-street.csv"
    crlf.parent.mkdir()
    crlf.write_bytes(b"\xef\xbb\xbf" + street.replace("\n", "\r\n").encode())
    assert as_counts(read_police_data([crlf])) == expected
    quoted = tmp_path / "quoted" / "2015-04-essex-street.csv"
    quoted.parent.mkdir()
    lines = street.splitlines()
    # A context with a comma is quoted: the file goes through the csv module, same counts.
    lines[1] = lines[1].rsplit(",", 1)[0] + ',"Reported late, by phone"'
    quoted.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert as_counts(read_police_data([quoted])) == expected
