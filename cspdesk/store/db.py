"""Engine, connection settings and sessions for a workspace: the one place for SQLite SQL.

A workspace is a file (SQLite, the lone officer's default) or a shared plan on a PostgreSQL
server (store/address.py parses the location, store/server.py holds the server-only SQL). The
same schema, migrations and code run on both; what follows is about files.

Settings (all here, asserted in tests/store):
- ``foreign_keys=ON`` on every connection;
- ``journal_mode=DELETE`` with ``synchronous=FULL``: survives power loss, and unlike WAL a
  read-only file can still be opened and a plain copy of the file is a whole workspace;
- pysqlite's own transaction handling is switched off and every transaction starts with
  ``BEGIN IMMEDIATE``, so the write lock is taken at the start, not at the first write;
- a busy timeout, so a short lock held by another process waits instead of failing.

Measured (benchmarks/commit_time.py, 2-core VM): one inline edit commits in about 4 ms median
(p95 about 5.5 ms) on a quiet disk, 20-45 ms while other processes hammer the same disk; WAL+FULL
would be about 1.5-2.5 ms. tests/store/test_crash.py kills a saving process with SIGKILL and
finds the file whole with every acknowledged edit. The app opens workspaces through
store/opening.py (one-writer lock, read-only fallbacks, damage check) and backs them up with
store/backup.py.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar
from urllib.parse import quote

from sqlalchemy import (
    Connection,
    Engine,
    Table,
    create_engine,
    event,
    exc,
    func,
    inspect,
    select,
    text,
)
from sqlalchemy.orm import Session, sessionmaker

from cspdesk import identity
from cspdesk.core.plan.many import ROWS_WRITER_KEY
from cspdesk.core.plan.ops import SESSION_WHO_KEY
from cspdesk.store import live, server
from cspdesk.store.address import Location, ServerAddress, parse_location
from cspdesk.store.errors import (
    NewerSchema,
    NotAWorkspace,
    SaveFailed,
    WorkspaceError,
    WorkspaceMissing,
    WorkspaceReadOnly,
)
from cspdesk.store.schema import HEAD_REVISION, SCHEMA_REVISIONS
from cspdesk.store.server_rows import ArrayRows

if TYPE_CHECKING:
    from cspdesk.store.lock import Lock

P = ParamSpec("P")
T = TypeVar("T")

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
# Measured (tests/store/test_crash.py, benchmarks/commit_time.py): DELETE+FULL survives kill -9
# and keeps a read-only file readable; the crash test's control run swaps in "OFF" here.
JOURNAL_MODE = "DELETE"
SYNCHRONOUS = "FULL"
MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# What the database driver raises when the file or the server fails under a read; the window
# catches these by this name (it never imports SQLAlchemy itself).
DRIVER_ERRORS: tuple[type[Exception], ...] = (exc.DBAPIError,)


def _connect(path: Path, read_only: bool) -> sqlite3.Connection:
    if read_only:
        uri = f"file:{quote(str(path.resolve()))}?mode=ro"
        conn = sqlite3.connect(
            uri, uri=True, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
        )
    else:
        conn = sqlite3.connect(str(path), check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.isolation_level = None  # we issue BEGIN ourselves (see module docstring)
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    if conn.execute("PRAGMA foreign_keys").fetchone() != (1,):
        conn.close()
        raise WorkspaceError("this SQLite library cannot enforce foreign keys; reinstall cspdesk")
    if not read_only:
        mode = conn.execute(f"PRAGMA journal_mode={JOURNAL_MODE}").fetchone()
        if mode is None or str(mode[0]).lower() != JOURNAL_MODE.lower():
            conn.close()
            raise WorkspaceError(
                f"could not set the journal mode (it is {mode[0] if mode else 'unknown'}); "
                "is another program using the file?"
            )
        conn.execute(f"PRAGMA synchronous={SYNCHRONOUS}")
    return conn


def make_engine(path: Path, *, read_only: bool = False) -> Engine:
    engine = create_engine("sqlite+pysqlite://", creator=lambda: _connect(path, read_only))

    @event.listens_for(engine, "begin")
    def _begin(conn):  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def _describe_operational_error(error: exc.OperationalError, path: Path | None = None) -> str:
    message = str(error.orig) if error.orig is not None else str(error)
    lowered = message.lower()
    if "full" in lowered:
        return "the disk is full; free some space and save again"
    if "locked" in lowered or "busy" in lowered:
        return "another program is using the workspace"
    if "readonly" in lowered or "read-only" in lowered:
        folder_locked = path is not None and not os.access(path.parent, os.W_OK)
        return (
            f"the folder {path.parent} is read-only" if folder_locked else "the file is read-only"
        )
    if "i/o" in lowered or "unable to open" in lowered:
        return "the disk could not be written (full, removed or disconnected?)"
    return message


def sniff_workspace_file(path: Path) -> None:
    """Raise a WorkspaceError unless ``path`` exists and is an SQLite file (or empty)."""
    if not path.exists():
        raise WorkspaceMissing(f"{path}: no such workspace file")
    if path.is_dir():
        raise NotAWorkspace(f"{path}: is a folder, not a workspace file")
    if not path.is_file():  # opening a pipe would wait for a writer forever
        raise NotAWorkspace(f"{path}: is a pipe or device, not a workspace file")
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if head and head != SQLITE_MAGIC:
        raise NotAWorkspace(f"{path}: not a cspdesk workspace (not an SQLite database)")


def read_revision(engine: Engine) -> str | None:
    """The workspace's schema revision; None for an empty database."""
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        if not tables:
            return None
        if "alembic_version" not in tables or "partnership" not in tables:
            kind = "an SQLite file" if engine.dialect.name == "sqlite" else "a database"
            raise NotAWorkspace(f"not a cspdesk workspace ({kind} of another program)")
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if revision is None:
        raise NotAWorkspace("not a cspdesk workspace (no schema version)")
    return str(revision)


