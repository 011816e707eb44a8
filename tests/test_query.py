"""Questions: who owns what, what is due, what a document says, who cites it, load per agency."""
from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from pipeline import query
from pipeline.cli import app
from pipeline.store import open_db, store_document
from test_store import contract


@pytest.fixture
def db_path(tmp_path):
    path = tmp_path / "q.db"
    db = open_db(path)
    store_document(db, contract(), "ct02.txt", "a" * 64)
    store_document(db, contract(), "ct02.pdf", "b" * 64)   # the same document again, as PDF
    nq = contract(number="66/NQ-CP", date="2025-03-26", cites=None, issuer="Chính phủ", tasks=[
        {"path": "3", "text": "Bộ Tài chính chủ trì sửa đổi Nghị định; trình trước ngày 30/6/2025.",
         "owners": [{"agency": "Bộ Tài chính", "role": "lead", "inherited": False}],
         "report_to": ["Thủ tướng Chính phủ"],
         "deadlines": [{"text": "trước ngày 30/6/2025", "date": "2025-06-30"}],
         "span": {"page": 1, "start": 10, "end": 80}}])
    store_document(db, nq, "nq66.txt", "c" * 64)
    db.close()
    return path


@pytest.fixture
def db(db_path):
    database = open_db(db_path)
    yield database
    database.close()


def test_who_finds_an_agency_without_tone_marks(db):
    rows = query.who(db, "so tai chinh")
    assert [(r["agency"], r["role"], r["path"], r["due"], r["number"]) for r in rows] == [
        ("Sở Tài chính", "lead", "II.1", "2025-08-15", "02/CT-UBND")]   # the PDF copy is not counted twice


def test_who_by_alias_and_abbreviation(db):
    assert [r["number"] for r in query.who(db, "BTC")] == ["66/NQ-CP"]
    assert [a["name"] for a in query.find_agencies(db, "so noi vu")] == ["Sở Nội vụ"]
    assert query.who(db, "so noi vu")[0]["role"] == "support"
    assert query.who(db, "Bộ Quốc phòng") == []


def test_due_before_and_overdue(db):
    assert [r["due"] for r in query.due(db)] == ["2025-06-30", "2025-08-15", "2025-12-31"]
    assert [r["due"] for r in query.due(db, before="2025-09-01")] == ["2025-06-30", "2025-08-15"]
    late = query.due(db, overdue=True, as_of="2025-07-01")
    assert [(r["number"], r["lead"]) for r in late] == [("66/NQ-CP", "Bộ Tài chính")]
    assert [r["path"] for r in query.due(db, agency="so xay dung")] == ["II.3"]


def test_doc_and_cites(db):
    d = query.doc(db, "02/ct-ubnd")
    assert d["document"]["file"] == "ct02.txt"
    assert [t["path"] for t in d["tasks"]] == ["II.1", "II.2", "II.3"]
    assert d["tasks"][0]["owners"][0]["agency"] == "Sở Tài chính"
    assert d["references"][0]["cited_document_id"] == "c" * 16
    citing = query.cites(db, "66/NQ-CP")
    assert [(c["number"], c["path"]) for c in citing] == [("02/CT-UBND", "II.1")]
    assert "Sở Tài chính" in citing[0]["task"]
    assert query.doc(db, "99/XX") is None


def test_agencies_load(db):
    rows = {r["name"]: r for r in query.agencies(db, as_of="2025-07-01")}
    assert (rows["Sở Tài chính"]["lead"], rows["Sở Tài chính"]["support"]) == (1, 0)
    assert rows["Sở Nội vụ"]["support"] == 1
    assert rows["Bộ Tài chính"]["overdue"] == 1
    assert rows["Sở Tài chính"]["next_due"] == "2025-08-15"


def test_cli_formats(db_path):
    runner = CliRunner()
    out = runner.invoke(app, ["who", "so tai chinh", "--db", str(db_path), "--format", "json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)[0]["agency"] == "Sở Tài chính"
    out = runner.invoke(app, ["due", "--overdue", "--as-of", "2025-07-01", "--db", str(db_path), "-f", "csv"])
    assert list(csv.DictReader(io.StringIO(out.output)))[0]["number"] == "66/NQ-CP"
    out = runner.invoke(app, ["doc", "02/CT-UBND", "--db", str(db_path)])
    assert out.exit_code == 0 and "Sở Tài chính" in out.output
    out = runner.invoke(app, ["cites", "66/NQ-CP", "--db", str(db_path)])
    assert "02/CT-UBND" in out.output
    out = runner.invoke(app, ["agencies", "--db", str(db_path), "-f", "json"])
    assert {r["name"] for r in json.loads(out.output)} >= {"Sở Tài chính", "Bộ Tài chính"}
    out = runner.invoke(app, ["who", "Bộ Quốc phòng", "--db", str(db_path)])   # known, owns nothing here
    assert out.exit_code == 0 and "nothing found" in out.output
    out = runner.invoke(app, ["who", "Sở Du hành vũ trụ", "--db", str(db_path)])
    assert out.exit_code == 1 and "no agency matches" in out.output


def test_cli_without_a_store_says_what_to_do(tmp_path):
    out = CliRunner().invoke(app, ["who", "x", "--db", str(tmp_path / "none.db")])
    assert out.exit_code == 2 and "directives ingest" in out.output


def test_search_with_and_without_tone_marks(db):
    assert [r["path"] for r in query.search(db, "hàn")] == ["II.3"]
    assert query.search(db, "hạn") == []                       # another word
    assert [r["path"] for r in query.search(db, "han xi")] == ["II.3"]   # typed without marks
    found = query.search(db, "tai san cong")
    assert [r["path"] for r in found] == ["II.1"]
    assert "tài sản công" in found[0]["text"]
    headings = query.search(db, "NHIỆM VỤ", tasks_only=False)
    assert sorted((r["number"], r["path"]) for r in headings) == [("02/CT-UBND", "II"), ("66/NQ-CP", "II")]
    out = CliRunner().invoke(app, ["search", "tai chinh", "--db", str(db_path_of(db)), "-f", "json"])
    assert out.exit_code == 0 and {r["path"] for r in json.loads(out.output)} == {"II.1", "II.2", "3"}


def db_path_of(db):
    return db.execute("pragma database_list").fetchone()[2]


def test_who_and_due_in_one_place(tmp_path):
    db = open_db(tmp_path / "p.db")
    store_document(db, contract(), "hy.txt", "a" * 64)
    gia_lai = contract(number="21/CT-UBND", issuer="Ủy ban nhân dân tỉnh Gia Lai")
    gia_lai["document"]["place"] = "Gia Lai"
    store_document(db, gia_lai, "gl.txt", "b" * 64)
    assert {r["number"] for r in query.who(db, "so tai chinh")} == {"02/CT-UBND", "21/CT-UBND"}
    assert [r["number"] for r in query.who(db, "so tai chinh", place="gia lai")] == ["21/CT-UBND"]
    assert {r["number"] for r in query.due(db, place="Hưng Yên")} == {"02/CT-UBND"}
