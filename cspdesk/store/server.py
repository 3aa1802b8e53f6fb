"""A shared plan on a PostgreSQL server: engine, migrations under an advisory lock, our words
for the driver's errors, the id sequences, and the live view's notices (NOTIFY) and presence
(pg_stat_activity). The one place for PostgreSQL-only SQL.

psycopg is an optional extra (``cspdesk[postgres]``); it is imported only when a server plan is
opened, and its absence is a plain message.

Passwords: libpq finds them in ~/.pgpass, PGPASSFILE or the service file. When it finds none,
the window asks, and ``remember_password`` keeps the answer in this process's memory only
(never on disk, in settings or in a message); every engine made for that address afterwards
(the main one, background readers, copies) connects with it. The CLI never remembers one.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from sqlalchemy import Connection, Engine, Table, create_engine, event, exc, text

from cspdesk import identity
from cspdesk.core.plan.ops import UNREAD_RESULT, UNREAD_RESULT_KEY
from cspdesk.store.address import ServerAddress, without_password
from cspdesk.store.errors import WorkspaceError
from cspdesk.store.together import PIPELINE_KEY, queue_reads_in_pipelines

if TYPE_CHECKING:
    import tenacity
    from sqlalchemy.orm import Session

# pg_advisory_lock key: "cspdesk migrate" (any constant shared by every cspdesk is fine).
MIGRATION_LOCK_KEY = 0x637370646B6D67
CONNECT_TIMEOUT_SECONDS = 10
# libpq's own settings for every connection (an address's own options win): a server that stops
# answering (the laptop left the council's network, a VPN dropped) fails a query in seconds,
# not after the system's TCP timeout of a quarter of an hour, so the window never hangs on it.
CLIENT_TIMEOUTS: tuple[tuple[str, object], ...] = (
    ("connect_timeout", CONNECT_TIMEOUT_SECONDS),
    ("keepalives", 1),
    ("keepalives_idle", 30),
    ("keepalives_interval", 10),
    ("keepalives_count", 3),
    ("tcp_user_timeout", 15_000),  # ms of data unacknowledged before the connection is dead
)
# A transaction the server rolled back because another one saved the same rows at the same
# moment: serialization_failure, deadlock_detected. Anything else is not re-run.
RETRIED_SQLSTATES = frozenset({"40001", "40P01"})
SAVE_ATTEMPTS = 4
RETRY_WAIT_SECONDS = 0.05  # the first wait is up to this, then up to twice as long each time
# Our connection was cut (pg_terminate_backend, a server restart, a dropped network).
CONNECTION_LOST_SQLSTATES = frozenset({"57P01", "57P02", "57P03"})
# Notices are per database, so one channel name serves every shared plan on a server.
NOTICE_CHANNEL = "cspdesk_changes"
# application_name of a window's listening connection: "cspdesk: Emma Clark".
PRESENCE_PREFIX = "cspdesk: "
# application_name of every other connection: "cspdesk at work: Emma Clark". A colleague kept
# waiting on this connection's locks is told the name; "Also open" counts listeners only.
WORKING_PREFIX = "cspdesk at work: "
# Waiting this long on a colleague's locks, a save gives up and names them (lock_not_available).
LOCK_TIMEOUT_MS = 8_000
# One statement running longer than this is stopped by the server, so a runaway query (or a
# plan far larger than any partnership's) can never hold a connection and its locks for long;
# the officer is told the server cancelled it. Bulk work that may rightly take longer (an
# upgrade of the schema, copying a plan in) lifts it for its own transaction (unhurried).
STATEMENT_TIMEOUT_MS = 60_000
# A session left in the middle of a transaction this long (its laptop asleep or gone from the
# network) is ended by the server, so its locks go and nobody waits on a dead laptop.
IDLE_IN_TRANSACTION_TIMEOUT_MS = 60_000
# The server's side of every connection: it notices a client gone from the network within
# about a minute (not after the system's two hours) and drops its session, so "Also open" does
# not name a ghost and its locks go. Sent in the startup packet (no round trip); a platform
# without one of them logs that and goes on (the parameters' assign hooks ignore failure).
SERVER_KEEPALIVES: tuple[tuple[str, int], ...] = (
    ("tcp_keepalives_idle", 30),
    ("tcp_keepalives_interval", 10),
    ("tcp_keepalives_count", 3),
    ("tcp_user_timeout", 60_000),
)
LOCK_NOT_AVAILABLE = "55P03"
IDLE_SESSION_ENDED = "25P03"  # idle_in_transaction_session_timeout ended our session
QUERY_CANCELED = "57014"
PERMISSION_DENIED = "42501"
READ_ONLY_TRANSACTION = "25006"


def session_options() -> str:
    """libpq's ``options``: the per-session settings every connection starts with."""
    settings = [
        *SERVER_KEEPALIVES,
        ("lock_timeout", LOCK_TIMEOUT_MS),
        ("statement_timeout", STATEMENT_TIMEOUT_MS),
        ("idle_in_transaction_session_timeout", IDLE_IN_TRANSACTION_TIMEOUT_MS),
    ]
    return " ".join(f"-c {name}={value}" for name, value in settings)


