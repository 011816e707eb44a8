"""Questions to the store, with the command line's names: who, due, doc, cites, agencies.

    from pipeline.store import open_db
    from pipeline.query import who, due
    db = open_db("outputs/directives.db")
    who(db, "so tai chinh")            # tasks Sở Tài chính leads or supports
    due(db, before="2025-12-31")       # deadlines up to a date
    due(db, overdue=True, as_of="2026-01-15")

Each function returns a list of plain dicts (``doc`` returns one dict or None);
``render`` prints them as a rich table, JSON or CSV.
"""
from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from typing import Iterable, Optional, Sequence

import sqlite_utils

from .store import agency_key, fold, number_key

SNIPPET = 110


def snippet(text: Optional[str], width: int = SNIPPET) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def today() -> str:
    return date.today().isoformat()


# ---------------------------------------------------------------- agencies

def find_agencies(db: sqlite_utils.Database, name: str) -> list[dict]:
    """Agencies whose name or alias holds the words of ``name``, tone marks and case ignored.

    "so tai chinh" finds "Sở Tài chính" and "Sở Tài chính tỉnh Hưng Yên";
    "UBND tinh" finds "Ủy ban nhân dân tỉnh ..."; an exact alias ("BTC") finds its agency.
    """
    key = f" {agency_key(name)} "
    if not key.strip():
        return []
    return [dict(row) for row, own, aliases in _agency_keys(db) if key in own or key in aliases]


_KEYS: dict[tuple, list[tuple[dict, str, set[str]]]] = {}


def _agency_keys(db: sqlite_utils.Database) -> list[tuple[dict, str, set[str]]]:
    """Each agency row with the key of its name and the keys of its aliases; kept per store
    file until its agencies table changes (rows are only ever added to it)."""
    path = db.execute("pragma database_list").fetchone()[2]
    stamp = (path, *db.execute("select count(*), max(rowid) from agencies").fetchone())
    if path and stamp in _KEYS:
        return _KEYS[stamp]
    keys = []
    for row in db.query("select id, name, kind, registered, aliases from agencies"):
        aliases = json.loads(row["aliases"] or "[]")
        keys.append((row, f" {agency_key(row['name'])} ", {f" {agency_key(n)} " for n in aliases}))
    if path:
        _KEYS.clear()   # one store at a time is the common case
        _KEYS[stamp] = keys
    return keys


def agency_ids(db: sqlite_utils.Database, agency: str, found: Optional[list[dict]] = None) -> list[str]:
    """Ids of the agencies ``agency`` names (``found``: ``find_agencies``' rows, if already run)."""
    return [a["id"] for a in (found if found is not None else find_agencies(db, agency))]


def _placeholders(values: Sequence) -> str:
    return ", ".join("?" for _ in values)


def _place_filter(place: Optional[str]) -> tuple[str, list]:
    """SQL (on documents ``d``) for documents issued in or by a place, tone marks optional."""
    if not place:
        return "", []
    return ("and (' ' || fold(d.place) || ' ' like ? or ' ' || fold(d.issuer) || ' ' like ?)",
            [f"% {fold(place)} %"] * 2)


