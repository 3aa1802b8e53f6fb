"""Run a cspdesk command in this process, as a user would at the prompt (output captured)."""

from __future__ import annotations

import contextlib
import io
import subprocess

from cspdesk.cli import main


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The command in this process (a subprocess costs a second of imports each time)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as stop:  # argparse refusals
            code = int(stop.code or 0)
    return subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())
