"""``s75 documents`` (the documents store) and ``s75 render`` (any document kind to a PDF).

The renderer (WeasyPrint, fontTools, pypdf, via ``notifications.documents.kinds`` and
``.pack``) is imported inside the commands that render, so that every other command, and
``s75 --help``, starts without it (tests/foundation/test_startup.py).
"""

from __future__ import annotations

import contextlib
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from decisions.errors import InvalidInput
from notifications.documents import store
from notifications.documents.tables import DOCUMENT_KINDS
from s75.app import App
from s75.cli.options import JsonOpt, get_app, member_check
from s75.cli.output import emit_object, emit_rows, err_console

if TYPE_CHECKING:
    from rich.progress import Progress

    from notifications.documents.pack import PackResult, Renderer

documents_app = typer.Typer(no_args_is_help=True, help="The store of produced documents.")
render_app = typer.Typer(no_args_is_help=True, help=(
    "Render a document to an accessible PDF (PDF/UA-1). Use --sample to render the seed "
    "papers' sample instead of the database."))

OutOpt = Annotated[Path, typer.Option("--out", "-o", help="PDF file to write.")]
PublicOpt = Annotated[bool, typer.Option("--public", help=(
    "The public version: Part 2 items shown only by title and exempt paragraph."))]
MemberOpt = Annotated[str | None, typer.Option("--member", help=(
    "A member's personal pack: items on which they declared an interest are marked."))]
SampleOpt = Annotated[bool, typer.Option("--sample", help="Render the seed papers' sample.")]
StoreOpt = Annotated[bool, typer.Option("--store", help="Also keep it in the documents store.")]


def _app(ctx: typer.Context) -> App:
    return get_app(ctx)


def _save_file(out: Path, pdf: bytes) -> None:
    """Write the PDF whole (a temporary file renamed into place) or raise naming ``--out``."""
    tmp = out.with_name(f".{out.name}.part")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        if out.is_dir():
            raise IsADirectoryError(21, "Is a directory", str(out))
        tmp.write_bytes(pdf)
        tmp.replace(out)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise InvalidInput(f"--out: cannot write {out} ({exc.strerror or exc}); give a PDF "
                           "file path in a folder you may write to, e.g. --out pack.pdf"
                           ) from None


def _write(out: Path, pdf: bytes, pages: int, title: str, refused: list[str] | None = None,
           *, saved: bool = False) -> None:
    if not saved:
        _save_file(out, pdf)
    emit_object({"written": str(out), "title": title, "pages": pages, "bytes": len(pdf),
                 **({"refused_urls": refused} if refused else {})}, False)


def _member_check(ctx: typer.Context, member: str | None, public: bool,
                  meeting_id: int = 0) -> None:
    """``--member`` names a member of the meeting's body: a member of another body is the
    public for its Part 2 business, so gets no personal (unredacted) pack."""
    if public and member:
        raise InvalidInput("--public and --member: give one or the other; the public version "
                           "is the same for everyone, a member's personal pack is not public")
    a = _app(ctx)
    cfg = a.config
    member_check(cfg, member, "--member")
    if member is None or not meeting_id:
        return
    from workflows.committee.common import meeting

    with a.session() as s:
        body_id = meeting(s, meeting_id).body_id
    if member not in {m.id for m in cfg.members_of(body_id)}:
        raise InvalidInput(f"--member: {member!r} is not a member of "
                           f"{cfg.body_by_id(body_id).name}, so has no personal pack for its "
                           "meetings; use --public for the public version")


def _single(ctx: typer.Context, out: Path, html: str, title: str, kind: str,
            subject_type: str, subject_id: object, keep: bool, public: bool = False,
            meeting_id: int | None = None) -> None:
    from notifications.documents import kinds

    r = kinds.render(html)
    _save_file(out, r.pdf)
    if keep:
        a = _app(ctx)
        with a.session() as s:
            store.save(s, kind=kind, title=title, pdf=r.pdf, pages=r.pages,
                       subject_type=subject_type, subject_id=subject_id, now=a.clock.now(),
                       public=public, meeting_id=meeting_id)
            s.commit()
    _write(out, r.pdf, r.pages, title, r.refused, saved=True)


