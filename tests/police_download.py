"""A police open-data download of our own making, in data.police.uk's real layout, with its
counts known: a zip (or folder) with a folder per month holding ``YYYY-MM-essex-street.csv``,
``-outcomes.csv`` and ``-stop-and-search.csv``; districts Castle Point, Rochford and
Southend-on-Sea; ASB rows with no Crime ID; rows with no location (empty LSOA fields).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

FORCE = "essex"
FORCE_NAME = "Essex Police"
HEADER = [
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
]
OUTCOMES_HEADER = [*HEADER[:9], "Outcome type"]
STOP_HEADER = ["Type", "Date", "Part of a policing operation", "Policing operation", "Latitude",
               "Longitude", "Gender", "Age range", "Self-defined ethnicity",
               "Officer-defined ethnicity", "Legislation", "Object of search",
               "Outcome"]  # fmt: skip
TYPES = (
    "Anti-social behaviour",
    "Burglary",
    "Criminal damage and arson",
    "Shoplifting",
    "Vehicle crime",
    "Violence and sexual offences",
)
DISTRICTS = ("Castle Point", "Rochford", "Southend-on-Sea")
NO_LOCATION_PER_MONTH = 3


def months_between(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


TWO_YEARS = tuple(months_between("2015-04", "2017-03"))


def known_count(month: str, district: str, crime_type: str) -> int:
    """The rows the download holds for a month, district and type: small, varied, known."""
    i = TWO_YEARS.index(month) if month in TWO_YEARS else int(month[5:])
    j = DISTRICTS.index(district) if district in DISTRICTS else 1
    k = TYPES.index(crime_type)
    base = 20 if k == 0 else 2
    # The second year has a few more crimes than the first, so the lines say "increase".
    later = i >= 12
    change = {0: j + 1, 1: 1, 2: -1, 5: 1}.get(k, 0) if later else 0
    return base + (i * 3 + j * 5 + k * 7) % 6 + change


@dataclass
class Download:
    path: Path
    months: list[str]
    counts: dict[tuple[str, str, str], int] = field(default_factory=dict)

    def total(self, months: Iterable[str], districts: Iterable[str], types: Iterable[str]) -> int:
        wanted = (set(months), set(districts), set(types))
        return sum(
            n
            for (m, d, t), n in self.counts.items()
            if m in wanted[0] and d in wanted[1] and t in wanted[2]
        )


def _street_rows(
    month: str, count: Callable[[str, str, str], int], counts: dict[tuple[str, str, str], int]
) -> list[list[str]]:
    rows = []
    for d_index, district in enumerate(DISTRICTS):
        for crime_type in TYPES:
            n = count(month, district, crime_type)
            counts[(month, district, crime_type)] = n
            for r in range(n):
                asb = crime_type == TYPES[0]
                crime_id = (
                    ""
                    if asb
                    else hashlib.sha256(f"{month}{district}{crime_type}{r}".encode()).hexdigest()
                )
                lsoa = f"{district} {d_index * 7 + r % 9 + 1:03d}{'ABCDE'[r % 5]}"
                rows.append(
                    [crime_id, month, FORCE_NAME, FORCE_NAME, "0.612345", "51.587654",
                     "On or near High Street", f"E0102{d_index}{r % 100:03d}", lsoa, crime_type,
                     "" if asb else "Investigation complete; no suspect identified", ""]
                )  # fmt: skip
    for r in range(NO_LOCATION_PER_MONTH):
        rows.append(
            [f"nl{month}{r}", month, FORCE_NAME, FORCE_NAME, "", "", "No location", "", "",
             "Violence and sexual offences", "Under investigation", ""]
        )  # fmt: skip
    return rows


def csv_text(header: list[str], rows: Iterable[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def download_files(
    months: Iterable[str] = TWO_YEARS,
    count: Callable[[str, str, str], int] = known_count,
) -> tuple[dict[str, str], dict[tuple[str, str, str], int]]:
    """The download's files (path inside the zip -> text) and the counts they hold."""
    files: dict[str, str] = {}
    counts: dict[tuple[str, str, str], int] = {}
    for month in months:
        folder = f"{month}/{month}-{FORCE}"
        files[f"{folder}-street.csv"] = csv_text(HEADER, _street_rows(month, count, counts))
        files[f"{folder}-outcomes.csv"] = csv_text(
            OUTCOMES_HEADER,
            [["abc", month, FORCE_NAME, FORCE_NAME, "", "", "", "", "", "Unable to prosecute"]],
        )
        files[f"{folder}-stop-and-search.csv"] = csv_text(
            STOP_HEADER, [["Person search", f"{month}-03T10:00:00+00:00"] + [""] * 11]
        )
    return files, counts


def write_zip(
    path: Path,
    months: Iterable[str] = TWO_YEARS,
    count: Callable[[str, str, str], int] = known_count,
) -> Download:
    months = list(months)
    files, counts = download_files(months, count)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return Download(path, months, counts)


def write_folder(folder: Path, months: Iterable[str] = TWO_YEARS) -> Download:
    months = list(months)
    files, counts = download_files(months)
    for name, text in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return Download(folder, months, counts)


def first_day(month: str) -> dt.date:
    return dt.date(int(month[:4]), int(month[5:]), 1)
