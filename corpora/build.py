#!/usr/bin/env python3
"""Build NAME.docx and NAME.pdf from each corpus text NAME.txt.

    python corpora/build.py              # every corpora/*.txt
    python corpora/build.py NAME ...     # some of them
    python corpora/build.py --no-pdf     # DOCX only

The DOCX is laid out as Word documents of the genre are (Nghị định
30/2020/NĐ-CP, Phụ lục I): the header is a borderless two-column table (left:
issuing body, "Số: ...", a Công văn's "V/v ..."; right: national motto and the
place/date line), then the type and title, the body, and a borderless
two-column table with "Nơi nhận:" on the left and the signature block on the
right. Pipe lines ("| 1 | ... |") become a real Word table. Text after the
signature (an appendix or a document issued with the main one) starts on a
new page.

The PDF is made from the DOCX by LibreOffice (`soffice --headless
--convert-to pdf`), so it has a real producer. Needs python-docx, LibreOffice
and a font with Vietnamese glyphs (DejaVu Serif: fonts-dejavu-core).
The tests only read the committed .docx/.pdf files; they do not need this.
"""
import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

HERE = Path(__file__).resolve().parent
FONT = "DejaVu Serif"
BODY_PT = 11.5
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
TYPES = {"CHỈ THỊ", "CÔNG ĐIỆN", "KẾ HOẠCH", "QUYẾT ĐỊNH", "NGHỊ QUYẾT", "THÔNG BÁO",
         "CHƯƠNG TRÌNH", "ĐỀ ÁN", "QUY CHẾ", "PHƯƠNG ÁN", "HƯỚNG DẪN"}
DATE_LINE = re.compile(r",\s*ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}")
ROMAN = re.compile(r"^[IVX]+\.\s")
ARTICLE = re.compile(r"^(Điều \d+\.)\s*(.*)$")


# ----------------------------------------------------------------- parsing
def parse(text):
    lines = [ln.rstrip() for ln in text.split("\n")]
    nonblank = [i for i, ln in enumerate(lines) if ln.strip()]
    # header: up to the place/date line
    i_date = next(i for i in nonblank if DATE_LINE.search(lines[i]))
    head = [lines[i].strip() for i in nonblank if i < i_date]
    issuer = []
    for ln in head:
        if ln in MOTTO:
            break
        issuer.append(ln)
    number = [ln for ln in head if ln not in MOTTO and ln not in issuer]
    date_line = lines[i_date].strip()
    # end of body: "Nơi nhận:"
    i_nn = next(i for i, ln in enumerate(lines) if ln.startswith("Nơi nhận:"))
    body = lines[i_date + 1:i_nn]
    recipients, j = [], i_nn + 1
    while j < len(lines) and lines[j].startswith("- "):
        recipients.append(lines[j].strip())
        j += 1
    signature = []
    while j < len(lines):
        ln = lines[j].strip()
        j += 1
        if not ln:
            continue
        signature.append(ln)
        if len(signature) >= 2 and signature[-2] == "(Đã ký)":
            break
    annex = lines[j:]
    return {"issuer": issuer, "number": number, "date": date_line, "body": body,
            "recipients": recipients, "signature": signature, "annex": annex}


# ----------------------------------------------------------------- styling
def set_font(run, size=None, bold=None, italic=None):
    run.font.name = FONT
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), FONT)
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic


def para(container, text="", size=BODY_PT, bold=False, italic=False, align=None,
         indent_first=None, left=None, before=0, after=4, keep_next=False):
    p = container.add_paragraph()
    fmt = p.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing = 1.1
    if align is not None:
        p.alignment = align
    if indent_first is not None:
        fmt.first_line_indent = Cm(indent_first)
    if left is not None:
        fmt.left_indent = Cm(left)
    if keep_next:
        fmt.keep_with_next = True
    if text:
        set_font(p.add_run(text), size, bold, italic)
    return p


