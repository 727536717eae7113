"""The list pages' reads run as their compiled SQL on the connection's DBAPI cursor, as the
triggers' statements are (:mod:`workflows.prepared`, run the same way here: in the
connection's transaction, begun first if it is not yet, with the connection's
``before_cursor_execute`` and ``after_cursor_execute`` events fired around the statement, so
the tests and benchmarks that count statements see it; a driver error raised as SQLAlchemy
raises it, a lost connection invalidated), with what that module's statements lack: ``IN``
lists.

A :class:`Read` holds a Core SELECT. It is compiled once per database dialect, and expanded
once per shape of its parameters (the length of each list given for an ``IN``; the fixed lists
written in the statement, such as the states of ``state NOT IN ('live', ...)``, are expanded
with their own values) by SQLAlchemy's own ``construct_expanded_state``: the same SQL text and
the same values as ``Connection.execute`` sends, each value converted by its type's bind
processor. A run then only lays out the values and sends them, without a cache key, an
execution context and a result object per statement; the rows come back as the driver gives
them (:meth:`Read.raw`) or converted by their columns' types (:meth:`Read.rows`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Dialect, Select

from workflows.prepared import converted, send

Processor = Any
"""A type's bind or result processor (a callable of one value), or None."""


@dataclass(frozen=True)
class _Slot:
    """Where one value of the SQL comes from: the caller's ``name`` (item ``index`` of its
    list, -1: the value itself), or a value fixed in the statement (``name`` None)."""

    name: str | None
    index: int
    convert: Processor
    fixed: Any = None


@dataclass(frozen=True)
class _Shape:
    sql: str
    names: tuple[str, ...]
    slots: tuple[_Slot, ...]
    positional: bool


class Read:
    """A Core SELECT run as its compiled SQL on the DBAPI cursor (see the module)."""

    def __init__(self, statement: Select[Any]) -> None:
        self.statement = statement
        self._compiled: dict[str, Any] = {}
        self._shapes: dict[tuple[Any, ...], _Shape] = {}
        self._results: dict[str, tuple[Processor, ...]] = {}

    def _shape(self, dialect: Dialect, params: Mapping[str, Any]) -> _Shape:
        key = (dialect.name,
               *((k, len(v)) for k, v in params.items() if isinstance(v, list | tuple)))
        found = self._shapes.get(key)
        if found is not None:
            return found
        compiled = self._compiled.get(dialect.name)
        if compiled is None:
            compiled = self._compiled[dialect.name] = self.statement.compile(dialect=dialect)
        used = {k: v for k, v in params.items() if k in compiled.binds}
        state = compiled.construct_expanded_state(used)
        origin = {name: (orig, i) for orig, names in state.parameter_expansion.items()
                  for i, name in enumerate(names)}
        names = tuple(state.positiontup or ()) if dialect.positional else tuple(state.parameters)
        slots = []
        for name in names:
            orig, index = origin.get(name, (name, -1))
            convert = compiled.binds[orig].type.dialect_impl(dialect).bind_processor(dialect)
            if orig in used:
                slots.append(_Slot(orig, index, convert))
            else:  # written in the statement: converted once
                value = state.parameters[name]
                slots.append(_Slot(None, -1, None, convert(value) if convert else value))
        found = self._shapes[key] = _Shape(state.statement, names, tuple(slots),
                                           dialect.positional)
        return found

    def raw(self, conn: Connection, params: Mapping[str, Any]) -> list[Any]:
        """The rows as the driver returns them, ``params`` bound (a list for an ``IN``)."""
        shape = self._shape(conn.dialect, params)
        values = []
        for s in shape.slots:
            if s.name is None:
                values.append(s.fixed)
                continue
            v = params[s.name] if s.index < 0 else params[s.name][s.index]
            values.append(s.convert(v) if s.convert is not None else v)
        args: Any = (tuple(values) if shape.positional
                     else dict(zip(shape.names, values, strict=True)))
        return _fetch(conn, shape.sql, args)

    def results(self, dialect: Dialect) -> tuple[Processor, ...]:
        """Each selected column's result processor (None: the driver's value as it is)."""
        found = self._results.get(dialect.name)
        if found is None:
            found = self._results[dialect.name] = tuple(
                c.type.dialect_impl(dialect).result_processor(dialect, None)
                for c in self.statement.selected_columns)
        return found

    def converted(self, dialect: Dialect, raw: Sequence[Any]) -> list[tuple[Any, ...]]:
        """The driver's rows ``raw`` (of :meth:`raw`), each value converted by its column's
        type."""
        return converted(raw, tuple((i, p) for i, p in enumerate(self.results(dialect))
                                    if p is not None))

    def rows(self, conn: Connection, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """The rows, each value converted by its column's type."""
        return self.converted(conn.dialect, self.raw(conn, params))


def _fetch(conn: Connection, sql: str, args: Any) -> list[Any]:
    """``sql`` with ``args`` on a cursor of ``conn``'s DBAPI connection, in its transaction:
    every row, as the driver returns them."""
    if not conn.in_transaction():
        conn.begin()  # as Connection.execute would (autobegin): the "begin" events run
    return send(conn, sql, args).raw