def is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def next_free_id(session: Session, table: Table) -> int:
    """The next id ``table`` would give out on SQLite, never one used before.

    SQLite's AUTOINCREMENT keeps its high-water mark in sqlite_sequence; the table's maximum
    covers rows inserted with explicit ids. Call it inside the write transaction (BEGIN
    IMMEDIATE holds the write lock, so the ids that follow are ours too).
    """
    seq = session.execute(
        text("SELECT seq FROM sqlite_sequence WHERE name = :name"), {"name": table.name}
    ).scalar()
    top = session.execute(select(func.max(table.c.id))).scalar()
    return max(seq or 0, top or 0) + 1


def new_ids(session: Session, table: Table, block: int = 1000) -> Iterator[int]:
    """Fresh ids for rows of ``table`` inserted in bulk with explicit ids, on either engine.

    On a server other officers insert at the same time, so ids come from the table's sequence
    (``nextval``, a block at a time), never from the largest id in the table.
    """
    if is_sqlite(session):
        yield from itertools.count(next_free_id(session, table))
        return
    while True:
        yield from server.reserve_ids(session.connection(), table, block)


def id_high_water(session: Session, table: Table) -> int:
    """The highest id ``table`` has ever given out (a workspace copy keeps it)."""
    if is_sqlite(session):
        return next_free_id(session, table) - 1
    return server.id_high_water(session.connection(), table)


def set_id_high_water(session: Session, table: Table, value: int) -> None:
    """After rows were copied in with their ids: the next id given out is ``value + 1``."""
    if is_sqlite(session):
        name = {"name": table.name}
        session.execute(text("DELETE FROM sqlite_sequence WHERE name = :name"), name)
        if value > 0:
            session.execute(
                text("INSERT INTO sqlite_sequence (name, seq) VALUES (:name, :seq)"),
                {"name": table.name, "seq": value},
            )
        return
    server.set_id_high_water(session.connection(), table, value)


def migrate(engine: Engine, target: str = "head") -> None:
    """Bring the schema to ``target`` with Alembic (imported only when needed)."""
    if engine.dialect.name != "sqlite":
        with engine.connect() as conn, server.migration_lock(conn):
            conn.commit()  # the lock is the session's; each migration runs in its own transaction
            _upgrade(conn, target)
        return
    with engine.connect() as conn:
        # Batch migrations copy tables; with foreign keys on, that would cascade deletes.
        conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        try:
            _upgrade(conn, target)
            problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise WorkspaceError(f"schema upgrade left broken references: {problems[:3]}")
        finally:
            conn.rollback()
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]


def _upgrade(conn: Connection, target: str) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = conn
    command.upgrade(config, target)
    conn.commit()