def who(db: sqlite_utils.Database, agency: str, role: Optional[str] = None,
        place: Optional[str] = None, limit: Optional[int] = None,
        found: Optional[list[dict]] = None) -> list[dict]:
    """Tasks the agency leads or supports: role, due date, document number, path, snippet.

    Lead before support, then the earliest due date first (undated last), newest document
    first. ``limit`` rows at most (None or 0: all; the command shows 100 unless told);
    ``count_who`` gives the total.
    ``found``: the agencies' rows when ``find_agencies(db, agency)`` has been run already.
    ``place`` keeps documents of one province or commune ("Hưng Yên", "hung yen"): a
    "Sở Tài chính" named in a Hưng Yên directive is Hưng Yên's."""
    ids = agency_ids(db, agency, found)
    place_sql, place_params = _place_filter(place)
    # one agency at a time: each query walks idx_assignments_who in this order and stops
    # at the limit, however many tasks the agency has
    sql = f"""
        select a.agency, a.role, a.inherited, d.number, d.issuer, d.date as issued, a.path, a.due,
               (select group_concat(distinct x.recurrence) from deadlines x
                 where x.task_id = a.task_id and x.recurrence is not null) as recurrence,
               t.text, a.task_id
        from assignments a join tasks t on t.id = a.task_id join documents d on d.id = a.document_id
        where a.agency_id = ? and +d.same_as is null {"and a.role = ?" if role else ""}
        {place_sql}
        order by a.role, a.due is null, a.due, d.date desc, a.task_id
        {"limit ?" if limit else ""}
    """
    rows = []
    for agency_id in ids:
        rows += db.query(sql, [agency_id, *([role] if role else []), *place_params,
                               *([limit] if limit else [])])
    rows.sort(key=lambda r: r["task_id"])
    rows.sort(key=lambda r: r["issued"] or "", reverse=True)
    rows.sort(key=lambda r: (r["role"], r["due"] is None, r["due"] or ""))
    return [_with_snippet(r) for r in rows[:limit or None]]


def count_who(db: sqlite_utils.Database, agency: str, role: Optional[str] = None,
              place: Optional[str] = None, found: Optional[list[dict]] = None) -> int:
    """How many tasks ``who`` has for the agency, without its limit."""
    ids = agency_ids(db, agency, found)
    if not ids:
        return 0
    role_sql, role_params = ("and a.role = ?", [role]) if role else ("", [])
    if place:
        place_sql, place_params = _place_filter(place)
        return db.execute(f"""select count(*) from assignments a join documents d on d.id = a.document_id
            where a.agency_id in ({_placeholders(ids)}) {role_sql} and +d.same_as is null {place_sql}""",
                          [*ids, *role_params, *place_params]).fetchone()[0]
    # off the index alone, less the rows of documents that are copies of others (few)
    every = db.execute(f"select count(*) from assignments a where a.agency_id in ({_placeholders(ids)}) "
                       f"{role_sql}", [*ids, *role_params]).fetchone()[0]
    copies = db.execute(f"""select count(*) from documents d cross join assignments a on a.document_id = d.id
        where d.same_as is not null and a.agency_id in ({_placeholders(ids)}) {role_sql}""",
                        [*ids, *role_params]).fetchone()[0]
    return every - copies


def _with_snippet(row: dict) -> dict:
    row = dict(row)
    if "text" in row:
        row["text"] = snippet(row["text"])
    if "inherited" in row:
        row["inherited"] = bool(row["inherited"])
    return row


def agencies(db: sqlite_utils.Database, limit: Optional[int] = None, as_of: Optional[str] = None) -> list[dict]:
    """Load per agency: tasks led and supported, documents, next due date, overdue deadlines."""
    as_of = as_of or today()
    sql = """
        select g.id, g.name, g.registered,
               sum(a.role = 'lead') as lead, sum(a.role = 'support') as support,
               count(distinct a.document_id) as documents,
               (select min(x.date) from deadlines x join assignments y on y.task_id = x.task_id
                 join documents z on z.id = x.document_id
                 where y.agency_id = g.id and x.date >= :as_of and +z.same_as is null) as next_due,
               (select count(distinct x.id) from deadlines x join assignments y on y.task_id = x.task_id
                 join documents z on z.id = x.document_id
                 where y.agency_id = g.id and x.date < :as_of and +z.same_as is null) as overdue
        from agencies g join assignments a on a.agency_id = g.id
        join documents d on d.id = a.document_id and +d.same_as is null
        group by g.id order by lead + support desc, lead desc, g.name
    """ + (" limit :limit" if limit else "")
    rows = db.query(sql, {"as_of": as_of, "limit": limit})
    return [{**r, "registered": bool(r["registered"])} for r in rows]


# ---------------------------------------------------------------- deadlines

