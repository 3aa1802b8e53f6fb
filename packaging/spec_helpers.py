"""What the PyInstaller spec needs to know about cspdesk, worked out without importing the app.

Used by ``packaging/cspdesk.spec`` (run by PyInstaller), by the Windows workflow
(``python packaging/spec_helpers.py version``) and by tests/test_packaging.py. Plain Python:
no PyInstaller import here, so the tests can load it anywhere.
"""

from __future__ import annotations

import ast
import fnmatch
import importlib.util
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = Path("cspdesk", "store", "migrations")


def app_metadata(root: Path = ROOT) -> dict[str, str]:
    """The string constants of cspdesk/__init__.py (``__version__``, ``APP_NAME`` ...)."""
    tree = ast.parse((root / "cspdesk" / "__init__.py").read_text(encoding="utf-8"))
    values: dict[str, str] = {}
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            values[node.targets[0].id] = node.value.value
    for required in ("__version__", "APP_NAME", "APP_DISPLAY_NAME", "WORKSPACE_SUFFIX"):
        if required not in values:
            raise ValueError(f"cspdesk/__init__.py defines no string constant {required}")
    return values


def numeric_version(version: str) -> tuple[int, int, int, int]:
    """``"0.1.0rc1"`` -> (0, 1, 0, 0): the four numbers a Windows version resource holds."""
    numbers: list[int] = []
    for part in version.split(".")[:4]:
        digits = ""
        for char in part:
            if not char.isdigit():
                break
            digits += char
        numbers.append(int(digits or 0))
    return (*numbers, 0, 0, 0, 0)[:4]  # type: ignore[return-value]


def migration_files(root: Path = ROOT) -> list[Path]:
    """Every file Alembic reads from disk: env.py, script.py.mako and versions/*.py."""
    base = root / MIGRATIONS
    files = [base / "env.py", base / "script.py.mako", *sorted((base / "versions").glob("*.py"))]
    missing = [str(path) for path in files if not path.is_file()]
    if missing:
        raise FileNotFoundError(f"migration files missing: {missing}")
    return files


def migration_datas(root: Path = ROOT) -> list[tuple[str, str]]:
    """(source, folder in the bundle) pairs: the files keep their place beside the package.

    cspdesk/store/db.py finds them as ``Path(__file__).with_name("migrations")``, and a frozen
    module's ``__file__`` is ``<bundle>/cspdesk/store/db.pyc``.
    """
    return [
        (str(path), str(path.parent.relative_to(root)).replace("\\", "/"))
        for path in migration_files(root)
    ]


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def migration_imports(
    root: Path = ROOT, is_module: Callable[[str], bool] = _is_module
) -> list[str]:
    """Modules the migration scripts import (alembic.op, sqlalchemy ...): hidden imports.

    Alembic executes those scripts from files, so PyInstaller's import scan never sees them.
    ``is_module`` tells a submodule (``from alembic import op``) from a name in a module
    (``from cspdesk.core.plan.model import Base``); the default imports the parent package to know.
    """
    names: set[str] = set()
    for path in migration_files(root):
        if path.suffix != ".py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
                if node.module != "__future__":
                    submodules = (f"{node.module}.{alias.name}" for alias in node.names)
                    names.update(name for name in submodules if is_module(name))
    return sorted(name for name in names if name != "__future__")


# Shared plans on a PostgreSQL server (the `postgres` extra): the driver, and psycopg_binary,
# which carries its own libpq. psycopg picks the binary implementation by name at run time.
POSTGRES_PACKAGES = ("psycopg", "psycopg_binary")
# Imported by name: SQLAlchemy's dialect from the address's scheme, Alembic's from the engine.
POSTGRES_IMPORTS = ("sqlalchemy.dialects.postgresql.psycopg", "alembic.ddl.postgresql")
# CSPDESK_BUNDLE_POSTGRES=0 builds without the driver (only to measure what it adds).
POSTGRES_SWITCH = "CSPDESK_BUNDLE_POSTGRES"


