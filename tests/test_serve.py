"""Datasette over the store: read-only, Vietnamese metadata, facets, who/due/cites canned queries."""
from __future__ import annotations

import asyncio

import pytest

from pipeline.serve import make_datasette
from pipeline.store import open_db, store_document
from test_store import contract


@pytest.fixture
def ds(tmp_path):
    path = tmp_path / "directives.db"
    db = open_db(path)
    store_document(db, contract(), "ct02.txt", "a" * 64)
    store_document(db, contract(number="66/NQ-CP", date="2025-03-26", cites=None, issuer="Chính phủ", tasks=[]),
                   "nq66.txt", "c" * 64)
    db.close()  # left in WAL mode: serving must still see every row
    return make_datasette(path)


def get(ds, url):
    async def fetch():
        return await ds.client.get(url)
    response = asyncio.run(fetch())
    assert response.status_code == 200, (url, response.status_code, response.text[:500])
    return response


def test_read_only(ds):
    assert ds.databases["directives"].is_mutable is False
    response = asyncio.run(ds.client.get("/directives.json?sql=delete+from+tasks"))
    assert response.status_code == 400
    assert get(ds, "/directives/tasks.json?_shape=array")  # still there


def test_metadata_titles_labels_and_facets(ds):
    page = get(ds, "/directives/assignments").text
    assert "Phân công" in page
    assert "lead = chủ trì" in page  # column label
    data = get(ds, "/directives/assignments.json").json()
    facets = data["facet_results"]
    facets = facets.get("results", facets)
    assert {"agency", "role"} <= set(facets)
    roles = {f["value"]: f["count"] for f in facets["role"]["results"]}
    assert roles == {"lead": 3, "support": 1}


def test_who_query_matches_without_tone_marks(ds):
    rows = get(ds, "/directives/who.json?agency=so+tai+chinh&place=&_shape=array").json()
    assert [(r["co_quan"], r["vai_tro"], r["han"], r["van_ban"]) for r in rows] == [
        ("Sở Tài chính", "chủ trì", "2025-08-15", "02/CT-UBND")]
    rows = get(ds, "/directives/who.json?agency=S%E1%BB%9F+N%E1%BB%99i+v%E1%BB%A5&place=hung+yen&_shape=array").json()
    assert [r["vai_tro"] for r in rows] == ["phối hợp"]
    assert get(ds, "/directives/who.json?agency=so+noi+vu&place=gia+lai&_shape=array").json() == []


def test_due_and_cites_queries(ds):
    rows = get(ds, "/directives/due.json?from_date=2025-08-01&to_date=2025-09-30&place=&_shape=array").json()
    assert [(r["han"], r["chu_tri"]) for r in rows] == [("2025-08-15", "Sở Tài chính")]
    everything = get(ds, "/directives/due.json?from_date=&to_date=&place=&_shape=array").json()
    assert len(everything) == 2
    rows = get(ds, "/directives/cites.json?number=66/nq-cp&_shape=array").json()
    assert [(r["van_ban"], r["muc"]) for r in rows] == [("02/CT-UBND", "II.1")]


def test_full_text_search_keeps_tone_marks(ds):
    assert get(ds, "/directives/tasks.json?_search=h%C3%A0n&_shape=array").json()[0]["path"] == "II.3"   # hàn
    assert get(ds, "/directives/tasks.json?_search=h%E1%BA%A1n&_shape=array").json() == []                # hạn


def test_a_store_written_before_the_due_column_is_served_with_its_who_query(tmp_path):
    path = tmp_path / "directives.db"
    db = open_db(path)
    store_document(db, contract(), "ct02.txt", "a" * 64)
    db.execute("drop index idx_assignments_who")   # as schema version 1 left it
    db.execute("alter table assignments drop column due")
    db.execute("pragma user_version = 1")
    db.conn.commit()
    db.close()
    rows = get(make_datasette(path), "/directives/who.json?agency=so+tai+chinh&place=&_shape=array").json()
    assert [(r["co_quan"], r["han"]) for r in rows] == [("Sở Tài chính", "2025-08-15")]