def application_name(prefix: str, who: str) -> str:
    """``prefix`` + ``who`` as application_name: libpq keeps printable ASCII only, so the rest
    is %-coded, and the server keeps 63 bytes."""
    safe = "".join(chr(c) for c in range(32, 127) if chr(c) != "%")
    return prefix + quote(who, safe=safe)[: 63 - len(prefix)]


def name_in(application_name: str) -> str | None:
    """The officer named by a cspdesk connection's application_name; None for other programs."""
    for prefix in (PRESENCE_PREFIX, WORKING_PREFIX):
        if application_name.startswith(prefix):
            return unquote(application_name.removeprefix(prefix))
    return None


class ServerUnavailable(WorkspaceError):
    """The server cannot be reached or refuses us; worded for the user."""


class ColleagueSaving(WorkspaceError):
    """Still rolled back after SAVE_ATTEMPTS tries: others keep saving the same items."""


def sqlstate(error: BaseException) -> str | None:
    return getattr(getattr(error, "orig", None) or error, "sqlstate", None)


def connection_lost(error: BaseException) -> bool:
    """The connection went (a cut, a restart, a terminated session), not a refusal."""
    if sqlstate(error) in CONNECTION_LOST_SQLSTATES or sqlstate(error) == IDLE_SESSION_ENDED:
        return True
    if isinstance(error, exc.DBAPIError) and error.connection_invalidated:
        return True
    lowered = _driver_message(error).lower()
    return any(
        words in lowered
        for words in ("server closed the connection", "connection is lost", "consuming input")
    )


def _is_transient(error: BaseException) -> bool:
    if not isinstance(error, exc.DBAPIError):
        return False
    return sqlstate(error) in RETRIED_SQLSTATES or is_stale_connection(error)


def _gave_up(state: tenacity.RetryCallState) -> None:
    last = state.outcome.exception() if state.outcome is not None else None
    raise ColleagueSaving(
        "could not save (a colleague was saving the same items at the same moment); "
        "nothing was changed — try again"
    ) from last


def retrying_transaction() -> tenacity.Retrying:
    """Attempts for one write: ``for attempt in ...: with attempt: <one transaction>``.

    Only a transient rollback is retried (SQLite never raises one: BEGIN IMMEDIATE takes one
    writer at a time); after SAVE_ATTEMPTS of them, ColleagueSaving. The waits grow and are
    jittered so two officers' retries do not collide again in step.
    """
    import tenacity  # on the first save, not at start-up

    return tenacity.Retrying(
        retry=tenacity.retry_if_exception(_is_transient),
        stop=tenacity.stop_after_attempt(SAVE_ATTEMPTS),
        wait=tenacity.wait_random_exponential(multiplier=RETRY_WAIT_SECONDS, max=1.0),
        retry_error_callback=_gave_up,
    )


class PasswordNeeded(ServerUnavailable):
    """The server asks for a password: none was found (``refused`` False) or it was wrong."""

    def __init__(self, message: str, *, refused: bool) -> None:
        super().__init__(message)
        self.refused = refused


