"""The DOCX reader: Word files of the genre read like their clean text.

Fixtures are built with python-docx at test time; real Word numbering is
defined in numbering.xml so that labels ("I.", "1.", "a)", "-") come from
Word's list engine, not from the typed text.
"""
from __future__ import annotations

import copy
import zipfile
from pathlib import Path

import pytest

docx = pytest.importorskip("docx")
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK  # noqa: E402
from docx.oxml import parse_xml  # noqa: E402
from docx.oxml.ns import nsdecls, qn  # noqa: E402

from pipeline.model import (CLOSING_LEFT, CLOSING_RIGHT, HEADER_LEFT,  # noqa: E402
                            HEADER_RIGHT, DirectiveError)
from pipeline.read.docx import format_number, read_docx  # noqa: E402

DEV = Path("/work/shared/eval/dev")

# A Vietnamese outline list: I. / 1. / a) / – / +
OUTLINE = f"""
<w:abstractNum {nsdecls('w')} w:abstractNumId="90">
  <w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%3)"/></w:lvl>
  <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="–"/></w:lvl>
  <w:lvl w:ilvl="4"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="+"/></w:lvl>
</w:abstractNum>"""
ARTICLES = f"""
<w:abstractNum {nsdecls('w')} w:abstractNumId="91">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="Điều %1."/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2."/></w:lvl>
</w:abstractNum>"""


def add_list(document, abstract_xml: str, abstract_id: int, num_id: int) -> int:
    """Define a list in numbering.xml and return its numId."""
    numbering = document.part.numbering_part.element
    first_num = numbering.find(qn("w:num"))
    abstract = parse_xml(abstract_xml)
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(
        f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'))
    return num_id


def numbered(document, text: str, num_id: int, ilvl: int, bold: bool = False):
    p = document.add_paragraph()
    p.add_run(text).bold = bold
    p._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'))
    return p


def set_cell(cell, lines: list[str], bold: bool = False, center: bool = True) -> None:
    """Fill a cell with one paragraph per line."""
    cell.paragraphs[0].text = ""
    for i, line in enumerate(lines):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        p.add_run(line).bold = bold
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER


def add_header(document) -> None:
    t = document.add_table(rows=1, cols=2)
    set_cell(t.cell(0, 0), ["ỦY BAN NHÂN DÂN", "TỈNH AN BÌNH", "Số: 12/CT-UBND"], bold=True)
    set_cell(t.cell(0, 1), ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"],
             bold=True)
    document.add_paragraph("An Bình, ngày 05 tháng 8 năm 2025").alignment = WD_ALIGN_PARAGRAPH.RIGHT


def add_task_table(document) -> None:
    t = document.add_table(rows=5, cols=4)
    for c, head in enumerate(["STT", "Nội dung", "Cơ quan chủ trì", "Thời hạn"]):
        t.cell(0, c).text = head
    group = t.cell(1, 0).merge(t.cell(1, 3))
    group.text = "I. Nhóm nhiệm vụ về thể chế"
    lead = t.cell(2, 2).merge(t.cell(4, 2))
    lead.text = "Sở Tài chính"
    for r, (stt, task, due) in enumerate([("1", "Rà soát quy định", "Tháng 9/2025"),
                                         ("2", "Trình Nghị quyết", "Quý IV/2025"),
                                         ("3", "Sơ kết", "Năm 2026")], start=2):
        t.cell(r, 0).text, t.cell(r, 1).text, t.cell(r, 3).text = stt, task, due


def add_closing(document) -> None:
    t = document.add_table(rows=1, cols=2)
    left = t.cell(0, 0).paragraphs[0]
    left.add_run("Nơi nhận:").bold = True
    for line in ["- Bộ Tài chính (b/c);", "- Các sở, ngành;", "- Lưu: VT, TH."]:
        run = left.add_run()
        run.add_break()
        run.add_text(line)
    set_cell(t.cell(0, 1), ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "\u00a0", "(Đã ký)", "Nguyễn Văn An"],
             bold=True)


