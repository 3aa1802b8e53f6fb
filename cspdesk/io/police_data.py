"""Police open data (data.police.uk) read into counts per month, district and crime type.

A download is a zip with a folder per month holding ``YYYY-MM-<force>-street.csv`` (and
``-outcomes.csv`` and ``-stop-and-search.csv`` files, which are not crime counts and are
ignored, said so); a folder of the same, or street CSV files given one by one. Every street
row is counted (Month, Falls within, LSOA name, Crime type are the columns used; the location
detail, outcome and context are not kept, and the preview says so); a row with no LSOA name has
no location and is counted apart. The stdlib csv module reads each file straight from the zip.

The zip passes a gate first (size, member count and names, encryption, expansion ratio), and
any damage met while reading (a truncated download, a bad CRC) refuses the whole download:
nothing is imported from part of one.
"""

from __future__ import annotations

import csv
import io
import itertools
import operator
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from cspdesk.core.figures.police import MonthCounts
from cspdesk.core.workspace.plan_tree import paused_gc
from cspdesk.io.gate import ImportRefused
from cspdesk.io.sniff import sniff

Progress = Callable[[int, int], None]

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

MAX_ZIP_BYTES = 1024 * 1024 * 1024  # 36 months of the largest force is about 700 MB zipped
MAX_STREET_BYTES = 4 * 1024 * 1024 * 1024  # uncompressed street CSV, all files together
MAX_MEMBERS = 10_000
MAX_MEMBER_RATIO = 100  # street CSV compresses about 5-fold; far more is a zip bomb
RATIO_CHECKED_FROM = 1024 * 1024
MAX_FIELD = 100  # a force, LSOA name or crime type: the longest real one is under 50

_STREET = re.compile(r"(\d{4}-\d{2})-(.+)-street\.csv", re.IGNORECASE)
_OUTCOMES = re.compile(r".+-outcomes\.csv", re.IGNORECASE)
_STOP_SEARCH = re.compile(r".+-stop-and-search\.csv", re.IGNORECASE)
_MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")
_LSOA_SUFFIX = re.compile(r"\s+\d{3}[A-Z]$")  # "Rochford 004B" -> "Rochford"


def district_of(lsoa_name: str) -> str:
    """The district an LSOA name begins with ("Castle Point 012C" -> "Castle Point")."""
    return _LSOA_SUFFIX.sub("", lsoa_name.strip())


@dataclass(frozen=True)
class Ignored:
    """A file of the download that is not counted, and why."""

    name: str
    why: str


@dataclass
class PoliceDownload:
    """What a download holds: counts per month (see core.figures.police.MonthCounts)."""

    path: Path
    months: dict[str, MonthCounts] = field(default_factory=dict)  # "2016-04" -> counts
    street_files: list[str] = field(default_factory=list)
    ignored: list[Ignored] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)  # given twice, the same counts

    @property
    def rows(self) -> int:
        return sum(m.rows for m in self.months.values())


@dataclass(frozen=True)
class _Source:
    """One CSV to read: its name as shown, its size, and how to open it as bytes."""

    name: str
    size: int
    open: Callable[[], IO[bytes]]


def read_police_data(paths: Sequence[Path], progress: Progress | None = None) -> PoliceDownload:
    """Read a download (a zip, a folder, or street CSV files) into counts; ImportRefused for
    anything that is not one, naming the file (and row and column) and what to do."""
    if not paths:
        raise ImportRefused(Path("."), "give a police data download (zip), folder or CSV file")
    first = Path(paths[0])
    with paused_gc():  # many fresh row lists, no cycles: collections would find nothing
        return _read_all(paths, first, progress)


def _read_all(paths: Sequence[Path], first: Path, progress: Progress | None) -> PoliceDownload:
    download = PoliceDownload(first)
    if len(paths) == 1 and first.is_dir():
        sources = list(_folder_sources(first, download))
        _read_sources(first, sources, download, progress)
    elif len(paths) == 1 and (first.suffix.lower() == ".zip" or _is_zip(first)):
        with _open_zip(first) as archive:
            sources = _zip_sources(first, archive, download)
            _read_sources(first, sources, download, progress)
    else:
        given = [_file_source(Path(p), download, named=True) for p in paths]
        _read_sources(first, [s for s in given if s is not None], download, progress)
    if not download.street_files:
        what = ", ".join(sorted({i.why for i in download.ignored})) or "no CSV"
        what = f"{what} files only" if download.ignored else "no CSV files"
        raise ImportRefused(
            first,
            f"no street-level crime file (YYYY-MM-<force>-street.csv) in it ({what}); "
            "download 'crime data' from data.police.uk",
        )
    return download


