"""Where a police data download's CSV files are: a zip (through a gate: size, member count
and names, encryption, expansion ratio), a folder, or files given one by one. Street files are
read; outcomes, stop-and-search and other files are noted as ignored, with why.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from cspdesk.io.gate import ImportRefused
from cspdesk.io.sniff import sniff

MAX_ZIP_BYTES = 1024 * 1024 * 1024  # 36 months of the largest force is about 700 MB zipped
MAX_STREET_BYTES = 4 * 1024 * 1024 * 1024  # uncompressed street CSV, all files together
MAX_MEMBERS = 10_000
MAX_MEMBER_RATIO = 100  # street CSV compresses about 5-fold; far more is a zip bomb
RATIO_CHECKED_FROM = 1024 * 1024

_STREET = re.compile(r"(\d{4}-\d{2})-(.+)-street\.csv", re.IGNORECASE)
_OUTCOMES = re.compile(r".+-outcomes\.csv", re.IGNORECASE)
_STOP_SEARCH = re.compile(r".+-stop-and-search\.csv", re.IGNORECASE)


@dataclass(frozen=True)
class Ignored:
    """A file of the download that is not counted, and why."""

    name: str
    why: str


@dataclass(frozen=True)
class Source:
    """One CSV to read: its name as shown, its size, and how to open it as bytes."""

    name: str
    size: int
    open: Callable[[], IO[bytes]]


@contextmanager
def open_sources(paths: Sequence[Path], ignored: list[Ignored]) -> Iterator[list[Source]]:
    """The street files to read (the zip held open meanwhile); others noted in ``ignored``."""
    first = Path(paths[0])
    if len(paths) == 1 and first.is_dir():
        yield list(_folder_sources(first, ignored))
    elif len(paths) == 1 and (first.suffix.lower() == ".zip" or _is_zip(first)):
        with _open_zip(first) as archive:
            yield _zip_sources(first, archive, ignored)
    else:
        given = [_file_source(Path(p), ignored, named=True) for p in paths]
        yield [s for s in given if s is not None]


def _is_zip(path: Path) -> bool:
    try:
        return path.is_file() and sniff(path) == "zip"
    except OSError:
        return False


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
IGNORED_WORDS = {
    "outcomes": "outcomes file(s) (the crimes themselves are counted from the street files)",
    "stop-and-search": "stop-and-search file(s) (not crime counts)",
    OTHER: "other file(s), not police data",
}


def _sort_key(source: Source) -> str:
    return source.name


def _folder_sources(folder: Path, ignored: list[Ignored]) -> Iterator[Source]:
    found = sorted(p for p in folder.rglob("*") if p.is_file())
    if len(found) > MAX_MEMBERS:
        raise ImportRefused(folder, f"the folder holds {len(found)} files; too many to read")
    for path in found:
        source = _file_source(path, ignored, named=False, shown=str(path.relative_to(folder)))
        if source is not None:
            yield source


def _file_source(
    path: Path, ignored: list[Ignored], *, named: bool, shown: str | None = None
) -> Source | None:
    """A street CSV to read, or None (ignored, noted). ``named``: the officer gave this file
    itself, so one of another name is read if its header is a street file's."""
    name = shown or path.name
    if not path.is_file():
        raise ImportRefused(path, "no such file" if not path.exists() else "is not a file")
    kind = _kind(path.name)
    if kind is None and not (named and path.suffix.lower() == ".csv"):
        if named:
            raise ImportRefused(path, "is not a police data download (zip), folder or CSV file")
        ignored.append(Ignored(name, OTHER))
        return None
    if kind in IGNORED_WHY:
        ignored.append(Ignored(name, IGNORED_WHY[kind]))
        return None
    return Source(name, path.stat().st_size, lambda: path.open("rb"))


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
        raise ImportRefused(path, DAMAGED) from error
    with archive:
        yield archive


DAMAGED = (
    "the zip is damaged or incomplete (was the download cut short?); download it again from "
    "data.police.uk"
)


def _zip_sources(path: Path, archive: zipfile.ZipFile, ignored: list[Ignored]) -> list[Source]:
    members = [m for m in archive.infolist() if not m.is_dir()]
    if len(members) > MAX_MEMBERS:
        raise ImportRefused(path, f"the zip holds {len(members)} files; too many to be safe")
    seen: dict[str, str] = {}
    sources: list[Source] = []
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
            ignored.append(Ignored(name, OTHER))
            continue
        if kind in IGNORED_WHY:
            ignored.append(Ignored(name, IGNORED_WHY[kind]))
            continue
        if member.flag_bits & 0x1:
            raise ImportRefused(path, f"{name} is encrypted; download the data again")
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_CHECKED_FROM and ratio > MAX_MEMBER_RATIO:
            raise ImportRefused(
                path, f"{name} expands {ratio:.0f}-fold; refused as a possible zip bomb"
            )
        sources.append(Source(name, member.file_size, _opener(archive, member)))
    return sorted(sources, key=_sort_key)


def _opener(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> Callable[[], IO[bytes]]:
    return lambda: archive.open(member)
