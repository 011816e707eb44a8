"""Registry lookups and the agency finder on genre sentences."""
from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import pytest  # noqa: E402

from pipeline.agencies import AgencyMention, Registry, find_agencies, fold, norm  # noqa: E402


@pytest.fixture(scope="module")
def reg() -> Registry:
    return Registry.load()


def texts(s: str) -> list[str]:
    return [m.text for m in find_agencies(s)]


def check_offsets(s: str, ms: list[AgencyMention]) -> None:
    for m in ms:
        if m.via in ("registry", "pattern", "collective"):
            assert s[m.start:m.end] == m.text, (m, s[m.start:m.end])
        assert 0 <= m.start < m.end <= len(s)


# ------------------------------------------------------------------ registry

def test_registry_size_and_ids(reg: Registry) -> None:
    assert len(reg) > 150
    ids = [e.id for e in reg.entries]
    assert len(ids) == len(set(ids))
    for e in reg.entries:
        assert e.name == norm(e.name)
        assert "Uỷ" not in e.name
        if e.merged_into:
            assert reg.get(e.merged_into) is not None


def test_34_provinces(reg: Registry) -> None:
    now = [e for e in reg.entries if e.kind == "place" and e.valid_on("2025-08-01")]
    assert len(now) == 34
    assert reg.lookup("tỉnh Thái Bình", "2025-08-01").name == "Hưng Yên"


@pytest.mark.parametrize("printed,canonical", [
    ("UBND tỉnh", "Ủy ban nhân dân tỉnh"),
    ("Uỷ ban nhân dân tỉnh", "Ủy ban nhân dân tỉnh"),
    ("ỦY BAN NHÂN DÂN TỈNH", "Ủy ban nhân dân tỉnh"),
    ("Sở TN&MT", "Sở Tài nguyên và Môi trường"),
    ("BNN&PTNT", "Bộ Nông nghiệp và Phát triển nông thôn"),
    ("VPCP", "Văn phòng Chính phủ"),
    ("Bộ NN&MT", "Bộ Nông nghiệp và Môi trường"),
    ("Bộ KH&CN", "Bộ Khoa học và Công nghệ"),
    ("Bộ GD&ĐT", "Bộ Giáo dục và Đào tạo"),
    ("Bộ VHTTDL", "Bộ Văn hóa, Thể thao và Du lịch"),
    ("Bộ VH,TT&DL", "Bộ Văn hóa, Thể thao và Du lịch"),
    ("Bộ Văn hoá, Thể thao và Du lịch", "Bộ Văn hóa, Thể thao và Du lịch"),
    ("so tai chinh", "Sở Tài chính"),
    ("SO GIAO DUC VA DAO TAO", "Sở Giáo dục và Đào tạo"),
    ("Văn phòng HĐND và UBND phường", "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã"),
    ("Giám đốc Sở Y tế", "Sở Y tế"),
    ("Ủy ban nhân dân tỉnh Hưng Yên", "Ủy ban nhân dân tỉnh"),
    ("Ban Chính sách, Chiến lược Trung ương", "Ban Chính sách, Chiến lược Trung ương"),
    ("các sở, ban, ngành", "các sở, ban, ngành"),
    ("BTC", "Bộ Tài chính"),
    ("Ð\u00e0i Truyền hình Việt Nam", "Đài Truyền hình Việt Nam"),
])
def test_lookup(reg: Registry, printed: str, canonical: str) -> None:
    e = reg.lookup(printed)
    assert e is not None, printed
    assert e.name == canonical


def test_lookup_unknown(reg: Registry) -> None:
    assert reg.lookup("Ban Quản lý dự án đầu tư xây dựng khu vực Cái Rồng") is None
    assert reg.lookup("") is None