# Typed into the window, for this process only: never written anywhere.
_session_passwords: dict[ServerAddress, str] = {}


def remember_password(address: ServerAddress, password: str) -> None:
    """Connect to ``address`` with ``password`` from now until the process ends."""
    _session_passwords[address] = password


def forget_password(address: ServerAddress) -> None:
    _session_passwords.pop(address, None)


def make_server_engine(
    address: ServerAddress, *, read_only: bool, password: str | None = None
) -> Engine:
    """An engine for ``address``; ``password`` (else the one remembered for this session,
    else libpq's files) is handed to each new connection, never put in the URL. Every
    connection starts with the client's and the server's timeouts and carries the officer's
    name (application_name), so a colleague it keeps waiting is told who."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise WorkspaceError(
            f"{address}: shared plans need the PostgreSQL driver; "
            'install it with: pip install "cspdesk[postgres]"'
        ) from None
    given = dict(address.options)
    options: dict[str, object] = {
        name: value for name, value in CLIENT_TIMEOUTS if name not in given
    }
    options["options"] = session_options()
    # Never prepare statements: preparing costs a round trip of its own, and each statement
    # here runs a handful of times per session at most.
    options["prepare_threshold"] = None
    if "application_name" not in given:
        options["application_name"] = application_name(WORKING_PREFIX, identity.user_name())
    engine = create_engine(
        address.sqlalchemy_url(),
        connect_args=options,
        hide_parameters=True,
        use_native_hstore=False,  # no hstore here: skips three round trips at the first connect
    )
    _mark_stale_connections(engine)
    _answer_in_pipelines(engine)
    queue_reads_in_pipelines(engine)
    _first_connect_in_one_trip(engine)

    @event.listens_for(engine, "do_connect")
    def _password(_dialect: object, _record: object, _args: object, params: dict) -> None:  # type: ignore[type-arg]
        # Looked up at each connect: a password typed after the engine was made counts too.
        chosen = password if password is not None else _session_passwords.get(address)
        if chosen is not None:
            params["password"] = chosen

    if read_only:
        engine = engine.execution_options(postgresql_readonly=True)
    return engine


def _mark_stale_connections(engine: Engine) -> None:
    """A pooled connection the server dropped while it lay idle (a restart, the idle timeout,
    an administrator) fails on its transaction's first statement: that error is marked
    ``stale_connection``, and Workspace runs the transaction again on a fresh connection. It
    replaces the pool's pre-ping, which cost a round trip before every transaction."""

    @event.listens_for(engine, "begin")
    def _begun(conn: Connection) -> None:
        conn.info["statements"] = 0

    @event.listens_for(engine, "before_cursor_execute")
    def _sent(conn: Connection, *_args: object) -> None:
        conn.info["statements"] = conn.info.get("statements", 0) + 1

    @event.listens_for(engine, "handle_error")
    def _stale(context: Any) -> None:
        conn = context.connection
        # A statement (not the commit, whose fate is unknown), and the transaction's first.
        first = context.statement is not None and (
            conn is None or conn.info.get("statements", 0) <= 1
        )
        if context.is_disconnect and first and context.sqlalchemy_exception is not None:
            context.sqlalchemy_exception.stale_connection = True