def rule(container, width_cm, cell_width_cm):
    """A short horizontal rule under a header line, drawn as the bottom border of
    an empty paragraph (so it adds no text to the extraction)."""
    p = container.add_paragraph()
    side = max(0.0, (cell_width_cm - width_cm) / 2)
    p.paragraph_format.left_indent = Cm(side)
    p.paragraph_format.right_indent = Cm(side)
    p.paragraph_format.space_before = Pt(0)
    p.paragraph_format.space_after = Pt(4)
    ppr = p._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(k), v)
    bdr.append(bottom)
    ppr.append(bdr)
    run = p.add_run()
    set_font(run, 2)
    return p


def no_borders(table):
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tblpr.append(borders)


def fixed_widths(table, widths_cm):
    table.autofit = False
    for col, w in zip(table.columns, widths_cm):
        col.width = Cm(w)
    for row in table.rows:
        for cell, w in zip(row.cells, widths_cm):
            cell.width = Cm(w)


def first_par(cell):
    """The cell's first (empty) paragraph, reused for the first line."""
    return cell.paragraphs[0]


def cell_line(cell, text, size, bold=False, italic=False, first=False, after=2):
    p = first_par(cell) if first else cell.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_before = Pt(0)
    p.paragraph_format.space_after = Pt(after)
    set_font(p.add_run(text), size, bold, italic)
    return p


# ----------------------------------------------------------------- building
def header_table(doc, issuer, number, date_line, width):
    left_w, right_w = 6.4, width - 6.4
    t = doc.add_table(rows=2, cols=2)
    no_borders(t)
    fixed_widths(t, (left_w, right_w))
    left, right = t.cell(0, 0), t.cell(0, 1)
    for k, ln in enumerate(issuer):
        cell_line(left, ln, 11, bold=True, first=(k == 0), after=0)
    rule(left, 2.6, left_w)
    cell_line(right, MOTTO[0], 10.5, bold=True, first=True, after=0)
    cell_line(right, MOTTO[1], 11.5, bold=True, after=0)
    rule(right, 5.4, right_w)
    left2, right2 = t.cell(1, 0), t.cell(1, 1)
    for k, ln in enumerate(number):
        is_vv = ln.startswith("V/v")
        cell_line(left2, ln, 10.5 if is_vv else 11.5, first=(k == 0), after=2)
    cell_line(right2, date_line, 11.5, italic=True, first=True)
    return t


def pipe_table(doc, rows, width):
    cells = [[c.strip() for c in r.strip().strip("|").split("|")] for r in rows]
    ncol = max(len(r) for r in cells)
    t = doc.add_table(rows=len(cells), cols=ncol)
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    # column widths: STT narrow, content wide
    base = {5: (1.4, 5.2, 3.0, 3.6, 2.4), 6: (1.4, 4.2, 2.6, 3.0, 2.3, 2.6)}
    widths = base.get(ncol) or tuple([width / ncol] * ncol)
    scale = width / sum(widths)
    widths = [w * scale for w in widths]
    fixed_widths(t, widths)
    for i, row in enumerate(cells):
        group = i > 0 and re.fullmatch(r"[IVX]+|[A-Z]", row[0] or "") and not any(row[2:])
        if group:
            merged = t.cell(i, 1).merge(t.cell(i, ncol - 1))
            for c, txt in ((t.cell(i, 0), row[0]), (merged, row[1])):
                p = first_par(c)
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER if c is not merged else WD_ALIGN_PARAGRAPH.LEFT
                set_font(p.add_run(txt), 10, bold=True)
            continue
        for j in range(ncol):
            txt = row[j] if j < len(row) else ""
            p = first_par(t.cell(i, j))
            p.paragraph_format.space_after = Pt(1)
            if i == 0 or j == 0 or j == ncol - 2:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            set_font(p.add_run(txt), 10, bold=(i == 0))
    # repeat the header row on every page
    trpr = t.rows[0]._tr.get_or_add_trPr()
    hdr = OxmlElement("w:tblHeader")
    hdr.set(qn("w:val"), "true")
    trpr.append(hdr)
    return t


