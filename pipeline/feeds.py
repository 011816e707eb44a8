"""Feeds for other tools, built from the store: contract JSON Lines, assignments CSV,
iCalendar deadlines, and the graph (GraphML, GEXF, node-link JSON).

    from pipeline.feeds import export
    open("deadlines.ics", "wb").write(export(db, "ics"))
    export(db, "csv", agency="so tai chinh")

Copies (the same document stored from another file, ``documents.same_as``)
are left out of every feed but JSON Lines, which dumps the whole store.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
from datetime import date
from typing import Iterable, Optional

import sqlite_utils

FORMATS = ("jsonl", "csv", "ics", "graphml", "gexf", "json")
CSV_COLUMNS = ["document_number", "document_type", "document_date", "issuer", "path", "agency",
               "agency_id", "registered", "role", "inherited", "due", "recurrence", "deadline",
               "report_to", "text", "page", "file"]


def export(db: sqlite_utils.Database, fmt: str, agency: Optional[str] = None,
           number: Optional[str] = None) -> bytes:
    """The whole store (or one agency's / one document's part) in ``fmt``, as bytes."""
    if fmt == "jsonl":
        return jsonl(db, number).encode("utf-8")
    if fmt == "csv":
        return assignments_csv(db, agency, number).encode("utf-8")
    if fmt == "ics":
        return ics(db, agency, number).encode("utf-8")
    if fmt in ("graphml", "gexf", "json"):
        from .graph import build, serialize
        return serialize(build(db, agency=agency, number=number), fmt)
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")


# ---------------------------------------------------------------- JSON Lines

def jsonl(db: sqlite_utils.Database, number: Optional[str] = None) -> str:
    """One contract a line, as extracted, with where it is stored ("store": id, file, sha256, same_as)."""
    from .store import number_key
    where, params = "", []
    if number:
        where, params = "where d.number_key = ?", [number_key(number)]
    lines = []
    for r in db.query(f"""select d.id, d.file, d.sha256, d.same_as, d.ingested_at, c.json
                          from documents d join contracts c on c.document_id = d.id {where}
                          order by d.rowid""", params):
        contract = json.loads(r["json"])
        contract["store"] = {k: r[k] for k in ("id", "file", "sha256", "same_as", "ingested_at")}
        lines.append(json.dumps(contract, ensure_ascii=False))
    return "".join(line + "\n" for line in lines)


# ---------------------------------------------------------------- CSV

def _filters(db: sqlite_utils.Database, agency: Optional[str], number: Optional[str],
             alias: str = "a") -> tuple[str, list]:
    from .query import agency_ids
    from .store import number_key
    where, params = ["d.same_as is null"], []
    if agency:
        ids = agency_ids(db, agency) or ["\0"]
        where.append(f"{alias}.agency_id in ({', '.join('?' for _ in ids)})")
        params += ids
    if number:
        where.append("d.number_key = ?")
        params.append(number_key(number))
    return " and ".join(where), params


def assignment_rows(db: sqlite_utils.Database, agency: Optional[str] = None,
                    number: Optional[str] = None) -> list[dict]:
    where, params = _filters(db, agency, number)
    sql = f"""
        select d.number as document_number, d.type as document_type, d.date as document_date,
               d.issuer, a.path, a.agency, a.agency_id, g.registered, a.role, a.inherited,
               (select group_concat(x.date, '; ') from deadlines x where x.task_id = a.task_id) as due,
               (select group_concat(x.recurrence, '; ') from deadlines x where x.task_id = a.task_id) as recurrence,
               (select group_concat(x.text, '; ') from deadlines x where x.task_id = a.task_id) as deadline,
               (select group_concat(r.agency, '; ') from report_to r where r.task_id = a.task_id) as report_to,
               t.text, t.page, d.file
        from assignments a join tasks t on t.id = a.task_id join documents d on d.id = a.document_id
        left join agencies g on g.id = a.agency_id
        where {where}
        order by d.date, d.number, t.rowid, a.id
    """
    return list(db.query(sql, params))


def assignments_csv(db: sqlite_utils.Database, agency: Optional[str] = None,
                    number: Optional[str] = None) -> str:
    """One row per task and owner (UTF-8 with BOM so spreadsheet programs read the tone marks)."""
    out = io.StringIO()
    out.write("\ufeff")
    w = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\r\n")
    w.writeheader()
    w.writerows(assignment_rows(db, agency, number))
    return out.getvalue()


# ---------------------------------------------------------------- iCalendar (RFC 5545)

WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def escape_text(value: str) -> str:
    """RFC 5545 TEXT: backslash, semicolon, comma and newlines escaped."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold_line(line: str, limit: int = 75) -> str:
    """Fold a content line into chunks of at most ``limit`` octets (UTF-8), never inside a character;
    continuation lines start with one space. Lines end with CRLF."""
    out, current, size = [], [], 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            out.append("".join(current))
            current, size = [" "], 1
        current.append(ch)
        size += n
    out.append("".join(current))
    return "\r\n".join(out) + "\r\n"


