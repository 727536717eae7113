"""Regenerate docs/img/<kind>.png: the first page of each document kind rendered from the seed
samples, at 60 dpi (pdftoppm from poppler-utils). ``python -m bench.pictures``."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from notifications.documents import kinds
from notifications.documents import samples as S
from notifications.documents.config_views import terms_view
from notifications.documents.pack import MemoryCache, Renderer, build_pack, build_supplement
from s75.config import load_config

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    cfg = load_config(ROOT / "config.toml")
    with Renderer(MemoryCache()) as r:
        pack = build_pack(S.sample_pack(), r)
        pdfs = {
            "agenda": kinds.render(kinds.agenda_html(S.sample_agenda())).pdf,
            "pack": pack.pdf,
            "supplement": build_supplement(S.sample_supplement(pack.pages + 1), r).pdf,
            "minutes": kinds.render(kinds.minutes_html(S.sample_minutes())).pdf,
            "notice": kinds.render(kinds.notice_html(S.sample_notice())).pdf,
            "actions": kinds.render(kinds.actions_html(S.sample_actions())).pdf,
            "forward-plan": kinds.render(kinds.forward_plan_html(S.sample_forward_plan())).pdf,
            "terms": kinds.render(kinds.terms_html(terms_view(cfg, "jcc"))).pdf,
            "gateway-report": kinds.render(kinds.gateway_html(S.sample_gateway())).pdf,
            "pool": kinds.render(kinds.pool_html(S.sample_pool())).pdf,
        }
    out = ROOT / "docs" / "img"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for kind, pdf in pdfs.items():
            src = Path(tmp) / f"{kind}.pdf"
            src.write_bytes(pdf)
            first = 3 if kind == "pack" else 1  # the pack's first report, with its cover sheet
            subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(first), "-l", str(first),
                            "-singlefile", str(src), str(out / kind)], check=True)
            print(out / f"{kind}.png")


if __name__ == "__main__":
    main()