def test_old_names_merged(reg: Registry) -> None:
    old = reg.lookup("Bộ Kế hoạch và Đầu tư")
    assert old.valid_to == "2025-02-28" and old.merged_into == "bo-tai-chinh"
    assert reg.lookup("Bộ Kế hoạch và Đầu tư", on_date="2025-08-01").name == "Bộ Tài chính"
    assert reg.lookup("Bộ Kế hoạch và Đầu tư", on_date="2024-12-01").name == "Bộ Kế hoạch và Đầu tư"
    assert reg.lookup("Sở TN&MT", on_date="2025-09-01").name == "Sở Nông nghiệp và Môi trường"
    assert reg.lookup("Bộ Thông tin và Truyền thông", "2025-05-01").name == "Bộ Khoa học và Công nghệ"
    assert reg.lookup("Bộ LĐ-TB&XH", "2025-05-01").name == "Bộ Nội vụ"
    assert reg.lookup("Bộ GTVT", "2025-05-01").name == "Bộ Xây dựng"
    assert reg.lookup("Bộ Nông nghiệp và Môi trường").valid_from == "2025-03-01"
    assert reg.lookup("UBND huyện").valid_to == "2025-06-30"


def test_fold() -> None:
    assert fold("Sở Tài chính") == "so tai chinh"
    assert fold("Đắk Lắk") == "dak lak"
    assert norm("Uỷ ban hoà giải") == "Ủy ban hòa giải"


# ------------------------------------------------------------------ finder

def test_enumeration_ministries() -> None:
    s = "6. Các Bộ: Tài chính, Y tế, Giáo dục và Đào tạo rà soát, hoàn thiện cơ sở dữ liệu chuyên ngành."
    ms = find_agencies(s)
    assert [m.text for m in ms] == ["Bộ Tài chính", "Bộ Y tế", "Bộ Giáo dục và Đào tạo"]
    assert all(m.registered for m in ms)
    assert s[ms[2].start:ms[2].end] == "Giáo dục và Đào tạo"


def test_a_fixed_pair_with_a_comma_stays_in_a_collective_name() -> None:
    s = "Các Ban quản lý rừng phòng hộ, rừng đặc dụng tổ chức tuần tra; các Ban quản lý rừng phòng hộ, Hạt Kiểm lâm"
    assert [m.text for m in find_agencies(s)][:2] == ["Các Ban quản lý rừng phòng hộ, rừng đặc dụng",
                                                     "các Ban quản lý rừng phòng hộ"]


@pytest.mark.parametrize("text, names", [
    # commas inside one name "X, Y và Z" (no body, office or abbreviation after the comma)
    ("Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công chủ trì, phối hợp với Vụ Pháp chế.",
     ["Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công", "Vụ Pháp chế"]),
    ("Trung tâm Phát triển quỹ đất, Sở Tài chính và Sở Xây dựng rà soát.",
     ["Trung tâm Phát triển quỹ đất", "Sở Tài chính", "Sở Xây dựng"]),
    # "thuộc Bộ": the issuing body by its head word; "được giao nhiệm vụ tại Kế hoạch": which of them
    ("Các cơ quan, đơn vị thuộc Bộ nghiêm túc thực hiện.", ["Các cơ quan, đơn vị thuộc Bộ"]),
    ("Thủ trưởng các đơn vị thuộc Bộ được giao nhiệm vụ tại Kế hoạch xây dựng kế hoạch chi tiết.",
     ["các đơn vị thuộc Bộ được giao nhiệm vụ tại Kế hoạch"]),
    ("Các đơn vị thuộc Bộ được giao chủ trì nhiệm vụ chủ động triển khai.",
     ["Các đơn vị thuộc Bộ được giao chủ trì nhiệm vụ"]),
    # inspection teams are bodies too
    ("Các đoàn kiểm tra liên ngành cấp tỉnh tập trung kiểm tra cơ sở sản xuất.",
     ["Các đoàn kiểm tra liên ngành cấp tỉnh"]),
])
def test_names_of_unregistered_and_collective_bodies(text: str, names: list[str]) -> None:
    assert [m.text for m in find_agencies(text)] == names


