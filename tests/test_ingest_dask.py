"""Extraction on a Dask cluster (a real local two-worker cluster), one writer loading the store."""
import shutil
import sqlite3

import pytest

from conftest import CORPORA

pytest.importorskip("dask.distributed")


def counts(db):
    con = sqlite3.connect(db)
    try:
        return {t: con.execute(f"select count(*) from [{t}]").fetchone()[0]
                for t in ("documents", "sections", "tasks", "assignments", "deadlines", "references")}
    finally:
        con.close()


def test_dask_cluster_ingest_matches_local_workers(tmp_path):
    from pipeline.ingest import ingest
    src = tmp_path / "in"
    src.mkdir()
    for f in sorted(CORPORA.glob("*.txt"))[:4]:
        shutil.copy(f, src)
    (src / "hong.txt").write_bytes(b"")
    on_dask = ingest([src], tmp_path / "dask.db", workers=2, cluster="local")
    local = ingest([src], tmp_path / "local.db", workers=1)
    assert len(on_dask.stored) == 4 and [f for f, _ in on_dask.failed] == [str(src / "hong.txt")]
    assert counts(tmp_path / "dask.db") == counts(tmp_path / "local.db")
    again = ingest([src], tmp_path / "dask.db", workers=2, cluster="local")
    assert again.stored == [] and counts(tmp_path / "dask.db") == counts(tmp_path / "local.db")