def build_directive(path: Path) -> Path:
    document = docx.Document()
    outline = add_list(document, OUTLINE, 90, 90)
    add_header(document)
    title = document.add_paragraph()
    title.add_run("CHỈ THỊ").bold = True
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("Về tăng cường kỷ cương hành chính").alignment = WD_ALIGN_PARAGRAPH.CENTER
    intro = document.add_paragraph("Chủ tịch Ủy ban nhân dân tỉnh yêu cầu")
    intro.add_run().add_break()
    intro.add_run("các sở, ngành thực hiện:")
    numbered(document, "QUAN ĐIỂM", outline, 0, bold=True)
    numbered(document, "Sở Nội vụ:", outline, 1)
    numbered(document, "Rà soát quy chế làm việc.", outline, 2)
    note = numbered(document, "Báo cáo kết quả trước ngày 15/9/2025.", outline, 2)
    note.runs[0]._r.append(parse_xml(f'<w:footnoteReference {nsdecls("w")} w:id="1"/>'))
    numbered(document, "Tổ chức tập huấn;", outline, 3)
    numbered(document, "Cấp tỉnh;", outline, 4)
    numbered(document, "Kiểm tra đột xuất.", outline, 3)
    numbered(document, "Sở Tài chính:", outline, 1)
    numbered(document, "Bố trí kinh phí.", outline, 2)
    numbered(document, "TỔ CHỨC THỰC HIỆN", outline, 0, bold=True)
    numbered(document, "Văn phòng tổng hợp, báo cáo.", outline, 1)
    document.add_paragraph("Theo dõi tiến độ", style="List Number")
    document.add_paragraph("Báo cáo định kỳ", style="List Number")
    add_task_table(document)
    add_closing(document)
    document.save(str(path))
    return path


@pytest.fixture(scope="module")
def directive(tmp_path_factory):
    path = build_directive(tmp_path_factory.mktemp("docx") / "chi-thi.docx")
    return read_docx(path)


def texts(doc, zone: str) -> list[str]:
    return [b.raw for b in doc.blocks if b.zone == zone and b.kind == "para"]


def test_header_table_is_two_zones_one_block_a_paragraph(directive):
    assert texts(directive, HEADER_LEFT) == ["ỦY BAN NHÂN DÂN", "TỈNH AN BÌNH", "Số: 12/CT-UBND"]
    assert texts(directive, HEADER_RIGHT) == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                              "Độc lập - Tự do - Hạnh phúc",
                                              "An Bình, ngày 05 tháng 8 năm 2025"]
    first = directive.blocks[0]
    assert first.bold and first.centered


def test_word_numbering_labels_are_printed(directive):
    body = texts(directive, "body")
    expected = ["I. QUAN ĐIỂM", "1. Sở Nội vụ:", "a) Rà soát quy chế làm việc.",
                "b) Báo cáo kết quả trước ngày 15/9/2025.", "- Tổ chức tập huấn;", "+ Cấp tỉnh;",
                "- Kiểm tra đột xuất.", "2. Sở Tài chính:", "a) Bố trí kinh phí.",
                "II. TỔ CHỨC THỰC HIỆN", "1. Văn phòng tổng hợp, báo cáo.",
                "1. Theo dõi tiến độ", "2. Báo cáo định kỳ"]
    start = body.index("I. QUAN ĐIỂM")
    assert body[start:start + len(expected)] == expected


def test_soft_break_in_body_is_a_space(directive):
    assert "Chủ tịch Ủy ban nhân dân tỉnh yêu cầu các sở, ngành thực hiện:" in texts(directive, "body")


def test_bold_heading_and_centered_title(directive):
    blocks = {b.raw: b for b in directive.blocks}
    assert blocks["CHỈ THỊ"].bold and blocks["CHỈ THỊ"].centered
    assert blocks["I. QUAN ĐIỂM"].bold
    assert not blocks["1. Sở Nội vụ:"].bold


def test_task_table_resolves_merged_cells(directive):
    tables = [b for b in directive.blocks if b.kind == "table"]
    assert len(tables) == 1
    rows = [[c.raw for c in row] for row in tables[0].rows]
    assert rows[0] == ["STT", "Nội dung", "Cơ quan chủ trì", "Thời hạn"]
    assert rows[1][0] == "I. Nhóm nhiệm vụ về thể chế" and rows[1][1:] == ["", "", ""]
    assert [r[2] for r in rows[2:]] == ["Sở Tài chính"] * 3
    assert rows[4] == ["3", "Sơ kết", "Sở Tài chính", "Năm 2026"]
    # cells point into the source text
    cell = tables[0].rows[4][1]
    assert directive.text[cell.start:cell.end] == "Sơ kết"


