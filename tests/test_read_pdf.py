"""The PDF reader: what a user of the blocks sees.

Fixtures in tests/fixtures/pdf/ were made with fpdf2 and DejaVu fonts by
tests/fixtures/pdf/make_fixtures.py (a real PDF producer, not hand-written PDF).
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from pipeline.model import (BODY, CLOSING_LEFT, CLOSING_RIGHT, HEADER_LEFT, HEADER_RIGHT,
                            DirectiveError)
from pipeline.read import read
from pipeline.read.pdf import page_has_text_layer, read_pdf

FIX = Path(__file__).resolve().parent / "fixtures" / "pdf"
SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


@pytest.fixture(scope="module")
def directive():
    return read_pdf(FIX / "directive.pdf")


def texts(doc, zone=None):
    return [b.raw for b in doc.blocks if zone is None or b.zone == zone]


def block_starting(doc, prefix):
    found = [b for b in doc.blocks if b.raw.startswith(prefix)]
    assert found, f"no block starts with {prefix!r}"
    return found[0]


def test_header_columns_left_then_right(directive):
    head = [(b.zone, b.raw) for b in directive.blocks[:7]]
    assert head == [
        (HEADER_LEFT, "ỦY BAN NHÂN DÂN"),
        (HEADER_LEFT, "TỈNH HƯNG YÊN"),
        (HEADER_LEFT, "Số: 02/CT-UBND"),
        (HEADER_LEFT, "KHẨN"),
        (HEADER_RIGHT, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        (HEADER_RIGHT, "Độc lập - Tự do - Hạnh phúc"),
        (HEADER_RIGHT, "Hưng Yên, ngày 06 tháng 7 năm 2025"),
    ]


def test_type_line_and_wrapped_title_are_separate_blocks(directive):
    body = texts(directive, BODY)
    assert body[0] == "CHỈ THỊ"
    assert body[1] == "Về tập trung thực hiện một số nhiệm vụ trọng tâm sau sắp xếp đơn vị hành chính"
    assert directive.blocks[7].bold and directive.blocks[7].centered


def test_running_head_page_numbers_and_footnote_dropped(directive):
    assert "CÔNG BÁO" not in directive.text
    assert "Ký bởi" not in directive.text and "Ngày ký" not in directive.text
    assert not any(re.fullmatch(r"\d+", t) for t in texts(directive))
    assert "ban hành Chương trình hành động" not in directive.text  # the footnote text


def test_footnote_marker_unglued_from_number(directive):
    intro = block_starting(directive, "Thực hiện Nghị quyết")
    assert "140/NQ-CP ngày 17 tháng 5 năm 2025" in intro.raw
    assert "140/NQ-CP1" not in directive.text


def test_lines_joined_into_paragraphs_split_at_labels_and_indents(directive):
    body = texts(directive, BODY)
    starts = [t.split(" ")[0] for t in body[2:9]]
    assert starts == ["Thực", "1.", "2.", "Đồng", "4.", "5.", "-"]
    item1 = block_starting(directive, "1. Sở Tài chính")
    assert item1.raw.endswith("trước ngày 15 tháng 8 năm 2025.")
    assert "\n" not in item1.raw


def test_paragraph_crossing_page_break_is_one_block(directive):
    bullet = block_starting(directive, "- Các sở, ban, ngành")
    assert bullet.raw == ("- Các sở, ban, ngành chủ động rà soát thủ tục hành chính thuộc "
                          "phạm vi quản lý, hoàn thành trong quý 3/2025.")
    assert bullet.page == 1
    assert block_starting(directive, "3. Giao Văn phòng").page == 2


def test_ruled_table_kept_as_rows_of_cells(directive):
    tables = [b for b in directive.blocks if b.kind == "table"]
    assert len(tables) == 1
    rows = [[c.raw for c in r] for r in tables[0].rows]
    assert rows[0] == ["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Thời hạn"]
    assert rows[1] == ["1", "Rà soát, công bố danh mục thủ tục hành chính được cắt giảm, đơn giản hóa",
                       "Văn phòng UBND tỉnh", "Quý 3/2025"]
    assert len(rows) == 3
    paras = [b.raw for b in directive.blocks if b.kind == "para"]
    assert not any("Văn phòng UBND tỉnh" in t for t in paras)


def test_closing_left_column_then_signature(directive):
    closing = [(b.zone, b.raw) for b in directive.blocks if b.zone in (CLOSING_LEFT, CLOSING_RIGHT)]
    assert closing == [
        (CLOSING_LEFT, "Nơi nhận:"),
        (CLOSING_LEFT, "- Thường trực Tỉnh ủy;"),
        (CLOSING_LEFT, "- Thường trực HĐND tỉnh;"),
        (CLOSING_LEFT, "- Các sở, ban, ngành tỉnh;"),
        (CLOSING_LEFT, "- Lưu: VT, TH."),
        (CLOSING_RIGHT, "TM. ỦY BAN NHÂN DÂN"),
        (CLOSING_RIGHT, "CHỦ TỊCH"),
        (CLOSING_RIGHT, "(Đã ký)"),
        (CLOSING_RIGHT, "Nguyễn Văn An"),
    ]
    assert directive.blocks[-1].zone == CLOSING_RIGHT


def test_offsets_point_into_source_text_and_text_is_nfc(directive):
    assert directive.format == "pdf" and directive.pages == 2
    for b in directive.blocks:
        assert directive.text[b.start:b.end] == b.raw
    assert unicodedata.normalize("NFC", directive.text) == directive.text


def test_front_door_reads_pdf_by_content(tmp_path):
    p = tmp_path / "no-extension"
    p.write_bytes((FIX / "directive.pdf").read_bytes())
    doc = read(p)
    assert doc.format == "pdf"
    assert doc.blocks[0].raw == "ỦY BAN NHÂN DÂN"


def test_table_across_pages_merged_header_dropped_split_row_joined():
    doc = read_pdf(FIX / "table_pages.pdf")
    tables = [b for b in doc.blocks if b.kind == "table"]
    assert len(tables) == 1
    rows = [[c.raw for c in r] for r in tables[0].rows]
    assert [r[0] for r in rows] == ["STT"] + [str(i) for i in range(1, 14)]
    assert rows[12] == ["12", "Xây dựng cơ sở dữ liệu dùng chung của tỉnh, kết nối với "
                        "Trung tâm dữ liệu quốc gia", "Sở Khoa học và Công nghệ", "Tháng 12/2025"]
    assert tables[0].rows[-1][0].page == 2


def test_encrypted_pdf_is_refused():
    with pytest.raises(DirectiveError) as e:
        read_pdf(FIX / "encrypted.pdf")
    assert e.value.reason == "encrypted PDF (password protected)"


def test_pdf_with_owner_password_only_is_read():
    doc = read_pdf(FIX / "restricted.pdf")
    assert doc.blocks[0].raw == "Văn bản chỉ hạn chế quyền sửa đổi, ai cũng mở được."


def test_truncated_pdf_is_corrupt(tmp_path):
    data = (FIX / "directive.pdf").read_bytes()
    p = tmp_path / "cut.pdf"
    p.write_bytes(data[: len(data) // 3])
    with pytest.raises(DirectiveError) as e:
        read(p)
    assert e.value.reason.startswith("corrupt PDF")


def test_garbage_after_pdf_magic_is_corrupt(tmp_path):
    p = tmp_path / "bad.pdf"
    p.write_bytes(b"%PDF-1.7\nthis is not a pdf body\n")
    with pytest.raises(DirectiveError) as e:
        read(p)
    assert e.value.reason.startswith("corrupt PDF")


def test_pdf_without_pages_is_refused(tmp_path):
    body = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n")
    xref = len(body)
    body += (b"xref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000054 00000 n \n"
             b"trailer<</Size 3/Root 1 0 R>>\nstartxref\n" + str(xref).encode() + b"\n%%EOF\n")
    p = tmp_path / "empty.pdf"
    p.write_bytes(body)
    with pytest.raises(DirectiveError) as e:
        read_pdf(p)
    assert e.value.reason == "PDF has no pages"


def test_image_only_pdf_needs_ocr():
    with pytest.raises(DirectiveError) as e:
        read_pdf(FIX / "image_only.pdf", ocr=False)
    assert "no text layer" in e.value.reason and "OCR" in e.value.reason


def test_image_only_pdf_goes_to_the_ocr_reader(monkeypatch):
    import pipeline.read.pdf as pdfmod
    seen = []
    monkeypatch.setattr(pdfmod, "_ocr_reader", lambda: (lambda p: seen.append(p) or "ocr-doc"))
    assert read_pdf(FIX / "image_only.pdf") == "ocr-doc"
    assert seen == [FIX / "image_only.pdf"]


def test_page_has_text_layer():
    import pdfplumber
    with pdfplumber.open(FIX / "image_only.pdf") as pdf:
        assert not page_has_text_layer(pdf.pages[0])
    with pdfplumber.open(FIX / "directive.pdf") as pdf:
        assert page_has_text_layer(pdf.pages[0])


DEV_PDFS = ["ttg-ct-2025-chuyendoiso.pdf", "nghi-quyet-so-126-nq-cp-469505.pdf",
            "quyet-dinh-so-798-qd-ttg-469485.pdf"]


@pytest.mark.parametrize("name", DEV_PDFS)
def test_dev_pdfs_header_intact_and_furniture_gone(name):
    path = SHARED / "eval" / "dev" / name
    if not path.exists():
        pytest.skip("shared dev set not available")
    doc = read_pdf(path)
    right = texts(doc, HEADER_RIGHT)
    left = texts(doc, HEADER_LEFT)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right
    assert any(re.fullmatch(r"Số: \d+/[A-ZĐ]+-[A-Za-zĐ]+", t) for t in left)
    assert any(re.search(r", ngày \d+ tháng \d+ năm \d{4}$", t) for t in right)
    assert "CÔNG BÁO/Số" not in doc.text
    assert texts(doc, CLOSING_RIGHT), "signature block found"


def test_borderless_table_found_from_white_space_columns():
    doc = read_pdf(FIX / "borderless.pdf")
    kinds = [b.kind for b in doc.blocks]
    assert kinds == ["para", "table", "para"]
    rows = [[c.raw for c in r] for r in doc.blocks[1].rows]
    assert rows == [
        ["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Thời hạn"],
        ["1", "Rà soát thủ tục hành chính nội bộ cần cắt giảm", "Văn phòng UBND tỉnh", "Quý 3/2025"],
        ["2", "Số hóa hồ sơ, kết quả giải quyết thủ tục", "Sở Khoa học và Công nghệ", "Năm 2025"],
        ["3", "Tổng kết, đánh giá việc thực hiện", "Sở Nội vụ", "Tháng 12/2025"],
    ]
    assert doc.blocks[2].raw.startswith("Các cơ quan, đơn vị báo cáo")


def test_page_printed_turned_is_read_in_its_own_direction():
    doc = read_pdf(FIX / "turned.pdf")
    assert doc.blocks[0].raw == "NHIỆM VỤ CỤ THỂ"
    rows = [[c.raw for c in r] for r in doc.blocks[1].rows]
    assert rows[2] == ["2", "Ban hành Khung kiến trúc Chính phủ số", "Bộ Khoa học và Công nghệ",
                       "Quý IV/2025"]


def _glyphs(spec):
    """Glyphs from (text, x0, x1) on one baseline, 12 pt."""
    from pipeline.read.pdf import Ch
    return [Ch(x0, x1, 100.0, 112.0, 12.0, t, False, False) for t, x0, x1 in spec]


def test_words_rebuilt_from_out_of_order_glyphs_and_separate_marks():
    from pipeline.read.pdf import build_lines
    # Fallback-font letters come last in the content stream ("C NG HÒA" + "Ộ"); a tone
    # mark drawn as its own glyph over its vowel.
    glyphs = _glyphs([("C", 0, 8), ("N", 16, 24), ("G", 24, 32), ("H", 35, 43), ("Ò", 43, 51),
                      ("A", 51, 59), ("Ộ", 8, 16), ("a", 70, 76), ("\u0301", 71, 75), ("n", 76, 82)])
    line = build_lines(glyphs)[0]
    assert line.text == "CỘNG HÒA án"
    assert build_lines(glyphs)[0].text == line.text  # glyphs are not changed by reading


def test_space_glyphs_count_in_condensed_text_but_not_when_buried_in_a_letter():
    from pipeline.read.pdf import build_lines
    condensed = _glyphs([("v", 0, 6.2), ("ă", 6.0, 12.2), ("n", 12.0, 18.2), (" ", 18.0, 21.5),
                         ("b", 21.2, 27.4), ("ả", 27.2, 33.4), ("n", 33.2, 39.4)])
    assert build_lines(condensed)[0].text == "văn bản"
    buried = _glyphs([("C", 0, 8.6), (" ", 3.0, 6.5), ("T", 8.6, 16.5)])
    assert build_lines(buried)[0].text == "CT"


def test_dev_borderless_task_table_across_pages():
    path = SHARED / "eval" / "dev" / "qn-kh-2025-phancong.pdf"
    if not path.exists():
        pytest.skip("shared dev set not available")
    doc = read_pdf(path)
    tables = [b for b in doc.blocks if b.kind == "table"]
    assert len(tables) == 1
    rows = [[c.raw for c in r] for r in tables[0].rows]
    assert rows[0][0] == "STT" and len(rows[0]) == 5
    assert [r[0] for r in rows[1:]] == [str(i) for i in range(1, 11)]
    assert rows[5][1].endswith("giai đoạn 2026 - 2030")  # row 5 runs over the page break
