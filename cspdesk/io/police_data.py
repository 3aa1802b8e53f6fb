"""Police open data (data.police.uk) read into counts per month, district and crime type.

A download is a zip with a folder per month holding ``YYYY-MM-<force>-street.csv`` (and
``-outcomes.csv`` and ``-stop-and-search.csv`` files, which are not crime counts and are
ignored, said so); a folder of the same, or street CSV files given one by one
(io.police_files finds them, io.police_rows counts each). Any damage met while reading (a
truncated download, a bad CRC) refuses the whole download: nothing is imported from part of one.
A month given twice is counted once if the counts agree, and refused if they do not.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cspdesk.core.figures.police import MonthCounts
from cspdesk.core.workspace.plan_tree import paused_gc
from cspdesk.io.gate import ImportRefused
from cspdesk.io.police_files import (
    DAMAGED,
    IGNORED_WORDS,
    MAX_STREET_BYTES,
    OTHER,
    Ignored,
    Source,
    open_sources,
)
from cspdesk.io.police_rows import NOT_KEPT, USED_COLUMNS, MonthParts, count_street

Progress = Callable[[int, int], None]


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


def read_police_data(paths: Sequence[Path], progress: Progress | None = None) -> PoliceDownload:
    """Read a download (a zip, a folder, or street CSV files) into counts; ImportRefused for
    anything that is not one, naming the file (and row and column) and what to do."""
    if not paths:
        raise ImportRefused(Path("."), "give a police data download (zip), folder or CSV file")
    first = Path(paths[0])
    download = PoliceDownload(first)
    # Many fresh row lists and no cycles: the collector would run often and find nothing.
    with paused_gc(), open_sources(paths, download.ignored) as sources:
        _read_sources(first, sources, download, progress)
    if not download.street_files:
        what = ", ".join(sorted({i.why for i in download.ignored})) or "no CSV"
        what = f"{what} files only" if download.ignored else "no CSV files"
        raise ImportRefused(
            first,
            f"no street-level crime file (YYYY-MM-<force>-street.csv) in it ({what}); "
            "download 'crime data' from data.police.uk",
        )
    return download


def _read_sources(
    path: Path, sources: list[Source], download: PoliceDownload, progress: Progress | None
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
    parts: MonthParts = {}
    for source in sources:
        try:
            found = count_street(path, source)
        except ImportRefused:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError) as error:
            raise ImportRefused(path, f"{source.name}: {DAMAGED}") from error
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
    parts: MonthParts,
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
        yield f"Ignored: {len(names)} {IGNORED_WORDS[why]}" + (named if why == OTHER else "")
    for name in download.duplicates:
        yield f"Ignored: {name} (given twice, the same counts)"
