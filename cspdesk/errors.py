"""The base of every error cspdesk shows to a user: one clear line, never a traceback."""

from __future__ import annotations


class CspdeskError(Exception):
    """A problem worded for the user; the CLI prints it and exits 1, the GUI shows it."""
