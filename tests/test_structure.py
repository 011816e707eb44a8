"""Header, preamble, section tree and closing of text documents of the genre."""
from conftest import paths

CHI_THI = """ỦY BAN NHÂN DÂN
TỈNH LẠNG SƠN

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 07 /CT-UBND

Lạng Sơn, ngày 03 tháng 9 năm 2025

CHỈ THỊ

Về tăng cường phòng, chống cháy rừng mùa khô năm 2025 - 2026

Căn cứ Luật Lâm nghiệp ngày 15 tháng 11 năm 2017;

Để chủ động phòng ngừa cháy rừng, Chủ tịch Ủy ban nhân dân tỉnh yêu cầu Thủ trưởng các sở, ban, ngành; Chủ tịch Ủy ban nhân dân các xã, phường thực hiện tốt các nhiệm vụ sau:

I. NHIỆM VỤ CHUNG

Các cơ quan, đơn vị quán triệt nội dung Chỉ thị này đến cán bộ, công chức.

1. Rà soát phương án phòng cháy, chữa cháy rừng của địa phương.

- Kiểm tra lực lượng, phương tiện tại chỗ.

- Tổ chức diễn tập tại các xã có nguy cơ cháy cao, hoàn thành trước ngày 30/10/2025.

+ Ưu tiên vùng giáp ranh.

+ Báo cáo kết quả về Sở Nông nghiệp và Môi trường.

2. Bố trí kinh phí cho công tác phòng cháy, chữa cháy rừng theo quy định của pháp luật về ngân sách nhà nước và các văn bản hướng dẫn thi

hành; bảo đảm đủ trang thiết bị cho lực lượng chuyên trách.

II. NHIỆM VỤ CỤ THỂ

1. Sở Nông nghiệp và Môi trường:

a) Chủ trì theo dõi, cảnh báo cấp dự báo cháy rừng hằng ngày.

b) Hướng dẫn các xã xây dựng đường băng cản lửa.

c) Tổng hợp tình hình, báo cáo Ủy ban nhân dân tỉnh.

d) Kiểm tra việc thực hiện Chỉ thị này.

đ) Đề xuất khen thưởng tập thể, cá nhân có thành tích.

2. Công an tỉnh chỉ đạo lực lượng Cảnh sát phòng cháy, chữa cháy sẵn sàng tham gia chữa cháy rừng.

Nơi nhận:
- Bộ Nông nghiệp và Môi trường;
- Thường trực Tỉnh ủy;
- Lưu: VT, KT.

KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

(Đã ký)

Hoàng Văn Nam
"""


def test_header_fields(extract_text):
    h = extract_text(CHI_THI).header
    assert h.number == "07/CT-UBND"
    assert h.type == "Chỉ thị"
    assert h.issuer == "Ủy ban nhân dân tỉnh Lạng Sơn"
    assert (h.place, h.date) == ("Lạng Sơn", "2025-09-03")
    assert h.title.startswith("Về tăng cường phòng, chống cháy rừng")
    assert (h.signer, h.signer_title, h.signer_authority) == ("Hoàng Văn Nam", "Phó Chủ tịch", "KT.")
    assert h.recipients == ["Bộ Nông nghiệp và Môi trường", "Thường trực Tỉnh ủy", "Lưu: VT, KT"]
    assert "Thủ trưởng các sở, ban, ngành" in h.addressees[0]


def test_section_paths_follow_the_contract(extract_text):
    doc = extract_text(CHI_THI)
    assert paths(doc) == [
        "I", "I.p1", "I.1", "I.1.-1", "I.1.-2", "I.1.-2.+1", "I.1.-2.+2", "I.2",
        "II", "II.1", "II.1.a", "II.1.b", "II.1.c", "II.1.d", "II.1.đ", "II.2",
    ]


def test_preamble_closing_and_signature_are_not_sections(extract_text):
    doc = extract_text(CHI_THI)
    texts = " ".join(s.text for s in doc.sections)
    assert "Căn cứ Luật Lâm nghiệp" not in texts
    assert "Nơi nhận" not in texts and "Hoàng Văn Nam" not in texts