def due(db: sqlite_utils.Database, before: Optional[str] = None, after: Optional[str] = None,
        overdue: bool = False, as_of: Optional[str] = None, agency: Optional[str] = None,
        place: Optional[str] = None, limit: Optional[int] = None) -> list[dict]:
    """Dated deadlines in order, with the tasks' lead and support agencies.

    ``overdue``: due before ``as_of`` (default today). ``before``/``after``: bounds, inclusive.
    ``limit``: the first rows only (None or 0: all); ``count_due`` gives the total.
    """
    where, params = _due_filter(db, before, after, overdue, as_of, agency, place)
    sql = f"""
        select x.date as due, x.time, d.number, d.issuer, t.path,
               (select group_concat(agency, '; ') from assignments a where a.task_id = x.task_id and a.role = 'lead') as lead,
               (select group_concat(agency, '; ') from assignments a where a.task_id = x.task_id and a.role = 'support') as support,
               x.text as deadline, t.text, x.task_id
        from deadlines x
        join tasks t on t.id = x.task_id join documents d on d.id = x.document_id
        where {where}
        order by x.date, d.number, x.task_id
        {"limit ?" if limit else ""}
    """
    return [_with_snippet(r) for r in db.query(sql, [*params, *([limit] if limit else [])])]


def count_due(db: sqlite_utils.Database, before: Optional[str] = None, after: Optional[str] = None,
              overdue: bool = False, as_of: Optional[str] = None, agency: Optional[str] = None,
              place: Optional[str] = None) -> int:
    """How many deadlines ``due`` has with these filters, without its limit."""
    where, params = _due_filter(db, before, after, overdue, as_of, agency, place)
    return db.execute(f"select count(*) from deadlines x join documents d on d.id = x.document_id where {where}",
                      params).fetchone()[0]


def _due_filter(db, before, after, overdue, as_of, agency, place) -> tuple[str, list]:
    where, params = ["x.date is not null", "+d.same_as is null"], []
    if overdue:
        where.append("x.date < ?")
        params.append(as_of or today())
    if before:
        where.append("x.date <= ?")
        params.append(before)
    if after:
        where.append("x.date >= ?")
        params.append(after)
    if agency:
        ids = agency_ids(db, agency) or ["\0"]
        where.append(f"x.task_id in (select task_id from assignments where agency_id in ({_placeholders(ids)}))")
        params.extend(ids)
    if place:
        place_sql, place_params = _place_filter(place)
        where.append(place_sql.removeprefix("and "))
        params.extend(place_params)
    return " and ".join(where), params


def due_soon(db: sqlite_utils.Database, days: int = 90, as_of: Optional[str] = None) -> list[dict]:
    start = date.fromisoformat(as_of) if as_of else date.today()
    return due(db, after=start.isoformat(), before=(start + timedelta(days=days)).isoformat())


# ---------------------------------------------------------------- documents

def _documents_by_number(db: sqlite_utils.Database, number: str) -> list[dict]:
    return list(db.query("select * from documents where number_key = ? order by same_as is not null, date desc, rowid",
                         [number_key(number)]))


def doc(db: sqlite_utils.Database, number: str) -> Optional[dict]:
    """One stored document by its number: header, tasks with owners and deadlines, references, cited by."""
    found = _documents_by_number(db, number)
    if not found:
        return None
    d = found[0]
    did = d["id"]
    tasks = []
    for t in db.query("select id, path, text, page from tasks where document_id = ? order by rowid", [did]):
        owners = list(db.query("select agency, agency_id, role, inherited from assignments "
                               "where task_id = ? order by id", [t["id"]]))
        deadlines = list(db.query("select date, recurrence, day, time, text from deadlines "
                                  "where task_id = ? order by id", [t["id"]]))
        tasks.append({**t, "owners": [{**o, "inherited": bool(o["inherited"])} for o in owners],
                      "deadlines": deadlines})
    refs = list(db.query('select number, type, date, text, path, cited_document_id from "references" '
                         "where document_id = ? order by id", [did]))
    return {"document": {k: v for k, v in d.items() if k != "number_key"}, "tasks": tasks,
            "references": refs, "cited_by": cites(db, number),
            "recipients": [r["name"] for r in db.query(
                "select name from recipients where document_id = ? order by position", [did])]}