def weekday_code(day) -> Optional[str]:
    """"MO".."SU" for a weekday given as a code or as an ISO number (1 = Monday ... 7 = Sunday),
    the convention of the assign stage's ``day`` for weekly deadlines."""
    if day is None:
        return None
    s = str(day).strip().upper()
    if s[:2] in WEEKDAYS:
        return s[:2]
    if s.isdigit() and 1 <= int(s) <= 7:
        return WEEKDAYS[int(s) - 1]
    return None


def rrule_for(d: dict) -> Optional[str]:
    """The RRULE of a recurring deadline row (None for "continuous" or unknown)."""
    if d.get("rrule"):
        return d["rrule"].removeprefix("RRULE:")
    rec, day, month = d.get("recurrence"), d.get("day"), d.get("month")
    if rec == "daily":
        return "FREQ=DAILY"
    if rec == "weekly":
        code = weekday_code(day)
        return "FREQ=WEEKLY" + (f";BYDAY={code}" if code else "")
    by_day = f";BYMONTHDAY={day}" if isinstance(day, int) and 1 <= day <= 31 else ""
    if rec == "monthly":
        return "FREQ=MONTHLY" + by_day
    if rec == "quarterly":
        return "FREQ=MONTHLY;INTERVAL=3" + by_day
    if rec == "half-yearly":
        return "FREQ=MONTHLY;INTERVAL=6" + by_day
    if rec == "yearly":
        by_month = f";BYMONTH={month}" if isinstance(month, int) and 1 <= month <= 12 else ""
        return "FREQ=YEARLY" + by_month + by_day
    return None


def rrule_parts(rrule: str) -> dict[str, str]:
    return dict(p.split("=", 1) for p in rrule.split(";") if "=" in p)


def first_occurrence(start: date, rrule: str) -> date:
    """The first day on or after ``start`` that the rule's BYDAY / BYMONTH / BYMONTHDAY allow
    (``start`` itself when the rule names no day)."""
    parts = rrule_parts(rrule)
    days = [d[-2:] for d in parts.get("BYDAY", "").split(",") if d[-2:] in WEEKDAYS]
    months = [int(m) for m in parts.get("BYMONTH", "").split(",") if m.isdigit()]
    monthdays = [int(m) for m in parts.get("BYMONTHDAY", "").split(",") if m.isdigit()]
    if not (days or months or monthdays):
        return start
    for offset in range(0, 366 * 2):
        d = date.fromordinal(start.toordinal() + offset)
        if days and WEEKDAYS[d.weekday()] not in days:
            continue
        if months and d.month not in months:
            continue
        if monthdays and d.day not in monthdays:
            continue
        return d
    return start