def test_enumeration_departments_with_office() -> None:
    s = "Giám đốc các Sở: Tài chính, Nội vụ chịu trách nhiệm tổng hợp."
    ms = find_agencies(s)
    assert [m.text for m in ms] == ["Sở Tài chính", "Sở Nội vụ"]
    assert ms[0].office == "Giám đốc"


def test_enumeration_abbreviated() -> None:
    ms = find_agencies("Các Bộ: NN&MT, Xây dựng, Công thương chủ trì")
    assert [m.text for m in ms] == ["Bộ NN&MT", "Bộ Xây dựng", "Bộ Công thương"]
    assert ms[0].entry.id == "bo-nong-nghiep-va-moi-truong"
    assert ms[2].entry.id == "bo-cong-thuong"


def test_two_broadcasters() -> None:
    assert texts("Đài Truyền hình Việt Nam, Đài Tiếng nói Việt Nam tăng cường tuyên truyền.") == \
        ["Đài Truyền hình Việt Nam", "Đài Tiếng nói Việt Nam"]


@pytest.mark.parametrize("s,expected", [
    ("Giao các sở, ban, ngành triển khai.", ["các sở, ban, ngành"]),
    ("Đề nghị Ủy ban nhân dân các tỉnh, thành phố chỉ đạo.", ["Ủy ban nhân dân các tỉnh, thành phố"]),
    ("Bộ Văn hóa, Thể thao và Du lịch chủ trì.", ["Bộ Văn hóa, Thể thao và Du lịch"]),
    ("Đề nghị Ban Chính sách, Chiến lược Trung ương phối hợp.", ["Ban Chính sách, Chiến lược Trung ương"]),
    ("Yêu cầu các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ thực hiện.",
     ["các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ"]),
    ("Phòng Kinh tế, Hạ tầng và Đô thị chủ trì.", ["Phòng Kinh tế, Hạ tầng và Đô thị"]),
    ("Báo và Phát thanh, Truyền hình Quảng Ninh đẩy mạnh tuyên truyền.",
     ["Báo và Phát thanh, Truyền hình Quảng Ninh"]),
])
def test_fixed_collectives_and_comma_names(s: str, expected: list[str]) -> None:
    ms = find_agencies(s)
    assert [m.text for m in ms] == expected
    check_offsets(s, ms)


def test_list_of_three() -> None:
    assert texts("Bộ NN&MT, Bộ Công Thương, các địa phương") == ["Bộ NN&MT", "Bộ Công Thương", "các địa phương"]


def test_missing_comma() -> None:
    assert texts("Các Bộ, cơ quan UBND các tỉnh, thành phố") == ["Các Bộ, cơ quan", "UBND các tỉnh, thành phố"]


def test_office_holders() -> None:
    s = "Chánh Văn phòng UBND tỉnh, Thủ trưởng các sở, ngành và Giám đốc Sở Tài chính chịu trách nhiệm."
    ms = find_agencies(s)
    assert [(m.office, m.text) for m in ms] == [
        ("Chánh", "Văn phòng UBND tỉnh"), ("Thủ trưởng", "các sở, ngành"), ("Giám đốc", "Sở Tài chính")]
    check_offsets(s, ms)
    assert ms[0].office_start == 0
    assert ms[0].with_office == "Chánh Văn phòng UBND tỉnh"


def test_office_holders_of_kinds() -> None:
    s = ("Bộ trưởng, Thủ trưởng cơ quan ngang bộ, cơ quan thuộc Chính phủ, Chủ tịch Ủy ban nhân dân "
         "các tỉnh, thành phố trực thuộc trung ương chịu trách nhiệm thi hành.")
    ms = find_agencies(s)
    assert [m.text for m in ms] == ["các Bộ", "cơ quan ngang bộ", "cơ quan thuộc Chính phủ",
                                    "Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương"]
    assert ms[0].office == "Bộ trưởng" and ms[3].office == "Chủ tịch"