def cites(db: sqlite_utils.Database, number: str) -> list[dict]:
    """Documents (and, where the citation sits inside one, tasks) that cite ``number``."""
    sql = """
        select d.number, d.type, d.date, d.issuer, r.path, r.task_id, t.text as task, min(r.text) as cited_as
        from "references" r join documents d on d.id = r.document_id
        left join tasks t on t.id = r.task_id
        where r.number_key = ? and +d.same_as is null
        group by d.id, coalesce(r.path, '')          -- one row per place it is cited
        order by d.date, d.number, min(r.id)
    """
    rows = []
    for r in db.query(sql, [number_key(number)]):
        r = dict(r)
        r["task"] = snippet(r["task"]) if r["task"] else None
        rows.append(r)
    return rows


def counts(db: sqlite_utils.Database) -> dict[str, int]:
    def n(sql: str) -> int:
        return db.execute(sql).fetchone()[0]
    live = "document_id in (select id from documents where same_as is null)"
    return {"documents": n("select count(*) from documents where same_as is null"),
            "copies (same document, other file)": n("select count(*) from documents where same_as is not null"),
            "tasks": n(f"select count(*) from tasks where {live}"),
            "assignments": n(f"select count(*) from assignments where {live}"),
            "deadlines": n(f"select count(*) from deadlines where {live}"),
            "failed files": db.execute("select count(distinct file) from errors "
                                       "where file not in (select file from documents)").fetchone()[0]}


# ---------------------------------------------------------------- full text

def fts_query(text: str) -> str:
    """An FTS5 query for words as typed: with tone marks they must match exactly ("hạn" is not
    "hàn"); typed without any, they match the folded column ("tai chinh" finds "Tài chính")."""
    words = [w.replace('"', "") for w in text.split() if w.replace('"', "")]
    if not words:
        return '""'
    column = "folded" if all(fold(w) == w.lower() for w in words) else "text"
    phrase = " ".join(words).lower() if column == "folded" else " ".join(words)
    return f'{column} : "{phrase}"'


def search(db: sqlite_utils.Database, text: str, limit: int = 20, tasks_only: bool = True) -> list[dict]:
    """Tasks (or, with ``tasks_only=False``, any section) whose text holds the words, best first."""
    table = "tasks" if tasks_only else "sections"
    sql = f"""
        select d.number, s.path, d.date, snippet({table}_fts, 0, '[', ']', '…', 16) as text, s.id
        from {table}_fts f join {table} s on s.rowid = f.rowid join documents d on d.id = s.document_id
        where {table}_fts match ? and +d.same_as is null
        order by bm25({table}_fts) limit ?
    """
    rows = [dict(r) for r in db.query(sql, [fts_query(text), limit])]
    for r in rows:  # a folded match has its snippet in the folded column: show the real text
        if "[" not in r["text"]:
            full = db.execute(f"select text from {table} where id = ?", [r["id"]]).fetchone()[0]
            r["text"] = snippet(full)
    return rows


# ---------------------------------------------------------------- output

def render(rows: Iterable[dict], fmt: str = "table", title: Optional[str] = None,
           columns: Optional[list[str]] = None, console=None) -> str:
    """Rows as a rich table (printed; returns ""), JSON or CSV (returned as text)."""
    rows = list(rows)
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
    columns = columns or (list(rows[0].keys()) if rows else [])
    if fmt == "csv":
        out = io.StringIO()
        w = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        return out.getvalue()
    from rich.console import Console
    from rich.table import Table
    console = console or Console()
    if not rows:
        console.print(f"[dim]{title + ': ' if title else ''}nothing found[/dim]")
        return ""
    table = Table(title=title, show_lines=False)
    for c in columns:
        table.add_column(c, overflow="fold", max_width=60 if c in ("text", "task", "title") else None)
    for r in rows:
        table.add_row(*("" if r.get(c) is None else str(r.get(c)) for c in columns))
    console.print(table)
    return ""
