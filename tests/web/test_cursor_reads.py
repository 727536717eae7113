"""The list pages' reads on the DBAPI cursor (s75/web/cursor_reads.py) return what
``Connection.execute`` returns, send the same SQL, and are seen by the statement events (which
count a page's queries), for every shape of ``IN`` list: none, one, several, and the fixed lists
written in a statement."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import Engine, event

from bench.board import seed
from decisions.terms import LocalityConfig
from s75.web import board
from s75.web.cursor_reads import Read

TODAY = date(2019, 4, 11)


def test_a_read_returns_and_sends_what_execute_does(engine: Engine,
                                                    config: LocalityConfig) -> None:
    seed(engine, config, 30, TODAY)
    _, page = board._statements(True, False, True)  # stage = ?, state NOT IN (...), ...
    page_params = board._params(config, TODAY, board.Filters(stage="shadow_operation",
                                                             at_risk=True))
    returns = board._returns_read().statement
    cases: list[tuple[Any, dict[str, Any]]] = [
        (page, page_params | {"limit": 25, "offset": 0}),
        (page, page_params | {"limit": 5, "offset": 3}),
        *((returns, {"ids": ids, "first": date(2018, 9, 1)})
          for ids in ([], [2], [1, 2, 3, 10], [2])),
    ]
    sent: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not re.match(r"\s*(BEGIN|COMMIT|ROLLBACK|PRAGMA|SAVEPOINT|RELEASE)", statement, re.I):
            sent.append(statement)

    reads: dict[int, Read] = {}
    nonempty = 0
    with engine.connect() as conn:
        event.listen(engine, "before_cursor_execute", note)
        try:
            for statement, params in cases:
                expected = [tuple(r) for r in conn.execute(statement, params).all()]
                read = reads.setdefault(id(statement), Read(statement))
                got = read.rows(conn, params)
                assert got == expected, params
                nonempty += bool(got)
                assert [type(v) for r in got for v in r] == [
                    type(v) for r in expected for v in r]
        finally:
            event.remove(engine, "before_cursor_execute", note)
    assert len(sent) == 2 * len(cases)
    for i in range(0, len(sent), 2):  # each read sent the statement execute sent before it
        assert sent[i + 1] == sent[i]
    assert nonempty >= 4  # the page and the returns read rows, not only empty results
