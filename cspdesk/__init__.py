"""cspdesk: the Community Safety Partnership plan on the officer's desktop."""

from __future__ import annotations

__version__ = "0.1.0"
APP_NAME = "cspdesk"
APP_DISPLAY_NAME = "CSP Desk"
ORGANISATION_NAME = "cspdesk"
ORGANISATION_DOMAIN = "cspdesk.org.uk"
WORKSPACE_SUFFIX = ".cspdesk"
