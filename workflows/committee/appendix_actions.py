"""Attaching a PDF appendix to an item already on an agenda (``s75 item attach``, the item's
page on the web): checked and stored as at ``item add`` (workflows/committee/appendices.py),
appended to the item's ``appendices`` as the next "Appendix N". Like an edit
(workflows/committee/item_edits.py): freely until the item is published; after that with a
reason, recorded, and the packs republished as a new version. The report needs clearing
again where its body asks for clearance (the item's version moves on)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from decisions.errors import InvalidInput, RuleRefused
from decisions.principals import Permission, Scope
from decisions.terms import LocalityConfig
from workflows.actions import Action
from workflows.committee import appendices, common
from workflows.committee.events import ItemEdited
from workflows.committee.item_edits import OPEN_STATES, PUBLISHED_STATES
from workflows.committee.scopes import item_scope
from workflows.committee.tables import AgendaItemRow
from workflows.events import UnitOfWork

MAX_APPENDICES = 20


@dataclass(frozen=True)
class AttachAppendix(Action[AgendaItemRow]):
    """Attach one PDF appendix (its title, file name and bytes) to an item."""

    name = "item attach"
    permission = Permission(("secretary", "report_author"))
    item_id: int
    title: str
    filename: str
    pdf: bytes
    reason: str = ""

    def validate(self, cfg: LocalityConfig) -> None:
        if not self.title.strip():
            raise InvalidInput("title: missing; give the appendix a title (it is printed as "
                               "\"Appendix N: title\")")
        if len(self.title) > 300:
            raise InvalidInput(f"title: {len(self.title)} characters is too long; at most 300")
        appendices.pdf_pages(self.filename or "the file", self.pdf)

    def load(self, uow: UnitOfWork) -> Any:
        return common.item(uow.session, self.item_id)

    def scope(self, uow: UnitOfWork, loaded: Any) -> Scope:
        return item_scope(uow, loaded)

    def check(self, uow: UnitOfWork, loaded: Any) -> None:
        item: AgendaItemRow = loaded
        if item.state not in OPEN_STATES + PUBLISHED_STATES:
            raise RuleRefused("the record", f"{common.describe_item(item)} is {item.state}; "
                              "it is part of the meeting's record and takes no new appendix")
        if item.state in PUBLISHED_STATES and not self.reason.strip():
            raise InvalidInput(f"reason: missing; {common.describe_item(item)} is published, "
                               "so a new appendix needs a reason (it is recorded, and the pack "
                               "is republished as a new version)")
        if len(item.appendices) >= MAX_APPENDICES:
            raise RuleRefused("appendices", f"{common.describe_item(item)} has "
                              f"{len(item.appendices)} appendices; at most {MAX_APPENDICES}")

    def write(self, uow: UnitOfWork, loaded: Any) -> AgendaItemRow:
        item: AgendaItemRow = loaded
        assert item.id is not None
        n = len(item.appendices) + 1
        entry = appendices.store(uow, item.id, n, {"title": self.title.strip(),
                                                   "pdf": self.pdf,
                                                   "filename": self.filename})
        known = [a.get("sha256") for a in item.appendices]
        if entry["sha256"] in known:
            raise RuleRefused("appendices", f"{self.filename} is already attached to "
                              f"{common.describe_item(item)} as Appendix "
                              f"{known.index(entry['sha256']) + 1}")
        item.appendices = [*item.appendices, entry]
        common.bump(item)
        uow.session.add(item)
        uow.session.flush()
        uow.emit(ItemEdited(item_id=item.id, meeting_id=item.meeting_id, fields=["appendices"],
                            reason=self.reason.strip(), version=item.version,
                            published=item.state in PUBLISHED_STATES))
        return item
