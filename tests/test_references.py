"""Tests for pipeline.references: number+symbol parsing and cited documents."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.model import Reference
from pipeline.references import (
    SYMBOL_RE, dated_after, find_references, normalize_number, parse_number, resolve_short,
)


# --------------------------------------------------------------------------- parse_number

@pytest.mark.parametrize("printed, number, type_, type_abbr, issuer, year, party", [
    ("Số: 07 /CT-UBND", "07/CT-UBND", "Chỉ thị", "CT", "UBND", None, False),
    ("15/QĐ-BNV", "15/QĐ-BNV", "Quyết định", "QĐ", "BNV", None, False),
    ("3120/UBND-KGVX", "3120/UBND-KGVX", None, None, "UBND", None, False),
    ("11/BTC-VP", "11/BTC-VP", None, None, "BTC", None, False),
    ("45/2019/NĐ-CP", "45/2019/NĐ-CP", "Nghị định", "NĐ", "CP", 2019, False),
    ("77/2024/QH15", "77/2024/QH15", None, None, "QH15", 2024, False),
    ("08/2016/TTLT-BTP-BCA-BQP", "08/2016/TTLT-BTP-BCA-BQP", "Thông tư liên tịch", "TTLT", "BTP", 2016, False),
    ("23-NQ/TW", "23-NQ/TW", "Nghị quyết", "NQ", "TW", None, True),
    ("91-KL/TW", "91-KL/TW", "Kết luận", "KL", "TW", None, True),
    ("12-CT/TU", "12-CT/TU", "Chỉ thị", "CT", "TU", None, True),
    ("04-CTr/HU", "04-CTr/HU", "Chương trình", "CTr", "HU", None, True),
    ("19/CT.UBND", "19/CT.UBND", "Chỉ thị", "CT", "UBND", None, False),
    ("31/2018/TT-BNN&PTNT", "31/2018/TT-BNN&PTNT", "Thông tư", "TT", "BNN&PTNT", 2018, False),
    ("3/CĐ-TL-VHTT", "3/CĐ-TL-VHTT", "Công điện", "CĐ", "TL", None, False),
    ("502/QĐ-TTg", "502/QĐ-TTg", "Quyết định", "QĐ", "TTg", None, False),
    ("44/TB-VPCP", "44/TB-VPCP", "Thông báo", "TB", "VPCP", None, False),
    ("88/TTr-BYT", "88/TTr-BYT", "Tờ trình", "TTr", "BYT", None, False),
    ("910/NQ-UBTVQH15", "910/NQ-UBTVQH15", "Nghị quyết", "NQ", "UBTVQH15", None, False),
])
def test_parse_number_forms(printed, number, type_, type_abbr, issuer, year, party):
    got = parse_number(printed)
    assert got is not None
    assert got["number"] == number
    assert got["type"] == type_
    assert got["type_abbr"] == type_abbr
    assert got["issuer_abbr"] == issuer
    assert got["year"] == year
    assert got["party"] is party


@pytest.mark.parametrize("printed, number, footnote", [
    ("215/NQ-CP4", "215/NQ-CP", "4"),
    ("33-NQ/TW12", "33-NQ/TW", "12"),
    ("15/2023/NĐ-CP1", "15/2023/NĐ-CP", "1"),
    ("101/2025/QH15", "101/2025/QH15", None),        # term number, not a footnote
    ("7/KH-BCĐTKNQ18", "7/KH-BCĐTKNQ18", None),      # unknown issuer: digits kept
])
def test_parse_number_footnote_digits(printed, number, footnote):
    got = parse_number(printed)
    assert got["number"] == number
    assert got["footnote"] == footnote


@pytest.mark.parametrize("printed, number", [
    ("36-\nCT/TW", "36-CT/TW"),
    ("số 17/NQ-\nCP", "17/NQ-CP"),
    ("250/TTr-BNG-\nLS", "250/TTr-BNG-LS"),
    ("4410/ BTC-\nNSNN", "4410/BTC-NSNN"),
])
def test_parse_number_broken_over_lines(printed, number):
    assert parse_number(printed)["number"] == number


@pytest.mark.parametrize("text", [
    "Biểu mẫu số 01", "ĐT.468", "CT.08", "Quốc lộ 10", "10,5%", "200.000 tấn",
    "ngày 12/5/2025", "CÔNG BÁO/Số 118/Ngày 03-04-2026", "giai đoạn 2026 - 2030", "",
])
def test_parse_number_rejects(text):
    assert parse_number(text) is None


def test_symbol_re_is_compiled():
    assert SYMBOL_RE.search("theo Chỉ thị số 05/CT-TTg ngày 01/02/2024")


def test_normalize_number():
    assert normalize_number("Số: 05 /CT-UBND") == normalize_number("05/ct-ubnd")


# --------------------------------------------------------------------------- find_references

def _numbers(refs: list[Reference]) -> list[str | None]:
    return [r.number for r in refs]


def test_full_citation_fields():
    text = ("Thực hiện Nghị quyết số 45/NQ-CP ngày 14/3/2025 của Chính phủ về phát triển "
            "kinh tế số, Ủy ban nhân dân tỉnh yêu cầu các sở thực hiện.")
    [ref] = find_references(text)
    assert ref.number == "45/NQ-CP"
    assert ref.type == "Nghị quyết"
    assert ref.date == "2025-03-14"
    assert ref.issuer == "Chính phủ"
    assert ref.text == "Nghị quyết số 45/NQ-CP ngày 14/3/2025 của Chính phủ"
    assert text[ref.span.start:ref.span.end] == ref.text


@pytest.mark.parametrize("text, number, type_, date, issuer", [
    ("Căn cứ Công điện số 61/CĐ-TTg ngày 02 tháng 9 năm 2025 của Thủ tướng Chính phủ;",
     "61/CĐ-TTg", "Công điện", "2025-09-02", "Thủ tướng Chính phủ"),
    ("quán triệt Quyết định 315/QĐ-TTg ngày 18/02/2020 của Thủ tướng Chính phủ",
     "315/QĐ-TTg", "Quyết định", "2020-02-18", "Thủ tướng Chính phủ"),
    ("theo tinh thần Kết luận số 91-KL/TW ngày 12 tháng 8 năm 2024 của Bộ Chính trị về tiếp tục",
     "91-KL/TW", "Kết luận", "2024-08-12", "Bộ Chính trị"),
    ("theo Văn bản số 3120/UBND-KGVX ngày 05/6/2025 của Ủy ban nhân dân tỉnh.",
     "3120/UBND-KGVX", "Văn bản", "2025-06-05", "Ủy ban nhân dân tỉnh"),
    ("tại các văn bản: Số 88/TTr-BYT ngày 01 tháng 4 năm 2026",
     "88/TTr-BYT", "Tờ trình", "2026-04-01", None),
    ("Căn cứ Nghị định số 45/2019/NĐ-CP ngày 09/5/2019 của Chính phủ ban hành quy chế",
     "45/2019/NĐ-CP", "Nghị định", "2019-05-09", "Chính phủ"),
    ("theo Thông tư số 31/2018/TT-BNN&PTNT của Bộ Nông nghiệp và Phát triển nông thôn;",
     "31/2018/TT-BNN&PTNT", "Thông tư", None, "Bộ Nông nghiệp và Phát triển nông thôn"),
    ("theo Quyết định số 27/QĐ-BVHTTDL của Bộ Văn hóa, Thể thao và Du lịch về việc",
     "27/QĐ-BVHTTDL", "Quyết định", None, "Bộ Văn hóa, Thể thao và Du lịch"),
    ("theo Thông tư số 09/2021/TT-BTNMT ngày 30/6/2021 của Bộ trưởng Bộ Tài nguyên và Môi trường;",
     "09/2021/TT-BTNMT", "Thông tư", "2021-06-30", "Bộ trưởng Bộ Tài nguyên và Môi trường"),
    ("THỰC HIỆN NGHỊ QUYẾT SỐ 45/NQ-CP NGÀY 14/3/2025",
     "45/NQ-CP", "Nghị quyết", "2025-03-14", None),
    ("văn bản quy phạm pháp luật số 12/2024/QH15 ngày 29/11/2024",
     "12/2024/QH15", None, "2024-11-29", None),
    ("Căn cứ Nghị định số 30/2020/NÐ-CP ngày 05/3/2020 của Chính phủ;",
     "30/2020/NÐ-CP", "Nghị định", "2020-03-05", "Chính phủ"),
    ("Kết luận số 55-KL/TW\nngày 12 tháng\n8 năm 2024 của Bộ\nChính trị;",
     "55-KL/TW", "Kết luận", "2024-08-12", "Bộ Chính trị"),
])
def test_citation_forms(text, number, type_, date, issuer):
    refs = [r for r in find_references(text) if r.number]
    assert len(refs) == 1
    ref = refs[0]
    assert (ref.number, ref.type, ref.date, ref.issuer) == (number, type_, date, issuer)


def test_issuer_before_a_list_of_numbers():
    text = ("Theo đề nghị của Bộ trưởng Bộ Y tế tại các văn bản số 88/TTr-BYT ngày 01/4/2026, "
            "số 1203/BYT-KHTC ngày 03/4/2026 và số 95/BC-BYT ngày 05/4/2026;")
    refs = find_references(text)
    assert _numbers(refs) == ["88/TTr-BYT", "1203/BYT-KHTC", "95/BC-BYT"]
    assert [r.issuer for r in refs] == ["Bộ Y tế"] * 3
    assert [r.type for r in refs] == ["Tờ trình", "Công văn", "Báo cáo"]


def test_footnote_glued_number():
    text = "triển khai Nghị quyết số 215/NQ-CP4 ngày 20/5/2025 của Chính phủ;"
    [ref] = find_references(text)
    assert ref.number == "215/NQ-CP"
    assert ref.date == "2025-05-20"
    assert "CP4" not in ref.text


def test_number_split_across_line():
    text = "bám sát Kết luận số 91-KL/TW và Chỉ thị số 36-\nCT/TW, nhất là các nhiệm vụ"
    assert _numbers(find_references(text)) == ["91-KL/TW", "36-CT/TW"]


def test_self_citation_skipped():
    text = ("Kế hoạch này triển khai Nghị quyết số 45/NQ-CP.\n"
            "PHỤ LỤC\n(Kèm theo Kế hoạch số 310/KH-UBND ngày 02 tháng 10 năm 2025 "
            "của Ủy ban nhân dân tỉnh)\n")
    refs = find_references(text, doc_number="310/KH-UBND", doc_date="2025-10-02")
    assert _numbers(refs) == ["45/NQ-CP"]
    # the caption alone identifies the document itself, even without its number
    assert _numbers(find_references(text)) == ["45/NQ-CP"]


def test_self_number_however_printed():
    text = "Số: 310 /KH-UBND\nthực hiện Chỉ thị số 05/CT-TTg.\nKế hoạch số 310/KH-UBND."
    assert _numbers(find_references(text, doc_number="310/KH-UBND")) == ["05/CT-TTg"]


def test_dated_after_flag():
    text = ("thực hiện Công điện số 61/CĐ-TTg ngày 04/9/2025 của Thủ tướng Chính phủ và "
            "Nghị quyết số 45/NQ-CP ngày 14/3/2025 của Chính phủ")
    refs = find_references(text, doc_date="2025-07-10")
    flags = {r.number: dated_after(r, "2025-07-10") for r in refs}
    assert flags == {"61/CĐ-TTg": True, "45/NQ-CP": False}
    assert not dated_after(refs[0], None)
    assert not dated_after(Reference(number="1/CT-UBND"), "2025-01-01")


@pytest.mark.parametrize("text", [
    "Các đơn vị báo cáo theo Biểu mẫu số 01 và Biểu mẫu số 02 kèm theo văn bản này.",
    "Hoàn thành nâng cấp tuyến ĐT.468 và đường CT.08 trong năm 2025.",
    "Sản lượng đạt 200.000 tấn, tăng 10,5% so với cùng kỳ; Quốc lộ 10 được mở rộng.",
    "Các sở xây dựng Kế hoạch này và Chỉ thị này theo đúng tiến độ.",
    "Báo cáo theo Mẫu số 02/BC kèm theo.",
])
def test_not_references(text):
    assert find_references(text) == []


def test_law_by_name():
    text = ("Căn cứ Luật Tổ chức Chính phủ ngày 18 tháng 02 năm 2025;\n"
            "thực hiện đúng quy định của Luật Quản lý, sử dụng tài sản công và Bộ luật Lao động.")
    refs = find_references(text)
    assert all(r.number is None for r in refs)
    by_text = {r.text: r for r in refs}
    assert "Luật Tổ chức Chính phủ ngày 18 tháng 02 năm 2025" in by_text
    assert by_text["Luật Tổ chức Chính phủ ngày 18 tháng 02 năm 2025"].date == "2025-02-18"
    assert "Luật Quản lý, sử dụng tài sản công" in by_text
    assert by_text["Bộ luật Lao động"].type == "Bộ luật"
    assert by_text["Luật Quản lý, sử dụng tài sản công"].type == "Luật"


@pytest.mark.parametrize("text, name", [
    ("theo Luật Đất đai, trường hợp có vướng mắc thì báo cáo", "Luật Đất đai"),
    ("sửa đổi Luật Dữ liệu và Luật Ngân sách nhà nước năm 2025", "Luật Dữ liệu"),
    ("Luật Tần số vô tuyến điện;", "Luật Tần số vô tuyến điện"),
])
def test_law_name_boundaries(text, name):
    assert find_references(text)[0].text == name


def test_dedup_with_mentions():
    text = ("Thực hiện Nghị quyết số 45/NQ-CP ngày 14/3/2025 của Chính phủ, tỉnh ban hành kế hoạch.\n"
            "1. Quán triệt Nghị quyết số 45/NQ-CP đến toàn thể cán bộ.\n"
            "2. Định kỳ báo cáo kết quả thực hiện Nghị quyết nêu trên.\n"
            "3. Tổ chức thực hiện Kế hoạch này.")
    refs = find_references(text)
    assert _numbers(refs) == ["45/NQ-CP"]
    ref = refs[0]
    assert ref.date == "2025-03-14"
    assert len(ref.mentions) == 3
    assert [text[m.start:m.end].split()[0] for m in ref.mentions] == ["Nghị", "Nghị", "Nghị"]
    assert text[ref.mentions[-1].start:ref.mentions[-1].end] == "Nghị quyết nêu trên"


def test_later_fuller_mention_fills_date():
    text = ("Kế hoạch thực hiện Kết luận 91-KL/TW của Bộ Chính trị.\n"
            "Căn cứ Kết luận số 91-KL/TW ngày 12 tháng 8 năm 2024 của Bộ Chính trị;")
    [ref] = find_references(text)
    assert ref.date == "2024-08-12"
    assert len(ref.mentions) == 2


def test_resolve_short_picks_latest_of_type():
    text = ("theo Chỉ thị số 05/CT-TTg và Chỉ thị số 12/CT-UBND; "
            "các sở quán triệt Chỉ thị nêu trên.")
    refs = find_references(text)
    by = {r.number: r for r in refs}
    assert len(by["12/CT-UBND"].mentions) == 2
    assert len(by["05/CT-TTg"].mentions) == 1
    # idempotent when called by hand on fresh references
    again = resolve_short([Reference(number="9/CT-TTg", type="Chỉ thị", mentions=[])], "Chỉ thị trên")
    assert again[0].mentions == []


def test_base_offset():
    text = "theo Chỉ thị số 05/CT-TTg."
    [ref] = find_references(text, base=100)
    assert ref.span.start == 100 + text.index("Chỉ")


def test_empty():
    assert find_references("") == []


# --------------------------------------------------------------------------- shared dev set

_DEV = Path("/work/shared/eval/dev")


@pytest.mark.skipif(not _DEV.is_dir(), reason="shared dev set not available")
def test_dev_set_numbers():
    tp = fp = fn = 0
    for gold_path in sorted(_DEV.glob("*.gold.json")):
        txt = gold_path.with_name(gold_path.name[: -len(".gold.json")] + ".txt")
        if not txt.exists():
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        want = {normalize_number(r["number"]) for r in gold.get("references", []) if r.get("number")}
        got = {normalize_number(r.number)
               for r in find_references(txt.read_text(encoding="utf-8")) if r.number}
        tp += len(want & got)
        fp += len(got - want)
        fn += len(want - got)
    assert tp and fp <= 0.1 * tp and fn <= 0.1 * tp
