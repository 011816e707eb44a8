#!/usr/bin/env python3
"""Check the corpus gold files against their texts and the contract.

    python corpora/check.py            # all NAME.gold.json in corpora/
    python corpora/check.py NAME ...   # some of them

For each document: text and gold are NFC; document fields present; section
paths unique and well formed; every path's last label is printed in the text;
task paths are section paths; owners, deadlines and references well formed;
due dates are ISO and not before the document date; each deadline's text and
each reference's number occur in the text; the number, date and signer match
the header and signature. Exits 1 on any error. Standard library only.
"""
import datetime
import json
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
RECURRENCES = {"daily", "weekly", "monthly", "quarterly", "half-yearly", "yearly", "continuous"}
LABEL = r"(?:[IVX]+|\d+(?:\.\d+)*|[a-zđ]|D\d+|[-+]\d+|p\d+)"
PATH_RE = re.compile(rf"^(?:KH\.)?(?:T\d+(?:\.[IVX]+)?\.\d+|T\d+\.[IVX]+|{LABEL}(?:\.{LABEL})*)$")


def squash(s):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", s)).strip().casefold()


def label_printed(label, lines):
    """Is the unit label printed at the start of some line of the text?"""
    if label.startswith("D"):
        pat = rf"Điều {label[1:]}\."
    elif label[0] in "-+" or label.startswith("p"):
        return True  # bullets and paragraphs are counted, not printed
    elif re.fullmatch(r"[a-zđ]", label):
        pat = rf"{label}\)"
    else:
        pat = rf"{re.escape(label)}\."
    return any(re.match(pat + r"(\s|$)", ln) for ln in lines)


def check(name):
    errors, warnings = [], []
    gold_path = HERE / f"{name}.gold.json"
    txt_path = HERE / f"{name}.txt"
    raw = gold_path.read_text(encoding="utf-8")
    text = txt_path.read_text(encoding="utf-8")
    for what, s in (("gold", raw), ("text", text)):
        if unicodedata.normalize("NFC", s) != s:
            errors.append(f"{what} is not NFC")
    gold = json.loads(raw)
    lines = [ln.strip() for ln in text.split("\n")]
    flat = squash(text)
    doc = gold.get("document", {})
    for field in ("number", "type", "issuer", "place", "date", "title", "signer", "signer_title"):
        if not doc.get(field):
            errors.append(f"document.{field} missing")
    try:
        ddate = datetime.date.fromisoformat(doc.get("date", ""))
    except ValueError:
        errors.append(f"document.date not ISO: {doc.get('date')!r}")
        ddate = None
    if f"Số: {doc.get('number')}" not in text:
        errors.append(f"'Số: {doc.get('number')}' not in the header")
    if ddate and not any(f"ngày {ddate.day:02d} tháng {m} năm {ddate.year}" in text
                         for m in (ddate.month, f"{ddate.month:02d}")):
        errors.append("document date not found in the place/date line")
    if doc.get("signer") and doc["signer"] not in lines:
        errors.append("signer's name is not a line of the text")
    if doc.get("title") and squash(doc["title"]) not in flat:
        errors.append("title not in the text")

    paths = [s["path"] for s in gold.get("sections", [])]
    seen = set()
    for s in gold.get("sections", []):
        p = s["path"]
        if p in seen:
            errors.append(f"duplicate section {p}")
        seen.add(p)
        if not PATH_RE.match(p):
            errors.append(f"malformed path {p}")
        if ("heading" in s) == ("text" in s):
            errors.append(f"section {p} needs exactly one of heading/text")
        if not p.startswith("T"):
            parts = p.split(".")
            last = parts[-1]
            # a printed "2.3." is path ...2.3: accept the trailing numbers joined
            cands = [last]
            k = len(parts) - 1
            while k > 0 and parts[k - 1].isdigit() and last.isdigit():
                cands.append(".".join(parts[k - 1:]))
                k -= 1
            if not any(label_printed(c, lines) for c in cands):
                errors.append(f"label of {p} not printed in the text")
        else:
            stt = p.split(".")[-1]
            if not any(ln.startswith(f"| {stt} |") for ln in lines):
                errors.append(f"table row {p} not in the text")
    for t in gold.get("tasks", []):
        p = t["path"]
        if p not in seen:
            errors.append(f"task {p} is not a section")
        if not t.get("owners") and not t.get("optional"):
            errors.append(f"required task {p} has no owner")
        for o in t.get("owners", []):
            if o.get("role") not in ("lead", "support") or not isinstance(o.get("inherited"), bool) or not o.get("agency"):
                errors.append(f"task {p}: bad owner {o}")
        for d in t.get("deadlines", []):
            if d.get("date"):
                try:
                    due = datetime.date.fromisoformat(d["date"])
                    if ddate and due < ddate:
                        errors.append(f"task {p}: due {due} before the document date")
                except ValueError:
                    errors.append(f"task {p}: date not ISO {d['date']!r}")
            elif d.get("recurrence") not in RECURRENCES:
                errors.append(f"task {p}: deadline without date or known recurrence: {d}")
            if "time" in d and not re.fullmatch(r"\d\d:\d\d", d["time"]):
                errors.append(f"task {p}: bad time {d['time']!r}")
            core = re.sub(r"\s*\(.*\)$", "", d.get("text", ""))
            if squash(core) not in flat:
                warnings.append(f"task {p}: deadline text not verbatim in the text: {d.get('text')!r}")
    for r in gold.get("references", []):
        if r.get("date"):
            try:
                datetime.date.fromisoformat(r["date"])
            except ValueError:
                errors.append(f"reference {r.get('number')}: date not ISO")
        if r.get("number") and r["number"] not in text.replace(" ", ""):
            errors.append(f"reference {r['number']} not in the text")
        if r.get("number") and r["number"] == doc.get("number"):
            errors.append("the document cites itself as a reference")
    for rc in gold.get("recipients", []):
        if rc not in text:
            errors.append(f"recipient {rc!r} not in the text")
    return errors, warnings


def main(argv):
    names = argv or sorted(p.name[: -len(".gold.json")] for p in HERE.glob("*.gold.json"))
    bad = 0
    total = {"sections": 0, "tasks": 0}
    for name in names:
        errors, warnings = check(name)
        g = json.loads((HERE / f"{name}.gold.json").read_text(encoding="utf-8"))
        total["sections"] += len(g["sections"])
        total["tasks"] += len(g["tasks"])
        status = "ok" if not errors else "ERRORS"
        print(f"{name:<28} {len(g['sections']):>3} sections {len(g['tasks']):>3} tasks  {status}")
        for e in errors:
            print(f"  error: {e}")
        for w in warnings:
            print(f"  warning: {w}")
        bad += bool(errors)
    print(f"{len(names)} documents, {total['sections']} sections, {total['tasks']} tasks")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