def _first_connect_in_one_trip(engine: Engine) -> None:
    """SQLAlchemy learns about the server on the first connection in six round trips (a
    transaction, the version, the schema, the isolation level, the string escapes); here it is
    one: the version and the escapes came with the sign-in (psycopg's connection info), the
    schema and the isolation level are asked together, outside a transaction."""
    dialect: Any = engine.dialect
    hooks = ("_get_server_version_info", "_get_default_schema_name", "_set_backslash_escapes")
    if not all(callable(getattr(dialect, hook, None)) for hook in hooks):
        return  # another SQLAlchemy than the one this was written for: its own six trips
    initialize = dialect.initialize
    learnt: dict[str, str] = {}

    def _version(connection: Connection) -> tuple[int, ...]:
        number = int(connection.connection.dbapi_connection.info.server_version)  # type: ignore[union-attr]
        return (number // 10_000, number % 10_000) if number >= 100_000 else (
            number // 10_000, number // 100 % 100, number % 100
        )  # fmt: skip

    def _schema(connection: Connection) -> str:
        row = connection.exec_driver_sql(
            "SELECT current_schema(), current_setting('transaction_isolation')"
        ).one()
        learnt["isolation"] = str(row[1]).upper()
        return str(row[0])

    def _isolation(driver: Any) -> str:
        return learnt.pop("isolation", None) or dialect.get_isolation_level(driver)

    def _escapes(connection: Connection) -> None:
        info = connection.connection.dbapi_connection.info  # type: ignore[union-attr]
        dialect._backslash_escapes = info.parameter_status("standard_conforming_strings") == b"off"

    def _initialize(connection: Connection) -> None:
        driver = connection.connection.dbapi_connection
        assert driver is not None
        driver.autocommit = True  # psycopg would wrap the questions in a transaction
        try:
            initialize(connection)
        finally:
            driver.autocommit = False

    dialect._get_server_version_info = _version
    dialect._get_default_schema_name = _schema
    dialect.get_default_isolation_level = _isolation
    dialect._set_backslash_escapes = _escapes
    dialect.initialize = _initialize


def unhurried(conn: Connection) -> None:
    """Lift the statement timeout for the rest of this transaction (bulk work: an upgrade of
    the schema, a whole plan copied in)."""
    conn.execute(text("SET LOCAL statement_timeout = 0"))


def _answer_in_pipelines(engine: Engine) -> None:
    """In a write sent through a pipeline, each statement whose result is read is answered at
    once (everything queued before it goes in the same round trip); one marked UNREAD_RESULT
    waits for the next answered statement or the commit."""

    @event.listens_for(engine, "after_cursor_execute")
    def _answer(conn: Connection, *args: Any) -> None:
        context = args[3]  # (cursor, statement, parameters, context, executemany)
        pipeline = conn.info.get(PIPELINE_KEY)
        if pipeline is None:
            return
        options = context.execution_options if context is not None else {}
        if not options.get(UNREAD_RESULT_KEY):
            pipeline.sync()


class OneTripWrite:
    """A write transaction on a server sent in as few round trips as its reads allow: BEGIN
    goes with the first statement whose result is read, and every statement whose result is
    not read (the history row, the notice) goes with the COMMIT. An edit of one field is two
    round trips: its read (which locks the row) and its commit."""

    def __init__(self, session: Session) -> None:
        self.conn = conn = session.connection()
        # Kept: once SQLAlchemy has invalidated a lost connection, asking it again raises.
        self.info = conn.info
        self.driver: Any = conn.connection.dbapi_connection
        self._stamp: Any = None

    def queue_stamp(self, query: str) -> None:
        """Send ``query`` (one row) with the commit; its row is ``stamp`` afterwards."""
        self._stamp = self.driver.execute(query)

    @property
    def stamp(self) -> object:
        return None if self._stamp is None else tuple(self._stamp.fetchone())

    def commit(self) -> None:
        """Queue the COMMIT: it goes, with everything still queued, as the block ends."""
        self.info.pop(PIPELINE_KEY, None)  # nothing more is answered on its own
        self.driver.execute("COMMIT")


