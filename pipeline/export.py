"""Output: a Document as the contract's JSON (see README) or a readable tree."""
from __future__ import annotations

from .model import Document, Section

CONTRACT_VERSION = "1"


def _span(s: Section) -> dict:
    return {"page": s.page, "start": s.start, "end": s.end}


def to_contract(doc: Document) -> dict:
    """The extraction contract (v1) for one document, with provenance fields added."""
    h = doc.header
    sections = []
    for s in doc.sections:
        item = {"path": s.path}
        if s.heading is not None and s.kind in ("part", "roman", "chapter", "group"):
            item["heading"] = s.heading
        else:
            item["text"] = s.text
        item["kind"] = s.kind
        item["span"] = _span(s)
        sections.append(item)
    tasks = []
    for t in doc.tasks:
        tasks.append({
            "path": t.path,
            "text": t.section.text,
            "owners": [
                {k: v for k, v in {
                    "agency": o.agency, "role": o.role, "inherited": o.inherited,
                    "request": o.request or None, "office": o.office, "registry_id": o.registry_id,
                    "kind": o.kind, "span": o.span.to_json() if o.span else None,
                }.items() if v is not None or k in ("inherited",)}
                for o in t.owners
            ],
            "report_to": list(t.report_to),
            "deadlines": [
                {k: v for k, v in {
                    "text": d.text, "date": d.date, "recurrence": d.recurrence, "day": d.day,
                    "month": d.month, "time": d.time, "rrule": d.rrule,
                    "span": d.span.to_json() if d.span else None,
                }.items() if v is not None or k == "date"}
                for d in t.deadlines
            ],
            "span": _span(t.section),
        })
    refs = []
    for r in doc.references:
        refs.append({k: v for k, v in {
            "number": r.number, "type": r.type, "date": r.date, "issuer": r.issuer, "text": r.text,
            "span": r.span.to_json() if r.span else None,
        }.items() if v is not None or k in ("number", "date")})
    return {
        "contract": CONTRACT_VERSION,
        "source": {"file": doc.path, "format": doc.format, "pages": doc.pages, "ocr": doc.ocr},
        "document": {
            "number": h.number, "type": h.type, "issuer": h.issuer, "parent_issuer": h.parent_issuer,
            "place": h.place, "date": h.date, "title": h.title, "signer": h.signer,
            "signer_title": h.signer_title, "signer_authority": h.signer_authority,
            "urgency": h.urgency,
        },
        "addressees": list(h.addressees),
        "kinh_gui": list(h.kinh_gui),
        "sections": sections,
        "references": refs,
        "tasks": tasks,
        "recipients": list(h.recipients),
        "warnings": [{"code": w.code, "message": w.message, **({"span": w.span.to_json()} if w.span else {})}
                     for w in doc.warnings],
    }


def to_text(doc: Document) -> str:
    """A readable indented tree: header, then sections with tasks' owners and deadlines."""
    h = doc.header
    out = [f"{h.type or 'Văn bản'} {h.number or '(không số)'} — {h.issuer or '?'}",
           f"  {h.place or ''}{', ' if h.place else ''}{h.date or ''}",
           f"  {h.title or ''}",
           f"  Ký: {h.signer_authority or ''} {h.signer_title or ''} {h.signer or ''}".rstrip()]
    if h.addressees:
        out.append("  Gửi/yêu cầu: " + "; ".join(h.addressees))
    out.append("")
    tasks = {t.path: t for t in doc.tasks}
    for s in doc.sections:
        depth = s.path.count(".")
        text = s.head
        if len(text) > 100:
            text = text[:97] + "..."
        out.append(f"{'  ' * depth}[{s.path}] {text}")
        t = tasks.get(s.path)
        if t:
            for o in t.owners:
                flag = " (kế thừa)" if o.inherited else ""
                out.append(f"{'  ' * depth}    {'chủ trì' if o.role == 'lead' else 'phối hợp'}: {o.agency}{flag}")
            for d in t.deadlines:
                out.append(f"{'  ' * depth}    hạn: {d.date or d.recurrence} ({d.text})")
    if doc.references:
        out.append("")
        out.append("Văn bản dẫn chiếu:")
        for r in doc.references:
            out.append(f"  {r.number or '-'} {r.type or ''} {r.date or ''}".rstrip())
    if h.recipients:
        out.append("")
        out.append("Nơi nhận: " + "; ".join(h.recipients))
    for w in doc.warnings:
        out.append(f"! {w.code}: {w.message}")
    return "\n".join(out) + "\n"