def body_paragraphs(doc, lines, width, title_mode=True):
    """Render body lines. title_mode: the first type line and its title are
    centred in bold (set False for an appendix handled elsewhere)."""
    i, n = 0, len(lines)
    state = {"type_seen": False, "title_next": False, "addr": False}
    while i < n:
        ln = lines[i].strip()
        if not ln:
            i += 1
            continue
        if state["addr"] and not ln.startswith("- "):
            state["addr"] = False
        if ln.startswith("|"):
            rows = []
            while i < n and lines[i].strip().startswith("|"):
                rows.append(lines[i])
                i += 1
            pipe_table(doc, rows, width)
            para(doc, "", after=2)
            continue
        i += 1
        if title_mode and not state["type_seen"] and ln in TYPES:
            state["type_seen"] = True
            state["title_next"] = True
            para(doc, ln, 14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=10, after=2, keep_next=True)
            continue
        if state["title_next"]:
            state["title_next"] = False
            para(doc, ln, 12.5, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=2, keep_next=True)
            rule(doc, 3.5, width)
            continue
        if ln == "Kính gửi:" or ln.endswith("điện:"):
            state["addr"] = True
            if ln == "Kính gửi:":
                para(doc, ln, BODY_PT, italic=False, left=2.0, before=8, after=2)
            else:
                para(doc, ln, BODY_PT, bold=True, left=0, indent_first=1.0, before=6, after=2)
            continue
        if state["addr"] and ln.startswith("- "):
            para(doc, ln, BODY_PT, left=3.2, after=1)
            continue
        if ln in ("QUYẾT ĐỊNH:", "QUYẾT NGHỊ:") or (ln.isupper() and not ROMAN.match(ln) and len(ln) > 4
                                                     and not re.match(r"^\d", ln)):
            para(doc, ln, 12.5, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=6, after=6, keep_next=True)
            continue
        if ROMAN.match(ln):
            para(doc, ln, BODY_PT, bold=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent_first=1.0,
                 before=4, after=4, keep_next=True)
            continue
        m = ARTICLE.match(ln)
        if m:
            p = para(doc, "", align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent_first=1.0, before=4, after=4)
            titled = m.group(2) and not m.group(2).rstrip().endswith((".", ":", ";"))
            set_font(p.add_run(m.group(1) + (" " if m.group(2) else "")), BODY_PT, bold=True)
            if m.group(2):
                set_font(p.add_run(m.group(2)), BODY_PT, bold=bool(titled))
            if titled:
                p.paragraph_format.keep_with_next = True
            continue
        if ln.startswith(("(Kèm theo", "(Ban hành kèm theo")):
            para(doc, ln, BODY_PT, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=8)
            continue
        para(doc, ln, BODY_PT, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent_first=1.0, after=4)


def signature_table(doc, recipients, signature, width):
    left_w, right_w = width * 0.52, width * 0.48
    t = doc.add_table(rows=1, cols=2)
    no_borders(t)
    fixed_widths(t, (left_w, right_w))
    cant = OxmlElement("w:cantSplit")
    t.rows[0]._tr.get_or_add_trPr().append(cant)
    left, right = t.cell(0, 0), t.cell(0, 1)
    p = first_par(left)
    p.paragraph_format.space_after = Pt(0)
    set_font(p.add_run("Nơi nhận:"), 11, bold=True, italic=True)
    for r in recipients:
        q = left.add_paragraph()
        q.paragraph_format.space_after = Pt(0)
        set_font(q.add_run(r), 10)
    first = True
    for ln in signature:
        if ln == "(Đã ký)":
            cell_line(right, ln, 11, italic=True, first=first, after=36)
        else:
            cell_line(right, ln, 12, bold=True, first=first, after=0)
        first = False
    return t


