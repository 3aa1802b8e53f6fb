"""Who is at the keyboard: the name that signs history rows, typed updates and closed quarters.

On a shared plan several officers edit one plan, so "officer" is not enough: a colleague reads
"Emma Clark changed this at 10:42". The name is, first found: CSPDESK_USER; the name the user
gave in Settings (kept in ``paths.home()/user.json``); the operating system's display name for
the account (Windows' full name, the Unix account's GECOS name); the login name.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import sys

from cspdesk import paths

USER_VARIABLE = "CSPDESK_USER"
MAX_NAME_LENGTH = 100
_FILE_NAME = "user.json"


def _saved_name() -> str:
    try:
        data = json.loads((paths.home() / _FILE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    name = data.get("name") if isinstance(data, dict) else None
    return name.strip() if isinstance(name, str) else ""


def _windows_display_name() -> str:
    import ctypes

    name_display = 3  # EXTENDED_NAME_FORMAT.NameDisplay: "Emma Clark" on a domain laptop
    size = ctypes.c_ulong(0)
    secur32 = ctypes.windll.secur32  # type: ignore[attr-defined]
    secur32.GetUserNameExW(name_display, None, ctypes.byref(size))
    if not size.value:
        return ""
    buffer = ctypes.create_unicode_buffer(size.value)
    if not secur32.GetUserNameExW(name_display, buffer, ctypes.byref(size)):
        return ""
    return buffer.value


def _account_display_name() -> str:
    with contextlib.suppress(Exception):  # no such facility here: fall back to the login name
        if sys.platform == "win32":
            return _windows_display_name().strip()
        import pwd

        return pwd.getpwuid(os.getuid()).pw_gecos.split(",")[0].strip()
    return ""


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name in the environment or the password database
        return ""


def user_name() -> str:
    """The name that signs this user's changes; never empty."""
    for found in (
        os.environ.get(USER_VARIABLE, "").strip(),
        _saved_name(),
        _account_display_name(),
        _login_name(),
    ):
        if found:
            return found[:MAX_NAME_LENGTH]
    return "officer"


def save_user_name(name: str) -> None:
    """Remember the name the user gave (blank: go back to the account's own name)."""
    folder = paths.home()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / _FILE_NAME
    name = name.strip()[:MAX_NAME_LENGTH]
    if not name:
        target.unlink(missing_ok=True)
        return
    temporary = target.with_suffix(".json.part")
    temporary.write_text(json.dumps({"name": name}, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, target)