def test_ward_addressees() -> None:
    s = ("Chủ tịch Ủy ban nhân dân phường yêu cầu Thủ trưởng các phòng, đơn vị thuộc Ủy ban nhân dân phường, "
         "Trưởng Công an phường, Trưởng các tổ dân phố thực hiện tốt các nội dung sau:")
    ms = find_agencies(s)
    assert [m.text for m in ms] == ["Ủy ban nhân dân phường", "các phòng, đơn vị thuộc Ủy ban nhân dân phường",
                                    "Công an phường", "các tổ dân phố"]
    assert [m.office for m in ms] == ["Chủ tịch", "Thủ trưởng", "Trưởng", "Trưởng"]


def test_unregistered_by_pattern() -> None:
    s = "Giao Ban Quản lý dự án đầu tư xây dựng khu vực Cái Rồng chủ trì, phối hợp với Sở Xây dựng."
    ms = find_agencies(s)
    assert [m.text for m in ms] == ["Ban Quản lý dự án đầu tư xây dựng khu vực Cái Rồng", "Sở Xây dựng"]
    assert ms[0].registered is False and ms[0].entry is None and ms[0].via == "pattern"
    assert ms[1].registered is True and ms[1].kind == "provincial-department"
    check_offsets(s, ms)


def test_report_to_through() -> None:
    s = "báo cáo UBND tỉnh (qua Sở Tài chính) trước ngày 25/10/2025."
    ms = find_agencies(s)
    assert [m.text for m in ms] == ["UBND tỉnh", "Sở Tài chính"]
    assert s[ms[1].start:ms[1].end] == "Sở Tài chính"


def test_place_after_committee() -> None:
    ms = find_agencies("Ủy ban nhân dân thành phố Hà Nội phối hợp với Bộ Văn hoá, Thể thao và Du lịch.")
    assert [m.text for m in ms] == ["Ủy ban nhân dân thành phố Hà Nội", "Bộ Văn hoá, Thể thao và Du lịch"]
    assert ms[1].entry.name == "Bộ Văn hóa, Thể thao và Du lịch"


def test_no_agency_in_symbols_and_headings() -> None:
    assert texts("Thực hiện Nghị quyết số 12/NQ-BNN&PTNT ngày 15/8/2025.") == []
    assert texts("II. NHIỆM VỤ CỤ THỂ") == []
    assert texts("Các trường hợp vi phạm phải được xử lý.") == []


def test_nfd_input_offsets() -> None:
    import unicodedata
    s = unicodedata.normalize("NFD", "Giao Sở Tài chính chủ trì.")
    ms = find_agencies(s)
    assert len(ms) == 1
    assert unicodedata.normalize("NFC", s[ms[0].start:ms[0].end]) == "Sở Tài chính"


def test_make_doc_offsets_and_protection() -> None:
    from pipeline.nlp import make_doc
    s = "Giao Uỷ ban nhân dân tỉnh thực hiện Nghị quyết 66/NQ-CP ngày 15/8/2025 và 57-NQ/TW.\n\n- Sở Y tế  báo cáo."
    doc = make_doc(s)
    assert doc.text == s
    for t in doc:
        assert s[t.idx:t.idx + len(t.text)] == t.text
    toks = [t.text for t in doc]
    for x in ("Uỷ ban nhân dân tỉnh", "66/NQ-CP", "15/8/2025", "57-NQ/TW", "Sở Y tế"):
        assert x in toks
    assert [sp.text for sp in doc.spans["agencies"]] == ["Uỷ ban nhân dân tỉnh", "Sở Y tế"]
    assert doc.spans["agencies"][0].label_ == "uy-ban-nhan-dan-tinh"