def test_closing_table_one_block_a_line(directive):
    assert texts(directive, CLOSING_LEFT) == ["Nơi nhận:", "- Bộ Tài chính (b/c);",
                                              "- Các sở, ngành;", "- Lưu: VT, TH."]
    assert texts(directive, CLOSING_RIGHT) == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "(Đã ký)",
                                               "Nguyễn Văn An"]


def test_blocks_point_into_source_text(directive):
    for b in directive.blocks:
        assert directive.text[b.start:b.end] == b.raw


def test_articles_clauses_and_restart(tmp_path):
    document = docx.Document()
    arts = add_list(document, ARTICLES, 91, 91)
    numbered(document, "Phê duyệt Kế hoạch.", arts, 0)
    numbered(document, "Mục tiêu chung.", arts, 1)
    numbered(document, "Mục tiêu cụ thể.", arts, 1)
    numbered(document, "Tổ chức thực hiện.", arts, 0)
    numbered(document, "Giao Sở Tài chính.", arts, 1)
    path = tmp_path / "qd.docx"
    document.save(str(path))
    assert [b.raw for b in read_docx(path).blocks] == [
        "Điều 1. Phê duyệt Kế hoạch.", "1.1. Mục tiêu chung.", "1.2. Mục tiêu cụ thể.",
        "Điều 2. Tổ chức thực hiện.", "2.1. Giao Sở Tài chính."]


def test_lettered_points_follow_words_sequence():
    # Word's lowerLetter: what a reader of the file sees (no "đ", "f" included)
    assert [format_number(n, "lowerLetter") for n in (1, 4, 5, 6, 27)] == ["a", "d", "e", "f", "aa"]
    assert format_number(14, "upperRoman") == "XIV"


def test_page_break_moves_to_next_page(tmp_path):
    document = docx.Document()
    document.add_paragraph("Nội dung trang một.")
    p = document.add_paragraph()
    p.add_run().add_break(WD_BREAK.PAGE)
    p.add_run("PHỤ LỤC")
    path = tmp_path / "pages.docx"
    document.save(str(path))
    doc = read_docx(path)
    assert [(b.raw, b.page) for b in doc.blocks] == [("Nội dung trang một.", 1), ("PHỤ LỤC", 2)]
    assert doc.pages == 2


def test_plain_paragraph_closing_is_split_into_lines(tmp_path):
    document = docx.Document()
    document.add_paragraph("1. Giao Sở Y tế theo dõi./.")
    p = document.add_paragraph("Nơi nhận:")
    for line in ["- Như trên;", "- Lưu: VT."]:
        p.add_run().add_break()
        p.add_run(line)
    path = tmp_path / "closing.docx"
    document.save(str(path))
    assert texts(read_docx(path), CLOSING_LEFT) == ["Nơi nhận:", "- Như trên;", "- Lưu: VT."]


