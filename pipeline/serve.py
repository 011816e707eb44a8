"""Browse the store in Datasette, read-only: Vietnamese titles and column labels, facets on
agency and role, and canned queries who / due / cites (metadata: models/datasette_metadata.json).

    from pipeline.serve import make_datasette, serve
    ds = make_datasette("outputs/directives.db")    # a datasette.app.Datasette
    serve("outputs/directives.db", port=8001)        # http://127.0.0.1:8001/

The SQL functions ``fold``, ``agency_key``, ``slug`` and ``number_key`` of
pipeline.store are registered on every connection, so queries can match
"so tai chinh" against "Sở Tài chính".
"""
from __future__ import annotations

import copy
import json
import sqlite3
from pathlib import Path
from typing import Optional

from .store import MODELS, agency_key, fold, number_key, slug

METADATA = MODELS / "datasette_metadata.json"
PLUGIN_NAME = "directives-sql-functions"


class _SqlFunctions:
    """A Datasette plugin: this project's text keys as SQL functions."""

    @staticmethod
    def prepare_connection(conn: sqlite3.Connection) -> None:
        conn.create_function("fold", 1, fold, deterministic=True)
        conn.create_function("agency_key", 1, agency_key, deterministic=True)
        conn.create_function("slug", 1, lambda s: slug(s or ""), deterministic=True)
        conn.create_function("number_key", 1, number_key, deterministic=True)


def _register_plugin() -> None:
    from datasette import hookimpl
    from datasette.plugins import pm
    if pm.get_plugin(PLUGIN_NAME) is None:
        _SqlFunctions.prepare_connection = hookimpl(_SqlFunctions.prepare_connection)
        pm.register(_SqlFunctions, name=PLUGIN_NAME)


def metadata(db_path: str | Path, path: Path = METADATA) -> dict:
    """The metadata file with its "database" block filed under this database's name."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    block = data.pop("database", {})
    data["databases"] = {Path(db_path).stem: block}
    return data


def prepare_file(db_path: str | Path) -> None:
    """Bring an older store's schema up to date (the canned queries read today's columns)
    and fold the WAL into the file: an immutable reader does not look at the WAL."""
    try:
        from .store import open_db
        open_db(db_path).close()
    except (sqlite3.Error, OSError):
        pass  # a read-only copy: serve what the file holds
    try:
        con = sqlite3.connect(db_path)
        try:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            con.close()
    except sqlite3.Error:
        pass  # a read-only copy: serve what the file holds


def make_datasette(db_path: str | Path, metadata_path: Optional[Path] = None):
    """A read-only (immutable) Datasette over the store, with this project's metadata."""
    from datasette.app import Datasette
    _register_plugin()
    prepare_file(db_path)
    return Datasette(immutables=[str(db_path)], metadata=metadata(db_path, metadata_path or METADATA),
                     settings={"default_page_size": 50, "sql_time_limit_ms": 3000,
                               "allow_download": True, "facet_time_limit_ms": 500})


def serve(db_path: str | Path, host: str = "127.0.0.1", port: int = 8001) -> None:
    """Serve the store until Ctrl-C."""
    import asyncio

    import uvicorn
    ds = make_datasette(db_path)
    asyncio.run(ds.invoke_startup())
    print(f"Datasette: http://{host}:{port}/{Path(db_path).stem}  (read-only; Ctrl-C to stop)")
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning")