def _is_zip(path: Path) -> bool:
    try:
        return path.is_file() and sniff(path) == "zip"
    except OSError:
        return False


# ---- where the CSV files come from -----------------------------------------------------------


def _kind(name: str) -> str | None:
    """ "street", "outcomes", "stop-and-search", or None for any other file."""
    base = name.rsplit("/", 1)[-1]
    if _STREET.fullmatch(base):
        return "street"
    if _OUTCOMES.fullmatch(base):
        return "outcomes"
    if _STOP_SEARCH.fullmatch(base):
        return "stop-and-search"
    return None


IGNORED_WHY = {
    "outcomes": "outcomes",
    "stop-and-search": "stop-and-search",
}
OTHER = "other"
_IGNORED_WORDS = {
    "outcomes": "outcomes file(s) (the crimes themselves are counted from the street files)",
    "stop-and-search": "stop-and-search file(s) (not crime counts)",
    OTHER: "other file(s), not police data",
}


def _sort_key(source: _Source) -> str:
    return source.name


def _folder_sources(folder: Path, download: PoliceDownload) -> Iterator[_Source]:
    found = sorted(p for p in folder.rglob("*") if p.is_file())
    if len(found) > MAX_MEMBERS:
        raise ImportRefused(folder, f"the folder holds {len(found)} files; too many to read")
    for path in found:
        source = _file_source(path, download, named=False, shown=str(path.relative_to(folder)))
        if source is not None:
            yield source


def _file_source(
    path: Path, download: PoliceDownload, *, named: bool, shown: str | None = None
) -> _Source | None:
    """A street CSV to read, or None (ignored, noted). ``named``: the officer gave this file
    itself, so one of another name is read if its header is a street file's."""
    name = shown or path.name
    if not path.is_file():
        raise ImportRefused(path, "no such file" if not path.exists() else "is not a file")
    kind = _kind(path.name)
    if kind is None and not (named and path.suffix.lower() == ".csv"):
        if named:
            raise ImportRefused(path, "is not a police data download (zip), folder or CSV file")
        download.ignored.append(Ignored(name, OTHER))
        return None
    if kind in IGNORED_WHY:
        download.ignored.append(Ignored(name, IGNORED_WHY[kind]))
        return None
    return _Source(name, path.stat().st_size, lambda: path.open("rb"))


@contextmanager
def _open_zip(path: Path) -> Iterator[zipfile.ZipFile]:
    size = path.stat().st_size
    if size > MAX_ZIP_BYTES:
        raise ImportRefused(
            path, f"the zip is {size // 1_048_576} MB; the limit is {MAX_ZIP_BYTES // 1_048_576} MB"
        )
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise ImportRefused(path, _DAMAGED) from error
    with archive:
        yield archive


_DAMAGED = (
    "the zip is damaged or incomplete (was the download cut short?); download it again from "
    "data.police.uk"
)


def _zip_sources(path: Path, archive: zipfile.ZipFile, download: PoliceDownload) -> list[_Source]:
    members = [m for m in archive.infolist() if not m.is_dir()]
    if len(members) > MAX_MEMBERS:
        raise ImportRefused(path, f"the zip holds {len(members)} files; too many to be safe")
    seen: dict[str, str] = {}
    sources: list[_Source] = []
    for member in members:
        name = member.filename
        if name.startswith(("/", "\\")) or ".." in name.replace("\\", "/").split("/"):
            raise ImportRefused(path, f"the zip names a file outside itself ({name}); refused")
        key = name.lower()
        if key in seen:
            raise ImportRefused(
                path, f"the zip holds {name} twice (or under names differing in case); refused"
            )
        seen[key] = name
        kind = _kind(name)
        if kind is None:
            download.ignored.append(Ignored(name, OTHER))
            continue
        if kind in IGNORED_WHY:
            download.ignored.append(Ignored(name, IGNORED_WHY[kind]))
            continue
        if member.flag_bits & 0x1:
            raise ImportRefused(path, f"{name} is encrypted; download the data again")
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_CHECKED_FROM and ratio > MAX_MEMBER_RATIO:
            raise ImportRefused(
                path, f"{name} expands {ratio:.0f}-fold; refused as a possible zip bomb"
            )
        sources.append(_Source(name, member.file_size, _opener(archive, member)))
    return sorted(sources, key=_sort_key)


