"""PySide6 6.12.0 aborts on Python 3.11 after many None-returning calls; our pin avoids it."""

from __future__ import annotations

import subprocess
import sys

REPRODUCER = (
    "from PySide6.QtCore import QObject; o = QObject(); "
    "[o.setObjectName('x') for _ in range(10000)]"
)


def test_installed_pyside_survives_the_none_dealloc_reproducer() -> None:
    result = subprocess.run(
        [sys.executable, "-c", REPRODUCER], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-500:]


def test_pin_excludes_the_broken_release_on_311() -> None:
    from importlib.metadata import requires

    pins = [r for r in requires("cspdesk") or [] if r.startswith("PySide6-Essentials")]
    py311 = [
        r
        for r in pins
        if '< "3.12"' in r or "<'3.12'" in r.replace(" ", "") or '<"3.12"' in r.replace(" ", "")
    ]
    assert py311 and "<6.12" in py311[0].replace(" ", "")