def _uid(*parts) -> str:
    """Stable across re-ingests: from the document's identity (number, issuer, date), path, owner, role, deadline."""
    digest = hashlib.sha1("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:24]
    return f"{digest}@directives"


def _stamp(iso: Optional[str]) -> str:
    digits = "".join(c for c in (iso or "")[:19] if c.isdigit())
    return f"{digits[:8]}T{digits[8:14]}Z" if len(digits) >= 14 else "19700101T000000Z"


def ics_events(db: sqlite_utils.Database, agency: Optional[str] = None,
               number: Optional[str] = None) -> Iterable[list[str]]:
    """Content lines (unfolded) of one VEVENT per task, owner and deadline."""
    where, params = _filters(db, agency, number)
    rows = db.query(f"""
        select a.task_id, a.path, a.agency, a.agency_id, a.role, a.inherited, t.text as task,
               d.id as doc_id, d.number, d.number_key, d.type, d.issuer, d.date as doc_date, d.ingested_at, d.file,
               x.id as deadline_id, x.date, x.recurrence, x.day, x.month, x.time, x.rrule, x.text as deadline,
               (select count(*) from deadlines y where y.task_id = x.task_id and y.id < x.id) as n
        from assignments a join deadlines x on x.task_id = a.task_id
        join tasks t on t.id = a.task_id join documents d on d.id = a.document_id
        where {where} order by x.date, d.number, t.rowid, a.id, x.id
    """, params)
    seen: set[str] = set()
    for r in rows:
        event = _event(r)
        if event and event[1] not in seen:   # an owner printed twice on one task is one event
            seen.add(event[1])
            yield event


def _event(r: dict) -> Optional[list[str]]:
    rrule = None
    if r["date"]:
        start = date.fromisoformat(r["date"])
    else:
        rrule = rrule_for(r)
        if not rrule or not r["doc_date"]:
            return None
        start = first_occurrence(date.fromisoformat(r["doc_date"]), rrule)
    end = date.fromordinal(start.toordinal() + 1)
    role = "chủ trì" if r["role"] == "lead" else "phối hợp"
    number = r["number"] or r["file"]
    summary = f"[{role}] {r['agency']}: {number} {r['path']} — {_short(r['task'], 80)}"
    description = "\n".join(filter(None, [
        r["task"], f"Hạn: {r['deadline']}" + (f" ({r['time']})" if r["time"] else ""),
        f"Văn bản: {r['type'] or ''} {number}".rstrip() + (f" ngày {r['doc_date']}" if r["doc_date"] else ""),
        f"Mục: {r['path']}", f"Vai trò: {role}" + (" (kế thừa)" if r["inherited"] else "")]))
    lines = ["BEGIN:VEVENT",
             f"UID:{_uid(*((r['number_key'], r['issuer'], r['doc_date']) if r['number_key'] else (r['doc_id'],)), r['path'], r['agency_id'] or r['agency'], r['role'], r['n'])}",
             f"DTSTAMP:{_stamp(r['ingested_at'])}",
             f"DTSTART;VALUE=DATE:{start:%Y%m%d}", f"DTEND;VALUE=DATE:{end:%Y%m%d}"]
    if rrule:
        lines.append(f"RRULE:{rrule}")
    lines += [f"SUMMARY:{escape_text(summary)}", f"DESCRIPTION:{escape_text(description)}",
              f"CATEGORIES:{'lead' if r['role'] == 'lead' else 'support'}",
              "TRANSP:TRANSPARENT", "END:VEVENT"]
    return lines


def _short(text: Optional[str], width: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def ics(db: sqlite_utils.Database, agency: Optional[str] = None, number: Optional[str] = None) -> str:
    """An iCalendar file: one all-day VEVENT per task, owner and deadline; RRULE for recurring ones."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//directives//who owns what//VI",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "X-WR-CALNAME:Hạn nhiệm vụ (directives)"]
    for event in ics_events(db, agency, number):
        lines += event
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) for line in lines)
