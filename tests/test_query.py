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


def _busy_store(tmp_path, n: int = 12):
    """One department with ``n`` tasks: leads with and without dates, and supports."""
    db = open_db(tmp_path / "busy.db")
    tasks = []
    for k in range(n):
        role = "support" if k % 3 == 2 else "lead"
        dated = k % 4 != 1
        day = 28 - k
        tasks.append({"path": str(k + 1), "text": f"Nhiệm vụ {k + 1} của Sở Tài chính.",
                      "owners": [{"agency": "Sở Tài chính", "role": role, "inherited": False}],
                      "report_to": [],
                      "deadlines": ([{"text": f"trước ngày {day}/9/2025", "date": f"2025-09-{day:02d}"}]
                                    if dated else []),
                      "span": {"page": 1, "start": 100 * k, "end": 100 * k + 50}})
    store_document(db, contract(tasks=tasks), "busy.txt", "d" * 64)
    store_document(db, contract(tasks=tasks), "busy.pdf", "e" * 64)   # a copy: counted once
    return db, tasks


def test_who_stops_at_its_limit_with_the_most_urgent_first(tmp_path):
    db, tasks = _busy_store(tmp_path)
    every = query.who(db, "so tai chinh", limit=None)
    assert len(every) == len(tasks) == query.count_who(db, "so tai chinh")
    # lead before support; earliest due first; undated last
    order = [(r["role"], r["due"] is None, r["due"] or "") for r in every]
    assert order == sorted(order)
    assert every[0]["role"] == "lead" and every[-1]["role"] == "support" and every[-1]["due"] is None
    first = query.who(db, "so tai chinh", limit=3)
    assert [r["path"] for r in first] == [r["path"] for r in every[:3]]
    assert query.count_who(db, "so tai chinh", role="support") == sum(
        o["role"] == "support" for t in tasks for o in t["owners"])
    assert query.count_who(db, "so tai chinh", place="gia lai") == 0


def test_who_reads_the_agency_index_in_order(tmp_path):
    db, _ = _busy_store(tmp_path)
    plan = " ".join(r[3] for r in db.execute(
        "explain query plan select a.task_id from assignments a join documents d on d.id = a.document_id "
        "where a.agency_id = ? and +d.same_as is null order by a.role, a.due is null, a.due, d.date desc",
        ["x"]).fetchall())
    assert "idx_assignments_who" in plan and "TEMP B-TREE FOR ORDER BY" not in plan


def test_due_stops_at_its_limit_and_counts_the_rest(tmp_path):
    db, tasks = _busy_store(tmp_path)
    every = query.due(db)
    dated = sum(bool(t["deadlines"]) for t in tasks)
    assert len(every) == dated == query.count_due(db)
    assert [r["due"] for r in query.due(db, limit=4)] == [r["due"] for r in every[:4]] == sorted(
        r["due"] for r in every)[:4]
    assert query.count_due(db, before=every[2]["due"]) == 3
    out = CliRunner().invoke(app, ["due", "--db", db_path_of(db), "-n", "2"])
    assert out.exit_code == 0 and f"the first 2 of {dated} deadlines" in out.output


def test_cli_who_says_how_many_it_left_out(tmp_path):
    db, tasks = _busy_store(tmp_path)
    path = db_path_of(db)
    out = CliRunner().invoke(app, ["who", "so tai chinh", "--db", path, "--limit", "5"])
    assert out.exit_code == 0 and f"the first 5 of {len(tasks)} tasks" in out.output
    out = CliRunner().invoke(app, ["who", "so tai chinh", "--db", path, "--limit", "0", "-f", "json"])
    assert out.exit_code == 0 and len(json.loads(out.output)) == len(tasks)


def test_an_older_store_gains_the_due_column_and_its_index(tmp_path):
    db, tasks = _busy_store(tmp_path)
    path = db_path_of(db)
    want = [r["path"] for r in query.who(db, "so tai chinh", limit=None)]
    # the store as version 1 wrote it: no assignments.due, no who index
    db.execute("drop index idx_assignments_who")
    db.execute("alter table assignments drop column due")
    db.execute("pragma user_version = 1")
    db.conn.commit()
    db.close()
    db = open_db(path)
    assert db.execute("pragma user_version").fetchone()[0] >= 2
    assert "idx_assignments_who" in {r[1] for r in db.execute("pragma index_list(assignments)")}
    assert [r["path"] for r in query.who(db, "so tai chinh", limit=None)] == want
    assert db.execute("select count(*) from assignments where due is not null").fetchone()[0] > 0
