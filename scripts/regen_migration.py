"""Regenerate the baseline migration from the tables (pre-release: one migration).

Usage: .venv/bin/python scripts/regen_migration.py
After the first release, add new revisions with alembic revision --autogenerate instead.
"""

import tempfile
from pathlib import Path

from alembic import command

from s75.db import MIGRATIONS, alembic_config, make_engine

versions = MIGRATIONS / "versions"
for old in versions.glob("0001_*.py"):
    old.unlink()
with tempfile.TemporaryDirectory() as tmp:
    engine = make_engine(f"sqlite:///{Path(tmp) / 'gen.db'}")
    command.revision(alembic_config(engine), message="baseline", autogenerate=True,
                     rev_id="0001")
for new in versions.glob("0001_*.py"):
    text = new.read_text().replace("sqlmodel.sql.sqltypes.AutoString()", "sa.String()")
    text = text.replace("workflows.sqltypes.UTCDateTime()", "workflows.sqltypes.UTCDateTime()")
    new.write_text(text)
    print(f"wrote {new}")
