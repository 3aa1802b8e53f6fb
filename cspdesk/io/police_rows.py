"""One police street-level crime CSV counted per month, force, district and crime type.

The columns used are Month, Falls within, LSOA name and Crime type (the location detail,
outcome and context are not kept); a row with no LSOA name has no location and is counted
apart. A file in the site's own plain layout is counted by one row pattern; any other goes
through the stdlib csv module, which names a bad row (the header is row 1).
"""

from __future__ import annotations

import csv
import io
import itertools
import operator
import re
from collections import Counter
from pathlib import Path

from cspdesk.io.gate import ImportRefused
from cspdesk.io.police_files import Source

STREET_COLUMNS = (
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
)
USED_COLUMNS = ("Month", "Falls within", "LSOA name", "Crime type")
NOT_KEPT = tuple(c for c in STREET_COLUMNS if c not in USED_COLUMNS)
OUTCOME_COLUMNS = {"Outcome type"}
STOP_SEARCH_COLUMNS = {"Object of search", "Officer-defined ethnicity"}

MAX_FIELD = 100  # a force, LSOA name or crime type: the longest real one is under 50
_MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")
_LSOA_SUFFIX = re.compile(r"\s+\d{3}[A-Z]$")  # "Rochford 004B" -> "Rochford"
# (month, force) -> ({(district, crime type): rows}, rows with no location)
MonthParts = dict[tuple[str, str], tuple[dict[tuple[str, str], int], int]]


def district_of(lsoa_name: str) -> str:
    """The district an LSOA name begins with ("Castle Point 012C" -> "Castle Point")."""
    return _LSOA_SUFFIX.sub("", lsoa_name.strip())


def header_error(name: str, header: list[str]) -> str:
    present = set(header)
    missing = [c for c in USED_COLUMNS if c not in present]
    if present & OUTCOME_COLUMNS:
        return f"{name} is an outcomes file, not street-level crime; give the -street.csv files"
    if present & STOP_SEARCH_COLUMNS:
        return f"{name} is a stop-and-search file, not street-level crime"
    shown = ", ".join(h for h in header[:8] if h) or "none"
    return (
        f"{name} is not a police street-level crime file: no column {', '.join(missing)} "
        f"(its columns: {shown})"
    )


CHUNK_ROWS = 4_096  # rows parsed per step: counted in C, memory bounded whatever the file


FAST_BYTES = 48 * 1024 * 1024  # a month of the largest force is about 30 MB
_FIELD = "([^,\n]*)"
_SKIP = "[^,\n]*"
_DISTRICT = "([^,\n]*?)(?: \\d{3}[A-Z])?"  # the LSOA name without its code, as district_of
# A street row as the site writes it (12 columns, no quotes): Month, Falls within, the LSOA
# name's district and Crime type captured, so rows are counted per district from the start.
# Less than half the work of the csv module; any row it does not fit sends the whole file
# through csv, which then names the row.
_FAST_ROW = re.compile(
    "^"
    + ",".join(
        [_SKIP, _FIELD, _SKIP, _FIELD, _SKIP, _SKIP, _SKIP, _SKIP, _DISTRICT, _FIELD, _SKIP, _SKIP]
    )
    + "\r?$",
    re.MULTILINE,
)


def count_street(path: Path, source: Source) -> MonthParts:
    """One street file's rows counted per (month, force): ({(district, type): rows}, rows
    without a location). Row numbers count the header as row 1."""
    counts = _count_fast(source) if source.size <= FAST_BYTES else None
    if counts is None:
        counts = _count_csv(path, source)
    return _grouped(path, source, counts)


def _count_fast(source: Source) -> Counter[tuple[str, ...]] | None:
    """The rows counted by the row pattern, or None when the file is not exactly the site's
    plain layout (then the csv module reads it, and names any bad row)."""
    with source.open() as raw:
        data = raw.read(FAST_BYTES + 1)
    if len(data) > FAST_BYTES:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    del data
    header, _, body = text.partition("\n")
    if header.rstrip("\r").split(",") != list(STREET_COLUMNS) or '"' in body:
        return None
    found = _FAST_ROW.findall(body)
    lines = body.splitlines()
    if len(found) != len(lines) - lines.count(""):
        return None
    return Counter(found)


