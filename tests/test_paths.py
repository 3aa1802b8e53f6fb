"""Per-user folders: platformdirs on this machine, the CSPDESK_HOME override, never the bundle."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs
import pytest

from cspdesk import APP_NAME, ORGANISATION_NAME, WORKSPACE_SUFFIX, paths

ROOT = Path(__file__).resolve().parent.parent


def all_paths() -> dict[str, Path]:
    return {
        "home": paths.home(),
        "default_workspace": paths.default_workspace(),
        "backup_dir": paths.backup_dir(),
        "log_dir": paths.log_dir(),
    }


@pytest.fixture
def no_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CSPDESK_HOME", raising=False)


@pytest.mark.usefixtures("no_override")
def test_home_is_the_users_own_data_folder() -> None:
    home = paths.home()
    assert home == Path(platformdirs.user_data_dir(APP_NAME, ORGANISATION_NAME, roaming=False))
    assert home.is_absolute()
    assert home.name == APP_NAME


@pytest.mark.usefixtures("no_override")
def test_every_path_lives_under_home() -> None:
    found = all_paths()
    home = found.pop("home")
    assert found["default_workspace"] == home / f"workspace{WORKSPACE_SUFFIX}"
    for name, path in found.items():
        assert path.parent == home, name
    assert len(set(found.values())) == len(found)


@pytest.mark.skipif(sys.platform != "linux", reason="XDG folders are Linux's")
@pytest.mark.usefixtures("no_override")
def test_linux_follows_xdg_data_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    assert paths.home() == Path.home() / ".local" / "share" / APP_NAME
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert paths.home() == tmp_path / APP_NAME


@pytest.mark.skipif(sys.platform != "win32", reason="LOCALAPPDATA is Windows'")
@pytest.mark.usefixtures("no_override")
def test_windows_uses_local_not_roaming_appdata() -> None:
    home = paths.home()
    local = Path(os.environ["LOCALAPPDATA"]).resolve()
    roaming = Path(os.environ["APPDATA"]).resolve()
    assert home.resolve().is_relative_to(local)
    assert not home.resolve().is_relative_to(roaming)
    assert home.resolve() == (local / ORGANISATION_NAME / APP_NAME).resolve()


def test_cspdesk_home_overrides_every_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CSPDESK_HOME", str(tmp_path / "elsewhere"))
    found = all_paths()
    assert found["home"] == tmp_path / "elsewhere"
    for name, path in found.items():
        assert path.is_relative_to(tmp_path / "elsewhere"), name


def test_cspdesk_home_expands_the_user(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    monkeypatch.setenv("CSPDESK_HOME", "~/csp")
    assert paths.home() == tmp_path / "csp"


@pytest.mark.usefixtures("no_override")
def test_an_empty_cspdesk_home_is_no_override(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = paths.home()
    monkeypatch.setenv("CSPDESK_HOME", "")
    assert paths.home() == expected


def test_resources_come_from_the_checkout_when_not_frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(sys, "_MEIPASS", raising=False)
    assert paths.resources_dir() == ROOT / "resources"


@pytest.mark.usefixtures("no_override")
def test_frozen_paths_never_point_into_the_bundle(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """As in the installed app: %LOCALAPPDATA%/Programs/cspdesk/_internal is sys._MEIPASS."""
    install = tmp_path / "Programs" / APP_NAME
    bundle = install / "_internal"
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    monkeypatch.setattr(sys, "executable", str(install / f"{APP_NAME}.exe"))

    assert paths.resources_dir() == bundle / "resources"
    for name, path in all_paths().items():
        assert not path.resolve().is_relative_to(install.resolve()), f"{name}: {path}"
        assert not path.resolve().is_relative_to(Path(sys.executable).parent.resolve()), name