def test_paragraph_split_by_a_page_break_is_one_unit(extract_text):
    doc = extract_text(CHI_THI)
    item = next(s for s in doc.sections if s.path == "I.2")
    assert "văn bản hướng dẫn thi hành; bảo đảm đủ trang thiết bị" in item.text
    # the span points back into the source text
    assert doc.text[item.start:item.end].startswith("2. Bố trí kinh phí")


def test_sections_keep_page_and_offsets(extract_text):
    doc = extract_text(CHI_THI)
    for s in doc.sections:
        assert 0 <= s.start < s.end <= len(doc.text)
        assert s.page >= 1


CONG_VAN = """BỘ TÀI CHÍNH

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 1532/BTC-NSNN
V/v hướng dẫn lập dự toán ngân sách nhà nước năm 2026

Hà Nội, ngày 12 tháng 6 năm 2025

Kính gửi:
- Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ;
- Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương.

Căn cứ Luật Ngân sách nhà nước, Bộ Tài chính đề nghị các cơ quan thực hiện như sau:

1. Lập dự toán theo đúng biểu mẫu, gửi Bộ Tài chính trước ngày 20/7/2025.

2. Rà soát các khoản chi không cần thiết.

Nơi nhận:
- Như trên;
- Lưu: VT, NSNN.

KT. BỘ TRƯỞNG
THỨ TRƯỞNG

Trần Quốc Phương
"""


def test_cong_van_with_kinh_gui(extract_text):
    doc = extract_text(CONG_VAN)
    h = doc.header
    assert h.type == "Công văn"
    assert h.number == "1532/BTC-NSNN"
    assert h.title == "V/v hướng dẫn lập dự toán ngân sách nhà nước năm 2026"
    assert h.issuer == "Bộ Tài chính"
    assert h.kinh_gui == ["Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ",
                          "Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương"]
    # the Kính gửi lines are not bullets of the body
    assert paths(doc) == ["1", "2"]
    assert h.signer_title == "Thứ trưởng"


CONG_DIEN = """THỦ TƯỚNG CHÍNH PHỦ

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 145/CĐ-TTg

Hà Nội, ngày 27 tháng 9 năm 2025

CÔNG ĐIỆN

Về tập trung ứng phó bão số 10

THỦ TƯỚNG CHÍNH PHỦ điện:
- Chủ tịch Ủy ban nhân dân các tỉnh, thành phố: Quảng Ninh, Hải Phòng, Hưng Yên;
- Các Bộ: Quốc phòng, Công an, Nông nghiệp và Môi trường.

1. Chủ tịch Ủy ban nhân dân các tỉnh, thành phố tổ chức sơ tán người dân khỏi khu vực nguy hiểm, hoàn thành trước 16 giờ 00 ngày 28/9/2025.

2. Bộ Quốc phòng chỉ đạo các đơn vị sẵn sàng lực lượng, phương tiện cứu hộ.

THỦ TƯỚNG

Lê Văn Hải
"""


def test_cong_dien_addressee_lines_are_not_bullets(extract_text):
    doc = extract_text(CONG_DIEN)
    assert doc.header.type == "Công điện"
    assert doc.header.issuer == "Thủ tướng Chính phủ"
    assert paths(doc) == ["1", "2"]
    assert len(doc.header.kinh_gui) == 2
    assert doc.header.signer == "Lê Văn Hải"


