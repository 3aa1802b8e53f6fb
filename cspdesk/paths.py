"""Where cspdesk keeps workspaces, backups and logs (per user; CSPDESK_HOME overrides)."""

from __future__ import annotations

import os
from pathlib import Path

from cspdesk import APP_NAME, ORGANISATION_NAME, WORKSPACE_SUFFIX


def home() -> Path:
    override = os.environ.get("CSPDESK_HOME")
    if override:
        return Path(override).expanduser()
    import platformdirs  # only when no override: keeps start-up lean

    # On Windows: %LOCALAPPDATA%\cspdesk\cspdesk (never roaming, never next to the executable).
    return Path(platformdirs.user_data_dir(APP_NAME, ORGANISATION_NAME, roaming=False))


def default_workspace() -> Path:
    return home() / f"workspace{WORKSPACE_SUFFIX}"


def backup_dir() -> Path:
    return home() / "backups"


def log_dir() -> Path:
    return home() / "logs"


def resources_dir() -> Path:
    """The resources/ folder: beside the package in a checkout, inside the bundle when frozen."""
    import sys

    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