@contextlib.contextmanager
def one_trip_write(session: Session) -> Iterator[OneTripWrite]:
    """Run the body's statements through a psycopg pipeline (see OneTripWrite). The body ends
    with ``commit()``, sent as the block ends (its errors come as SQLAlchemy's DBAPIError);
    without it, or on an error, the transaction is rolled back."""
    import psycopg

    write = OneTripWrite(session)
    driver = write.driver
    driver.autocommit = True  # BEGIN is ours, so that it can share a round trip
    try:
        with driver.pipeline() as pipeline:
            write.info[PIPELINE_KEY] = pipeline
            driver.execute("BEGIN")
            try:
                yield write
            finally:
                write.info.pop(PIPELINE_KEY, None)
    except psycopg.Error as error:
        wrapped = exc.DBAPIError.instance(
            None, None, error, psycopg.Error, connection_invalidated=driver.closed
        )
        if write.info.get("statements", 0) == 0 and connection_lost(wrapped):
            # Lost before any statement went: the pooled connection had been dropped, and the
            # transaction can simply run again on a fresh one.
            with contextlib.suppress(exc.SQLAlchemyError):
                write.conn.invalidate()
            wrapped.stale_connection = True  # type: ignore[attr-defined]
        raise wrapped from error
    finally:
        with contextlib.suppress(psycopg.Error):
            if driver.pgconn.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                driver.rollback()
            driver.autocommit = False


def is_stale_connection(error: BaseException) -> bool:
    """The error of a transaction's first statement on a connection the server had dropped:
    nothing of the transaction reached the server, so it can simply be run again."""
    return bool(getattr(error, "stale_connection", False))


def check_sign_in(address: ServerAddress, password: str | None = None) -> None:
    """Connect once: PasswordNeeded when the server wants a (right) password, ServerUnavailable
    for anything else, both in our words."""
    engine = make_server_engine(address, read_only=True, password=password)
    try:
        with engine.connect():
            pass
    except exc.DBAPIError as error:
        reason = describe_error(address, error)
        trouble = _password_trouble(_driver_message(error).lower())
        if trouble is not None:
            raise PasswordNeeded(f"{address}: {reason}", refused=trouble == "refused") from None
        raise ServerUnavailable(f"{address}: {reason}") from None
    finally:
        engine.dispose()


def _driver_message(error: BaseException) -> str:
    original = getattr(error, "orig", None)
    return without_password(str(original) if original is not None else str(error))


def _password_trouble(lowered: str) -> str | None:
    if "password authentication failed" in lowered:
        return "refused"
    if "no password supplied" in lowered or "fe_sendauth" in lowered:
        return "missing"
    return None


def describe_error(address: ServerAddress | None, error: BaseException) -> str:
    """The driver's error (a DBAPIError or psycopg's own) in our words, never with a password
    in it. ``address``: the plan's, when known (its user and database are named)."""
    message = _driver_message(error)
    lowered = message.lower()
    state = sqlstate(error)
    if state == LOCK_NOT_AVAILABLE:
        return f"{SOMEONE}'s save is holding these items; try again in a minute"
    if state == IDLE_SESSION_ENDED or "idle-in-transaction timeout" in lowered:
        return (
            "the server ended the session: it had waited over "
            f"{IDLE_IN_TRANSACTION_TIMEOUT_MS // 1000} seconds in the middle of a transaction"
        )
    if state == QUERY_CANCELED:
        return "the server cancelled the work (it took too long, or an administrator stopped it)"
    if state in CONNECTION_LOST_SQLSTATES or "server closed the connection" in lowered:
        return "the connection to the server was lost"
    who = (address.user if address is not None else None) or "your user name"
    trouble = _password_trouble(lowered)
    if trouble == "refused":
        return (
            f"the server refused the password for {who}; check ~/.pgpass (or PGPASSFILE, or "
            "the service file)"
        )
    if trouble == "missing":
        return (
            "the server asks for a password; put it in ~/.pgpass (or PGPASSFILE, or the "
            "service file), never in the address"
        )
    if "does not exist" in lowered and "database" in lowered:
        named = repr(address.database) if address is not None else "of that name"
        return (
            f"the server has no database {named}; ask your IT to create an empty one, then run "
            "cspdesk new --db with its address"
        )
    if "role" in lowered and "does not exist" in lowered:
        return f"the server does not know the user {who}"
    if state == PERMISSION_DENIED or "permission denied" in lowered:
        return _permission_denied(who, message.splitlines()[0] if message else "")
    if "must be owner of" in lowered:
        return (
            f"only the plan's owner can change its tables, and {who} is not it "
            f"({message.splitlines()[0]})"
        )
    if "read-only transaction" in lowered:
        return "the plan was opened read-only"
    if "definition of service" in lowered or "service file" in lowered:
        return f"no such service in pg_service.conf ({message.splitlines()[0]})"
    connection_words = ("connection", "could not connect", "timeout", "server closed", "refused")
    if any(word in lowered for word in connection_words):
        return "cannot reach the server (is it running, and is the address right?)"
    return message.splitlines()[0] if message else type(getattr(error, "orig", error)).__name__


