"""Feeds: contract JSON Lines, assignments CSV, iCalendar deadlines, GraphML/GEXF/node-link graphs."""
from __future__ import annotations

import csv
import io
import json
from datetime import date

import networkx as nx
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.feeds import export, first_occurrence, fold_line
from pipeline.graph import build
from pipeline.store import open_db, store_document
from test_store import contract

LONG = ("Sở Tài chính chủ trì, phối hợp với Sở Nội vụ, Sở Xây dựng và Ủy ban nhân dân các xã, phường "
        "rà soát toàn bộ cơ sở nhà, đất dôi dư; báo cáo kết quả; hoàn thành trước ngày 15/8/2025.")


def fill(path, sha="a"):
    db = open_db(path)
    c = contract()
    c["tasks"][0]["text"] = LONG
    store_document(db, c, "ct02.txt", sha * 64)
    store_document(db, contract(number="66/NQ-CP", date="2025-03-26", cites=None, issuer="Chính phủ", tasks=[]),
                   "nq66.txt", "c" * 64)
    return db


@pytest.fixture
def db(tmp_path):
    database = fill(tmp_path / "f.db")
    yield database
    database.close()


def unfold(ics: str) -> list[str]:
    return ics.replace("\r\n ", "").split("\r\n")


def test_jsonl_is_one_contract_a_line(db):
    lines = export(db, "jsonl").decode("utf-8").splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert first["document"]["number"] == "02/CT-UBND"
    assert first["tasks"][0]["owners"][0]["agency"] == "Sở Tài chính"
    assert first["store"]["file"] == "ct02.txt"


def test_csv_has_one_row_per_task_and_owner(db):
    text = export(db, "csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["path"], r["agency"], r["role"]) for r in rows] == [
        ("II.1", "Sở Tài chính", "lead"), ("II.1", "Sở Nội vụ", "support"),
        ("II.2", "các sở, ban, ngành", "lead"), ("II.3", "Sở Xây dựng", "lead")]
    assert rows[0]["due"] == "2025-08-15" and rows[0]["report_to"] == "Ủy ban nhân dân tỉnh"
    assert rows[2]["recurrence"] == "monthly"
    only = list(csv.DictReader(io.StringIO(export(db, "csv", agency="so noi vu").decode("utf-8-sig"))))
    assert [r["agency"] for r in only] == ["Sở Nội vụ"]


def test_ics_follows_rfc5545(db):
    raw = export(db, "ics")
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert max(len(line) for line in raw.split(b"\r\n")) <= 75
    raw.decode("utf-8")  # folding never splits a character
    lines = unfold(raw.decode("utf-8"))
    assert lines.count("BEGIN:VEVENT") == 4  # 2 owners x 1 deadline, 1 monthly, 1 yearly-end
    assert "DTSTART;VALUE=DATE:20250815" in lines
    # monthly "before the 20th": RRULE, first occurrence on or after the document's date
    i = lines.index("RRULE:FREQ=MONTHLY;BYMONTHDAY=20")
    assert lines[i - 2] == "DTSTART;VALUE=DATE:20250720"
    summaries = [line for line in lines if line.startswith("SUMMARY:")]
    assert any("Sở Tài chính" in s and "02/CT-UBND" in s for s in summaries)
    assert any("\\, " in line for line in lines if line.startswith("DESCRIPTION:"))
    uids = [line for line in lines if line.startswith("UID:")]
    assert len(set(uids)) == len(uids)


def test_ics_uids_survive_reingest(db, tmp_path):
    again = fill(tmp_path / "other.db", sha="e")  # the same document from another copy of the file
    uid = lambda d: sorted(l for l in unfold(export(d, "ics").decode()) if l.startswith("UID:"))  # noqa: E731
    assert uid(db) == uid(again)


def test_fold_line_counts_octets_not_characters():
    line = "SUMMARY:" + "ệ" * 60
    folded = fold_line(line)
    parts = folded.split("\r\n")[:-1]
    assert all(len(p.encode()) <= 75 for p in parts)
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line


def test_first_occurrence():
    assert first_occurrence(date(2025, 7, 6), "FREQ=WEEKLY;BYDAY=MO") == date(2025, 7, 7)
    assert first_occurrence(date(2025, 7, 6), "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=15") == date(2025, 12, 15)
    assert first_occurrence(date(2025, 7, 6), "FREQ=MONTHLY") == date(2025, 7, 6)


def test_graph_has_owners_reports_and_citations(db):
    g = build(db)
    kinds = {(g.nodes[u]["type"], k, g.nodes[v]["type"]) for u, v, k in g.edges(keys=True)}
    assert kinds >= {("agency", "lead", "task"), ("agency", "support", "task"), ("task", "report_to", "agency"),
                     ("task", "part_of", "document"), ("document", "cites", "document"),
                     ("document", "issued_by", "agency")}
    lead = [g.nodes[u]["label"] for u, v, k in g.edges(keys=True) if k == "lead" and v.endswith(":II.1")]
    assert lead == ["Sở Tài chính"]
    cites = [(g.nodes[u]["label"], g.nodes[v]["label"]) for u, v, k in g.edges(keys=True) if k == "cites"]
    assert cites == [("02/CT-UBND", "66/NQ-CP")]
    small = build(db, agency="so xay dung")
    assert {d["label"] for _, d in small.nodes(data=True) if d["type"] == "task"} == {"02/CT-UBND II.3"}


@pytest.mark.parametrize("fmt, reader", [
    ("graphml", lambda b: nx.read_graphml(io.BytesIO(b))),
    ("gexf", lambda b: nx.read_gexf(io.BytesIO(b))),
    ("json", lambda b: nx.node_link_graph(json.loads(b), edges="links")),
])
def test_graph_files_read_back(db, fmt, reader):
    g = reader(export(db, fmt))
    labels = {d.get("label") for _, d in g.nodes(data=True)}
    assert {"Sở Tài chính", "02/CT-UBND II.1", "66/NQ-CP"} <= labels
    assert g.number_of_edges() == build(db).number_of_edges()


def test_cli_export_to_file(db, tmp_path):
    out = tmp_path / "feeds" / "han.ics"
    result = CliRunner().invoke(app, ["export", "--format", "ics", "--out", str(out),
                                      "--db", str(tmp_path / "f.db")])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().count(b"BEGIN:VEVENT") == 4


def test_graph_drawing_png_and_html(db, tmp_path):
    pytest.importorskip("matplotlib")
    runner = CliRunner()
    for name in ("sotc.png", "sotc.html"):
        out = tmp_path / name
        result = runner.invoke(app, ["graph", "so tai chinh", "--out", str(out), "--db", str(tmp_path / "f.db")])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 1000
    assert (tmp_path / "sotc.png").read_bytes()[:4] == b"\x89PNG"
    html = (tmp_path / "sotc.html").read_text(encoding="utf-8")
    assert "<svg" in html and "Sở Tài chính" in html and "II.1" in html
    missing = runner.invoke(app, ["graph", "Sở Du hành vũ trụ", "--out", str(tmp_path / "x.png"),
                                  "--db", str(tmp_path / "f.db")])
    assert missing.exit_code == 1
