"""packaging/: what the spec derives from the tree, Qt trimming, smoke checks, the installer."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

import cspdesk
from cspdesk.store import db

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"_packaging_{name}", PACKAGING / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


helpers = load("spec_helpers")
smoke = load("smoke_checks")


def test_metadata_is_parsed_as_the_package_defines_it() -> None:
    meta = helpers.app_metadata(ROOT)
    assert meta["__version__"] == cspdesk.__version__
    assert meta["APP_NAME"] == cspdesk.APP_NAME == "cspdesk"
    assert meta["WORKSPACE_SUFFIX"] == cspdesk.WORKSPACE_SUFFIX


def test_metadata_needs_the_version(tmp_path: Path) -> None:
    (tmp_path / "cspdesk").mkdir()
    (tmp_path / "cspdesk" / "__init__.py").write_text('APP_NAME = "cspdesk"\n')
    with pytest.raises(ValueError, match="__version__"):
        helpers.app_metadata(tmp_path)


@pytest.mark.parametrize(
    ("version", "numbers"),
    [
        ("0.1.0", (0, 1, 0, 0)),
        ("1.2", (1, 2, 0, 0)),
        ("2.0.1rc1", (2, 0, 1, 0)),
        ("3", (3, 0, 0, 0)),
    ],
)
def test_numeric_version(version: str, numbers: tuple[int, ...]) -> None:
    assert helpers.numeric_version(version) == numbers


def test_migrations_land_where_the_store_looks_for_them() -> None:
    datas = helpers.migration_datas(ROOT)
    names = {Path(source).name for source, _ in datas}
    assert {"env.py", "script.py.mako"} <= names
    versions = {p.name for p in (ROOT / "cspdesk/store/migrations/versions").glob("*.py")}
    assert versions and versions <= names
    # Frozen, db.py's __file__ is <bundle>/cspdesk/store/db.pyc: same place relative to the root.
    where_the_store_looks = db.MIGRATIONS_DIR.relative_to(ROOT).as_posix()
    folders = {folder for _, folder in datas}
    assert folders == {where_the_store_looks, f"{where_the_store_looks}/versions"}


def test_what_migrations_import_becomes_hidden_imports() -> None:
    imports = helpers.migration_imports(ROOT)
    assert {"alembic.op", "alembic.context", "sqlalchemy", "cspdesk.core.plan.model"} <= set(
        imports
    )
    assert "cspdesk.core.plan.model.Base" not in imports  # a class, not a module
    assert "__future__" not in imports


@pytest.mark.parametrize(
    "name",
    [
        "PySide6/Qt/lib/libQt6Quick.so.6",
        "PySide6/Qt6Qml.dll",
        "PySide6/QtNetwork.pyd",
        "PySide6/QtNetwork.abi3.so",
        "PySide6/Qt/lib/libQt6WebEngineCore.so.6",
        "PySide6/Qt63DCore.dll",
        "PySide6/Qt6Multimedia.dll",
        "PySide6/opengl32sw.dll",
        "PySide6/Qt/translations/qtbase_de.qm",
        "PySide6\\translations\\qt_fr.qm",
        "PySide6/Qt/plugins/platforms/libqwayland.so",
        "PySide6/plugins/platforms/qdirect2d.dll",
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
        "PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so",
        "PySide6/plugins/tls/qschannelbackend.dll",
    ],
)
def test_unused_qt_parts_are_trimmed(name: str) -> None:
    assert helpers.is_unused(name)


@pytest.mark.parametrize(
    "name",
    [
        "PySide6/Qt/lib/libQt6Widgets.so.6",
        "PySide6/Qt6Widgets.dll",
        "PySide6/Qt6Gui.dll",
        "PySide6/Qt6Svg.dll",
        "PySide6/Qt6SvgWidgets.dll",
        "PySide6/QtWidgets.pyd",
        "PySide6/QtSvgWidgets.abi3.so",
        "PySide6/plugins/platforms/qwindows.dll",
        "PySide6/plugins/platforms/qoffscreen.dll",
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/platforms/libqminimal.so",
        "PySide6/plugins/imageformats/qsvg.dll",
        "PySide6/plugins/styles/qmodernwindowsstyle.dll",
        "PySide6/Qt/translations/qtbase_en.qm",
        "reportlab/fonts/Vera.ttf",
        "cspdesk/store/migrations/env.py",
        "resources/demo/castle_point_2016.json",
    ],
)
def test_what_the_app_uses_is_kept(name: str) -> None:
    assert not helpers.is_unused(name)


def test_libraries_only_trimmed_plugins_needed_are_pruned() -> None:
    binaries = [
        ("libgtk-3.so.0", "/lib/libgtk-3.so.0", "BINARY"),  # only the GTK theme needs it
        ("libglib-2.0.so.0", "/lib/libglib-2.0.so.0", "BINARY"),  # GTK's, and DBus's too
        ("libdbus.so", "/lib/libdbus.so", "BINARY"),
        ("QtGui.so", "/py/QtGui.so", "EXTENSION"),
        ("libffi.so", "/lib/libffi.so", "BINARY"),  # ctypes': nothing links it
        ("libgtk-3.so", "libgtk-3.so.0", "SYMLINK"),
    ]
    trimmed = [("platformthemes/libqgtk3.so", "/qt/libqgtk3.so", "BINARY")]
    links = {
        "/qt/libqgtk3.so": ["/lib/libgtk-3.so.0", "/lib/libdbus.so"],
        "/lib/libgtk-3.so.0": ["/lib/libglib-2.0.so.0"],
        "/py/QtGui.so": ["/lib/libdbus.so"],
        "/lib/libdbus.so": ["/lib/libglib-2.0.so.0"],
    }
    kept, dropped = helpers.prune_orphans(binaries, trimmed, lambda s: links.get(s, []))
    assert [entry[0] for entry in dropped] == ["libgtk-3.so.0"]
    assert {entry[0] for entry in kept} == {
        "libglib-2.0.so.0",
        "libdbus.so",
        "QtGui.so",
        "libffi.so",
        "libgtk-3.so",
    }
    kept = helpers.drop_dangling_symlinks(kept, [entry[0] for entry in dropped])
    assert "libgtk-3.so" not in {entry[0] for entry in kept}


def test_the_spec_is_valid_python() -> None:
    compile((PACKAGING / "cspdesk.spec").read_text(encoding="utf-8"), "cspdesk.spec", "exec")


class _AnalysisReached(Exception):
    pass


def run_spec_to_analysis(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, **environ: str
) -> dict[str, list]:  # type: ignore[type-arg]
    """Run the spec as PyInstaller would, up to Analysis, with PyInstaller's collectors faked:
    what it asks to bundle (hidden imports, binaries, datas, excludes)."""
    hooks = ModuleType("PyInstaller.utils.hooks")
    hooks.collect_submodules = lambda name, filter=None: [f"{name}.*"]  # type: ignore[attr-defined]
    hooks.collect_data_files = lambda name, **_kwargs: [(f"{name}/data", name)]  # type: ignore[attr-defined]
    for name in ("PyInstaller", "PyInstaller.utils"):
        monkeypatch.setitem(sys.modules, name, ModuleType(name))
    monkeypatch.setitem(sys.modules, "PyInstaller.utils.hooks", hooks)
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.delenv(helpers.POSTGRES_SWITCH, raising=False)
    for key, value in environ.items():
        monkeypatch.setenv(key, value)
    seen: dict[str, list] = {}  # type: ignore[type-arg]

    def analysis(_scripts: list[str], **kwargs: list) -> None:  # type: ignore[type-arg]
        seen.update(kwargs)
        raise _AnalysisReached

    spec = (PACKAGING / "cspdesk.spec").read_text(encoding="utf-8")
    names = {"SPECPATH": str(PACKAGING), "workpath": str(tmp_path), "Analysis": analysis}
    with pytest.raises(_AnalysisReached):
        exec(compile(spec, "cspdesk.spec", "exec"), names)
    return seen


def test_the_bundle_carries_the_postgres_driver(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    seen = run_spec_to_analysis(monkeypatch, tmp_path)
    for package in ("psycopg", "psycopg_binary"):
        assert f"{package}.*" in seen["hiddenimports"]
    # psycopg_binary's own libpq, from the wheel's psycopg_binary.libs (Linux and Windows).
    libraries = [Path(source).name for source, folder in seen["binaries"]]
    assert {folder for _, folder in seen["binaries"]} == {"psycopg_binary.libs"}
    assert [name for name in libraries if name.startswith("libpq")], libraries
    # Loaded by name: the dialect from the address's scheme, Alembic's for the migrations.
    assert {"sqlalchemy.dialects.postgresql.psycopg", "alembic.ddl.postgresql"} <= set(
        seen["hiddenimports"]
    )
    assert "psycopg" not in seen["excludes"]


def test_a_bundle_without_the_driver_is_only_made_on_purpose(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    seen = run_spec_to_analysis(monkeypatch, tmp_path, CSPDESK_BUNDLE_POSTGRES="0")
    assert not [name for name in seen["hiddenimports"] if name.startswith("psycopg")]
    assert {"psycopg", "psycopg_binary"} <= set(seen["excludes"])
    # A build venv that lacks the driver stops the build instead of leaving it out.
    with pytest.raises(helpers.MissingDriver, match=r"\.\[build,postgres\]"):
        helpers.bundle_postgres({}, is_module=lambda name: name != "psycopg_binary")
    assert helpers.bundle_postgres({}, is_module=lambda name: True)


# --- The smoke checks run by build.sh on the frozen program's output ------------------------

EXPORT = {
    "format": "cspdesk-workspace",
    "partnership": {"name": "Test Vale CSP"},
    "plans": [
        {
            "priorities": [
                {
                    "title": "Safeguarding Vulnerable People",
                    "objectives": [{"actions": [{"title": "Promote Essex wide campaigns"}]}],
                }
            ]
        }
    ],
}


def test_smoke_accepts_a_workspace_and_refuses_other_files(workspace_path: Path) -> None:
    smoke.check_workspace(workspace_path)
    with pytest.raises(smoke.SmokeFailure):
        smoke.check_workspace(ROOT / "pyproject.toml")


def test_smoke_xlsx_must_hold_the_titles(tmp_path: Path) -> None:
    from openpyxl import Workbook

    good, bad = tmp_path / "good.xlsx", tmp_path / "bad.xlsx"
    for path, titles in ((good, ["Safeguarding Vulnerable People", "Promote Essex wide campaigns"]),
                         (bad, ["Safeguarding Vulnerable People"])):  # fmt: skip
        book = Workbook()
        for row, title in enumerate(titles, start=2):
            book.active.cell(row=row, column=2, value=title)
        book.save(path)
    smoke.check_xlsx(good, EXPORT)
    with pytest.raises(smoke.SmokeFailure, match="Promote Essex"):
        smoke.check_xlsx(bad, EXPORT)


def test_smoke_pdf_must_show_the_first_priority(tmp_path: Path) -> None:
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    style = getSampleStyleSheet()["Normal"]
    good, bad = tmp_path / "good.pdf", tmp_path / "bad.pdf"
    SimpleDocTemplate(str(good)).build([Paragraph("1. Safeguarding Vulnerable People", style)])
    SimpleDocTemplate(str(bad)).build([Paragraph("Reducing reoffending", style)])
    smoke.check_pdf(good, EXPORT)
    with pytest.raises(smoke.SmokeFailure, match="Safeguarding"):
        smoke.check_pdf(bad, EXPORT)


def test_smoke_tells_a_bundle_without_psycopg_from_one_that_tried_the_server(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from cspdesk.store.address import ServerAddress
    from cspdesk.store.errors import WorkspaceError
    from cspdesk.store.server import make_server_engine

    nowhere = ServerAddress("smoke", "smoke", "127.0.0.1", 1)
    with pytest.raises(WorkspaceError) as tried:  # build.sh's address: nobody listens at port 1
        db.Workspace.open(nowhere)
    smoke.check_driver(str(tried.value))
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as in a bundle without it
    with pytest.raises(WorkspaceError) as missing:
        make_server_engine(nowhere, read_only=True)
    with pytest.raises(smoke.SmokeFailure, match="lacks psycopg"):
        smoke.check_driver(str(missing.value))
    with pytest.raises(smoke.SmokeFailure, match="cannot reach the server"):
        smoke.check_driver("Traceback (most recent call last): ...")


# --- The installer: per user, and in step with the app and the workflow ---------------------


def iss_text() -> str:
    return (PACKAGING / "windows" / "cspdesk.iss").read_text(encoding="utf-8")


def test_installer_is_per_user() -> None:
    text = iss_text()
    assert re.search(r"^PrivilegesRequired=lowest$", text, re.M)
    assert re.search(r"^DefaultDirName=\{localappdata\}\\Programs\\cspdesk$", text, re.M)
    roots = set(re.findall(r"^Root: (\w+);", text, re.M))
    assert roots == {"HKCU"}
    assert not re.search(r"\{(commonprograms|commondesktop|autopf|pf|commonpf)\}", text)


def test_installer_associates_the_workspace_suffix() -> None:
    text = iss_text()
    assert f'Subkey: "Software\\Classes\\{cspdesk.WORKSPACE_SUFFIX}"' in text
    assert '--db ""%1""' in text  # the CLI opens a file given as --db, not as a bare argument


def test_workflow_checks_the_installers_own_app_id() -> None:
    app_id = re.search(r"^AppId=\{\{([0-9A-F-]+)\}$", iss_text(), re.M)
    assert app_id is not None
    workflow = (ROOT / ".github" / "workflows" / "windows-installer.yml").read_text()
    assert f"{{{app_id.group(1)}}}_is1" in workflow