def _progress_renderer(workers: int | None) -> tuple[Renderer, Progress]:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from notifications.documents.pack import Renderer, cores, default_cache

    # The description is a member's or an item's title: data, never markup.
    progress = Progress(TextColumn("{task.description}", markup=False, style="bold"),
                        BarColumn(),
                        MofNCompleteColumn(), TimeElapsedColumn(), console=err_console(),
                        transient=False)
    task = progress.add_task("rendering parts", total=None)

    def update(done: int, total: int, what: str) -> None:
        progress.update(task, completed=done, total=total,
                        description=f"rendering parts: {what[:40]}")

    return Renderer(default_cache(), workers=workers or cores(), progress=update,
                    adaptive=workers is None), progress


@render_app.command("pack")
def render_pack(ctx: typer.Context, meeting_id: Annotated[int, typer.Argument(
        help="Meeting id (0 with --sample)")] = 0, out: OutOpt = Path("pack.pdf"),
                public: PublicOpt = False, member: MemberOpt = None, sample: SampleOpt = False,
                workers: Annotated[int | None, typer.Option(
                    min=1, help="Worker processes [default: the free cores]")] = None,
                keep: StoreOpt = False) -> None:
    """The decision pack: agenda, cover sheets, reports and appendices, one outline entry per
    item, continuous "Page x of y". Parts render in parallel and are cached by content."""
    from notifications.documents import gather, samples
    from notifications.documents.pack import build_pack

    _member_check(ctx, member, public, 0 if sample else meeting_id)
    if sample:
        view = samples.sample_pack(public=public, member=member)
    else:
        a = _app(ctx)
        with a.session() as s:
            view = gather.pack_view(s, a.config, meeting_id, public=public, member_id=member)
    renderer, progress = _progress_renderer(workers)
    with progress, renderer:
        result = build_pack(view, renderer)
    _save_file(out, result.pdf)
    if keep and not sample:
        _store_pack(ctx, result, view.title, meeting_id, public, member, "pack")
    _write(out, result.pdf, result.pages, view.title, saved=True)


def _store_pack(ctx: typer.Context, result: PackResult, title: str, meeting_id: int,
                public: bool, member: str | None, kind: str) -> None:
    a = _app(ctx)
    with a.session() as s:
        store.save(s, kind=kind, title=title, pdf=result.pdf, pages=result.pages,
                   subject_type="meeting", subject_id=meeting_id, now=a.clock.now(),
                   public=public, member_id=member, meeting_id=meeting_id)
        s.commit()


@render_app.command("supplement")
def render_supplement(ctx: typer.Context, meeting_id: Annotated[int, typer.Argument(
        help="Meeting id (0 with --sample)")] = 0, out: OutOpt = Path("supplement.pdf"),
                      public: PublicOpt = False, member: MemberOpt = None,
                      sample: SampleOpt = False, keep: StoreOpt = False) -> None:
    """Reports accepted after publication with the chair's urgency consent, numbered on from
    the main pack (pages and paragraphs)."""
    from notifications.documents import gather, samples
    from notifications.documents.pack import build_pack, build_supplement

    _member_check(ctx, member, public, 0 if sample else meeting_id)
    renderer, progress = _progress_renderer(None)
    with progress, renderer:
        if sample:
            main = build_pack(samples.sample_pack(public=public, member=member), renderer)
            view = samples.sample_supplement(main.pages + 1)
        else:
            a = _app(ctx)
            with a.session() as s:
                audience = "public" if public else (f"member:{member}" if member else "members")
                stored = store.latest(s, "pack", "meeting", meeting_id, audience)
                if stored is None:
                    main = build_pack(gather.pack_view(s, a.config, meeting_id, public=public,
                                                       member_id=member), renderer)
                    first = main.pages + 1
                else:
                    first = stored.pages + 1
                view = gather.supplement_view(s, a.config, meeting_id, first_page=first,
                                              public=public, member_id=member)
        from dataclasses import replace
        view = replace(view, public=public)
        result = build_supplement(view, renderer)
    _save_file(out, result.pdf)
    if keep and not sample:
        _store_pack(ctx, result, view.title, meeting_id, public, member, "supplement")
    _write(out, result.pdf, result.pages, view.title, saved=True)


