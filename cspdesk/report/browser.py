"""Find the system's Chromium-based browser and have it print an HTML file to a tagged PDF.

reportlab cannot tag a PDF; headless Chromium (Microsoft Edge on every council laptop, Chrome
or Chromium elsewhere) prints HTML to a PDF with a structure tree, the page language and
bookmarks from the headings. The browser runs with no shell, a fresh profile, no background
networking and a timeout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from cspdesk.errors import CspdeskError

ENVIRONMENT_OVERRIDE = "CSPDESK_BROWSER"
PRINT_TIMEOUT_S = 120

WINDOWS_PLACES = (
    r"Microsoft\Edge\Application\msedge.exe",
    r"Google\Chrome\Application\chrome.exe",
    r"Chromium\Application\chrome.exe",
)
MAC_PLACES = (
    "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
)
COMMAND_NAMES = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "microsoft-edge",
    "microsoft-edge-stable",
    "msedge",
)
QUIET_FLAGS = (
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-sync",
    "--disable-extensions",
    "--metrics-recording-only",
    "--no-first-run",
    "--no-default-browser-check",
    "--mute-audio",
)


class NoBrowserError(CspdeskError):
    """No Chromium-based browser on this computer."""


def _windows_candidates() -> list[Path]:
    roots = [os.environ.get(name) for name in ("PROGRAMFILES(X86)", "PROGRAMFILES", "LOCALAPPDATA")]
    return [Path(root) / place for place in WINDOWS_PLACES for root in roots if root]


def find_browser() -> Path | None:
    """The browser to print with: CSPDESK_BROWSER, then Edge, Chrome or Chromium."""
    override = os.environ.get(ENVIRONMENT_OVERRIDE)
    if override:
        found = shutil.which(override)
        return Path(found) if found else None
    if sys.platform == "win32":
        candidates = _windows_candidates()
    elif sys.platform == "darwin":
        candidates = [Path(place) for place in MAC_PLACES]
    else:
        candidates = []
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    for name in COMMAND_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def no_browser_error() -> NoBrowserError:
    return NoBrowserError(
        "No Microsoft Edge, Chrome or Chromium found to make the accessible PDF "
        f"(set {ENVIRONMENT_OVERRIDE} to one); write the web version (.html) instead"
    )


def _needs_no_sandbox() -> bool:
    # Chromium refuses to start its sandbox as root (containers, CI); elsewhere keep it.
    return sys.platform.startswith("linux") and os.geteuid() == 0


def print_to_pdf(html: Path, target: Path, *, browser: Path | None = None) -> None:
    """Print ``html`` to ``target`` (page size from the page's @page rule)."""
    browser = browser or find_browser()
    if browser is None:
        raise no_browser_error()
    with tempfile.TemporaryDirectory(prefix="cspdesk-browser-") as profile:
        command = [
            str(browser),
            *QUIET_FLAGS,
            *(["--no-sandbox"] if _needs_no_sandbox() else []),
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            "--generate-pdf-document-outline",
            f"--print-to-pdf={target}",
            html.resolve().as_uri(),
        ]
        try:
            result = subprocess.run(
                command,
                capture_output=True,
                text=True,
                timeout=PRINT_TIMEOUT_S,
                stdin=subprocess.DEVNULL,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise CspdeskError(
                f"{browser.name} did not finish the PDF within {PRINT_TIMEOUT_S} s"
            ) from error
        except OSError as error:
            raise CspdeskError(f"{browser} could not be started: {error.strerror}") from error
    if result.returncode != 0 or not target.is_file() or target.stat().st_size == 0:
        detail = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise CspdeskError(f"{browser.name} could not print the PDF: {detail}")
