"""Regenerate the PNG previews in docs/img, one per document kind, from the seed papers'
samples (the same views `s75 render KIND --sample` renders): `python scripts/previews.py`.
Needs pdftoppm (poppler-utils). A page at 60 dpi, as the documents guide shows them."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from notifications.documents import kinds  # noqa: E402
from notifications.documents import samples as S  # noqa: E402
from notifications.documents.config_views import terms_view  # noqa: E402
from notifications.documents.pack import MemoryCache, Renderer, build_pack, build_supplement  # noqa: E402
from s75.config import load_config  # noqa: E402

PAGE = {"pack": 3, "supplement": 2}
"""Which page shows the kind best (the first when not listed): a pack's first report."""


def documents() -> dict[str, bytes]:
    cfg = load_config(ROOT / "config.toml")
    with Renderer(MemoryCache(), workers=1) as r:
        pack = build_pack(S.sample_pack(), r)
        supplement = build_supplement(S.sample_supplement(pack.pages + 1), r)
    return {
        "agenda": kinds.render(kinds.agenda_html(S.sample_agenda())).pdf,
        "pack": pack.pdf,
        "supplement": supplement.pdf,
        "minutes": kinds.render(kinds.minutes_html(S.sample_minutes())).pdf,
        "notice": kinds.render(kinds.notice_html(S.sample_notice())).pdf,
        "actions": kinds.render(kinds.actions_html(S.sample_actions())).pdf,
        "forward-plan": kinds.render(kinds.forward_plan_html(S.sample_forward_plan())).pdf,
        "terms": kinds.render(kinds.terms_html(terms_view(cfg, "jcc"))).pdf,
        "gateway-report": kinds.render(kinds.gateway_html(S.sample_gateway())).pdf,
        "pool": kinds.render(kinds.pool_html(S.sample_pool())).pdf,
    }


def main() -> None:
    out = ROOT / "docs" / "img"
    with tempfile.TemporaryDirectory(prefix="s75-previews-") as tmp:
        for kind, pdf in documents().items():
            src = Path(tmp) / f"{kind}.pdf"
            src.write_bytes(pdf)
            page = str(PAGE.get(kind, 1))
            subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", "-f", page, "-l",
                            page, str(src), str(out / kind)], check=True)
            print(f"docs/img/{kind}.png (page {page})")


if __name__ == "__main__":
    main()
