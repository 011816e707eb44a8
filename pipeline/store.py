"""The store: contract dicts into one SQLite file (sqlite-utils), one transaction per document.

    from pipeline.store import open_db, store_document
    db = open_db("outputs/directives.db")
    store_document(db, contract, "chi-thi.pdf", sha256_of("chi-thi.pdf"))

Tables (see ``SCHEMA``): documents, contracts (the full contract JSON),
sections, tasks, agencies, assignments, deadlines, references, recipients,
report_to, runs, errors. ``tasks_fts`` and ``sections_fts`` are FTS5 indexes
with the tokenizer ``unicode61 remove_diacritics 0`` (so "hạn" never matches
"hàn") over the text and a ``folded`` copy without tone marks (so "tai chinh"
finds "Tài chính").
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Optional

import sqlite_utils
from .patterns import MODELS

DEFAULT_DB = Path("outputs") / "directives.db"
TOKENIZE = "unicode61 remove_diacritics 0"
SCHEMA_VERSION = 2  # 2: assignments.due and the index behind `who`

# table -> (columns, pk, foreign keys)
SCHEMA: dict[str, tuple[dict[str, Any], str, list[tuple[str, str, str]]]] = {
    "runs": ({"id": int, "started": str, "finished": str, "files": int, "ok": int,
              "skipped": int, "failed": int}, "id", []),
    "documents": ({"id": str, "sha256": str, "file": str, "format": str, "number": str,
                   "number_key": str, "type": str, "issuer": str, "place": str, "date": str,
                   "title": str, "signer": str, "signer_title": str, "pages": int,
                   "ingested_at": str, "run_id": int, "same_as": str}, "id",
                  [("run_id", "runs", "id"), ("same_as", "documents", "id")]),
    "contracts": ({"document_id": str, "json": str}, "document_id",
                  [("document_id", "documents", "id")]),
    "sections": ({"id": str, "document_id": str, "path": str, "kind": str, "heading": str,
                  "text": str, "folded": str, "page": int, "start": int, "end": int}, "id",
                 [("document_id", "documents", "id")]),
    "tasks": ({"id": str, "document_id": str, "path": str, "text": str, "folded": str,
               "page": int, "start": int, "end": int}, "id",
              [("document_id", "documents", "id")]),
    "agencies": ({"id": str, "name": str, "kind": str, "registered": int, "folded": str,
                  "aliases": str}, "id", []),
    "assignments": ({"id": int, "task_id": str, "document_id": str, "path": str, "agency": str,
                     "agency_id": str, "role": str, "inherited": int, "request": int,
                     "office": str, "due": str, "page": int, "start": int, "end": int}, "id",
                    [("task_id", "tasks", "id"), ("document_id", "documents", "id"),
                     ("agency_id", "agencies", "id")]),
    "deadlines": ({"id": int, "task_id": str, "document_id": str, "date": str, "recurrence": str,
                   "day": int, "month": int, "time": str, "rrule": str, "text": str,
                   "page": int, "start": int, "end": int}, "id",
                  [("task_id", "tasks", "id"), ("document_id", "documents", "id")]),
    "references": ({"id": int, "document_id": str, "number": str, "number_key": str, "type": str,
                    "date": str, "issuer": str, "text": str, "path": str, "task_id": str,
                    "cited_document_id": str, "page": int, "start": int, "end": int}, "id",
                   [("document_id", "documents", "id"), ("cited_document_id", "documents", "id")]),
    "recipients": ({"id": int, "document_id": str, "name": str, "position": int}, "id",
                   [("document_id", "documents", "id")]),
    "report_to": ({"id": int, "task_id": str, "document_id": str, "agency": str,
                   "agency_id": str}, "id",
                  [("task_id", "tasks", "id"), ("document_id", "documents", "id"),
                   ("agency_id", "agencies", "id")]),
    "errors": ({"id": int, "run_id": int, "file": str, "sha256": str, "reason": str, "at": str},
               "id", [("run_id", "runs", "id")]),
}

INDEXES: list[tuple[str, list[str], bool]] = [
    ("documents", ["sha256"], True), ("documents", ["file"], False),
    ("documents", ["number_key"], False), ("documents", ["date"], False), ("documents", ["same_as"], False),
    ("sections", ["document_id"], False), ("tasks", ["document_id"], False),
    ("agencies", ["folded"], False),
    ("assignments", ["agency_id"], False), ("assignments", ["agency"], False),
    ("assignments", ["role"], False), ("assignments", ["task_id"], False),
    ("assignments", ["document_id"], False),
    ("deadlines", ["date"], False), ("deadlines", ["task_id"], False),
    ("deadlines", ["document_id"], False),
    ("references", ["number_key"], False), ("references", ["document_id"], False),
    ("references", ["cited_document_id"], False),
    ("recipients", ["document_id"], False), ("report_to", ["task_id"], False),
    ("report_to", ["document_id"], False), ("errors", ["run_id"], False),
]

# Indexes on expressions (sqlite-utils names columns only). `who` reads an agency's
# assignments in its own order (lead before support, then earliest due, undated last)
# straight off this index and stops at its limit.
EXPRESSION_INDEXES = {
    "idx_assignments_who": "assignments (agency_id, role, due is null, due)",
}

# Child tables of a document, in deletion order.
CHILDREN = ["assignments", "deadlines", "report_to", "references", "recipients",
            "tasks", "sections", "contracts"]


# ---------------------------------------------------------------- text keys

def fold(text: Optional[str]) -> str:
    """Lower case without tone marks: "Sở Tài chính" -> "so tai chinh"."""
    if not text:
        return ""
    t = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    t = "".join(c for c in t if unicodedata.category(c) != "Mn")
    return re.sub(r"\s+", " ", t).strip().lower()


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "x"


def number_key(number: Optional[str]) -> Optional[str]:
    """A document number as a join key: NFC, no spaces, upper case ("66/nq-cp" -> "66/NQ-CP")."""
    if not number:
        return None
    n = unicodedata.normalize("NFC", re.sub(r"\s+", "", number)).upper()
    return n.replace("Ð", "Đ") or None


@lru_cache(maxsize=1)
def _abbreviations() -> dict[str, str]:
    try:
        data = json.loads((MODELS / "abbreviations.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {fold(k): fold(v) for k, v in data.get("tokens", {}).items()}


@lru_cache(maxsize=1 << 16)
def agency_key(name: Optional[str]) -> str:
    """Folded name with abbreviations expanded: "UBND tỉnh" -> "uy ban nhan dan tinh"."""
    abbr = _abbreviations()
    words = [abbr.get(w, w) for w in re.split(r"[\s,;]+", fold(name)) if w]
    return " ".join(words)


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


# ---------------------------------------------------------------- registry

@lru_cache(maxsize=1)
def registry() -> tuple[dict[str, dict], dict[str, str]]:
    """Registered agencies (id -> row) and a lookup (agency_key of name/alias/code -> id).

    Uses ``pipeline.agencies.Registry`` when that module is importable and
    exposes its entries; otherwise reads ``models/agencies.jsonl``.
    """
    entries = _registry_entries()
    rows: dict[str, dict] = {}
    lookup: dict[str, str] = {}
    for e in entries:
        if e.get("kind") == "place" or not e.get("id") or not e.get("name"):
            continue
        aliases = list(e.get("aliases") or []) + list(e.get("codes") or [])
        rows[e["id"]] = {"id": e["id"], "name": e["name"], "kind": e.get("kind"), "registered": 1,
                         "folded": fold(e["name"]), "aliases": json.dumps(aliases, ensure_ascii=False)}
        for n in [e["name"], *aliases]:
            lookup.setdefault(agency_key(n), e["id"])
    return rows, lookup


def _registry_entries() -> list[dict]:
    try:  # written by someone else; used only when present
        from .agencies import Registry  # type: ignore
        reg = Registry.load() if hasattr(Registry, "load") else Registry()
        entries = getattr(reg, "entries", None) or getattr(reg, "agencies", None)
        if entries:
            items = entries.values() if isinstance(entries, dict) else entries
            out = [e if isinstance(e, dict) else vars(e) for e in items]
            if out and all("id" in e and "name" in e for e in out):
                return out
    except Exception:
        pass
    path = MODELS / "agencies.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@lru_cache(maxsize=4096)
def _registry_lookup(name: str) -> Optional[str]:
    """``pipeline.agencies.Registry.lookup`` when present, for a name that is the body's own
    (not "Sở Tài chính tỉnh Hưng Yên" filed under the generic "Sở Tài chính": places stay apart)."""
    try:
        from .agencies import Registry  # type: ignore
        entry = Registry.load().lookup(name)
    except Exception:
        return None
    if entry is None:
        return None
    words = len(agency_key(name).split())
    if any(words <= len(agency_key(n).split()) for n in [entry.name, *entry.aliases]):
        return entry.id
    return None


def resolve_agency(name: str, registry_id: Optional[str] = None) -> dict:
    """The agencies row for an owner's name: the registered one if known, else a new unregistered one."""
    rows, lookup = registry()
    rid = registry_id if registry_id in rows else lookup.get(agency_key(name)) or _registry_lookup(name)
    if rid in rows:
        return rows[rid]
    return {"id": slug(name), "name": name, "kind": None, "registered": 0,
            "folded": fold(name), "aliases": "[]"}