QUYET_DINH = """BỘ NỘI VỤ

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 15/QĐ-BNV

Hà Nội, ngày 05 tháng 8 năm 2025

QUYẾT ĐỊNH

Ban hành Kế hoạch cải cách hành chính năm 2025 - 2026

BỘ TRƯỞNG BỘ NỘI VỤ

Căn cứ Nghị định số 25/2025/NĐ-CP ngày 21 tháng 02 năm 2025 của Chính phủ;

QUYẾT ĐỊNH:

Điều 1. Ban hành kèm theo Quyết định này Kế hoạch cải cách hành chính năm 2025 - 2026.

Điều 2. Quyết định này có hiệu lực kể từ ngày ký.

Điều 3. Chánh Văn phòng Bộ, Vụ trưởng Vụ Cải cách hành chính chịu trách nhiệm thi hành Quyết định này./.

Nơi nhận:
- Như Điều 3;
- Lưu: VT, CCHC.

BỘ TRƯỞNG

Phạm Thị Thanh Trà

BỘ NỘI VỤ

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

KẾ HOẠCH

Cải cách hành chính năm 2025 - 2026
(Ban hành kèm theo Quyết định số 15/QĐ-BNV ngày 05 tháng 8 năm 2025 của Bộ trưởng Bộ Nội vụ)

I. MỤC ĐÍCH, YÊU CẦU

1. Nâng cao chất lượng phục vụ người dân.

II. NHIỆM VỤ

1. Vụ Cải cách hành chính chủ trì tổng hợp, báo cáo trước ngày 15/12/2025.

| STT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành |
| I | Cải cách thể chế | | | |
| 1 | Rà soát văn bản quy phạm pháp luật | Vụ Pháp chế | Các đơn vị thuộc Bộ | Quý IV/2025 |
| 2 | Công bố thủ tục hành chính | Văn phòng Bộ | | Tháng 12/2025 |
| II | Cải cách tổ chức bộ máy | | | |
| 1 | Sắp xếp các đơn vị sự nghiệp | Vụ Tổ chức cán bộ | Các đơn vị thuộc Bộ | Năm 2026 |
"""


def test_articles_attached_plan_and_task_table(extract_text):
    doc = extract_text(QUYET_DINH)
    assert doc.header.type == "Quyết định"
    assert doc.header.signer == "Phạm Thị Thanh Trà"
    assert paths(doc) == ["D1", "D2", "D3", "KH.I", "KH.I.1", "KH.II", "KH.II.1",
                          "T1.I", "T1.I.1", "T1.I.2", "T1.II", "T1.II.1"]
    row = next(s for s in doc.sections if s.path == "T1.I.1")
    assert row.cells["lead"] == "Vụ Pháp chế"
    assert row.cells["support"] == "Các đơn vị thuộc Bộ"
    assert row.cells["due"] == "Quý IV/2025"


GAZETTE = """CÔNG BÁO/Số 120/Ngày 02-06-2026
15


CHÍNH PHỦ
_________

Số: 88/NQ-CP
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
_______________________
Hà Nội, ngày 20 tháng 5 năm 2026

NGHỊ QUYẾT
Về một số nhiệm vụ, giải pháp thúc đẩy tăng trưởng
các ngành dịch vụ năm 2026
_____________

CHÍNH PHỦ
Căn cứ Luật Tổ chức Chính phủ ngày 18 tháng 02 năm 2025;
Trên cơ sở kết quả biểu quyết của các Thành viên Chính phủ.

QUYẾT NGHỊ:

Điều 1.
1. Bộ Tài chính chủ trì, phối hợp với các bộ, cơ quan, địa phương rà soát,
hoàn thiện cơ chế, chính sách phát triển thị trường dịch vụ.
Ký bởi: CÔNG BÁO NƯỚC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Cơ quan: VĂN PHÒNG CHÍNH PHỦ
Ngày ký: 2026-06-02 10:11:12 +07:00

CÔNG BÁO/Số 120/Ngày 02-06-2026
16


Việc rà soát phải hoàn thành trong quý III năm 2026.
2. Bộ Công Thương tổ chức xúc tiến thương mại.
Điều 2. Nghị quyết này có hiệu lực thi hành kể từ ngày ký.

TM. CHÍNH PHỦ
KT. THỦ TƯỚNG
PHÓ THỦ TƯỚNG
Nguyễn Văn An
"""