def test_province_enumeration() -> None:
    s = "- Chủ tịch Ủy ban nhân dân các tỉnh, thành phố: Hà Nội, Quảng Ninh và Lào Cai;"
    ms = find_agencies(s)
    assert [m.text for m in ms] == ["Ủy ban nhân dân thành phố Hà Nội", "Ủy ban nhân dân tỉnh Quảng Ninh",
                                    "Ủy ban nhân dân tỉnh Lào Cai"]
    assert all(m.office == "Chủ tịch" and m.registered for m in ms)
    assert s[ms[1].start:ms[1].end] == "Quảng Ninh"


def test_body_named_by_kind_after_cue() -> None:
    s = "d) Chủ trì, phối hợp với đơn vị quản lý hệ thống chiếu sáng công cộng rà soát, sửa chữa."
    assert texts(s) == ["đơn vị quản lý hệ thống chiếu sáng công cộng"]


def test_table_cell_does_not_run_on() -> None:
    s = "Bộ Khoa học và Công nghệ \nNăm 2026 và các năm tiếp theo"
    assert texts(s) == ["Bộ Khoa học và Công nghệ"]
    s = "Ban Chỉ đạo \nPhòng thủ dân \nsự quốc gia \nBan Chỉ huy \nPTDS  \ncác cấp \nHằng năm \n2"
    assert texts(s) == ["Ban Chỉ đạo Phòng thủ dân sự quốc gia", "Ban Chỉ huy PTDS các cấp"]


def test_mention_to_owner() -> None:
    m = find_agencies("Giám đốc Sở Tài chính chủ trì")[0]
    o = m.owner(role="lead", offset=100, path="3.a")
    assert o.agency == "Sở Tài chính" and o.office == "Giám đốc" and o.registry_id == "so-tai-chinh"
    assert (o.span.start, o.span.end, o.span.path) == (109, 121, "3.a")


def test_office_opens_enumeration() -> None:
    s = "- Các Bộ trưởng: Quốc phòng, Công an, Nông nghiệp và Môi trường;\n- Tổng Giám đốc: Đài Truyền hình Việt Nam, Thông tấn xã Việt Nam."
    ms = find_agencies(s)
    assert [(m.office, m.text) for m in ms] == [
        ("Bộ trưởng", "Bộ Quốc phòng"), ("Bộ trưởng", "Bộ Công an"), ("Bộ trưởng", "Bộ Nông nghiệp và Môi trường"),
        ("Tổng Giám đốc", "Đài Truyền hình Việt Nam"), ("Tổng Giám đốc", "Thông tấn xã Việt Nam")]


def test_unregistered_enumeration_items_end_like_registered_names() -> None:
    s = "Vụ trưởng các Vụ: Pháp chế, Kế hoạch - Tài chính, Khoa học và Công nghệ chịu trách nhiệm thi hành."
    assert texts(s) == ["Vụ Pháp chế", "Vụ Kế hoạch - Tài chính", "Vụ Khoa học và Công nghệ"]


def test_which_places() -> None:
    assert texts("Sở Nông nghiệp và Môi trường các tỉnh, thành phố trực thuộc trung ương phối hợp.") == \
        ["Sở Nông nghiệp và Môi trường các tỉnh, thành phố trực thuộc trung ương"]
    assert texts("Công an các xã, phường tăng cường tuần tra.") == ["Công an các xã, phường"]
    assert texts("Ủy ban nhân dân các tỉnh, thành phố từ Quảng Trị đến Khánh Hòa chỉ đạo sơ tán.") == \
        ["Ủy ban nhân dân các tỉnh, thành phố từ Quảng Trị đến Khánh Hòa"]


def test_bare_office() -> None:
    ms = find_agencies("tổng hợp, báo cáo Bộ trưởng kết quả thực hiện")
    assert [(m.text, m.kind, m.via) for m in ms] == [("Bộ trưởng", "office", "office")]
