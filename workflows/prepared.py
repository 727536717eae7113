"""Statements of the hot path (a trigger: the proposal read, the versioned UPDATE, the audit
append), compiled once per database dialect and run as their SQL text on the connection's
DBAPI cursor.

A :class:`Prepared` holds a Core statement; the first run on a dialect compiles it, and keeps
the SQL and the column types' parameter and result processors. Each run then converts the
parameters as Core would, sends the SQL on a cursor of the connection's own DBAPI connection
(inside the connection's transaction, which is begun first if it is not yet), with the
connection's ``before_cursor_execute`` and ``after_cursor_execute`` events fired around it (so
the tests and benchmark that count statements with them see every statement), and converts the
returned rows as Core would. A driver error is raised as SQLAlchemy raises it (the
:class:`sqlalchemy.exc.DBAPIError` subclass wrapping it; a lost connection is invalidated).

The same SQL and the same values as ``Connection.execute``, without building a cache key, a
compiled-statement context and a cursor result for every call (``exec_driver_sql`` alone cost
about 0.08 ms a statement, a third of a trigger's CPU).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, NamedTuple

from sqlalchemy import Connection, Dialect, exc
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ClauseElement

Processor = Callable[[Any], Any] | None


Conversions = tuple[tuple[int, Callable[[Any], Any]], ...]
"""(position, conversion) of each value whose type converts it."""


@dataclass(frozen=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]
    fixed: dict[str, Any]
    """Values written into the statement (``id = 1``): the bind's own value."""
    positional: bool
    pick: Callable[[Mapping[str, Any]], tuple[Any, ...]]
    """The parameters' values in the statement's order."""
    bind_at: Conversions
    result_at: Conversions


def _picker(names: tuple[str, ...]) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    if len(names) > 1:
        return itemgetter(*names)
    return (lambda given: (given[names[0]],)) if names else (lambda given: ())


def _conversions(processors: Sequence[Processor]) -> Conversions:
    return tuple((i, p) for i, p in enumerate(processors) if p is not None)


def converted(raw: Sequence[Any], at: Conversions) -> list[tuple[Any, ...]]:
    """The driver's rows ``raw``, the values at ``at`` converted (by their columns' types)."""
    if not at:
        return [tuple(r) for r in raw]
    out = []
    for r in raw:
        values = list(r)
        for i, p in at:
            values[i] = p(values[i])
        out.append(tuple(values))
    return out


class Ran(NamedTuple):
    """What one run of a statement returned: its rows (as the driver gave them), the rows it
    changed and the id of the row it inserted (SQLite)."""

    raw: list[Any]
    rowcount: int
    lastrowid: int | None


_CONN_KEY = "s75.connection"


def connection(session: Session) -> Connection:
    """The session's connection in its current transaction (``Session.connection()``,
    remembered until that connection is released: the session's commit, rollback or close)."""
    conn: Connection | None = session.info.get(_CONN_KEY)
    if conn is not None and not conn.closed and conn.in_transaction() \
            and session.in_transaction():
        return conn
    conn = session.info[_CONN_KEY] = session.connection()
    return conn