SOMEONE = "someone"
# Other sessions on this database in a transaction that has written or locked rows: every such
# transaction holds the lock on its own transaction id. pg_locks and application_name are open
# to every role, so any officer can be told who is holding them up.
_HOLDERS = text(
    "SELECT DISTINCT a.application_name FROM pg_locks l "
    "JOIN pg_stat_activity a ON a.pid = l.pid "
    "WHERE l.locktype = 'transactionid' AND l.granted "
    "AND a.datname = current_database() AND a.pid <> pg_backend_pid()"
)


_BLOCKERS = text(
    "SELECT application_name FROM pg_stat_activity WHERE pid = ANY(pg_blocking_pids(:pid))"
)


class BlockerWatch:
    """Who a save is waiting on, asked (on another connection) once it has waited half the
    lock timeout: pg_blocking_pids names exactly the sessions holding its rows, which after
    the timeout is too late to ask. Started for every save on a server; costs nothing unless
    the save runs that long."""

    def __init__(self, engine: Engine, pid: int) -> None:
        import threading

        self.engine = engine
        self.pid = pid
        self.found: list[str] | None = None
        self._timer = threading.Timer(LOCK_TIMEOUT_MS / 2000, self._look)
        self._timer.daemon = True
        self._timer.start()

    def _look(self) -> None:
        try:
            with self.engine.connect() as conn:
                names = conn.execute(_BLOCKERS, {"pid": self.pid}).scalars().all()
        except exc.DBAPIError:
            return
        self.found = [str(name or "") for name in names] or None

    def stop(self) -> None:
        self._timer.cancel()


def holding_up(engine: Engine, me: str, blockers: list[str] | None = None) -> str:
    """Who holds the items a save waited on, in words: "Graham Browne's save is holding these
    items; try again in a minute" (``me``: our own name, for a save of ours cut off earlier).
    ``blockers``: the application_names a BlockerWatch saw; else every session on the plan in
    the middle of a writing transaction."""
    found = blockers
    if not found:
        try:
            with engine.connect() as conn:
                found = [str(name or "") for name in conn.execute(_HOLDERS).scalars()]
        except exc.DBAPIError:
            found = []
    names = sorted({name for name in map(name_in, found) if name})
    if names == [me]:
        return (
            "your own earlier save, cut off, is still holding these items; the server lets go "
            f"of it within {IDLE_IN_TRANSACTION_TIMEOUT_MS // 1000} seconds — try again then"
        )
    others = [name for name in names if name != me] or [SOMEONE]
    owners = " and ".join(f"{name}'s" for name in others)
    verb = "save is" if len(others) == 1 else "saves are"
    return f"{owners} {verb} holding these items; try again in a minute"


def _permission_denied(who: str, first_line: str) -> str:
    what = first_line.split("permission denied for ", 1)[-1] if first_line else ""
    if what.startswith("sequence "):
        return (
            f"the server does not let {who} use the {what} that every save needs; ask IT to "
            "grant USAGE on the plan's sequences (see the README's shared-plan roles)"
        )
    if what.startswith(("table ", "relation ")):
        return (
            f"the server does not let {who} do this with the plan's {what}; ask IT for the "
            "rights in the README's shared-plan roles"
        )
    return f"the server does not allow {who} to do this ({first_line})"


