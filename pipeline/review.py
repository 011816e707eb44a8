"""A review page for people: one document as self-contained HTML with its facts highlighted.

    from pipeline import extract
    from pipeline.review import render, write
    html = render(extract("chi-thi.pdf"))      # a str, UTF-8 HTML, no scripts, no network
    write(extract("chi-thi.pdf"), "chi-thi.html")

The page shows the header (number, type, issuer, date, title, signer), the
warnings, a colour legend, then the source text block by block: the text before
the body (preamble, addressees), every section of the body (``id="sec-<path>"``,
its path shown), and any text between or after sections (closing, signature,
appendix captions). Each block is its slice of ``Document.text`` with ``<mark>``
elements inserted at the fact spans that fall inside it:

- ``mark.lead`` / ``mark.support``: one per distinct owner span of that role
  (an inherited owner points at the span it was inherited from, so it adds no
  mark; it shows as a badge on the task instead);
- ``mark.deadline``: one per distinct deadline span;
- ``mark.ref``: one per distinct span of a cited document (first citation and
  later mentions).

Every mark has ``data-fact`` (the same id on each piece when overlapping spans
force a mark to be split) and its text links to the anchor of the block it sits
in. A side table lists the tasks: path, owners (lead/support), due dates,
report_to. Warnings are listed at the top and shown again in the block that
holds their span.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Optional

from .model import Document, Section

_BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")
ROLE_VI = {"lead": "chủ trì", "support": "phối hợp"}
RECURRENCE_VI = {"daily": "hằng ngày", "weekly": "hằng tuần", "monthly": "hằng tháng",
                 "quarterly": "hằng quý", "half-yearly": "6 tháng", "yearly": "hằng năm",
                 "continuous": "thường xuyên"}
WARNING_VI = {"no-owner": "nhiệm vụ chưa có cơ quan chủ trì",
              "unregistered-agency": "cơ quan chưa có trong danh mục",
              "cited-after": "văn bản dẫn chiếu ban hành sau văn bản này"}

CSS = """
:root { --lead:#ffd166; --lead-b:#d99a00; --support:#a8d8f0; --support-b:#2b8cbe;
  --deadline:#b7e4a7; --deadline-b:#3c9a2e; --ref:#e0c8f5; --ref-b:#8e5cc2;
  --warn:#fde2e1; --warn-b:#d1443b; --ink:#1d232b; --muted:#5f6b78; --line:#e3e7ec; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.6 "Noto Serif", "DejaVu Serif", "Times New Roman", serif;
  color: var(--ink); background: #f5f6f8; }
header.doc { background: #fff; border-bottom: 3px solid #8b1a1a; padding: 18px 28px 14px; }
header.doc .kind { font: 600 12px/1.4 system-ui, sans-serif; letter-spacing: .08em;
  text-transform: uppercase; color: #8b1a1a; }
header.doc h1 { font-size: 21px; line-height: 1.35; margin: 4px 0 10px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr max-content 1fr; gap: 2px 14px;
  margin: 0; font: 13.5px/1.5 system-ui, sans-serif; }
dl.meta dt { color: var(--muted); } dl.meta dd { margin: 0; }
.bar { display: flex; flex-wrap: wrap; gap: 18px; align-items: flex-start; padding: 12px 28px;
  background: #fff; border-bottom: 1px solid var(--line); font: 13px/1.5 system-ui, sans-serif; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 12px; align-items: center; }
.legend b { font-weight: 600; margin-right: 2px; }
.counts { color: var(--muted); }
.warnings { flex: 1 1 100%; margin: 0; padding: 8px 12px; background: var(--warn);
  border-left: 4px solid var(--warn-b); border-radius: 4px; }
.warnings h2 { font-size: 13px; margin: 0 0 4px; color: var(--warn-b); }
.warnings ol { margin: 0; padding-left: 20px; }
.layout { display: grid; grid-template-columns: minmax(0, 1fr) 460px; gap: 20px; padding: 18px 28px; }
main { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 10px 22px 18px; }
aside { position: sticky; top: 10px; align-self: start; max-height: calc(100vh - 20px); overflow: auto;
  background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px;
  font: 12.5px/1.45 system-ui, sans-serif; }
aside h2, main h2 { font: 600 13px/1.4 system-ui, sans-serif; text-transform: uppercase;
  letter-spacing: .06em; color: var(--muted); margin: 6px 0 8px; }
.blk { display: grid; grid-template-columns: 82px minmax(0, 1fr); gap: 0 10px; padding: 5px 0;
  border-top: 1px solid #f0f2f4; scroll-margin-top: 10px; }
.blk:target { background: #fff8e1; }
.blk > .path { font: 12px/1.9 ui-monospace, "DejaVu Sans Mono", monospace; color: var(--muted);
  text-align: right; text-decoration: none; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.blk > .path:hover { color: var(--ink); text-decoration: underline; }
.blk.task > .path { color: #8b1a1a; font-weight: 600; }
.blk .body { min-width: 0; }
.src { white-space: pre-wrap; overflow-wrap: anywhere; }
.blk.heading .src { font-weight: 700; }
.blk.row .src { font-size: 14px; background: #fafbfc; border-left: 3px solid var(--line); padding-left: 8px; }
.blk.outside .src { color: var(--muted); font-size: 13.5px; }
.blk.outside > .path { font: italic 12px/1.9 system-ui, sans-serif; }
mark { border-radius: 3px; padding: 0 1px; color: inherit; }
mark a { color: inherit; text-decoration: none; }
mark.lead { background: var(--lead); box-shadow: inset 0 -2px 0 var(--lead-b); }
mark.support { background: var(--support); box-shadow: inset 0 -2px 0 var(--support-b); }
mark.deadline { background: var(--deadline); box-shadow: inset 0 -2px 0 var(--deadline-b); }
mark.ref { background: var(--ref); box-shadow: inset 0 -2px 0 var(--ref-b); }
mark mark { padding: 0; }
.swatch { display: inline-block; padding: 0 6px; border-radius: 3px; }
.badges { margin-top: 3px; display: flex; flex-wrap: wrap; gap: 4px; font: 12px/1.5 system-ui, sans-serif; }
.badge { display: inline-block; border-radius: 10px; padding: 0 8px; border: 1px dashed; background: #fff; }
.badge.lead { border-color: var(--lead-b); background: #fff7e0; }
.badge.support { border-color: var(--support-b); background: #eef7fc; }
.badge a { color: var(--muted); }
.warn { margin-top: 3px; padding: 2px 8px; font: 12.5px/1.5 system-ui, sans-serif; background: var(--warn);
  border-left: 3px solid var(--warn-b); border-radius: 3px; }
.warn-swatch { background: var(--warn); border-left: 3px solid var(--warn-b); }
.warn b, .warnings b { color: var(--warn-b); }
table.tasks { border-collapse: collapse; width: 100%; }
table.tasks th { text-align: left; font-weight: 600; color: var(--muted); border-bottom: 2px solid var(--line);
  padding: 3px 4px; position: sticky; top: -10px; background: #fff; }
table.tasks td { border-bottom: 1px solid var(--line); padding: 3px 4px; vertical-align: top; }
table.tasks td.p a { font-family: ui-monospace, "DejaVu Sans Mono", monospace; color: #8b1a1a; }
table.tasks .l { background: #fff3cc; border-radius: 3px; padding: 0 3px; }
table.tasks .s { background: #e3f2fa; border-radius: 3px; padding: 0 3px; }
table.tasks .i { font-style: italic; }
table.tasks .none { color: var(--warn-b); }
.due { white-space: nowrap; }
@media (max-width: 1000px) { .layout { grid-template-columns: 1fr; } aside { position: static; max-height: none; } }
@media print { aside { position: static; max-height: none; } body { background: #fff; } }
"""


@dataclass
class _Fact:
    id: str                      # data-fact, unique in the page: L1, S2, D3, R4
    cls: str                     # lead | support | deadline | ref
    start: int
    end: int
    title: str
    order: int = 0


@dataclass
class _Block:
    id: str                      # the HTML id: sec-<path> for sections
    label: str                   # what the left column shows
    start: int
    end: int
    section: Optional[Section] = None
    kind: str = "section"        # section | outside
    warnings: list = field(default_factory=list)


def _e(text) -> str:
    return escape("" if text is None else str(text), quote=True)


def section_id(path: str) -> str:
    """The HTML id of a section's block: ``sec-`` + its path ("sec-II.1.-2")."""
    return "sec-" + path


def _due(d) -> str:
    if d.date:
        out = d.date + (f" {d.time}" if d.time else "")
    elif d.recurrence:
        out = RECURRENCE_VI.get(d.recurrence, d.recurrence) + (f" {d.time}" if d.time else "")
    else:
        out = d.text
    return out


def _facts(doc: Document) -> list[_Fact]:
    """One fact a distinct (kind, span); titles gather what the span stands for."""
    found: dict[tuple[str, int, int], list[str]] = {}

    def add(cls: str, span, label: str) -> None:
        if span is None or span.end <= span.start or span.start < 0 or span.end > len(doc.text):
            return
        labels = found.setdefault((cls, span.start, span.end), [])
        if label not in labels:
            labels.append(label)

    for t in doc.tasks:
        for o in t.owners:
            add(o.role if o.role in ROLE_VI else "lead", o.span,
                f"{ROLE_VI.get(o.role, o.role)}: {o.agency}" + (f" ({o.registry_id})" if o.registry_id else ""))
        for d in t.deadlines:
            add("deadline", d.span, f"hạn: {_due(d)}" + (f" ({d.rrule})" if d.rrule else ""))
    for r in doc.references:
        label = " ".join(x for x in (r.type, r.number, r.date and f"ngày {r.date}", r.issuer and f"của {r.issuer}") if x)
        for s in ([r.span] if r.span else []) + list(r.mentions):
            add("ref", s, "dẫn chiếu: " + (label or r.text))
    prefix = {"lead": "L", "support": "S", "deadline": "D", "ref": "R"}
    counters = {k: 0 for k in prefix}
    facts = []
    for (cls, start, end), labels in sorted(found.items(), key=lambda kv: (kv[0][1], -kv[0][2], kv[0][0])):
        counters[cls] += 1
        facts.append(_Fact(f"{prefix[cls]}{counters[cls]}", cls, start, end, "; ".join(labels), len(facts)))
    return facts


def _blocks(doc: Document, facts: list[_Fact]) -> list[_Block]:
    """The page's text blocks in source order: sections and the non-blank text around them."""
    text = doc.text
    sections = sorted(doc.sections, key=lambda s: (s.start, -s.end))
    # where the preamble starts: after the title (or the header's last span), or at the first fact
    hs = [sp.end for k, sp in doc.header.spans.items() if k in ("number", "date", "title") and sp]
    first = sections[0].start if sections else len(text)
    pre = max([e for e in hs if e <= first], default=0)
    pre = min([pre] + [f.start for f in facts])
    blocks: list[_Block] = []
    pos = pre
    gap_n = 0
    last_end = max((s.end for s in sections), default=0)

    def gap(a: int, b: int) -> None:
        nonlocal gap_n
        if b > a and text[a:b].strip():
            # trim blank lines at both ends, keep offsets exact
            while a < b and text[a] in "\r\n \t":
                a += 1
            while b > a and text[b - 1] in "\r\n \t":
                b -= 1
            if not blocks and not sections:
                label, bid = "văn bản", "text"
            elif not blocks:
                label, bid = "mở đầu", "pre"
            else:
                gap_n += 1
                label, bid = ("ngoài mục" if a < last_end else "cuối"), f"out-{gap_n}"
            blocks.append(_Block(bid, label, a, b, None, "outside"))

    for s in sections:
        if s.end <= s.start:  # an empty unit still gets its anchor
            if s.start > pos:
                gap(pos, s.start)
                pos = s.start
            blocks.append(_Block(section_id(s.path), s.path, s.start, s.start, s))
            continue
        if s.start < pos:     # a section inside another one's slice: show it from where the last ended
            if s.end <= pos:
                blocks.append(_Block(section_id(s.path), s.path, pos, pos, s))
                continue
            blocks.append(_Block(section_id(s.path), s.path, pos, s.end, s))
            pos = s.end
            continue
        gap(pos, s.start)
        blocks.append(_Block(section_id(s.path), s.path, s.start, s.end, s))
        pos = s.end
    gap(pos, len(text))
    return blocks


def _render_slice(text: str, a: int, b: int, facts: list[_Fact], link: str, squeeze: bool = False) -> str:
    """text[a:b] escaped, with <mark> elements at the facts' spans (clipped to [a, b)).

    Marks nest when spans nest; when two spans cross, the inner one is closed at the
    crossing and reopened after it, with the same data-fact. Text inside marks is
    wrapped in a link to ``link`` (text runs are leaves, so links never nest). ``squeeze``:
    show runs of blank lines as one line break (the closing and signature lines of a PDF)."""
    def show(chunk: str) -> str:
        return _e(_BLANK_LINES.sub("\n", chunk) if squeeze else chunk)

    inside = sorted(((max(f.start, a), min(f.end, b), f) for f in facts if f.start < b and f.end > a),
                    key=lambda x: (x[0], -x[1], x[2].order))
    if not inside:
        return show(text[a:b])
    points = sorted({a, b} | {s for s, _, _ in inside} | {e for _, e, _ in inside})
    starts: dict[int, list] = {}
    for item in inside:
        starts.setdefault(item[0], []).append(item)
    out: list[str] = []
    stack: list[tuple[int, int, _Fact]] = []
    opened: set[str] = set()
    pos = a

    def open_(item) -> None:
        s, e, f = item
        first = f.id not in opened
        opened.add(f.id)
        ident = f' id="f-{f.id}"' if first else ""
        cont = "" if first else " cont"
        out.append(f'<mark class="{f.cls}{cont}" data-fact="{f.id}"{ident} title="{_e(f.title)}">')
        stack.append(item)

    for p in points:
        if p > pos:
            chunk = show(text[pos:p])
            out.append(f'<a href="#{_e(link)}">{chunk}</a>' if stack else chunk)
            pos = p
        if any(e == p for _, e, _ in stack):
            reopen = []
            while any(e == p for _, e, _ in stack):
                item = stack.pop()
                out.append("</mark>")
                if item[1] != p:
                    reopen.append(item)
            for item in reversed(reopen):
                open_(item)
        for item in starts.get(p, []):
            if item[1] > p:
                open_(item)
    while stack:
        stack.pop()
        out.append("</mark>")
    return "".join(out)


def _inherited_groups(owners) -> dict[tuple[str, str], list[str]]:
    """Inherited owners by (role, section they come from; "" for the addressees)."""
    groups: dict[tuple[str, str], list[str]] = {}
    for o in owners:
        names = groups.setdefault((o.role, o.span.path if o.span is not None else ""), [])
        if o.agency not in names:
            names.append(o.agency)
    return groups


def _task_cells(t) -> tuple[str, str, str, str]:
    def owner(o) -> str:
        cls = "l" if o.role == "lead" else "s"
        return f'<span class="{cls}" title="{_e(ROLE_VI.get(o.role, o.role))}">{_e(o.agency)}</span>'

    def inherited(role: str) -> list[str]:
        out = []
        for (r, src), names in _inherited_groups([o for o in t.owners if o.inherited]).items():
            if r != role:
                continue
            cls = ("l" if role == "lead" else "s") + " i"
            where = src or "mở đầu"
            if len(names) > 2:
                out.append(f'<span class="{cls}" title="kế thừa từ {_e(where)}: {_e("; ".join(names))}">'
                           f'↳ {len(names)} cơ quan ({_e(where)})</span>')
            else:
                out += [f'<span class="{cls}" title="kế thừa từ {_e(where)}">↳ {_e(n)}</span>' for n in names]
        return out
    leads = inherited("lead") + [owner(o) for o in t.owners if o.role == "lead" and not o.inherited]
    sups = inherited("support") + [owner(o) for o in t.owners if o.role != "lead" and not o.inherited]
    lead_html = ", ".join(leads) if leads else '<span class="none">—</span>'
    due = "<br>".join(f'<span class="due" title="{_e(d.text)}">{_e(_due(d))}</span>' for d in t.deadlines)
    return lead_html, ", ".join(sups), due, _e("; ".join(t.report_to))


def render(doc: Document, title: Optional[str] = None) -> str:
    """The review page of one document, as a complete UTF-8 HTML string."""
    h = doc.header
    facts = _facts(doc)
    blocks = _blocks(doc, facts)
    tasks = {t.path: t for t in doc.tasks}
    # warnings go to the block that holds the start of their span
    unplaced = []
    for w in doc.warnings:
        if w.span is None:
            unplaced.append(w)
            continue
        home = None
        if w.span.path:
            home = next((b for b in blocks if b.section is not None and b.section.path == w.span.path), None)
        if home is None:
            home = next((b for b in blocks if b.start <= w.span.start < max(b.end, b.start + 1)), None)
        if home is None:
            home = min(blocks, key=lambda b: abs(b.start - w.span.start), default=None)
        (home.warnings if home else unplaced).append(w)
    block_of_warning = {id(w): b for b in blocks for w in b.warnings}

    counts = {c: sum(1 for f in facts if f.cls == c) for c in ("lead", "support", "deadline", "ref")}
    page_title = title or " ".join(x for x in (h.type, h.number, "—", h.issuer) if x) or doc.path

    o: list[str] = ['<!DOCTYPE html>', '<html lang="vi">', '<head>', '<meta charset="utf-8">',
                    '<meta name="viewport" content="width=device-width, initial-scale=1">',
                    '<meta name="generator" content="directives review">',
                    f'<title>{_e(page_title)}</title>', f'<style>{CSS}</style>', '</head>', '<body>']
    # header
    on_behalf = " ".join(x for x in (h.signer_authority, h.signer_on_behalf) if x)
    signer = (" — " if h.signer_on_behalf else " ").join(
        x for x in (on_behalf, " ".join(x for x in (h.signer_title, h.signer) if x)) if x)
    o.append('<header class="doc">')
    kind = " · ".join(x for x in [h.type or "Văn bản", *h.urgency] if x)
    o.append(f'<div class="kind">{_e(kind)}</div>')
    o.append(f'<h1>{_e(h.title or Path(doc.path).name)}</h1>')
    o.append('<dl class="meta">')
    meta = [("Số", h.number or "(không số)"), ("Cơ quan ban hành", (h.parent_issuer + " / " if h.parent_issuer else "") + (h.issuer or "?")),
            ("Ngày", ", ".join(x for x in (h.place, h.date) if x) or "?"), ("Người ký", signer or "?"),
            ("Tệp", f"{Path(doc.path).name} ({doc.format}, {doc.pages} tr.)"),
            ("Nhiệm vụ", f"{len(doc.tasks)} nhiệm vụ trong {len(doc.sections)} mục")]
    for k, v in meta:
        cls = ' class="number"' if k == "Số" else ""
        o.append(f'<dt>{_e(k)}</dt><dd{cls}>{_e(v)}</dd>')
    o.append('</dl></header>')

    # legend, counts, warnings
    o.append('<div class="bar">')
    o.append('<div class="legend"><b>Chú giải:</b>'
             '<mark class="swatch lead">chủ trì (lead)</mark>'
             '<mark class="swatch support">phối hợp (support)</mark>'
             '<mark class="swatch deadline">thời hạn (deadline)</mark>'
             '<mark class="swatch ref">văn bản dẫn chiếu (reference)</mark>'
             '<span class="badge lead">↳ kế thừa (inherited)</span>'
             '<span class="swatch warn-swatch">⚠ cảnh báo (warning)</span></div>')
    o.append(f'<div class="counts">{counts["lead"]} chủ trì · {counts["support"]} phối hợp · '
             f'{counts["deadline"]} thời hạn · {counts["ref"]} dẫn chiếu được đánh dấu</div>')
    if doc.warnings:
        o.append(f'<section class="warnings" id="warnings"><h2>⚠ {len(doc.warnings)} cảnh báo</h2><ol>')
        for w in doc.warnings:
            b = block_of_warning.get(id(w))
            where = f' <a href="#{_e(b.id)}">[{_e(b.label)}]</a>' if b else ""
            o.append(f'<li><b>{_e(w.code)}</b> — {_e(WARNING_VI.get(w.code, ""))}: {_e(w.message)}{where}</li>')
        o.append('</ol></section>')
    o.append('</div>')

    # body
    o.append('<div class="layout"><main>')
    o.append('<h2>Nội dung</h2>')
    for b in blocks:
        s = b.section
        classes = ["blk", b.kind]
        if s is not None:
            classes.append(f"k-{s.kind}")
            if s.path in tasks:
                classes.append("task")
            if s.kind == "row":
                classes.append("row")
            if s.heading is not None and s.children:
                classes.append("heading")
        indent = f' style="margin-left:{min(s.depth, 5) * 18}px"' if s is not None and s.depth else ""
        o.append(f'<section class="{" ".join(classes)}" id="{_e(b.id)}"{indent}>')
        o.append(f'<a class="path" href="#{_e(b.id)}" title="{_e(b.label)}">{_e(b.label)}</a>')
        o.append('<div class="body">')
        o.append(f'<div class="src">{_render_slice(doc.text, b.start, b.end, facts, b.id, squeeze=b.kind == "outside")}</div>')
        t = tasks.get(s.path) if s is not None else None
        inherited = [ow for ow in t.owners if ow.inherited] if t else []
        if inherited:
            o.append('<div class="badges">')
            for (role, src), names in _inherited_groups(inherited).items():
                if src:
                    frm = f' <a href="#{_e(section_id(src))}">từ {_e(src)}</a>'
                elif any(x.id == "pre" for x in blocks):
                    frm = ' <a href="#pre">từ phần mở đầu</a>'
                else:
                    frm = " (từ phần mở đầu)"
                o.append(f'<span class="badge {"lead" if role == "lead" else "support"} inherited" '
                         f'title="kế thừa (inherited)">↳ {_e(ROLE_VI.get(role, role))}: '
                         f'{_e("; ".join(names))}{frm}</span>')
            o.append('</div>')
        for w in b.warnings:
            o.append(f'<div class="warn"><b>⚠ {_e(w.code)}</b> {_e(w.message)}</div>')
        o.append('</div></section>')
    if unplaced:
        for w in unplaced:
            if w.span is not None:
                o.append(f'<div class="warn"><b>⚠ {_e(w.code)}</b> {_e(w.message)}</div>')
    o.append('</main>')

    # side table of tasks
    o.append('<aside><h2>Nhiệm vụ</h2>')
    if doc.tasks:
        o.append('<table class="tasks"><thead><tr><th>Mục</th><th>Chủ trì</th><th>Phối hợp</th>'
                 '<th>Hạn</th><th>Báo cáo</th></tr></thead><tbody>')
        for t in doc.tasks:
            lead, sup, due, rep = _task_cells(t)
            o.append(f'<tr><td class="p"><a href="#{_e(section_id(t.path))}">{_e(t.path)}</a></td>'
                     f'<td>{lead}</td><td>{sup}</td><td>{due}</td><td>{rep}</td></tr>')
        o.append('</tbody></table>')
    else:
        o.append('<p>Không tìm thấy nhiệm vụ nào.</p>')
    o.append('</aside></div>')
    o.append('</body></html>')
    return "\n".join(o) + "\n"


def write(doc: Document, out: str | Path) -> Path:
    """Write the review page of ``doc`` to ``out`` (UTF-8); returns the path."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(doc), encoding="utf-8")
    return out
