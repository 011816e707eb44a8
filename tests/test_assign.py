"""Who owns what: owners, roles, inheritance, report_to, deadlines on genre sentences."""
import pytest

from pipeline.agencies import find_agencies
from pipeline.assign import classify

HEAD = """ỦY BAN NHÂN DÂN
TỈNH NGHỆ AN

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 21/CT-UBND

Nghệ An, ngày 10 tháng 9 năm 2025

CHỈ THỊ

Về tăng cường quản lý đất đai

Chủ tịch Ủy ban nhân dân tỉnh yêu cầu Thủ trưởng các sở, ban, ngành; Chủ tịch Ủy ban nhân dân các xã, phường thực hiện các nhiệm vụ sau:

"""
TAIL = """

Nơi nhận:
- Như trên;
- Lưu: VT.

CHỦ TỊCH

Lê Hồng Vinh
"""


def roles(sentence):
    return [(m.name, r) for m, r in classify(sentence, find_agencies(sentence))]


@pytest.mark.parametrize("sentence, expected", [
    ("Giao Sở Tài chính chủ trì, phối hợp với Sở Tư pháp và Công an tỉnh xây dựng dự thảo Nghị quyết.",
     [("Sở Tài chính", "lead"), ("Sở Tư pháp", "support"), ("Công an tỉnh", "support")]),
    ("Sở Xây dựng có trách nhiệm hướng dẫn Ủy ban nhân dân các xã, phường lập quy hoạch.",
     [("Sở Xây dựng", "lead"), ("Ủy ban nhân dân các xã, phường", "none")]),
    ("Các Bộ: Tài chính, Y tế, Giáo dục và Đào tạo khẩn trương hoàn thiện cơ sở dữ liệu.",
     [("Bộ Tài chính", "lead"), ("Bộ Y tế", "lead"), ("Bộ Giáo dục và Đào tạo", "lead")]),
    ("Sở Nội vụ tổng hợp, báo cáo Ủy ban nhân dân tỉnh (qua Văn phòng Ủy ban nhân dân tỉnh).",
     [("Sở Nội vụ", "lead"), ("Ủy ban nhân dân tỉnh", "report"), ("Văn phòng Ủy ban nhân dân tỉnh", "report")]),
    ("Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh tuyên truyền, vận động Nhân dân.",
     [("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "lead")]),
    ("Chính phủ trân trọng đề nghị Văn phòng Trung ương Đảng, Mặt trận Tổ quốc phối hợp trong quá trình thực hiện.",
     [("Chính phủ", "none"), ("Văn phòng Trung ương Đảng", "support"), ("Mặt trận Tổ quốc", "support")]),
    ("Sở Nội vụ là cơ quan thường trực, có trách nhiệm theo dõi, đôn đốc việc thực hiện Kế hoạch này.",
     [("Sở Nội vụ", "lead")]),
    ("Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc các Sở: Tài chính, Nội vụ và Chủ tịch Ủy ban nhân dân các xã, "
     "phường chịu trách nhiệm thi hành Quyết định này./.",
     [("Văn phòng Ủy ban nhân dân tỉnh", "lead"), ("Sở Tài chính", "lead"), ("Sở Nội vụ", "lead"),
      ("Ủy ban nhân dân các xã, phường", "lead")]),
    ("Đẩy nhanh các công trình trọng điểm (Bệnh viện Đa khoa tỉnh, Trường Đại học Vinh).",
     []),
    # "làm" is a verb, not "là": the subject acts
    ("Sở Nội vụ làm đầu mối tổng hợp, đôn đốc các cơ quan, đơn vị thực hiện.",
     [("Sở Nội vụ", "lead")]),
    ("Sở Tài chính là cơ quan quản lý tài sản công của tỉnh.", []),
    # a verb the POS tagger reads as a noun ("niêm yết"), known from models/genre.json
    ("Trung tâm Phục vụ hành chính công xã niêm yết công khai các thủ tục hành chính.",
     [("Trung tâm Phục vụ hành chính công xã", "lead")]),
    # who chairs a meeting someone attends does not own the task; who chairs the work does
    ("Sở Công Thương tham dự các cuộc họp do Bộ Công Thương hoặc Ủy ban nhân dân tỉnh chủ trì.",
     [("Sở Công Thương", "lead")]),
    ("Được mời dự các phiên họp do Phó Chủ tịch Ủy ban nhân dân tỉnh chủ trì.", []),
    ("Sở Công Thương chủ trì, phối hợp với các Công ty Điện lực trên địa bàn kiểm tra việc sử dụng điện.",
     [("Sở Công Thương", "lead"), ("Công ty Điện lực trên địa bàn", "support")]),
    ("Hội nghị sơ kết do Sở Nội vụ chủ trì, phối hợp với Sở Tài chính tổ chức trong tháng 6.",
     [("Sở Nội vụ", "lead"), ("Sở Tài chính", "support")]),
])
def test_roles_in_a_sentence(sentence, expected):
    got = [(n, r) for n, r in roles(sentence) if (n, r) in expected or r != "none"]
    assert [g for g in got if g[1] != "none"] == [e for e in expected if e[1] != "none"]


def owners(task):
    return [(o.agency, o.role, o.inherited) for o in task.owners]


def test_addressees_are_inherited_by_units_without_their_own_owner(extract_text):
    doc = extract_text(HEAD + "1. Rà soát toàn bộ quỹ đất công trên địa bàn, hoàn thành trước ngày 31/12/2025." + TAIL)
    (task,) = doc.tasks
    assert owners(task) == [("các sở, ban, ngành", "lead", True), ("Ủy ban nhân dân các xã, phường", "lead", True)]
    assert [d.date for d in task.deadlines] == ["2025-12-31"]


def test_agency_headed_item_owns_its_points(extract_text):
    body = ("1. Sở Nông nghiệp và Môi trường:\n\na) Chủ trì kiểm tra việc sử dụng đất của các dự án.\n\n"
            "b) Phối hợp với Sở Tài chính xác định giá đất cụ thể.\n\n"
            "2. Văn phòng Ủy ban nhân dân tỉnh theo dõi, đôn đốc việc thực hiện Chỉ thị này.")
    doc = extract_text(HEAD + body + TAIL)
    t = {t.path: t for t in doc.tasks}
    assert owners(t["1.a"]) == [("Sở Nông nghiệp và Môi trường", "lead", True)]
    assert owners(t["1.b"]) == [("Sở Nông nghiệp và Môi trường", "lead", True), ("Sở Tài chính", "support", False)]
    # a unit that names its own lead does not take the addressees
    assert owners(t["2"]) == [("Văn phòng Ủy ban nhân dân tỉnh", "lead", False)]


def test_office_holders_stand_for_their_organisation(extract_text):
    body = "1. Giám đốc Sở Y tế chỉ đạo các bệnh viện bảo đảm thuốc, vật tư y tế."
    doc = extract_text(HEAD + body + TAIL)
    (task,) = doc.tasks
    assert task.owners[0].agency == "Sở Y tế"
    assert task.owners[0].office == "Giám đốc"


def test_report_to_and_provenance(extract_text):
    body = "1. Sở Tài chính tổng hợp kết quả, báo cáo Ủy ban nhân dân tỉnh trước ngày 15/11/2025."
    doc = extract_text(HEAD + body + TAIL)
    (task,) = doc.tasks
    assert task.report_to == ["Ủy ban nhân dân tỉnh"]
    lead = task.owners[0]
    assert doc.text[lead.span.start:lead.span.end] == "Sở Tài chính"
    (dl,) = task.deadlines
    assert doc.text[dl.span.start:dl.span.end].endswith("15/11/2025")
    assert dl.span.path == "1"


def test_purpose_part_and_effective_clause_are_not_tasks(extract_text):
    body = ("I. MỤC ĐÍCH, YÊU CẦU\n\n1. Nâng cao hiệu quả quản lý đất đai.\n\nII. NHIỆM VỤ\n\n"
            "1. Sở Tư pháp rà soát văn bản.\n\n2. Chỉ thị này có hiệu lực kể từ ngày ký.")
    doc = extract_text(HEAD + body + TAIL)
    assert [t.path for t in doc.tasks] == ["II", "II.1"]


def test_cited_document_dated_after_the_directive_is_flagged(extract_text):
    body = "1. Thực hiện Công điện số 145/CĐ-TTg ngày 28/9/2025 của Thủ tướng Chính phủ."
    doc = extract_text(HEAD + body + TAIL)
    assert [r.number for r in doc.references] == ["145/CĐ-TTg"]
    assert any(w.code == "cited-after" and "145/CĐ-TTg" in w.message for w in doc.warnings)


def test_task_table_rows_own_their_cells(extract_text):
    body = ("1. Các cơ quan thực hiện nhiệm vụ tại Phụ lục kèm theo.\n\n"
            "| STT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành |\n"
            "| 1 | Cập nhật bảng giá đất | Sở Nông nghiệp và Môi trường | Sở Tài chính; UBND các xã, phường | Quý I/2026 |\n"
            "| 2 | Tuyên truyền pháp luật đất đai | Sở Tư pháp | | Hằng năm |\n")
    doc = extract_text(HEAD + body + TAIL)
    t = {t.path: t for t in doc.tasks}
    assert owners(t["T1.1"]) == [("Sở Nông nghiệp và Môi trường", "lead", False), ("Sở Tài chính", "support", False),
                                 ("UBND các xã, phường", "support", False)]
    assert [d.date for d in t["T1.1"].deadlines] == ["2026-03-31"]
    assert [d.recurrence for d in t["T1.2"].deadlines] == ["yearly"]


STEERING = """ỦY BAN NHÂN DÂN
TỈNH NGHỆ AN

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 812/QĐ-UBND

Nghệ An, ngày 10 tháng 9 năm 2025

QUYẾT ĐỊNH

Về việc thành lập Ban Chỉ đạo phát triển du lịch tỉnh

CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH

Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;

QUYẾT ĐỊNH:

Điều 1. Thành lập Ban Chỉ đạo phát triển du lịch tỉnh (sau đây gọi là Ban Chỉ đạo).

Điều 2. Thành phần Ban Chỉ đạo

1. Trưởng ban: Chủ tịch Ủy ban nhân dân tỉnh.

2. Ủy viên:

a) Giám đốc Sở Văn hóa, Thể thao và Du lịch;

b) Giám đốc các Sở: Tài chính, Xây dựng, Công Thương.

Điều 3. Nhiệm vụ, quyền hạn của Ban Chỉ đạo

1. Giúp Chủ tịch Ủy ban nhân dân tỉnh chỉ đạo, điều phối phát triển du lịch trên địa bàn tỉnh.

2. Được mời tham dự các hội nghị về phát triển du lịch vùng Bắc Trung Bộ do Bộ Văn hóa, Thể thao và Du lịch chủ trì.

3. Yêu cầu các sở, ban, ngành, Ủy ban nhân dân các xã, phường cung cấp thông tin phục vụ hoạt động của Ban Chỉ đạo.

Điều 4. Sở Văn hóa, Thể thao và Du lịch là cơ quan thường trực, làm đầu mối giúp Ban Chỉ đạo theo dõi, tổng hợp tình hình.

Điều 5. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc các Sở: Tài chính, Xây dựng và các thành viên Ban Chỉ đạo chịu trách nhiệm thi hành Quyết định này./.

Nơi nhận:
- Như Điều 5;
- Lưu: VT.

CHỦ TỊCH

Nguyễn Văn Đệ
"""


def test_a_steering_committee_decision(extract_text):
    doc = extract_text(STEERING)
    tasks = {t.section.path: t for t in doc.tasks}
    # its members are a list, not tasks
    assert not [p for p in tasks if p.startswith("D2")]
    # its powers are its own, whoever it may ask or whoever chairs the meetings it attends
    for path in ("D3.2", "D3.3"):
        assert owners(tasks[path]) == [("Ban Chỉ đạo", "lead", True)], path
    # the standing body that "làm đầu mối" leads
    assert ("Sở Văn hóa, Thể thao và Du lịch", "lead", False) in owners(tasks["D4"])


@pytest.mark.parametrize("closing", [
    "Ủy ban nhân dân tỉnh đề nghị các cơ quan, đơn vị, địa phương nghiêm túc triển khai thực hiện./.",
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các sở, ban, ngành kịp thời báo cáo "
    "Ủy ban nhân dân tỉnh (qua Sở Nội vụ) để xem xét, giải quyết./.",
])
def test_closing_words_after_the_last_item_own_nothing(extract_text, closing):
    body = ("1. Giao Sở Tài chính chủ trì rà soát tài sản công; hoàn thành trước ngày 15/11/2025.\n\n"
            "2. Giao Văn phòng Ủy ban nhân dân tỉnh theo dõi, đôn đốc việc thực hiện Chỉ thị này.\n\n" + closing)
    doc = extract_text(HEAD + body + TAIL)
    last = doc.tasks[-1]
    assert last.section.path == "2" and closing.split()[-1] in last.section.text  # it runs on in item 2
    assert owners(last) == [("Văn phòng Ủy ban nhân dân tỉnh", "lead", False)]


CELL_LINES = """
1. Các sở, ngành thực hiện các nhiệm vụ tại Phụ lục kèm theo Chỉ thị này.

Phụ lục
NHIỆM VỤ CỤ THỂ
TT
Nội dung, nhiệm vụ
Cơ quan chủ
trì thực hiện
Cơ quan
phối hợp
Thời gian
1
Rà soát các công trình đê điều, hồ
đập xung yếu.
Đẩy nhanh tiến độ sửa chữa, nâng
cấp hồ chứa nước trước mùa mưa lũ.
Sở Nông nghiệp và
Môi trường
Sở Tài chính,
Sở Xây dựng
Quý II/2026
2
Kiểm tra phương án bảo đảm an toàn
cho người dân vùng ven sông.
Sở Xây dựng
Ủy ban nhân dân
các xã, phường
Hằng năm
"""


def test_a_table_written_one_cell_a_line_keeps_each_cell(extract_text):
    """Gazette text extractions print a table one cell line after another: content of two
    sentences is still one cell, and the agencies after it are the lead and support cells."""
    doc = extract_text(HEAD + CELL_LINES + TAIL)
    rows = {t.section.path: t for t in doc.tasks if t.section.kind in ("row", "subrow")}
    first, second = rows["T1.1"], rows["T1.2"]
    assert "Đẩy nhanh tiến độ" in first.section.text and "Sở Tài chính" not in first.section.text
    assert owners(first) == [("Sở Nông nghiệp và Môi trường", "lead", False), ("Sở Tài chính", "support", False),
                             ("Sở Xây dựng", "support", False)]
    assert [(o.agency, o.role) for o in second.owners] == [("Sở Xây dựng", "lead"),
                                                           ("Ủy ban nhân dân các xã, phường", "support")]


def test_an_abbreviation_the_document_defines_names_its_agency(extract_text):
    body = ("1. Tập đoàn Điện lực Việt Nam (EVN) bảo đảm cung ứng điện an toàn trong mùa khô năm 2026.\n\n"
            "2. EVN chủ trì, phối hợp với Sở Công Thương rà soát phương án cấp điện; hoàn thành trước ngày 15/01/2026.\n\n"
            "3. Sở Công Thương phối hợp với EVN tuyên truyền tiết kiệm điện.")
    doc = extract_text(HEAD + body + TAIL)
    tasks = {t.section.path: t for t in doc.tasks}
    assert ("Tập đoàn Điện lực Việt Nam", "lead", False) in owners(tasks["2"])
    assert ("Tập đoàn Điện lực Việt Nam", "support", False) in owners(tasks["3"])
    assert not any(o.agency == "EVN" for t in doc.tasks for o in t.owners)