@dataclass(frozen=True)
class Rights:
    """What the signed-in role may do with the plan's tables, read in one round trip."""

    user: str
    owner: str  # the database's owner: who to ask for rights
    standby: bool  # a read-only copy of the server (hot standby)
    unwritable: tuple[str, ...]  # tables it cannot SELECT, INSERT, UPDATE and DELETE
    unusable: tuple[str, ...]  # id sequences it cannot use (every insert needs them)
    owns_tables: bool  # may change the schema (upgrade the plan)

    def why_read_only(self) -> str | None:
        """The banner for a plan this role can read but not change; None when it can."""
        if self.standby:
            return (
                "You can read this plan; the server is a read-only copy (a standby), so "
                "nothing can be saved there — ask IT for the main server's address."
            )
        if self.unwritable:
            what = f"change {_some(self.unwritable)}"
        elif self.unusable:
            what = f"use the id sequences every save needs ({_some(self.unusable)})"
        else:
            return None
        return (
            f"You can read this plan; ask {self.owner} (the plan's owner) or your IT to give "
            f"{self.user} editing rights — the server does not let {self.user} {what}."
        )


def _some(names: tuple[str, ...], shown: int = 3) -> str:
    listed = ", ".join(names[:shown])
    return listed if len(names) <= shown else f"{listed} and {len(names) - shown} more"


_RIGHTS = text(
    """
    WITH mine AS (
        SELECT c.oid, c.relname, c.relkind, c.relowner FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'S')
    )
    SELECT current_user AS user, pg_get_userbyid(d.datdba) AS owner,
        pg_is_in_recovery() AS standby,
        ARRAY(SELECT relname FROM mine WHERE CASE WHEN relkind = 'r'
            AND relname <> 'alembic_version' THEN NOT (has_table_privilege(oid, 'SELECT')
                AND has_table_privilege(oid, 'INSERT') AND has_table_privilege(oid, 'UPDATE')
                AND has_table_privilege(oid, 'DELETE')) ELSE false END
            ORDER BY relname) AS unwritable,
        ARRAY(SELECT relname FROM mine WHERE CASE WHEN relkind = 'S'
            THEN NOT has_sequence_privilege(oid, 'USAGE') ELSE false END
            ORDER BY relname) AS unusable,
        coalesce((SELECT bool_and(pg_has_role(relowner, 'USAGE')) FROM mine), true) AS owns,
        EXISTS (SELECT 1 FROM mine WHERE relkind = 'r') AS any_tables,
        to_regclass('alembic_version') IS NOT NULL AND to_regclass('partnership') IS NOT NULL
            AS ours,
        CASE WHEN to_regclass('alembic_version') IS NOT NULL THEN (xpath(
            '/row/version_num/text()',
            query_to_xml('SELECT version_num FROM alembic_version', false, true, '')
        ))[1]::text END AS revision
    FROM pg_database d WHERE d.datname = current_database()
    """
)


@dataclass(frozen=True)
class Found:
    """What opening a shared plan needs to know, read in one round trip."""

    any_tables: bool
    ours: bool  # cspdesk's tables (alembic_version and partnership)
    revision: str | None
    rights: Rights


def look(conn: Connection) -> Found:
    """The database's tables, schema revision and this role's rights, in one statement (a
    link from home costs tens of milliseconds a round trip)."""
    row = conn.execute(_RIGHTS).one()
    return Found(
        any_tables=bool(row.any_tables),
        ours=bool(row.ours),
        revision=None if row.revision is None else str(row.revision),
        rights=Rights(
            user=str(row.user),
            owner=str(row.owner),
            standby=bool(row.standby),
            unwritable=tuple(row.unwritable),
            unusable=tuple(row.unusable),
            owns_tables=bool(row.owns),
        ),
    )


# An upgrade waits this long for colleagues' transactions to let go of the tables (a save is
# refused after LOCK_TIMEOUT_MS; changing a table's columns is worth waiting for).
MIGRATION_LOCK_TIMEOUT = "120s"


@contextlib.contextmanager
def migration_lock(conn: Connection) -> Iterator[None]:
    """Hold the server-wide advisory lock so two officers never migrate at once."""
    # Also while waiting for a colleague's upgrade of the same plan to finish.
    conn.execute(text(f"SET lock_timeout = '{MIGRATION_LOCK_TIMEOUT}'"))
    conn.execute(text("SET statement_timeout = 0"))  # widening a big table takes its time
    conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
    try:
        yield
    finally:
        conn.execute(text("RESET lock_timeout"))  # back to the connection's own setting
        conn.execute(text("RESET statement_timeout"))
        conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY})


