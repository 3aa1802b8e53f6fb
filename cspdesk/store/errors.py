"""Errors the user is shown when a workspace cannot be opened or saved."""

from __future__ import annotations

from cspdesk.errors import CspdeskError


class WorkspaceError(CspdeskError):
    """A problem with a workspace file, worded for the user (one line)."""


class WorkspaceMissing(WorkspaceError):
    pass


class NotAWorkspace(WorkspaceError):
    pass


class NewerSchema(WorkspaceError):
    pass


class WorkspaceReadOnly(WorkspaceError):
    pass


class SaveFailed(WorkspaceError):
    """A write could not be committed (disk full, file locked...); nothing was changed."""