def test_corrupt_docx_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 this is not a zip archive")
    with pytest.raises(DirectiveError, match="corrupt Word document"):
        read_docx(bad)
    nodoc = tmp_path / "nodoc.docx"
    with zipfile.ZipFile(nodoc, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(DirectiveError, match="corrupt Word document"):
        read_docx(nodoc)


def test_empty_docx_has_no_text(tmp_path):
    path = tmp_path / "empty.docx"
    document = docx.Document()
    document.add_paragraph("   ")
    document.save(str(path))
    with pytest.raises(DirectiveError, match="no text found"):
        read_docx(path)


def test_hidden_and_deleted_text_left_out(tmp_path):
    document = docx.Document()
    p = document.add_paragraph("Giao Sở Xây dựng")
    p.add_run(" (ghi chú ẩn)").font.hidden = True
    deleted = parse_xml(f'<w:del {nsdecls("w")} w:id="7" w:author="x">'
                        '<w:r><w:delText> Sở cũ</w:delText></w:r></w:del>')
    p._p.append(deleted)
    p._p.append(copy.deepcopy(p.runs[0]._r))
    p.runs[-1].text = " chủ trì."
    path = tmp_path / "hidden.docx"
    document.save(str(path))
    assert [b.raw for b in read_docx(path).blocks] == ["Giao Sở Xây dựng chủ trì."]


DEV_DOCX = sorted(DEV.glob("*.docx")) if DEV.is_dir() else []


@pytest.mark.skipif(not DEV_DOCX, reason="shared dev set not available")
@pytest.mark.parametrize("path", DEV_DOCX, ids=lambda p: p.stem)
def test_dev_docx_reads_like_its_text(path):
    doc = read_docx(path)
    left = texts(doc, HEADER_LEFT)
    assert any(t.startswith("Số:") for t in left)
    assert any(t.startswith("CỘNG HÒA") for t in texts(doc, HEADER_RIGHT))
    assert texts(doc, CLOSING_LEFT)[0].startswith("Nơi nhận")
    assert texts(doc, CLOSING_RIGHT)
    body = texts(doc, "body")
    assert any(t.startswith(("I. ", "1. ")) for t in body)
    # every body word of the clean text is found, in order, in the blocks
    words = set(doc.text.split())
    reference = path.with_suffix(".txt").read_text(encoding="utf-8").split()
    found = sum(1 for wd in reference if wd in words)
    assert found / len(reference) > 0.97


def test_tab_laid_closing_and_preamble_title(tmp_path):
    document = docx.Document()
    document.add_paragraph("THỦ TƯỚNG CHÍNH PHỦ").alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("Căn cứ Luật Tổ chức Chính phủ ngày 18 tháng 02 năm 2025;")
    document.add_paragraph("Điều 1. Giao Bộ Tài chính chủ trì./.")
    document.add_paragraph("Nơi nhận:\t\t\tKT. THỦ TƯỚNG")
    document.add_paragraph("- Như Điều 3;\t\t\tPHÓ THỦ TƯỚNG")
    document.add_paragraph("- Lưu: VT, KTTH.")
    document.add_paragraph("\t\t\tNguyễn Văn B")
    path = tmp_path / "qd.docx"
    document.save(str(path))
    doc = read_docx(path)
    assert texts(doc, "body") == ["THỦ TƯỚNG CHÍNH PHỦ",
                                  "Căn cứ Luật Tổ chức Chính phủ ngày 18 tháng 02 năm 2025;",
                                  "Điều 1. Giao Bộ Tài chính chủ trì./."]
    assert texts(doc, CLOSING_LEFT) == ["Nơi nhận:", "- Như Điều 3;", "- Lưu: VT, KTTH."]
    assert texts(doc, CLOSING_RIGHT) == ["KT. THỦ TƯỚNG", "PHÓ THỦ TƯỚNG", "Nguyễn Văn B"]


def test_lists_sharing_a_definition_continue_unless_restarted(tmp_path):
    document = docx.Document()
    add_list(document, ARTICLES, 91, 91)
    numbering = document.part.numbering_part.element
    numbering.append(parse_xml(
        f'<w:num {nsdecls("w")} w:numId="92"><w:abstractNumId w:val="91"/></w:num>'))
    numbering.append(parse_xml(
        f'<w:num {nsdecls("w")} w:numId="93"><w:abstractNumId w:val="91"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'))
    numbered(document, "Phạm vi.", 91, 0)
    numbered(document, "Đối tượng.", 92, 0)     # same list, another instance: continues
    numbered(document, "Giải thích.", 93, 0)    # instance restarting at 1
    path = tmp_path / "lists.docx"
    document.save(str(path))
    assert [b.raw for b in read_docx(path).blocks] == [
        "Điều 1. Phạm vi.", "Điều 2. Đối tượng.", "Điều 1. Giải thích."]


def test_text_box_and_addressee_table(tmp_path):
    document = docx.Document()
    p = document.add_paragraph("Căn cứ tình hình thực tế,")
    p.runs[0]._r.append(parse_xml(
        f'<w:pict {nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml"><v:shape><v:textbox>'
        '<w:txbxContent><w:p><w:r><w:t>DỰ THẢO</w:t></w:r></w:p></w:txbxContent>'
        '</v:textbox></v:shape></w:pict>'))
    t = document.add_table(rows=1, cols=2)
    set_cell(t.cell(0, 0), ["Kính gửi:"], center=False)
    set_cell(t.cell(0, 1), ["- Các sở, ban, ngành;", "- UBND các xã, phường."], center=False)
    path = tmp_path / "cv.docx"
    document.save(str(path))
    doc = read_docx(path)
    assert [b.raw for b in doc.blocks] == ["Căn cứ tình hình thực tế,", "DỰ THẢO", "Kính gửi:",
                                           "- Các sở, ban, ngành;", "- UBND các xã, phường."]
    assert all(b.kind == "para" for b in doc.blocks)


def test_wrapped_subject_line_stays_one_block(tmp_path):
    document = docx.Document()
    t = document.add_table(rows=1, cols=2)
    left = t.cell(0, 0).paragraphs[0]
    left.add_run("Số: 6418/UBND-KT")
    subject = t.cell(0, 0).add_paragraph("V/v báo cáo tình hình")
    subject.add_run().add_break()
    subject.add_run("giải ngân vốn đầu tư công")
    set_cell(t.cell(0, 1), ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"])
    document.add_paragraph("Kính gửi: Các sở, ban, ngành")
    path = tmp_path / "cv.docx"
    document.save(str(path))
    assert texts(read_docx(path), HEADER_LEFT) == [
        "Số: 6418/UBND-KT", "V/v báo cáo tình hình giải ngân vốn đầu tư công"]


def test_one_column_frame_table_is_read_as_body(tmp_path):
    document = docx.Document()
    frame = document.add_table(rows=1, cols=1)
    cell = frame.cell(0, 0)
    cell.paragraphs[0].text = "1. Giao Sở Nội vụ chủ trì."
    inner = cell.add_table(rows=2, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "STT", "Nhiệm vụ"
    inner.cell(1, 0).text, inner.cell(1, 1).text = "1", "Rà soát"
    path = tmp_path / "frame.docx"
    document.save(str(path))
    doc = read_docx(path)
    assert doc.blocks[0].kind == "para" and doc.blocks[0].raw == "1. Giao Sở Nội vụ chủ trì."
    table = next(b for b in doc.blocks if b.kind == "table")
    assert [[c.raw for c in row] for row in table.rows] == [["STT", "Nhiệm vụ"], ["1", "Rà soát"]]


def test_header_laid_out_with_tabs(tmp_path):
    document = docx.Document()
    for line in ["BỘ TÀI CHÍNH\t\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "\t\tĐộc lập - Tự do - Hạnh phúc",
                 "Số: 15/CT-BTC\t\tHà Nội, ngày 02 tháng 6 năm 2025"]:
        document.add_paragraph(line)
    title = document.add_paragraph("CHỈ THỊ")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("Về tăng cường quản lý tài sản công")
    path = tmp_path / "tabs.docx"
    document.save(str(path))
    doc = read_docx(path)
    assert texts(doc, HEADER_LEFT) == ["BỘ TÀI CHÍNH", "Số: 15/CT-BTC"]
    assert texts(doc, HEADER_RIGHT) == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                        "Độc lập - Tự do - Hạnh phúc",
                                        "Hà Nội, ngày 02 tháng 6 năm 2025"]
    assert texts(doc, "body") == ["CHỈ THỊ", "Về tăng cường quản lý tài sản công"]


def test_style_bullets_print_a_dash(tmp_path):
    document = docx.Document()
    document.add_paragraph("Các sở, ngành:")
    document.add_paragraph("Rà soát thủ tục;", style="List Bullet")
    document.add_paragraph("Báo cáo kết quả.", style="List Bullet")
    path = tmp_path / "bullets.docx"
    document.save(str(path))
    assert [b.raw for b in read_docx(path).blocks] == [
        "Các sở, ngành:", "- Rà soát thủ tục;", "- Báo cáo kết quả."]


def test_word_rendered_page_breaks_are_not_counted_twice(tmp_path):
    document = docx.Document()
    document.add_paragraph("Trang một.")
    p = document.add_paragraph()
    p.add_run().add_break(WD_BREAK.PAGE)
    p.runs[0]._r.append(parse_xml(f'<w:lastRenderedPageBreak {nsdecls("w")}/>'))
    p.add_run("Trang hai.")
    path = tmp_path / "rendered.docx"
    document.save(str(path))
    assert [b.page for b in read_docx(path).blocks] == [1, 2]


def test_centred_caption_lines_are_blocks_wrapped_title_is_one(tmp_path):
    document = docx.Document()
    caption = document.add_paragraph("DANH MỤC NHIỆM VỤ")
    caption.add_run().add_break()
    caption.add_run("(Kèm theo Kế hoạch số 287/KH-UBND ngày 24/10/2025)")
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title = document.add_paragraph("Về tăng cường kỷ cương")
    title.add_run().add_break()
    title.add_run("trên địa bàn tỉnh")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    path = tmp_path / "caption.docx"
    document.save(str(path))
    assert [b.raw for b in read_docx(path).blocks] == [
        "DANH MỤC NHIỆM VỤ", "(Kèm theo Kế hoạch số 287/KH-UBND ngày 24/10/2025)",
        "Về tăng cường kỷ cương trên địa bàn tỉnh"]