def _sequence(conn: Connection, table: Table) -> str | None:
    return conn.execute(
        text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": f'"{table.name}"'}
    ).scalar()


def reserve_ids(conn: Connection, table: Table, count: int) -> list[int]:
    """``count`` new ids for ``table`` from its sequence (safe beside other writers)."""
    sequence = _sequence(conn, table)
    if sequence is None:
        raise WorkspaceError(f"table {table.name} has no id sequence")
    return list(
        conn.execute(
            text("SELECT nextval(:seq) FROM generate_series(1, :n)"), {"seq": sequence, "n": count}
        ).scalars()
    )


def id_high_water(conn: Connection, table: Table) -> int:
    """The highest id ``table`` has given out (deleted rows included)."""
    sequence = _sequence(conn, table)
    top = conn.execute(text(f'SELECT coalesce(max(id), 0) FROM "{table.name}"')).scalar() or 0
    if sequence is None:
        return int(top)
    row = conn.execute(text(f"SELECT last_value, is_called FROM {sequence}")).one()
    given = int(row.last_value) if row.is_called else int(row.last_value) - 1
    return max(given, int(top))


def set_id_high_water(conn: Connection, table: Table, value: int) -> None:
    """Make ``table``'s next id ``value + 1`` (after rows were copied in with their ids)."""
    sequence = _sequence(conn, table)
    if sequence is None:
        return
    if value > 0:
        conn.execute(text("SELECT setval(:seq, :value, true)"), {"seq": sequence, "value": value})
    else:
        conn.execute(text("SELECT setval(:seq, 1, false)"), {"seq": sequence})


# ---- the live view: notices of committed changes, and who has the plan open -----------------


def send_notice(conn: Connection, payload: str) -> None:
    """Queue a notice in the current transaction: listeners get it when (and if) it commits."""
    conn.execute(
        text("SELECT pg_notify(:channel, :payload)"),
        {"channel": NOTICE_CHANNEL, "payload": payload},
        execution_options=UNREAD_RESULT,
    )


def open_listening_connection(engine: Engine, application_name: str) -> Any:
    """A connection of its own (outside the pool) that LISTENs, named for pg_stat_activity.

    It comes from the workspace's engine, so it signs in exactly as the plan's edits do.
    Returns the psycopg connection, in autocommit mode.
    """
    from psycopg import OperationalError, sql

    # One round trip (no parameters: the simple protocol takes both statements); the server's
    # keepalives came with the connection (session_options).
    listen = sql.SQL("SELECT set_config('application_name', {}, false); LISTEN {}").format(
        sql.Literal(application_name), sql.Identifier(NOTICE_CHANNEL)
    )
    for fresh in (False, True):
        pooled = engine.raw_connection()
        pooled.detach()  # ours until closed: never handed to an edit, never recycled by the pool
        conn = pooled.dbapi_connection
        assert conn is not None
        try:
            conn.rollback()  # idle in the pool, so no round trip
            conn.autocommit = True
            conn.execute(listen)
            return conn
        except OperationalError:
            conn.close()
            if fresh:
                raise
            # The server dropped the pool's connections (a restart): start the pool afresh.
            engine.dispose()
    raise AssertionError("unreachable")


def pending_notices(conn: Any) -> list[str]:
    """The payloads of the notices that have arrived, without waiting for more."""
    return [notice.payload for notice in conn.notifies(timeout=0)]


def present_names(conn: Any) -> list[str]:
    """application_name of the other cspdesk windows on this database, oldest first.

    Every role may read another role's user name and application_name in pg_stat_activity
    (only the query, state and client address are hidden from it), so two officers signing in
    as different roles still see each other.
    """
    rows = conn.execute(
        "SELECT application_name FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid() "
        "AND starts_with(application_name, %s) ORDER BY backend_start",
        (PRESENCE_PREFIX,),
    ).fetchall()
    return [str(row[0]) for row in rows]