def engine_for(location: Location, *, read_only: bool = False) -> Engine:
    if isinstance(location, ServerAddress):
        return server.make_server_engine(location, read_only=read_only)
    return make_engine(location, read_only=read_only)


def holds_workspace(location: Location) -> bool:
    """True when ``location`` already holds a workspace: a file that exists, or a database with
    cspdesk's tables in it. False for a new file or an empty database (a missing database is
    ServerUnavailable, saying so)."""
    if not isinstance(location, ServerAddress):
        return location.exists()
    engine = server.make_server_engine(location, read_only=True)
    try:
        with engine.connect() as conn:
            return bool(inspect(conn).get_table_names())
    except exc.DBAPIError as error:
        raise server.ServerUnavailable(
            f"{location}: could not open ({server.describe_error(location, error)})"
        ) from None
    finally:
        engine.dispose()


# A shared plan's change stamp: the newest history row (every edit writes one) and the number
# of closed quarters.
SERVER_STAMP = "SELECT (SELECT max(id) FROM history), (SELECT count(*) FROM snapshot)"


def _server_stamp(session: Session) -> object:
    return tuple(session.execute(text(SERVER_STAMP)).one())


def read_apart(
    location: Location, fn: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
) -> T:
    """``fn`` in a read transaction on an engine of its own, closed afterwards: for a reader in
    another thread (it never takes a file's write lock)."""
    engine = engine_for(location, read_only=True)
    try:
        with Session(engine) as session, session.begin():
            return fn(session, *args, **kwargs)
    finally:
        engine.dispose()


def recover_journal(path: Path) -> None:
    """Roll back a save cut short (kill -9, full disk) so that read-only opening works.

    A read-only connection cannot roll back the journal such a save leaves beside the file
    ("attempt to write a readonly database"); one read through a writable connection does.
    """
    journal = path.with_name(path.name + "-journal")
    if not journal.exists() or journal.stat().st_size == 0:
        return
    if not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
        raise WorkspaceReadOnly(
            f"{path}: a save was cut short here (by a crash, power cut or full disk) and the "
            "file or its folder is read-only, so it cannot be put right; open it once where it "
            "can be written"
        )
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as error:
        raise WorkspaceError(
            f"{path}: a save was cut short here and could not be rolled back ({error}); "
            "free some disk space and try again, or restore a backup"
        ) from error