@render_app.command("agenda")
def render_agenda(ctx: typer.Context, meeting_id: Annotated[int, typer.Argument(
        help="Meeting id (0 with --sample)")] = 0, out: OutOpt = Path("agenda.pdf"),
                  public: PublicOpt = False, member: MemberOpt = None,
                  sample: SampleOpt = False, keep: StoreOpt = False) -> None:
    """The agenda: file 000's columns, Part 1 then Part 2, the next meeting and its deadline."""
    from notifications.documents import gather, kinds, samples

    _member_check(ctx, member, public, 0 if sample else meeting_id)
    if sample:
        view = samples.sample_agenda()
    else:
        a = _app(ctx)
        with a.session() as s:
            view = gather.agenda_view(s, a.config, meeting_id, member_id=member)
    _single(ctx, out, kinds.agenda_html(view, public=public), view.title, "agenda", "meeting",
            meeting_id, keep and not sample, public, meeting_id)


@render_app.command("minutes")
def render_minutes(ctx: typer.Context, meeting_id: Annotated[int, typer.Argument(
        help="Meeting id (0 with --sample)")] = 0, out: OutOpt = Path("minutes.pdf"),
                   public: PublicOpt = False, sample: SampleOpt = False,
                   keep: StoreOpt = False) -> None:
    """Minutes: attendance, declarations and how managed, each decision and its rule."""
    from notifications.documents import gather, kinds, samples

    if sample:
        view = samples.sample_minutes()
    else:
        a = _app(ctx)
        with a.session() as s:
            view = gather.minutes_view(s, a.config, meeting_id)
    _single(ctx, out, kinds.minutes_html(view, public=public), view.title, "minutes",
            "meeting", meeting_id, keep and not sample, public, meeting_id)


@render_app.command("notice")
def render_notice(ctx: typer.Context, decision_id: Annotated[int, typer.Argument(
        help="Decision id (0 with --sample)")] = 0, out: OutOpt = Path("notice.pdf"),
                  public: PublicOpt = False, sample: SampleOpt = False,
                  keep: StoreOpt = False) -> None:
    """Decision notice / executive decision record (SI 2012/2089 reg 12) with call-in expiry."""
    from notifications.documents import gather, kinds, samples

    if sample:
        view = samples.sample_notice()
    else:
        a = _app(ctx)
        with a.session() as s:
            from workflows.committee.common import decision

            decision(s, decision_id)
            view = gather.notice_view(s, a.config, decision_id, a.clock.now())
    _single(ctx, out, kinds.notice_html(view, public=public), view.title, "notice", "decision",
            decision_id, keep and not sample, public)


@render_app.command("actions")
def render_actions(ctx: typer.Context, body: Annotated[str, typer.Argument(
        help="Body id, e.g. jcc")] = "jcc", out: OutOpt = Path("actions.pdf"),
                   public: PublicOpt = False, sample: SampleOpt = False,
                   keep: StoreOpt = False) -> None:
    """The action log of a body: actions arising, owners, due dates, status. With --public,
    an action on Part 2 business shows only its reference, due date, status and the ground
    of exemption."""
    from notifications.documents import gather, kinds, samples

    a = _app(ctx)
    if sample:
        view = samples.sample_actions()
    else:
        _body_check(ctx, body)
        with a.session() as s:
            view = gather.action_log_view(s, a.config, body, _today(a.clock.now(), a))
    _single(ctx, out, kinds.actions_html(view, public=public), view.title, "actions", "body",
            body, keep and not sample, public)


@render_app.command("forward-plan")
def render_forward_plan(ctx: typer.Context, out: OutOpt = Path("forward-plan.pdf"),
                        sample: SampleOpt = False, keep: StoreOpt = False) -> None:
    """The forward plan of key decisions with the SI 2012/2089 reg 9 notice fields."""
    from notifications.documents import gather, kinds, samples

    a = _app(ctx)
    if sample:
        view = samples.sample_forward_plan()
    else:
        with a.session() as s:
            view = gather.forward_plan_view(s, a.config, a.clock.now())
    _single(ctx, out, kinds.forward_plan_html(view), view.title, "forward-plan", "locality",
            a.config.locality.name, keep and not sample)