def wheel_libraries(package: str) -> list[tuple[str, str]]:
    """(source, folder in the bundle) for the shared libraries a repaired wheel keeps beside
    ``package`` in ``<package>.libs`` (auditwheel on Linux, delvewheel on Windows): for
    psycopg_binary, libpq with its OpenSSL and Kerberos. Named so the bundle never relies on
    the binary scan finding them."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return []
    if spec is None or not spec.submodule_search_locations:
        return []
    folder = Path(next(iter(spec.submodule_search_locations))).parent / f"{package}.libs"
    if not folder.is_dir():
        return []
    return [(str(path), folder.name) for path in sorted(folder.iterdir()) if path.is_file()]


class MissingDriver(Exception):
    """The build venv lacks the PostgreSQL driver the bundle must carry."""


def bundle_postgres(
    environ: Mapping[str, str] = os.environ, is_module: Callable[[str], bool] = _is_module
) -> bool:
    """Whether the bundle takes the PostgreSQL driver: yes, unless switched off by name.

    A build venv without it is an error, never a bundle that silently cannot open shared plans.
    """
    if environ.get(POSTGRES_SWITCH, "1") == "0":
        return False
    missing = [name for name in POSTGRES_PACKAGES if not is_module(name)]
    if missing:
        raise MissingDriver(
            f"the build venv lacks {', '.join(missing)} (shared plans on PostgreSQL): "
            f'pip install -e ".[build,postgres]", or set {POSTGRES_SWITCH}=0 to build without'
        )
    return True


# Parts of Qt the app never loads. Matched against a bundled file's path (forward slashes);
# the Qt library patterns take both the Linux (libQt6Quick.so.6) and Windows (Qt6Quick.dll) names.
_UNUSED_QT_MODULES = (
    "Quick",
    "Qml",
    "3D",
    "Multimedia",
    "SpatialAudio",
    "WebEngine",
    "WebChannel",
    "WebSockets",
    "WebView",
    "Network",
    "Pdf",
    "Designer",
    "Help",
    "UiTools",
    "Labs",
    "Lottie",
    "Charts",
    "DataVisualization",
    "Graphs",
    "VirtualKeyboard",
    "Wayland",
    "Wl",
    "EglFS",
    "EglFs",
    "OpenGL",
    "Sql",
    "Test",
    "Bluetooth",
    "Nfc",
    "Positioning",
    "Location",
    "Sensors",
    "SerialPort",
    "SerialBus",
    "RemoteObjects",
    "Scxml",
    "StateMachine",
    "TextToSpeech",
    "HttpServer",
)
UNUSED_PATTERNS: tuple[str, ...] = (
    *(f"*/libQt6{name}*" for name in _UNUSED_QT_MODULES),
    *(f"*/Qt6{name}*" for name in _UNUSED_QT_MODULES),
    *(f"*/PySide6/Qt{name}*" for name in _UNUSED_QT_MODULES),
    # Plugin folders for those modules, and ones a desktop widgets app does without.
    *(
        f"*/plugins/{folder}/*"
        for folder in (
            "qmltooling",
            "qmllint",
            "designer",
            "networkinformation",
            "tls",
            "sqldrivers",
            "multimedia",
            "position",
            "sceneparser",
            "renderers",
            "geometryloaders",
            "egldeviceintegrations",
            "generic",
            "wayland-decoration-client",
            "wayland-graphics-integration-client",
            "wayland-graphics-integration-server",
            "wayland-shell-integration",
            "xcbglintegrations",
            "vectorimageformats",
        )
    ),
    *(
        f"*/plugins/platforms/*{name}*"
        for name in ("wayland", "egl", "vnc", "linuxfb", "vkkhrdisplay", "direct2d", "webgl")
    ),
    "*/plugins/platforminputcontexts/*virtualkeyboard*",
    # The GTK theme plugin drags in GTK, GDK, cairo and pango (about 20 MB); Linux is only
    # the smoke-test platform, and the xdg-desktop-portal theme stays.
    "*/plugins/platformthemes/*gtk3*",
    "*/plugins/imageformats/*pdf*",
    # The Mesa software OpenGL renderer (Windows, about 20 MB): widgets paint with the raster
    # engine and the app has no OpenGL view.
    "*/opengl32sw.dll",
    # Qt's own translations: the interface is English only.
    "*/translations/*",
)
KEPT_PATTERNS: tuple[str, ...] = ("*/translations/*_en.qm",)


def is_unused(dest_name: str) -> bool:
    """True for a bundled file (its path inside the bundle) that the app never loads."""
    path = "/" + str(PurePosixPath(dest_name.replace("\\", "/")))
    if any(fnmatch.fnmatchcase(path, pattern) for pattern in KEPT_PATTERNS):
        return False
    return any(fnmatch.fnmatchcase(path, pattern) for pattern in UNUSED_PATTERNS)


# (name in the bundle, source path, typecode): PyInstaller's TOC entries.
TocEntry = tuple[str, str, str]


def prune_orphans(
    binaries: list[TocEntry],
    trimmed: Iterable[TocEntry],
    linked: Callable[[str], Iterable[str]],
) -> tuple[list[TocEntry], list[TocEntry]]:
    """Drop the libraries that only trimmed binaries needed: (kept, dropped).

    PyInstaller collected each trimmed plugin's link-time dependencies (the GTK theme brings
    GTK); those stay unless something we keep links them too. ``linked(source)`` gives the
    source paths a binary links. Only libraries reachable from a trimmed binary are candidates,
    so anything PyInstaller collected for another reason (ctypes, a hook) is never touched.
    SYMLINK entries are left alone here (see drop_dangling_symlinks).
    """
    by_source = {os.path.realpath(e[1]): e for e in binaries if e[2] != "SYMLINK"}

    def reachable(starts: Iterable[str]) -> set[str]:
        seen: set[str] = set()
        todo = [os.path.realpath(source) for source in starts]
        while todo:
            for dependency in linked(todo.pop()):
                key = os.path.realpath(dependency)
                if key in by_source and key not in seen:
                    seen.add(key)
                    todo.append(key)
        return seen

    candidates = reachable(e[1] for e in trimmed if e[2] != "SYMLINK")
    needed = reachable(source for source in by_source if source not in candidates)
    gone = candidates - needed
    kept = [e for e in binaries if e[2] == "SYMLINK" or os.path.realpath(e[1]) not in gone]
    return kept, [by_source[source] for source in sorted(gone)]


def drop_dangling_symlinks(entries: list[TocEntry], removed: Iterable[str]) -> list[TocEntry]:
    """Entries without the SYMLINKs (name, target name, "SYMLINK") whose target was removed."""
    names = {name.replace("\\", "/") for name in removed}
    return [e for e in entries if not (e[2] == "SYMLINK" and e[1].replace("\\", "/") in names)]


def _main(argv: list[str]) -> int:
    if argv == ["version"]:
        print(app_metadata()["__version__"])
        return 0
    print("usage: spec_helpers.py version", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