class Workspace:
    """An open workspace (a file or a shared plan): sessions, transactions that commit at once."""

    def __init__(self, location: Location, engine: Engine, *, read_only: bool) -> None:
        self.location = location
        self.engine = engine
        self.read_only = read_only
        # Why a plan opened read-only that was not asked to be (a role that may only read).
        self.read_only_reason: str | None = None
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        # Reads on a server run outside a transaction: under READ COMMITTED (the server's
        # default) each statement sees its own snapshot either way, and the BEGIN and COMMIT
        # would cost a round trip each (tens of milliseconds from home).
        self._readers = self._sessions
        if self.is_shared and engine.dialect.default_isolation_level == "READ COMMITTED":
            autocommit = engine.execution_options(isolation_level="AUTOCOMMIT")
            self._readers = sessionmaker(autocommit, expire_on_commit=False)
        self.who = identity.user_name()  # signs this user's changes (history, typed updates)
        self.listeners: list[Callable[[object], None]] = []
        # Committed writes so far: backups compare it to know whether anything changed.
        self.write_count = 0
        self.lock: Lock | None = None  # the one-writer lock file, released on close
        self._temporary_copy: Path | None = None  # an upgraded copy of an old read-only file
        self._seen_stamp: object = None  # change_stamp() as of our last look or own write
        self._just_looked = False  # the first look was read with what it showed (read_as_seen)
        self.closed = False

    def change_stamp(self) -> object:
        """A value that differs after any commit to the workspace, by anyone.

        A file's modification time and size; on a server the newest history row (every edit
        writes one) and the number of closed quarters.
        """
        if isinstance(self.location, ServerAddress):
            return self.read(_server_stamp)
        source = self._temporary_copy or self.location
        try:
            info = source.stat()
        except OSError:
            return None
        return (info.st_mtime_ns, info.st_size)

    def changed_elsewhere(self) -> bool:
        """True once after another program (or window) committed a change since we last looked.

        Our own writes move the stamp too; write() records it, so they do not count.
        """
        if self.closed:
            return False
        if self._just_looked:  # noted with the plan as read a moment ago: no need to ask
            self._just_looked = False
            return False
        stamp = self.change_stamp()
        if stamp is None:  # the file is gone for a moment (a sync client, a restore)
            return False
        if self._seen_stamp is None:
            self._seen_stamp = stamp
            return False
        changed = stamp != self._seen_stamp
        self._seen_stamp = stamp
        return changed

    @property
    def path(self) -> Location:
        """Where the workspace is; printing it never shows a password."""
        return self.location

    @property
    def is_shared(self) -> bool:
        """True for a plan on a server; file-only features (lock file, backups) skip it."""
        return isinstance(self.location, ServerAddress)

    @property
    def file_path(self) -> Path:
        """The workspace file; WorkspaceError for a shared plan (which has none)."""
        if isinstance(self.location, ServerAddress):
            raise WorkspaceError(f"{self.location}: a shared plan on a server, not a file")
        return self.location

    @classmethod
    def open(cls, location: Location | str, *, read_only: bool = False) -> Workspace:
        """Open an existing workspace, upgrading an older schema. Raises WorkspaceError."""
        location = parse_location(location)
        if isinstance(location, ServerAddress):
            return cls._open_server(location, read_only=read_only)
        path = location
        sniff_workspace_file(path)
        if read_only:
            recover_journal(path)
        engine = make_engine(path, read_only=read_only)
        try:
            revision = read_revision(engine)
        except exc.OperationalError as error:
            engine.dispose()
            if "locked" in str(error.orig) or "busy" in str(error.orig):
                raise WorkspaceError(
                    f"{path}: another program is using the workspace; close it and try again"
                ) from error
            raise NotAWorkspace(f"{path}: not a readable workspace ({error.orig})") from error
        except exc.DatabaseError as error:
            engine.dispose()
            raise NotAWorkspace(f"{path}: not a readable workspace ({error.orig})") from error
        except WorkspaceError as error:
            engine.dispose()
            raise type(error)(f"{path}: {error}") from error
        if revision is None:
            engine.dispose()
            raise NotAWorkspace(f"{path}: empty file, not a cspdesk workspace")
        if revision not in SCHEMA_REVISIONS:
            engine.dispose()
            raise NewerSchema(
                f"{path}: made by a newer cspdesk (schema {revision}); please update cspdesk"
            )
        if revision != HEAD_REVISION:
            if read_only:
                engine.dispose()
                return cls._open_upgraded_copy(path)
            migrate(engine)
        return cls(path, engine, read_only=read_only)

    @classmethod
    def _open_server(cls, address: ServerAddress, *, read_only: bool) -> Workspace:
        engine = server.make_server_engine(address, read_only=read_only)
        try:
            # Outside a transaction: a BEGIN and a ROLLBACK would cost a round trip each.
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                found = server.look(conn)
            if not found.any_tables:
                raise NotAWorkspace(
                    "an empty database; create a workspace in it with cspdesk new --db"
                )
            if not found.ours:
                raise NotAWorkspace("not a cspdesk workspace (a database of another program)")
            revision, rights = found.revision, found.rights
            if revision is None:
                raise NotAWorkspace("not a cspdesk workspace (no schema version)")
            if revision not in SCHEMA_REVISIONS:
                raise NewerSchema(
                    f"made by a newer cspdesk (schema {revision}); please update cspdesk"
                )
            why_not = rights.why_read_only()
            if revision != HEAD_REVISION:
                if why_not is not None or not rights.owns_tables:
                    raise WorkspaceReadOnly(
                        f"made by an older cspdesk (schema {revision}); ask {rights.owner} "
                        "(the plan's owner) to open it once with this version to upgrade it"
                    )
                if read_only:
                    raise WorkspaceReadOnly(
                        f"made by an older cspdesk (schema {revision}); open it once for "
                        "editing to upgrade it"
                    )
                migrate(engine)
        except exc.DBAPIError as error:
            engine.dispose()
            raise server.ServerUnavailable(
                f"{address}: could not open ({server.describe_error(address, error)})"
            ) from None
        except WorkspaceError as error:
            engine.dispose()
            raise type(error)(f"{address}: {error}") from None
        if why_not is not None:  # a role that may only read: open it for reading, saying so
            engine = engine.execution_options(postgresql_readonly=True)
        opened = cls(address, engine, read_only=read_only or why_not is not None)
        opened.read_only_reason = None if read_only else why_not
        return opened

    @classmethod
    def _open_upgraded_copy(cls, path: Path) -> Workspace:
        """An older file opened read-only: read an upgraded temporary copy, never the file."""
        import tempfile

        fd, name = tempfile.mkstemp(prefix="cspdesk-upgraded-", suffix=".cspdesk")
        os.close(fd)
        copy = Path(name)
        try:
            source = _connect(path, read_only=True)
            target = sqlite3.connect(copy)
            try:
                source.backup(target)
            finally:
                target.close()
                source.close()
            engine = make_engine(copy)
            migrate(engine)
            engine.dispose()
        except (sqlite3.Error, exc.SQLAlchemyError) as error:
            copy.unlink(missing_ok=True)
            raise WorkspaceReadOnly(
                f"{path}: made by an older cspdesk and read-only; it could not be upgraded "
                f"for reading ({error})"
            ) from error
        workspace = cls(path, make_engine(copy, read_only=True), read_only=True)
        workspace._temporary_copy = copy
        return workspace

    @classmethod
    def create(cls, location: Location | str, partnership_name: str, areas: str = "") -> Workspace:
        """Create a new workspace (a new file, or in an empty database); never overwrites."""
        from cspdesk.core.plan.model import Partnership
        from cspdesk.core.rag.scheme import seed_default_scheme

        workspace = cls.create_empty(location)

        def seed(session: Session) -> None:
            session.add(Partnership(name=partnership_name, areas=areas))
            seed_default_scheme(session)

        workspace.write(seed)
        return workspace

    @classmethod
    def create_empty(cls, location: Location | str) -> Workspace:
        """The schema and nothing else, in a new file or an empty database."""
        location = parse_location(location)
        if isinstance(location, ServerAddress):
            return cls._create_on_server(location)
        path = location
        if path.exists() and (path.stat().st_size > 0 or not path.is_file()):
            raise WorkspaceError(f"{path}: already exists; choose another name")
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = make_engine(path)
        try:
            migrate(engine)
        except Exception:
            engine.dispose()
            path.unlink(missing_ok=True)
            raise
        return cls(path, engine, read_only=False)

    @classmethod
    def _create_on_server(cls, address: ServerAddress) -> Workspace:
        engine = server.make_server_engine(address, read_only=False)
        try:
            with engine.connect() as conn, server.migration_lock(conn):
                # Under the lock: a colleague running `new` at the same moment waits, then
                # finds the tables and is refused.
                if inspect(conn).get_table_names():
                    raise WorkspaceError(
                        f"{address}: the database is not empty (it already holds a workspace "
                        "or another program's tables); give an empty database"
                    )
                conn.commit()
                _upgrade(conn, "head")
        except exc.DBAPIError as error:
            engine.dispose()
            raise server.ServerUnavailable(
                f"{address}: could not create the workspace "
                f"({server.describe_error(address, error)}); nothing was changed"
            ) from None
        except BaseException:
            engine.dispose()
            raise
        return cls(address, engine, read_only=False)

    def session(self) -> Session:
        info: dict[str, object] = {SESSION_WHO_KEY: self.who}
        if self.is_shared:  # many rows in one statement of arrays (core.plan.many)
            info[ROWS_WRITER_KEY] = ArrayRows()
        return self._sessions(info=info)

    def _reader(self) -> Session:
        return self._readers(info={SESSION_WHO_KEY: self.who})

    def read(
        self, fn: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        try:
            try:
                with self._reader() as session, session.begin():
                    return fn(session, *args, **kwargs)
            except exc.DBAPIError as error:
                if not server.is_stale_connection(error):
                    raise
            # The server had dropped the pooled connection: once more, on a fresh one.
            with self._reader() as session, session.begin():
                return fn(session, *args, **kwargs)
        except exc.DBAPIError as error:
            if not isinstance(self.location, ServerAddress):
                raise
            reason = server.describe_error(self.location, error)
            raise server.ServerUnavailable(
                f"{self.location}: could not read the plan ({reason})"
            ) from error

    def read_as_seen(
        self, fn: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """``fn`` read as the window shows it: on a server the change stamp is read just before
        it and counts as seen, so changed_elsewhere reports whatever came after (a commit
        landing while ``fn`` reads moves the stamp too), and its first call needs no read of its
        own."""

        def with_stamp(session: Session) -> tuple[T, object]:
            stamp = _server_stamp(session) if self.is_shared else None
            return fn(session, *args, **kwargs), stamp

        result, stamp = self.read(with_stamp)
        if stamp is not None:
            self._just_looked = self._seen_stamp is None
            self._seen_stamp = stamp
        return result

    def write(
        self, fn: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Run ``fn`` in one transaction and commit: all of it is saved, or none of it.

        On a server, a transaction rolled back as a serialization failure or a deadlock (a
        colleague saving the same items at the same moment) is run again, from a fresh
        session, a few times: ``fn`` must only touch the session
        (tests/store/test_server_saves.py).
        """
        if self.read_only:
            why = self.read_only_reason or "opened read-only; changes cannot be saved"
            raise WorkspaceReadOnly(f"{self.path}: {why}")
        committing = False
        watch: server.BlockerWatch | None = None
        try:
            for attempt in server.retrying_transaction():
                with attempt, self.session() as session:
                    committing = False
                    session.begin()
                    with self._watched(session) as watch, self._one_trip(session) as trip:
                        result = fn(session, *args, **kwargs)
                        live.announce(session, self, result)  # a NOTIFY, sent only on commit
                        # Our own write must not look like a colleague's: on a server the
                        # stamp is read in this transaction (not a transaction of its own).
                        if trip is not None and self._seen_stamp is not None:
                            trip.queue_stamp(SERVER_STAMP)
                        committing = True
                        if trip is not None:
                            trip.commit()  # sent, with what is queued, as the block ends
                    stamp = trip.stamp if trip is not None else None
                    session.commit()  # a file's commit (a server's went with the block)
        except server.ColleagueSaving as error:
            raise SaveFailed(f"{self.location}: {error}") from error.__cause__
        except exc.DBAPIError as error:
            # The connection may hold a half-written journal: never reuse it.
            self.engine.dispose()
            if isinstance(self.location, ServerAddress):
                if server.sqlstate(error) == server.LOCK_NOT_AVAILABLE:
                    seen = watch.found if watch is not None else None
                    reason = server.holding_up(self.engine, self.who, seen)
                    raise SaveFailed(f"{self.location}: nothing was saved — {reason}") from error
                if isinstance(error, exc.IntegrityError):
                    raise  # a rule of the plan (a name already taken), for the caller to word
                reason = server.describe_error(self.location, error)
                if committing and server.connection_lost(error):
                    raise SaveFailed(
                        f"{self.location}: the connection was lost while the save was being "
                        f"committed ({reason}), so it may or may not have been saved; open the "
                        "plan again to see before trying again"
                    ) from error
                again = isinstance(error, exc.OperationalError | exc.InterfaceError)
                raise SaveFailed(
                    f"{self.location}: could not save ({reason}); nothing was changed"
                    + (" — try again" if again else "")
                ) from error
            if not isinstance(error, exc.OperationalError):
                raise
            reason = _describe_operational_error(error, self.path)
            raise SaveFailed(
                f"{self.path}: could not save ({reason}); nothing was changed"
            ) from error
        self.write_count += 1
        if self._seen_stamp is not None:
            self._seen_stamp = stamp if stamp is not None else self.change_stamp()
        return result

    @contextlib.contextmanager
    def _one_trip(self, session: Session) -> Iterator[server.OneTripWrite | None]:
        """On a server, the write as few round trips as it can be (server.one_trip_write)."""
        if not self.is_shared:
            yield None
            return
        with server.one_trip_write(session) as trip:
            yield trip

    @contextlib.contextmanager
    def _watched(self, session: Session) -> Iterator[server.BlockerWatch | None]:
        """On a server, a BlockerWatch on the save's own connection (its backend's pid is known
        without a round trip); None for a file."""
        if not self.is_shared:
            yield None
            return
        driver = session.connection().connection.dbapi_connection
        watch = server.BlockerWatch(self.engine, driver.info.backend_pid)  # type: ignore[union-attr]
        try:
            yield watch
        finally:
            watch.stop()

    def close(self) -> None:
        self.closed = True
        self.engine.dispose()
        if self._temporary_copy is not None:
            self._temporary_copy.unlink(missing_ok=True)
            self._temporary_copy = None
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
