"""Fill and save a return in LibreOffice itself, over UNO: run by the system Python that has
the `uno` module (python3-uno), not the project's virtual environment.

    /usr/bin/python3 libreoffice_uno.py SOURCE TARGET PROFILE_DIR EDITS_JSON

EDITS_JSON is a list of ["set", "G2", "text"], ["delete_row", 4] (1-based) and
["unprotect"]; edits apply to the "Actions" sheet, and the file is saved as .xlsx.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]


def prop(name: str, value: object) -> PropertyValue:
    found = PropertyValue()
    found.Name, found.Value = name, value
    return found


@contextlib.contextmanager
def office(profile: str, pipe_prefix: str) -> Iterator[Any]:
    """A headless LibreOffice of its own (profile folder ``profile``), its UNO desktop
    yielded; ended (killed if it hangs) on leaving."""
    pipe = f"{pipe_prefix}_{os.getpid()}"
    process = subprocess.Popen(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            f"--accept=pipe,name={pipe};urp;",
        ]
    )
    desktop = None
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        for _ in range(240):
            try:
                context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                time.sleep(0.5)
        else:
            raise SystemExit("LibreOffice did not start")
        desktop = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", context
        )
        yield desktop
    finally:
        if desktop is not None:
            with contextlib.suppress(Exception):  # it may be gone already
                desktop.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def open_hidden(desktop: Any, path: str) -> Any:
    """The document at ``path``, opened in ``desktop`` without a window."""
    url = uno.systemPathToFileUrl(os.path.abspath(path))
    return desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True),))


def main(source: str, target: str, profile: str, edits: list[list[object]]) -> None:
    with office(profile, "cspdesk_test") as desktop:
        doc = open_hidden(desktop, source)
        sheet = doc.Sheets.getByName("Actions")
        for edit in edits:
            if edit[0] == "unprotect":
                sheet.unprotect("")
            elif edit[0] == "set":
                sheet.getCellRangeByName(str(edit[1])).setString(str(edit[2]))
            elif edit[0] == "delete_row":
                sheet.unprotect("")
                sheet.Rows.removeByIndex(int(str(edit[1])) - 1, 1)
        doc.storeToURL(
            uno.systemPathToFileUrl(os.path.abspath(target)),
            (prop("FilterName", "Calc MS Excel 2007 XML"),),
        )
        doc.close(True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4]))
