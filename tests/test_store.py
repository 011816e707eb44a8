"""The SQLite store: one transaction per document, replace on change, search with and without tone marks."""
from __future__ import annotations

import sqlite3

import pytest

from pipeline.store import counts, fold, number_key, open_db, store_document


def contract(number: str = "02/CT-UBND", date: str = "2025-07-06", cites: str = "66/NQ-CP",
             tasks: list | None = None, issuer: str = "Ủy ban nhân dân tỉnh Hưng Yên") -> dict:
    """A contract dict like `directives extract` prints, built by hand."""
    if tasks is None:
        tasks = [
            {"path": "II.1", "text": "Giao Sở Tài chính chủ trì, phối hợp với Sở Nội vụ rà soát tài sản công; "
                                     "hoàn thành trước ngày 15/8/2025.",
             "owners": [{"agency": "Sở Tài chính", "role": "lead", "inherited": False,
                         "span": {"page": 1, "start": 120, "end": 132}},
                        {"agency": "Sở Nội vụ", "role": "support", "inherited": False}],
             "report_to": ["Ủy ban nhân dân tỉnh"],
             "deadlines": [{"text": "trước ngày 15/8/2025", "date": "2025-08-15"}],
             "span": {"page": 1, "start": 100, "end": 220}},
            {"path": "II.2", "text": "Các sở, ban, ngành báo cáo kết quả hằng tháng về Sở Tài chính.",
             "owners": [{"agency": "các sở, ban, ngành", "role": "lead", "inherited": True}],
             "report_to": [],
             "deadlines": [{"text": "hằng tháng, trước ngày 20", "date": None, "recurrence": "monthly", "day": 20}],
             "span": {"page": 2, "start": 221, "end": 300}},
            {"path": "II.3", "text": "Sở Xây dựng xử lý nhà hàn xì cũ trong năm 2025.",
             "owners": [{"agency": "Sở Xây dựng", "role": "lead", "inherited": False}],
             "report_to": [], "deadlines": [{"text": "trong năm 2025", "date": "2025-12-31"}],
             "span": {"page": 2, "start": 301, "end": 360}},
        ]
    return {
        "contract": "1",
        "source": {"file": "x.txt", "format": "txt", "pages": 2, "ocr": False},
        "document": {"number": number, "type": "Chỉ thị", "issuer": issuer, "place": "Hưng Yên",
                     "date": date, "title": "Về tập trung thực hiện nhiệm vụ trọng tâm",
                     "signer": "Nguyễn Khắc Thiện", "signer_title": "Chủ tịch"},
        "sections": [{"path": "II", "heading": "NHIỆM VỤ", "kind": "part", "span": {"page": 1, "start": 90, "end": 360}},
                     *[{"path": t["path"], "text": t["text"], "kind": "num", "span": t["span"]} for t in tasks]],
        "references": ([{"number": cites, "type": "Nghị quyết", "date": "2025-03-26",
                         "text": f"Nghị quyết số {cites}", "span": {"page": 1, "start": 130, "end": 140}}]
                       if cites else []),
        "tasks": tasks,
        "recipients": ["Thường trực Tỉnh ủy", "Các sở, ban, ngành"],
    }


@pytest.fixture
def db(tmp_path):
    database = open_db(tmp_path / "store.db")
    yield database
    database.close()


def rows(db, sql, params=()):
    return [tuple(r) for r in db.execute(sql, params).fetchall()]


def test_stores_every_part_of_a_document(db):
    assert store_document(db, contract(), "a.txt", "a" * 64) == "stored"
    n = counts(db)
    assert (n["documents"], n["tasks"], n["assignments"], n["deadlines"], n["recipients"]) == (1, 3, 4, 3, 2)
    assert rows(db, "select agency, agency_id, role from assignments where path = 'II.1' order by id") == [
        ("Sở Tài chính", "so-tai-chinh", "lead"), ("Sở Nội vụ", "so-noi-vu", "support")]
    assert rows(db, "select recurrence, day from deadlines where date is null") == [("monthly", 20)]
    # the citation sits inside task II.1
    assert rows(db, 'select number, path, task_id from "references"') == [("66/NQ-CP", "II.1", "aaaaaaaaaaaaaaaa:II.1")]


def test_same_content_again_changes_nothing(db):
    store_document(db, contract(), "a.txt", "a" * 64)
    before = counts(db)
    assert store_document(db, contract(), "elsewhere/a-copy.txt", "a" * 64) == "skipped"
    assert counts(db) == before