@render_app.command("terms")
def render_terms(ctx: typer.Context, body: Annotated[str, typer.Argument(
        help="Body id, e.g. jcc")] = "jcc", out: OutOpt = Path("terms.pdf"),
                 keep: StoreOpt = False) -> None:
    """A body's terms of reference, rendered from config.toml."""
    from notifications.documents import kinds
    from notifications.documents.config_views import terms_view

    a = _app(ctx)
    view = terms_view(a.config, body)
    _single(ctx, out, kinds.terms_html(view), view.title, "terms", "body", body, keep)


@render_app.command("gateway-report")
def render_gateway(ctx: typer.Context, out: OutOpt = Path("gateway-report.pdf"),
                   sample: SampleOpt = False, keep: StoreOpt = False) -> None:
    """Gateway status: proposals by month, RAG in words and colour, open conditions."""
    from notifications.documents import gather, kinds, samples

    a = _app(ctx)
    if sample:
        view = samples.sample_gateway()
    else:
        with a.session() as s:
            view = gather.gateway_view(s, a.config, a.clock.now())
    _single(ctx, out, kinds.gateway_html(view), view.title, "gateway-report", "locality",
            a.config.locality.name, keep and not sample)


@render_app.command("pool")
def render_pool(ctx: typer.Context, out: OutOpt = Path("pool.pdf"), sample: SampleOpt = False,
                keep: StoreOpt = False) -> None:
    """Pool statement: lines, contributions, risk share, variance, chart."""
    from notifications.documents import kinds, samples
    from notifications.documents.config_views import pool_view

    a = _app(ctx)
    view = samples.sample_pool() if sample else pool_view(a.config)
    _single(ctx, out, kinds.pool_html(view), view.title, "pool", "locality",
            a.config.locality.name, keep and not sample)


def _today(now: datetime, a: App) -> date:
    return now.astimezone(a.config.zone).date()


def _body_check(ctx: typer.Context, body: str) -> None:
    _app(ctx).config.body_by_id(body)


@documents_app.command("list")
def list_documents(ctx: typer.Context, as_json: JsonOpt = False,
                   kind: Annotated[str | None, typer.Option(help=(
                       f"Only this kind: {', '.join(DOCUMENT_KINDS)}"))] = None,
                   meeting: Annotated[int | None, typer.Option(help="Only this meeting")] = None
                   ) -> None:
    """Documents produced (packs at publication, notices, draft minutes, and --store renders)."""
    if kind is not None and kind not in DOCUMENT_KINDS:
        raise InvalidInput(f"--kind: {kind!r} is not a document kind; expected one of "
                           f"{list(DOCUMENT_KINDS)}")
    a = _app(ctx)
    with a.session() as s:
        if meeting is not None:
            from workflows.committee.common import meeting as get_meeting

            get_meeting(s, meeting)
        rows = [{"id": r.id, "kind": r.kind, "title": r.title, "audience": r.audience,
                 "meeting_id": r.meeting_id, "subject": f"{r.subject_type} {r.subject_id}",
                 "pages": r.pages, "bytes": r.size, "hash": r.content_hash[:12],
                 "event": r.event, "created_at": r.created_at, "version": r.version,
                 "supersedes": r.supersedes_id}
                for r in store.listing(s, kind=kind, meeting_id=meeting)]
    emit_rows(rows, as_json, "Documents", ["id", "kind", "title", "audience", "pages",
                                           "event", "created_at"])


@documents_app.command("get")
def get_document(ctx: typer.Context, document_id: int, out: OutOpt) -> None:
    """Write a stored document to a file."""
    a = _app(ctx)
    with a.session() as s:
        row = store.content(s, document_id)
        pdf, pages, title = row.content or b"", row.pages, row.title
    _write(out, pdf, pages, title)


def register(app: typer.Typer) -> None:
    app.add_typer(documents_app, name="documents")
    app.add_typer(render_app, name="render")