def test_gazette_text_with_running_heads_and_stamps(extract_text):
    doc = extract_text(GAZETTE)
    h = doc.header
    assert (h.number, h.type, h.issuer, h.date) == ("88/NQ-CP", "Nghị quyết", "Chính phủ", "2026-05-20")
    assert h.title == "Về một số nhiệm vụ, giải pháp thúc đẩy tăng trưởng các ngành dịch vụ năm 2026"
    assert (h.signer, h.signer_title) == ("Nguyễn Văn An", "Phó Thủ tướng")
    assert paths(doc) == ["D1", "D1.1", "D1.2", "D2"]
    d11 = next(s for s in doc.sections if s.path == "D1.1")
    assert "Việc rà soát phải hoàn thành trong quý III năm 2026." in d11.text
    assert "CÔNG BÁO" not in d11.text and "Ký bởi" not in d11.text
    assert d11.page == 1 and next(s for s in doc.sections if s.path == "D1.2").page == 2


def test_body_without_labels_is_paragraphs(extract_text):
    text = CONG_VAN.replace("1. Lập dự toán", "Lập dự toán").replace("2. Rà soát", "Rà soát")
    doc = extract_text(text)
    assert paths(doc) == ["p1", "p2"]


PARTY = open(__file__.replace("test_structure.py", "fixtures/party-chi-thi.txt"), encoding="utf-8").read()


def test_party_directive_header(extract_text):
    doc = extract_text(PARTY)
    h = doc.header
    assert (h.number, h.type, h.issuer, h.parent_issuer) == ("05-CT/TU", "Chỉ thị", "Tỉnh ủy Quảng Ninh",
                                                              "Đảng bộ Tỉnh Quảng Ninh")
    assert h.title == "về tăng cường sự lãnh đạo của Đảng đối với công tác chuyển đổi số"
    assert (h.signer, h.signer_title, h.signer_authority) == ("Vũ Đại Thắng", "Bí thư", "T/M")
    assert [s.path for s in doc.sections] == ["1", "2", "3"]
    t = {t.path: t for t in doc.tasks}
    assert [o.agency for o in t["2"].owners] == ["Đảng đoàn Hội đồng nhân dân tỉnh"]
    assert h.addressees == ["các cấp ủy, tổ chức đảng"]


def test_layout_text_with_columns_side_by_side(extract_text):
    # a "layout" text extraction: issuer | motto and Nơi nhận | signature on the same lines
    doc = extract_text(open(__file__.replace("test_structure.py", "fixtures/layout-ke-hoach.txt"), encoding="utf-8").read())
    h = doc.header
    assert (h.number, h.type, h.issuer, h.place, h.date) == ("112/KH-UBND", "Kế hoạch", "Ủy ban nhân dân tỉnh Hà Tĩnh",
                                                             "Hà Tĩnh", "2025-10-14")
    assert (h.signer, h.signer_title) == ("Trần Báu Hà", "Phó Chủ tịch")
    assert h.recipients == ["Bộ Khoa học và Công nghệ", "Các sở, ngành", "Lưu: VT"]
    assert [s.path for s in doc.sections] == ["I", "I.1", "II", "II.1", "II.2"]


def test_table_group_rows_spanning_the_number_cell_and_dotted_row_numbers(extract_text):
    table = ("| TT | Nhiệm vụ, giải pháp | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian thực hiện |\n"
             "| I. Hoàn thiện thể chế | | | | |\n"
             "| 1.1 | Rà soát quy định về đầu tư | Sở Tài chính | Sở Tư pháp | Quý IV/2026 |\n"
             "| 1.2 | Sửa đổi quy chế phối hợp | Sở Nội vụ | | Năm 2027 |\n")
    doc = extract_text(CHI_THI.replace("Nơi nhận:", table + "\nNơi nhận:"))
    rows = [s for s in doc.sections if s.path.startswith("T1")]
    assert [s.path for s in rows] == ["T1.I", "T1.I.1.1", "T1.I.1.2"]
    assert rows[0].text == "Hoàn thiện thể chế"