# ---------------------------------------------------------------- schema

def open_db(path: str | Path = DEFAULT_DB) -> sqlite_utils.Database:
    """Open (creating if needed) the store: schema, indexes, FTS, WAL, foreign keys on."""
    path = Path(path)
    if str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA busy_timeout = 10000")
    register_functions(db)
    if str(path) != ":memory:":
        db.enable_wal()
    ensure_schema(db)
    return db


def register_functions(db: sqlite_utils.Database) -> None:
    """fold(), agency_key() and number_key() in SQL, as Datasette has them too (pipeline.serve)."""
    db.register_function(fold, deterministic=True, replace=True)
    db.register_function(agency_key, deterministic=True, replace=True)
    db.register_function(number_key, deterministic=True, replace=True)


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create what is missing; an older store gains the columns added since (a light migration)."""
    if db["documents"].exists() and db["tasks_fts"].exists():
        if db.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
            with db.atomic():
                _add_missing_columns(db)
                _create_indexes(db)
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        return
    with db.atomic():
        for name, (columns, pk, fks) in SCHEMA.items():
            db[name].create(columns, pk=pk, foreign_keys=fks, if_not_exists=True)
        _create_indexes(db)
        for table in ("tasks", "sections"):
            if not db[f"{table}_fts"].exists():
                db[table].enable_fts(["text", "folded"], create_triggers=True, tokenize=TOKENIZE)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        rows, _ = registry()
        if rows:
            db["agencies"].insert_all(rows.values(), pk="id", ignore=True)


def _create_indexes(db: sqlite_utils.Database) -> None:
    for table, cols, unique in INDEXES:
        db[table].create_index(cols, unique=unique, if_not_exists=True)
    for name, on in EXPRESSION_INDEXES.items():
        db.execute(f"create index if not exists {name} on {on}")


def _add_missing_columns(db: sqlite_utils.Database) -> None:
    for name, (columns, _, _) in SCHEMA.items():
        table = db[name]
        if not table.exists():
            continue
        have = set(table.columns_dict)
        for col, typ in columns.items():
            if col not in have:
                table.add_column(col, typ)
                if (name, col) == ("documents", "same_as"):
                    link_same(db)
                    link_references(db)
                if (name, col) == ("assignments", "due"):
                    db.execute("update assignments set due = (select min(x.date) from deadlines x"
                               " where x.task_id = assignments.task_id)")


# ---------------------------------------------------------------- writing

def document_id(sha: str) -> str:
    return sha[:16]


def find_by_sha(db: sqlite_utils.Database, sha: str) -> Optional[dict]:
    rows = list(db.query("select * from documents where sha256 = ?", [sha]))
    return rows[0] if rows else None


def stored_hashes(db: sqlite_utils.Database) -> set[str]:
    return {r["sha256"] for r in db.query("select sha256 from documents")}


def store_document(db: sqlite_utils.Database, contract: dict, file: str | Path, sha: str,
                   run_id: Optional[int] = None) -> str:
    """Store one document's contract dict; all its rows or none.

    Returns "skipped" (this content is already stored), "replaced" (the same
    file had other content: its old rows are gone) or "stored".
    """
    file = str(file)
    if find_by_sha(db, sha):
        return "skipped"
    with db.atomic():
        old = list(db.query("select id, number_key from documents where file = ?", [file]))
        for row in old:
            delete_document(db, row["id"])
        doc_id = document_id(sha)
        keys = {r["number_key"] for r in old} | {number_key((contract.get("document") or {}).get("number"))}
        keys.discard(None)
        db["documents"].insert(_document_row(contract, file, sha, doc_id, run_id))
        db["contracts"].insert({"document_id": doc_id,
                                "json": json.dumps(contract, ensure_ascii=False)})
        _insert_children(db, contract, doc_id)
        link_same(db, keys)
        link_references(db, keys, doc_id)
    return "replaced" if old else "stored"


def delete_document(db: sqlite_utils.Database, doc_id: str) -> None:
    db.execute('update "references" set cited_document_id = null where cited_document_id = ?', [doc_id])
    db.execute("update documents set same_as = null where same_as = ?", [doc_id])
    for table in CHILDREN:
        db.execute(f'delete from "{table}" where document_id = ?', [doc_id])
    db.execute("delete from documents where id = ?", [doc_id])


def _key_filter(keys: Optional[set[str]]) -> tuple[str, list]:
    if keys is None:
        return "", []
    return f"and number_key in ({', '.join('?' for _ in keys)})", sorted(keys)


def link_same(db: sqlite_utils.Database, keys: Optional[set[str]] = None) -> None:
    """Mark copies (the same text as PDF and DOCX, say): a document with the number of one
    stored before it and the same date and issuer, or the same title (and date, unless one is
    missing), gets ``same_as`` = that first one; queries and feeds skip copies.
    ``keys``: only documents with these numbers (default all)."""
    where, params = _key_filter(keys)
    db.execute(f"""
        update documents set same_as = (
            select f.id from documents f
            where f.number_key = documents.number_key
              and ((f.date is documents.date and coalesce(f.issuer, '') = coalesce(documents.issuer, ''))
                   or ((f.date is documents.date or f.date is null or documents.date is null)
                       and f.title = documents.title))
              and f.rowid < documents.rowid
            order by f.rowid limit 1)
        where number_key is not null {where}
    """, params)


def link_references(db: sqlite_utils.Database, keys: Optional[set[str]] = None,
                    doc_id: Optional[str] = None) -> None:
    """Point references at the stored document with their number (or at nothing): all of them,
    or those citing one of ``keys`` and those of document ``doc_id``."""
    where, params = _key_filter(keys)
    if keys is not None and doc_id:
        where = f"and (document_id = ? or number_key in ({', '.join('?' for _ in keys)}))"
        params = [doc_id, *sorted(keys)]
    db.execute(f"""
        update "references" set cited_document_id = (
            select d.id from documents d
            where d.number_key = "references".number_key and d.id != "references".document_id
              and d.same_as is null
            order by d.date desc limit 1)
        where number_key is not null {where}
    """, params)


def _document_row(c: dict, file: str, sha: str, doc_id: str, run_id: Optional[int]) -> dict:
    d = c.get("document") or {}
    src = c.get("source") or {}
    return {"id": doc_id, "sha256": sha, "file": file,
            "format": src.get("format") or Path(file).suffix.lstrip(".").lower(),
            "number": d.get("number"), "number_key": number_key(d.get("number")),
            "type": d.get("type"), "issuer": d.get("issuer"), "place": d.get("place"),
            "date": d.get("date"), "title": d.get("title"), "signer": d.get("signer"),
            "signer_title": d.get("signer_title"), "pages": src.get("pages"),
            "ingested_at": now(), "run_id": run_id}


def _span(item: dict) -> dict:
    s = item.get("span") or {}
    return {"page": s.get("page"), "start": s.get("start"), "end": s.get("end")}


def _insert_children(db: sqlite_utils.Database, c: dict, doc_id: str) -> None:
    sections = _section_rows(c, doc_id)
    db["sections"].insert_all(sections, pk="id")
    tasks = c.get("tasks") or []
    task_ids = _unique_ids(doc_id, [t["path"] for t in tasks])
    db["tasks"].insert_all((_task_row(t, doc_id, tid) for t, tid in zip(tasks, task_ids)), pk="id")
    agencies: dict[str, dict] = {}
    assignments, deadlines, report_to = [], [], []
    for t, tid in zip(tasks, task_ids):
        due = min((d["date"] for d in t.get("deadlines") or [] if d.get("date")), default=None)
        for o in t.get("owners") or []:
            if not o.get("agency"):
                continue
            ag = resolve_agency(o["agency"], o.get("registry_id"))
            agencies[ag["id"]] = ag
            assignments.append({"task_id": tid, "document_id": doc_id, "path": t["path"],
                                "agency": o["agency"], "agency_id": ag["id"],
                                "role": o.get("role") or "lead",
                                "inherited": int(bool(o.get("inherited"))),
                                "request": int(bool(o.get("request"))), "office": o.get("office"),
                                "due": due, **_span(o)})
        for d in t.get("deadlines") or []:
            deadlines.append({"task_id": tid, "document_id": doc_id, "date": d.get("date"),
                              "recurrence": d.get("recurrence"), "day": _int(d.get("day")),
                              "month": _int(d.get("month")), "time": d.get("time"),
                              "rrule": d.get("rrule"), "text": d.get("text"), **_span(d)})
        for name in t.get("report_to") or []:
            ag = resolve_agency(name)
            agencies[ag["id"]] = ag
            report_to.append({"task_id": tid, "document_id": doc_id, "agency": name,
                              "agency_id": ag["id"]})
    if agencies:
        db["agencies"].insert_all(agencies.values(), pk="id", ignore=True)
    db["assignments"].insert_all(assignments, pk="id")
    db["deadlines"].insert_all(deadlines, pk="id")
    db["report_to"].insert_all(report_to, pk="id")
    db["references"].insert_all(_reference_rows(c, doc_id, sections, set(task_ids)), pk="id")
    db["recipients"].insert_all(({"document_id": doc_id, "name": n, "position": i}
                                 for i, n in enumerate(c.get("recipients") or [])), pk="id")


def _int(v: Any) -> Optional[int]:
    try:
        return int(v) if v is not None else None
    except (TypeError, ValueError):
        return None


def _unique_ids(doc_id: str, paths: list[str]) -> list[str]:
    """Row ids "<document>:<path>"; a path printed twice gets "#2", "#3"... on its repeats."""
    seen: dict[str, int] = {}
    ids = []
    for p in paths:
        seen[p] = seen.get(p, 0) + 1
        ids.append(f"{doc_id}:{p}" + (f"#{seen[p]}" if seen[p] > 1 else ""))
    return ids


def _section_rows(c: dict, doc_id: str) -> list[dict]:
    rows = []
    sections = c.get("sections") or []
    for s, sid in zip(sections, _unique_ids(doc_id, [s["path"] for s in sections])):
        text = s.get("text") if s.get("text") is not None else s.get("heading") or ""
        rows.append({"id": sid, "document_id": doc_id, "path": s["path"],
                     "kind": s.get("kind"), "heading": s.get("heading"), "text": text,
                     "folded": fold(text), **_span(s)})
    return rows


def _task_row(t: dict, doc_id: str, tid: str) -> dict:
    return {"id": tid, "document_id": doc_id, "path": t["path"],
            "text": t.get("text") or "", "folded": fold(t.get("text")), **_span(t)}


def _reference_rows(c: dict, doc_id: str, sections: list[dict], task_ids: set[str]) -> Iterable[dict]:
    for r in c.get("references") or []:
        span = _span(r)
        path = _enclosing_path(sections, span["start"])
        task_id = _enclosing_task(path, doc_id, task_ids)
        yield {"document_id": doc_id, "number": r.get("number"),
               "number_key": number_key(r.get("number")), "type": r.get("type"),
               "date": r.get("date"), "issuer": r.get("issuer"), "text": r.get("text"),
               "path": path, "task_id": task_id, "cited_document_id": None, **span}


def _enclosing_path(sections: list[dict], offset: Optional[int]) -> Optional[str]:
    """The innermost section whose span holds the offset (None in the preamble)."""
    if offset is None:
        return None
    best = None
    for s in sections:
        if s["start"] is not None and s["end"] is not None and s["start"] <= offset < s["end"]:
            if best is None or (s["end"] - s["start"]) <= (best["end"] - best["start"]):
                best = s
    return best["path"] if best else None


def _enclosing_task(path: Optional[str], doc_id: str, task_ids: set[str]) -> Optional[str]:
    while path:
        if f"{doc_id}:{path}" in task_ids:
            return f"{doc_id}:{path}"
        path = path.rpartition(".")[0]
    return None


# ---------------------------------------------------------------- runs

def start_run(db: sqlite_utils.Database, files: int) -> int:
    table = db["runs"]
    with db.atomic():
        table.insert({"started": now(), "files": files, "ok": 0, "skipped": 0, "failed": 0})
    return int(table.last_pk)


def finish_run(db: sqlite_utils.Database, run_id: int, ok: int, skipped: int, failed: int) -> None:
    with db.atomic():
        db["runs"].update(run_id, {"finished": now(), "ok": ok, "skipped": skipped, "failed": failed})


def record_error(db: sqlite_utils.Database, run_id: Optional[int], file: str, reason: str,
                 sha: Optional[str] = None) -> None:
    with db.atomic():
        db["errors"].insert({"run_id": run_id, "file": str(file), "sha256": sha,
                             "reason": reason, "at": now()})


def checkpoint(db: sqlite_utils.Database) -> None:
    """Fold the WAL into the main file (so read-only/immutable readers see everything)."""
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def counts(db: sqlite_utils.Database) -> dict[str, int]:
    return {t: db[t].count for t in SCHEMA}