def _opener(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> Callable[[], IO[bytes]]:
    return lambda: archive.open(member)


# ---- reading the street files ----------------------------------------------------------------


def _read_sources(
    path: Path, sources: list[_Source], download: PoliceDownload, progress: Progress | None
) -> None:
    total = sum(s.size for s in sources) or 1
    if total > MAX_STREET_BYTES:
        raise ImportRefused(
            path,
            f"the street files hold {total // 1_048_576} MB; the limit is "
            f"{MAX_STREET_BYTES // 1_048_576} MB (download fewer months)",
        )
    done = 0
    owner: dict[tuple[str, str], str] = {}  # (month, force) -> the file it came from
    parts: dict[tuple[str, str], tuple[dict[tuple[str, str], int], int]] = {}
    for source in sources:
        try:
            found = _read_street(path, source)
        except ImportRefused:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError) as error:
            raise ImportRefused(path, f"{source.name}: {_DAMAGED}") from error
        except OSError as error:
            raise ImportRefused(
                path, f"{source.name} cannot be read ({error.strerror or error})"
            ) from error
        repeated = [key for key in found if key in owner]
        if len(repeated) == len(found) and all(parts[key] == found[key] for key in repeated):
            download.duplicates.append(source.name)
            done += source.size
            continue
        for key in repeated:
            if parts[key] != found[key]:
                month, force = key
                raise ImportRefused(
                    path,
                    f"{month} ({force}) is given twice with different counts, in "
                    f"{owner[key]} and {source.name}; give each month once",
                )
        for key, part in found.items():
            if key not in owner:
                owner[key] = source.name
                parts[key] = part
        download.street_files.append(source.name)
        done += source.size
        if progress is not None:
            progress(done, total)
    _merge(parts, owner, download)


def _merge(
    parts: dict[tuple[str, str], tuple[dict[tuple[str, str], int], int]],
    owner: dict[tuple[str, str], str],
    download: PoliceDownload,
) -> None:
    for (month, force), (counts, no_location) in sorted(parts.items()):
        current = download.months.get(month)
        merged: dict[tuple[str, str], int] = dict(current.counts) if current else {}
        for key, n in counts.items():
            merged[key] = merged.get(key, 0) + n
        download.months[month] = MonthCounts(
            month=month,
            counts=merged,
            no_location=(current.no_location if current else 0) + no_location,
            forces=tuple(sorted({*(current.forces if current else ()), force})),
            files=tuple(sorted({*(current.files if current else ()), owner[(month, force)]})),
        )


def _header_error(name: str, header: list[str]) -> str:
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


def _read_street(
    path: Path, source: _Source
) -> dict[tuple[str, str], tuple[dict[tuple[str, str], int], int]]:
    """One street file's rows counted per (month, force): ({(district, type): rows}, rows
    without a location). Row numbers count the header as row 1."""
    counts = _count_fast(source) if source.size <= FAST_BYTES else None
    if counts is None:
        counts = _count_csv(path, source)
    return _grouped(path, source, counts)


def _count_fast(source: _Source) -> Counter[tuple[str, ...]] | None:
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


def _count_csv(path: Path, source: _Source) -> Counter[tuple[str, ...]]:
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
                raise ImportRefused(path, _header_error(source.name, header))
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


def _first_row(source: _Source, wanted: tuple[str, ...]) -> int:
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


def _grouped(
    path: Path, source: _Source, counts: Counter[tuple[str, ...]]
) -> dict[tuple[str, str], tuple[dict[tuple[str, str], int], int]]:
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
    result: dict[tuple[str, str], tuple[dict[tuple[str, str], int], int]] = {}
    for (month, force, district, crime_type), n in summed.items():
        counted, no_location = result.setdefault((month, force), ({}, 0))
        if district:
            counted[(district, crime_type)] = n
        else:
            result[(month, force)] = (counted, no_location + n)
    return result


def describe_sources(download: PoliceDownload) -> Iterable[str]:
    """Lines naming what was read and what was not (for the preview)."""
    yield (
        f"{download.path.name}: {len(download.street_files)} street file(s), "
        f"{download.rows:,} rows; columns used: {', '.join(USED_COLUMNS)} "
        f"(not kept: {', '.join(NOT_KEPT)})"
    )
    kinds: dict[str, list[str]] = {}
    for item in download.ignored:
        kinds.setdefault(item.why, []).append(item.name)
    for why, names in sorted(kinds.items()):
        named = f": {', '.join(names[:5])}" + (" …" if len(names) > 5 else "")
        yield f"Ignored: {len(names)} {_IGNORED_WORDS[why]}" + (named if why == OTHER else "")
    for name in download.duplicates:
        yield f"Ignored: {name} (given twice, the same counts)"
