"""Alembic environment: runs against the engine s75 hands it (see s75.db.upgrade)."""

from alembic import context

from s75.db import all_tables, make_engine

target_metadata = all_tables().metadata
config = context.config
engine = config.attributes.get("engine") or make_engine(config.get_main_option("sqlalchemy.url"))

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