def test_changed_file_replaces_its_old_rows(db):
    store_document(db, contract(), "a.txt", "a" * 64)
    edited = contract(tasks=contract()["tasks"][:1])
    assert store_document(db, edited, "a.txt", "b" * 64) == "replaced"
    assert rows(db, "select sha256 from documents") == [("b" * 64,)]
    assert rows(db, "select count(*) from tasks") == [(1,)]
    assert rows(db, "select count(*) from sections") == [(2,)]
    assert rows(db, "select count(*) from tasks_fts") == [(1,)]


def test_a_failing_document_leaves_no_rows(db):
    store_document(db, contract(), "a.txt", "a" * 64)
    before = counts(db)
    broken = contract(number="03/CT-UBND")
    broken["tasks"][1]["owners"] = [{"role": "lead"}, None]  # not an owner: the insert fails midway
    with pytest.raises(Exception):
        store_document(db, broken, "b.txt", "b" * 64)
    assert counts(db) == before
    assert rows(db, "select count(*) from documents where file = 'b.txt'") == [(0,)]


def test_references_link_to_documents_stored_later(db):
    store_document(db, contract(), "a.txt", "a" * 64)
    assert rows(db, 'select cited_document_id from "references"') == [(None,)]
    store_document(db, contract(number="66/NQ-CP", date="2025-03-26", cites=None, issuer="Chính phủ"),
                   "nq66.txt", "c" * 64)
    assert rows(db, 'select cited_document_id from "references"') == [("cccccccccccccccc",)]


def test_the_same_document_as_pdf_and_txt_is_marked_a_copy(db):
    store_document(db, contract(), "a.txt", "a" * 64)
    store_document(db, contract(), "a.pdf", "d" * 64)
    assert rows(db, "select file, same_as from documents order by rowid") == [
        ("a.txt", None), ("a.pdf", "aaaaaaaaaaaaaaaa")]


def test_search_keeps_tone_marks_apart_and_finds_folded_words(db):
    store_document(db, contract(), "a.txt", "a" * 64)

    def search(q):
        return sorted(r[0] for r in db.execute(
            "select t.path from tasks_fts f join tasks t on t.rowid = f.rowid where tasks_fts match ?", [q]))
    assert search('"hạn"') == []            # "hàn" in II.3 is another word
    assert search('"hàn"') == ["II.3"]
    assert search('folded:"tai chinh"') == ["II.1", "II.2"]
    assert search('"Tài chính"') == ["II.1", "II.2"]


def test_schema_has_foreign_keys_indexes_and_wal(tmp_path):
    path = tmp_path / "s.db"
    open_db(path).close()
    con = sqlite3.connect(path)
    assert con.execute("pragma journal_mode").fetchone()[0] == "wal"
    fks = {r[2] for r in con.execute("pragma foreign_key_list(assignments)")}
    assert fks == {"tasks", "documents", "agencies"}
    indexed = {r[0] for r in con.execute("select sql from sqlite_master where type = 'index' and sql is not null")}
    for col in ("agency_id", "role", "date", "number_key"):
        assert any(f"[{col}]" in s or f'"{col}"' in s or f"({col})" in s for s in indexed), col


def test_keys():
    assert fold("Sở Tài chính ĐĂK LĂK") == "so tai chinh dak lak"
    assert number_key(" 66/nq-cp ") == "66/NQ-CP"


def test_replacing_the_first_copy_keeps_the_document_and_its_citations(db):
    store_document(db, contract(number="66/NQ-CP", date="2025-03-26", cites=None, issuer="Chính phủ"), "nq.txt", "c" * 64)
    store_document(db, contract(number="66/NQ-CP", date="2025-03-26", cites=None, issuer="Chính phủ"), "nq.pdf", "d" * 64)
    store_document(db, contract(), "ct.txt", "a" * 64)
    assert rows(db, 'select cited_document_id from "references"') == [("c" * 16,)]
    # nq.txt is edited into another document: the PDF copy now stands for 66/NQ-CP
    store_document(db, contract(number="67/NQ-CP", date="2025-03-27", cites=None, issuer="Chính phủ"), "nq.txt", "e" * 64)
    assert rows(db, "select file, same_as from documents where number = '66/NQ-CP'") == [("nq.pdf", None)]
    assert rows(db, 'select cited_document_id from "references"') == [("d" * 16,)]