def _count_csv(path: Path, source: Source) -> Counter[tuple[str, ...]]:
    counts: Counter[tuple[str, ...]] = Counter()
    row = 1
    with source.open() as raw:
        reader = csv.reader(io.TextIOWrapper(raw, encoding="utf-8-sig", newline=""))
        try:
            header = next(reader, None)
            if header is None:
                raise ImportRefused(path, f"{source.name} is empty")
            header = [h.strip() for h in header]
            if any(c not in header for c in USED_COLUMNS):
                raise ImportRefused(path, header_error(source.name, header))
            width = len(header)
            key = operator.itemgetter(*(header.index(c) for c in USED_COLUMNS))
            while rows := list(itertools.islice(reader, CHUNK_ROWS)):
                if set(map(len, rows)) != {width}:
                    rows = _checked(path, source.name, rows, width, row)
                counts.update(map(key, rows))
                row += len(rows)
        except csv.Error as error:
            raise ImportRefused(
                path, f"{source.name}, row {reader.line_num}: {error}; the file is damaged"
            ) from error
        except UnicodeDecodeError as error:
            raise ImportRefused(
                path,
                f"{source.name}, after row {reader.line_num}: not UTF-8 text; the file is "
                "damaged or not from data.police.uk",
            ) from error
    return counts


def _checked(
    path: Path, name: str, rows: list[list[str]], width: int, before: int
) -> list[list[str]]:
    """The rows without blank lines; ImportRefused naming the first of another width."""
    for index, values in enumerate(rows, start=before + 1):
        if values and len(values) != width:
            raise ImportRefused(
                path,
                f"{name}, row {index}: {len(values)} values where the header has {width}; "
                "the file is damaged (download it again)",
            )
    return [values for values in rows if values]


def _first_row(source: Source, wanted: tuple[str, ...]) -> int:
    """The row (header = 1) whose used values are ``wanted`` (the LSOA name or its district):
    read again, for a message."""
    month, force, place, crime_type = wanted
    target = (month, force, district_of(place), crime_type)
    with source.open() as raw:
        reader = csv.reader(io.TextIOWrapper(raw, encoding="utf-8-sig", newline=""))
        header = [h.strip() for h in next(reader)]
        key = operator.itemgetter(*(header.index(c) for c in USED_COLUMNS))
        for row, values in enumerate(filter(None, reader), start=2):
            found = key(values)
            if (found[0], found[1], district_of(found[2]), found[3]) == target:
                return row
    return 0  # pragma: no cover - the values came from this file


def _grouped(path: Path, source: Source, counts: Counter[tuple[str, ...]]) -> MonthParts:
    """Rows per (month, force, LSOA, type) summed per (month, force): per (district, type),
    and rows with no location. Each distinct value is checked once, not each row."""
    name = source.name

    def refuse(position: int, value: str, why: str) -> ImportRefused:
        key = next(k for k in counts if k[position] == value)
        return ImportRefused(path, f"{name}, row {_first_row(source, key)}{why}")

    for month in set(map(operator.itemgetter(0), counts)):
        if not _MONTH.fullmatch(month):
            raise refuse(0, month, f", column Month: {month[:40]!r} is not a month like 2016-04")
    values = [set(map(operator.itemgetter(i), counts)) for i in (1, 2, 3)]
    for position, found in zip((1, 2, 3), values, strict=True):
        for value in found:
            if len(value) > MAX_FIELD:
                raise refuse(
                    position,
                    value,
                    f": a Falls within, LSOA name or Crime type longer than {MAX_FIELD} "
                    "characters; not police data",
                )
    forces = {force: force.strip() for force in values[0]}
    places = {lsoa: district_of(lsoa) for lsoa in values[1]}  # "" for no location
    types = {crime_type: crime_type.strip() for crime_type in values[2]}
    if "" in types.values():
        raise refuse(3, next(t for t, clean in types.items() if not clean), ": no Crime type")
    summed: dict[tuple[str, str, str, str], int] = {}
    get = summed.get
    for (month, force, lsoa, crime_type), n in counts.items():
        key = (month, forces[force], places[lsoa], types[crime_type])
        summed[key] = get(key, 0) + n
    result: MonthParts = {}
    for (month, force, district, crime_type), n in summed.items():
        counted, no_location = result.setdefault((month, force), ({}, 0))
        if district:
            counted[(district, crime_type)] = n
        else:
            result[(month, force)] = (counted, no_location + n)
    return result