class Prepared:
    """A Core statement run as its compiled SQL (see the module's docstring)."""

    def __init__(self, statement: ClauseElement, *, as_given: tuple[str, ...] = (),
                 shared: tuple[int, ...] = ()) -> None:
        self.statement = statement
        self.as_given = as_given
        """Parameters sent as the caller gives them, without their type's conversion (the
        audit payload: its canonical JSON text is the JSON column's value)."""
        self.shared = frozenset(shared)
        """Positions of result columns whose converted values cannot be changed in place (a
        time, not a JSON list or mapping): converted once per distinct value in a read and
        that value shared by the rows that hold it."""
        self._by_dialect: dict[str, _Compiled] = {}

    def _compiled(self, dialect: Dialect) -> _Compiled:
        found = self._by_dialect.get(dialect.name)
        if found is None:
            compiled: Any = self.statement.compile(dialect=dialect)
            names = tuple(compiled.positiontup) if dialect.positional else tuple(compiled.binds)
            fixed = {n: compiled.binds[n].effective_value for n in names
                     if not compiled.binds[n].required}
            binds = tuple(None if n in self.as_given else
                          compiled.binds[n].type.dialect_impl(dialect).bind_processor(dialect)
                          for n in names)
            columns: Any = getattr(self.statement, "selected_columns", None)
            if columns is None or not len(columns):
                columns = getattr(self.statement, "_returning", ())
            results = tuple(c.type.dialect_impl(dialect).result_processor(dialect, None)
                            for c in columns)
            found = self._by_dialect[dialect.name] = _Compiled(
                compiled.string, names, fixed, dialect.positional, _picker(names),
                _conversions(binds), _conversions(results))
        return found

    def _args(self, c: _Compiled, params: Mapping[str, Any]) -> Any:
        """One parameter set as the driver takes it, each value converted by its type."""
        values: Any = c.pick({**c.fixed, **params} if c.fixed else params)
        if c.bind_at:
            values = list(values)
            for i, p in c.bind_at:
                values[i] = p(values[i])
        return tuple(values) if c.positional else dict(zip(c.names, values, strict=True))

    def execute(self, conn: Connection, params: Mapping[str, Any]) -> Ran:
        c = self._compiled(conn.dialect)
        return _run(conn, c.sql, self._args(c, params))

    def execute_many(self, conn: Connection, params: Sequence[Mapping[str, Any]]) -> int:
        """The statement once per parameter set, as one DBAPI ``executemany`` (the cursor
        events fired once, as Core fires them for an executemany); the rows it changed."""
        c = self._compiled(conn.dialect)
        return _run(conn, c.sql, [self._args(c, one) for one in params], many=True).rowcount

    def rows(self, conn: Connection, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """The rows returned, each value converted by its column's type."""
        c = self._compiled(conn.dialect)
        raw: Sequence[Any] = self.execute(conn, params).raw
        if not (self.shared and c.result_at and len(raw) > 1):
            return converted(raw, c.result_at)
        out = []
        memo: dict[tuple[int, Any], Any] = {}
        each = tuple((i, p, i in self.shared) for i, p in c.result_at)
        for r in raw:
            values = list(r)
            for i, p, once in each:
                v = values[i]
                if not once:
                    values[i] = p(v)
                elif (i, v) in memo:
                    values[i] = memo[i, v]
                else:
                    values[i] = memo[i, v] = p(v)
            out.append(tuple(values))
        return out


def _run(conn: Connection, sql: str, args: Any, many: bool = False) -> Ran:
    """``sql`` with ``args`` on a cursor of ``conn``'s DBAPI connection, in its transaction
    (``many``: ``args`` is a list of parameter sets, sent as one ``executemany``)."""
    if not conn.in_transaction():
        conn.begin()  # as exec_driver_sql would (autobegin): the "begin" events run
    return send(conn, sql, args, many)


_LASTROWID: dict[type, bool] = {}
"""Whether a DBAPI cursor type has ``lastrowid`` (SQLite's; psycopg's has none)."""


def send(conn: Connection, sql: str, args: Any = (), many: bool = False) -> Ran:
    """``sql`` with ``args`` on a cursor of ``conn``'s DBAPI connection as it is (no
    transaction begun first: the SQLite "begin" event sends its BEGIN with this), with the
    connection's statement events fired around it and a driver error raised as SQLAlchemy
    raises it (``many``: ``args`` is a list of parameter sets, sent as one
    ``executemany``)."""
    dbapi_conn: Any = conn.connection.dbapi_connection
    cursor = dbapi_conn.cursor()
    dispatch = conn.dispatch
    try:
        before = dispatch.before_cursor_execute
        if before:
            before(conn, cursor, sql, args, None, many)
        if many:
            cursor.executemany(sql, args)
        else:
            cursor.execute(sql, args)
        after = dispatch.after_cursor_execute
        if after:
            after(conn, cursor, sql, args, None, many)
        raw = cursor.fetchall() if not many and cursor.description is not None else []
        kind = type(cursor)
        has_id = _LASTROWID.get(kind)
        if has_id is None:
            has_id = _LASTROWID[kind] = hasattr(cursor, "lastrowid")
        return Ran(raw, cursor.rowcount, cursor.lastrowid if has_id else None)
    except conn.dialect.loaded_dbapi.Error as e:
        lost = conn.dialect.is_disconnect(e, dbapi_conn, cursor)
        if lost:
            conn.invalidate(e)
        raise exc.DBAPIError.instance(sql, args, e, conn.dialect.loaded_dbapi.Error,
                                      dialect=conn.dialect, connection_invalidated=lost
                                      ) from e
    finally:
        cursor.close()