def annex(doc, lines, width):
    lines = [ln for ln in lines]
    first = next((ln.strip() for ln in lines if ln.strip()), "")
    if not first:
        return
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    if first.startswith("PHỤ LỤC"):
        # caption lines until the table, centred
        i = 0
        while i < len(lines) and not lines[i].strip().startswith("|"):
            ln = lines[i].strip()
            i += 1
            if not ln:
                continue
            if ln.startswith("("):
                para(doc, ln, BODY_PT, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=8)
            else:
                para(doc, ln, 12.5, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=2)
        body_paragraphs(doc, lines[i:], width, title_mode=False)
        return
    # a document issued with the main one: its issuer line(s), then type and title
    i = 0
    issuer = []
    while i < len(lines) and lines[i].strip() not in TYPES:
        if lines[i].strip():
            issuer.append(lines[i].strip())
        i += 1
    if issuer:
        t = doc.add_table(rows=1, cols=2)
        no_borders(t)
        fixed_widths(t, (6.2, width - 6.2))
        for k, ln in enumerate(issuer):
            cell_line(t.cell(0, 0), ln, 11.5, bold=True, first=(k == 0), after=0)
        rule(t.cell(0, 0), 2.6, 6.2)
        cell_line(t.cell(0, 1), MOTTO[0], 10.5, bold=True, first=True, after=0)
        cell_line(t.cell(0, 1), MOTTO[1], 11.5, bold=True, after=0)
        rule(t.cell(0, 1), 5.4, width - 6.2)
    body_paragraphs(doc, lines[i:], width)


def page_numbers(section):
    """Page number centred at the top from page 2 on (first page has none), as
    NĐ 30/2020/NĐ-CP prescribes: page furniture an extractor must drop."""
    section.different_first_page_header_footer = True
    p = section.header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        run = p.add_run()
        set_font(run, 11)
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)


def build_docx(txt_path, docx_path):
    d = parse(txt_path.read_text(encoding="utf-8"))
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.top_margin, sec.bottom_margin = Cm(2.0), Cm(2.0)
    sec.left_margin, sec.right_margin = Cm(3.0), Cm(2.0)
    width = 21.0 - 3.0 - 2.0
    page_numbers(sec)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    normal.element.get_or_add_rPr()
    rfonts = normal.element.rPr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        normal.element.rPr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), FONT)
    # python-docx starts with one empty paragraph: drop it
    for p in list(doc.paragraphs):
        p._element.getparent().remove(p._element)
    header_table(doc, d["issuer"], d["number"], d["date"], width)
    body_paragraphs(doc, d["body"], width)
    para(doc, "", after=4)
    signature_table(doc, d["recipients"], d["signature"], width)
    annex(doc, d["annex"], width)
    doc.core_properties.title = txt_path.stem
    doc.core_properties.author = "directives corpus"
    doc.save(docx_path)


def build_pdf(docx_path, pdf_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise SystemExit("LibreOffice (soffice) not found: apt-get install libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "profile"
        cmd = [soffice, f"-env:UserInstallation=file://{profile}", "--headless",
               "--convert-to", "pdf", "--outdir", tmp, str(docx_path)]
        subprocess.run(cmd, check=True, capture_output=True, timeout=180)
        shutil.move(str(Path(tmp) / (docx_path.stem + ".pdf")), pdf_path)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("names", nargs="*", help="document names (default: every corpora/*.txt)")
    ap.add_argument("--no-pdf", action="store_true")
    args = ap.parse_args(argv)
    names = args.names or sorted(p.stem for p in HERE.glob("*.txt"))
    for name in names:
        txt = HERE / f"{name}.txt"
        docx_path, pdf_path = HERE / f"{name}.docx", HERE / f"{name}.pdf"
        build_docx(txt, docx_path)
        if not args.no_pdf:
            build_pdf(docx_path, pdf_path)
        print(f"{name}: {docx_path.name}" + ("" if args.no_pdf else f", {pdf_path.name}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
