"""Tests of the deadline normaliser (pipeline/deadlines.py).

Sentences are written for these tests in the genre's style; none is copied
from the development set.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from pipeline.deadlines import add_months, add_working_days, find_deadlines, last_day, quarter_end

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")

DOC = "2025-10-16"   # a Thursday


def keys(text: str, doc: str | None = DOC, cell: bool = False) -> list[str]:
    return [d.date or d.recurrence for d in find_deadlines(text, doc, cell=cell)]


# --------------------------------------------------------------------------
# due dates

DATED = [
    ("Sở Tài chính báo cáo UBND tỉnh trước ngày 15/8/2025.", "2025-08-15"),
    ("Các sở gửi báo cáo về Sở Nội vụ trước ngày 05 tháng 11 năm 2025 để tổng hợp.", "2025-11-05"),
    ("Sở Y tế trình phương án chậm nhất ngày 20/11/2025.", "2025-11-20"),
    ("Giao Sở Xây dựng rà soát quy hoạch, hoàn thành trước ngày 30/11/2025.", "2025-11-30"),
    ("Báo cáo nhanh về Văn phòng UBND tỉnh trước 16 giờ 00 ngày 28/10/2025.", "2025-10-28"),
    ("Các đơn vị hoàn thiện hồ sơ, xong trước 30/11/2025.", "2025-11-30"),
    ("Tổ chức kiểm tra, đánh giá, kết thúc đợt kiểm tra đến hết ngày 31/12/2025.", "2025-12-31"),
    ("Cập nhật dữ liệu lên hệ thống không quá ngày 10.12.2025.", "2025-12-10"),
    ("Trình Thủ tướng Chính phủ ban hành Quy chế trong tháng 11/2025.", "2025-11-30"),
    ("Hoàn thành việc chuyển đổi trong tháng 12 năm 2025.", "2025-12-31"),
    ("Bộ Công an xây dựng Đề án, báo cáo Thủ tướng trong quý 3/2026.", "2026-09-30"),
    ("Ban hành hướng dẫn trong quý III/2026.", "2026-09-30"),
    ("Sở Nội vụ tổng kết, báo cáo trong quý IV năm 2025.", "2025-12-31"),
    ("Hoàn thành quý I/2026.", "2026-03-31"),
    ("Triển khai thí điểm tại 05 xã, hoàn thành trong 6 tháng đầu năm 2026.", "2026-06-30"),
    ("Các địa phương hoàn thành việc số hóa hồ sơ trong 6 tháng cuối năm 2026.", "2026-12-31"),
    ("Phấn đấu hết năm 2025 số hóa 80% hồ sơ lưu trữ.", "2025-12-31"),
    ("Các bộ, ngành hoàn thành kết nối dữ liệu trong năm 2025.", "2025-12-31"),
    ("Đưa hệ thống vào vận hành chính thức cuối năm 2025.", "2025-12-31"),
    ("Điều hành thu chi bảo đảm hoàn thành 100% dự toán thu ngân sách năm 2025.", "2025-12-31"),
    ("Việc bàn giao phải hoàn thành trước ngày 01 tháng 7 năm 2026.", "2026-07-01"),
    ("Lập danh sách, trình phê duyệt trong tháng 01/2026.", "2026-01-31"),
    ("Hoàn thành trong quý III và quý IV năm 2026.", "2026-12-31"),
]


@pytest.mark.parametrize("text,due", DATED)
def test_dated(text: str, due: str) -> None:
    assert keys(text) == [due]


def test_time_of_day_and_span() -> None:
    text = "Các xã báo cáo nhanh trước 16 giờ 30 ngày 28/10/2025 để tổng hợp."
    [d] = find_deadlines(text, DOC)
    assert d.time == "16:30"
    assert d.date == "2025-10-28"
    assert d.text == "trước 16 giờ 30 ngày 28/10/2025"
    assert text[d.span.start:d.span.end] == d.text


def test_time_compact_form() -> None:
    [d] = find_deadlines("gửi về Sở trước 17h00 ngày 20/10/2025", DOC)
    assert (d.date, d.time) == ("2025-10-20", "17:00")


@pytest.mark.parametrize("text,doc,due", [
    ("Các đơn vị gửi báo cáo trước ngày 20/11.", "2025-10-16", "2025-11-20"),
    # the day is already past in the document's year: next year
    ("Các đơn vị gửi báo cáo trước ngày 15/01.", "2025-10-16", "2026-01-15"),
    ("Các đơn vị gửi báo cáo trước ngày 25 tháng 12.", "2025-10-16", "2025-12-25"),
    ("Hoàn thành trong tháng 12.", "2025-10-16", "2025-12-31"),
    ("Hoàn thành trong quý I.", "2025-10-16", "2026-03-31"),
    ("Tổ chức sơ kết vào cuối năm.", "2025-10-16", "2025-12-31"),
])
def test_year_less(text: str, doc: str, due: str) -> None:
    assert keys(text, doc) == [due]


def test_month_just_past_is_not_rolled_forward() -> None:
    # a narrative about last month in a May document, not a deadline next April
    assert keys("Trong tháng 4, Chính phủ đã ban hành 20 nghị định.", "2026-05-06") == []


# --------------------------------------------------------------------------
# relative deadlines

def test_working_days_cross_weekend() -> None:
    [d] = find_deadlines("Các sở báo cáo trong thời hạn 05 ngày làm việc kể từ ngày ký.", DOC)
    assert d.relative is True
    assert d.date == "2025-10-23"     # Thu 16 -> Fri, Mon, Tue, Wed, Thu
    assert d.text == "trong thời hạn 05 ngày làm việc kể từ ngày ký"


def test_calendar_days() -> None:
    [d] = find_deadlines("Gửi ý kiến trong vòng 10 ngày kể từ ngày ban hành Công văn này.", DOC)
    assert (d.date, d.relative) == ("2025-10-26", True)


def test_working_days_without_anchor() -> None:
    [d] = find_deadlines("Đề nghị các đơn vị phản hồi trong 03 ngày làm việc.", "2025-10-17")
    assert d.date == "2025-10-22"     # Fri 17 -> Mon, Tue, Wed


def test_counted_from_an_event_is_not_a_date() -> None:
    assert keys("Giải quyết hồ sơ trong thời hạn 05 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.") == []
    assert keys("Báo cáo chậm nhất 03 ngày làm việc sau khi kết thúc đợt kiểm tra.") == []


def test_relative_without_doc_date() -> None:
    [d] = find_deadlines("trong thời hạn 05 ngày làm việc kể từ ngày ký", None)
    assert d.relative and d.date is None


# --------------------------------------------------------------------------
# recurring

@pytest.mark.parametrize("text,rec", [
    ("Định kỳ hằng tháng tổng hợp, báo cáo Chủ tịch UBND xã.", "monthly"),
    ("Cập nhật số liệu hàng tháng lên Cổng thông tin điện tử.", "monthly"),
    ("Định kỳ hằng quý báo cáo UBND tỉnh kết quả thực hiện.", "quarterly"),
    ("Định kỳ 6 tháng, báo cáo kết quả về Sở Tài chính.", "half-yearly"),
    ("Tổ chức đánh giá 6 tháng một lần, báo cáo Ban Chỉ đạo.", "half-yearly"),
    ("Tổ chức kiểm tra 3 tháng/lần tại các cơ sở.", "quarterly"),
    ("Hằng năm, Sở Nội vụ tổng hợp kết quả thi đua, báo cáo UBND tỉnh.", "yearly"),
    ("Định kỳ hàng năm báo cáo Thủ tướng Chính phủ.", "yearly"),
    ("Duy trì tổng vệ sinh khu dân cư định kỳ hằng tuần.", "weekly"),
    ("Cập nhật tình hình dịch bệnh hằng ngày.", "daily"),
    ("Thường xuyên kiểm tra, đôn đốc các đơn vị thực hiện.", "continuous"),
])
def test_recurring(text: str, rec: str) -> None:
    ds = find_deadlines(text, DOC)
    assert [(d.recurrence, d.date) for d in ds] == [(rec, None)]


def test_monthly_with_day() -> None:
    [d] = find_deadlines("Các xã gửi báo cáo về Sở Tài chính trước ngày 20 hằng tháng.", DOC)
    assert (d.recurrence, d.day, d.date) == ("monthly", 20, None)
    assert d.rrule == "FREQ=MONTHLY;BYMONTHDAY=20"


def test_monthly_day_printed_apart() -> None:
    [d] = find_deadlines("Định kỳ hằng tháng, trước ngày 25, báo cáo UBND tỉnh.", DOC)
    assert (d.recurrence, d.day) == ("monthly", 25)
    # the day ends the sentence; a dotted date is still a date
    [d] = find_deadlines("Các sở gửi báo cáo về Văn phòng hằng tháng, trước ngày 25.", DOC)
    assert (d.recurrence, d.day) == ("monthly", 25)
    assert [(x.recurrence, x.date) for x in find_deadlines("Hằng tháng báo cáo; hoàn thành trước ngày 25.12.2025.", DOC)
            ] == [("monthly", None), (None, "2025-12-25")]


def test_yearly_with_day_and_month() -> None:
    text = "Định kỳ hằng năm đánh giá, báo cáo Chính phủ trước ngày 30 tháng 11 hằng năm."
    [d] = find_deadlines(text, DOC)
    assert (d.recurrence, d.day, d.month, d.date) == ("yearly", 30, 11, None)
    assert d.rrule == "FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=30"


def test_yearly_day_attached_from_clause() -> None:
    [d] = find_deadlines("Hằng năm, các sở báo cáo kết quả trước ngày 15/12.", DOC)
    assert (d.recurrence, d.day, d.month) == ("yearly", 15, 12)


def test_weekly_with_weekday() -> None:
    [d] = find_deadlines("Các xã báo cáo tiến độ vào thứ Sáu hằng tuần.", DOC)
    assert (d.recurrence, d.day, d.rrule) == ("weekly", 5, "FREQ=WEEKLY;BYDAY=FR")


# --------------------------------------------------------------------------
# traps: no deadline

TRAPS = [
    "Thanh toán dứt điểm các khoản nợ phát sinh trước 01/7/2025.",
    "Thực hiện nghiêm Nghị quyết số 66/NQ-CP ngày 26/3/2025 của Chính phủ.",
    "Căn cứ Kết luận số 213-KL/TW ngày 21 tháng 11 năm 2025 của Ban Bí thư;",
    "Theo số liệu tổng hợp tính đến ngày 30/9/2025, tỷ lệ giải ngân đạt 40%.",
    "Số liệu giải ngân ước thực hiện đến hết ngày 31/01/2026.",
    "Áp dụng mô hình quản lý mới từ ngày 01 tháng 7 năm 2025.",
    "Luật Dữ liệu có hiệu lực thi hành từ ngày 01/7/2025.",
    "Quyết định này có hiệu lực kể từ ngày ký.",
    "Xây dựng kế hoạch phát triển kinh tế - xã hội 5 năm giai đoạn 2026-2030.",
    "Chuẩn bị tốt cho năm học 2025-2026.",
    "Thực hiện quy hoạch tỉnh thời kỳ 2021-2030, tầm nhìn đến năm 2050.",
    "Phát triển ngành đến năm 2030, định hướng đến năm 2045.",
    "Kinh phí được bố trí trong dự toán chi thường xuyên của Sở.",
    "Bảo đảm hoạt động thường xuyên, liên tục của trạm bơm.",
    "Bố trí lại dân cư ở khu vực thường xuyên bị sạt lở.",
    "Bố trí tối thiểu 2% tổng chi ngân sách hằng năm cho chuyển đổi số.",
    "Đưa các mặt hàng thiết yếu vào kế hoạch dự trữ hàng năm của ngành.",
    "Đưa nhiệm vụ vào kế hoạch công tác hằng năm của cơ quan.",
    "Gửi báo cáo tổng kết công tác năm 2025 về Sở Nội vụ.",
    "Rà soát dự toán ngân sách năm 2025.",
    "Chấm điểm chỉ số cải cách hành chính năm 2025 của các sở.",
    "Đánh giá khả năng hấp thụ vốn của các công trình trong năm 2026.",
    "Tăng cường phòng cháy dịp cuối năm 2025 và Tết Nguyên đán.",
    "Tập trung thu ngân sách những tháng cuối năm 2025.",
    "Doanh nghiệp không bị thanh tra quá 01 lần/năm.",
    "Giai đoạn 1 từ năm 2023 đến hết năm 2025 là giai đoạn xây dựng cơ sở.",
    "Thu hút 20 triệu lượt khách quốc tế vào năm 2030.",
    "Các dự án đã hoàn thành trong năm 2025 được quyết toán.",
]


@pytest.mark.parametrize("text", TRAPS)
def test_traps(text: str) -> None:
    assert keys(text) == []


def test_cited_date_beside_a_deadline() -> None:
    text = ("Triển khai Nghị định số 165/2025/NĐ-CP ngày 30 tháng 6 năm 2025 của Chính phủ; "
            "hoàn thành trước ngày 30/11/2025.")
    assert keys(text) == ["2025-11-30"]


def test_start_date_beside_due_date() -> None:
    text = "Việc bàn giao phải hoàn thành trước ngày 01/7/2026. Từ ngày 01/7/2026, Sở trực tiếp quản lý."
    assert keys(text) == ["2026-07-01"]


# --------------------------------------------------------------------------
# table cells

@pytest.mark.parametrize("cell,expected", [
    ("2026", ["2026-12-31"]),
    ("Năm 2026", ["2026-12-31"]),
    ("Tháng 11/2025", ["2025-11-30"]),
    ("Trước 15/12/2025", ["2025-12-15"]),
    ("Quý I/2026", ["2026-03-31"]),
    ("Quý IV/2026", ["2026-12-31"]),
    ("Năm \n2026 - 2027", ["2027-12-31"]),
    ("Hằng năm", ["yearly"]),
    ("Thường xuyên", ["continuous"]),
    ("Thường \nxuyên, hằng \nnăm", ["continuous", "yearly"]),
    ("Quý IV/2025 và hằng năm", ["2025-12-31", "yearly"]),
    ("Năm 2026 \nvà các năm \ntiếp theo", ["2026-12-31", "yearly"]),
    ("Tháng 10-11/2025", ["2025-11-30"]),
    ("Quý III, IV/2025", ["2025-12-31"]),
    ("Giai đoạn 2026 - 2030", []),
    ("Năm học 2025-2026", []),
])
def test_cells(cell: str, expected: list[str]) -> None:
    assert keys(cell, DOC, cell=True) == expected


def test_bare_year_needs_cell_mode() -> None:
    assert keys("2026") == []


# --------------------------------------------------------------------------
# helpers

def test_calendar_helpers() -> None:
    assert last_day(2024, 2) == date(2024, 2, 29)
    assert quarter_end(2025, 3) == date(2025, 9, 30)
    assert add_working_days(date(2025, 10, 17), 1) == date(2025, 10, 20)
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)


def test_empty() -> None:
    assert find_deadlines("", DOC) == []
    assert find_deadlines("Tăng cường công tác tuyên truyền.", DOC) == []


# --------------------------------------------------------------------------
# development set smoke check (skipped when the shared set is absent)

DEV = Path("/work/shared/eval/dev")
_SPLIT = re.compile(r"\n\s*\n|\n(?=\s*(?:[IVX]+\.|\d+(?:\.\d+)*\.|[a-zđ]\)|[-+] |Điều \d))")


@pytest.mark.skipif(not DEV.is_dir(), reason="development set not available")
def test_dev_required_deadlines_found() -> None:
    """Every required dated deadline of the running-text dev documents is found
    somewhere in its text (by value; paths are the assign stage's business)."""
    missing = []
    for gp in sorted(DEV.glob("*.gold.json")):
        name = gp.name[:-len(".gold.json")]
        tp = DEV / f"{name}.txt"
        if not tp.exists():
            continue
        g = json.loads(gp.read_text(encoding="utf-8"))
        doc = (g.get("document") or {}).get("date")
        found: Counter = Counter()
        for para in _SPLIT.split(tp.read_text(encoding="utf-8")):
            if para.lstrip().startswith("|"):
                for line in para.splitlines():
                    for cell in line.strip().strip("|").split("|"):
                        if 0 < len(cell.strip()) <= 30:
                            found.update(keys(cell.strip(), doc, cell=True))
                continue
            found.update(keys(para, doc))
        for t in g.get("tasks", []):
            if t.get("optional") or str(t.get("path", "")).startswith("T") and not (DEV / f"{name}.docx").exists():
                continue
            for d in t.get("deadlines", []):
                if d.get("optional") or not d.get("date"):
                    continue
                if found[d["date"]] <= 0:
                    missing.append((name, t["path"], d["date"]))
                found[d["date"]] -= 1
    assert missing == []


def test_span_of_months_in_a_cell() -> None:
    assert keys("Tháng 9/2025 - Tháng 12/2025", DOC, cell=True) == ["2025-12-31"]
    assert keys("Từ tháng 9/2025 đến tháng 12/2025", DOC, cell=True) == ["2025-12-31"]
    assert keys("Từ ngày 22/12/2025 đến ngày 10/02/2026", DOC, cell=True) == ["2026-02-10"]


@pytest.mark.parametrize("text,due", [
    ("Thời hạn hoàn thành: tháng 12/2025.", "2025-12-31"),
    ("Thời gian thực hiện: quý I/2026.", "2026-03-31"),
    ("Các đơn vị gửi báo cáo muộn nhất ngày 25/11/2025.", "2025-11-25"),
])
def test_labelled_time(text: str, due: str) -> None:
    assert keys(text) == [due]


def test_decomposed_unicode_and_eth() -> None:
    import unicodedata
    text = unicodedata.normalize("NFD", "Sở Tài chính báo cáo trước ngày 15/11/2025. Ðịnh kỳ hằng quý báo cáo.")
    ds = find_deadlines(text, DOC)
    assert [(d.date, d.recurrence) for d in ds] == [("2025-11-15", None), (None, "quarterly")]
    for d in ds:
        assert text[d.span.start:d.span.end] == d.text


def test_daily_at_a_time() -> None:
    [d] = find_deadlines("Các tỉnh báo cáo tình hình mưa lũ về Văn phòng Chính phủ trước 15 giờ hằng ngày.", DOC)
    assert (d.recurrence, d.time, d.rrule) == ("daily", "15:00", "FREQ=DAILY;BYHOUR=15;BYMINUTE=0")


def test_weekday_and_afternoon() -> None:
    [d] = find_deadlines("Gửi hồ sơ trước 3 giờ chiều thứ Sáu, ngày 24/10/2025.", DOC)
    assert (d.date, d.time) == ("2025-10-24", "15:00")


def test_past_event_date_is_not_due() -> None:
    assert keys("Phiên họp đã được tổ chức vào ngày 04/10/2025.", DOC) == []
    assert keys("Hội nghị sơ kết tổ chức vào ngày 04/10/2025.", DOC) == []


@pytest.mark.parametrize("text", [
    "Trong năm 2025, toàn tỉnh đã hoàn thành 120 công trình.",
    "Hoàn thành trước Tết Nguyên đán Bính Ngọ năm 2026.",
])
def test_more_traps(text: str) -> None:
    assert keys(text) == []


def test_quarterly_day_of_next_quarter() -> None:
    [d] = find_deadlines("Các sở cập nhật dữ liệu trước ngày 05 của tháng đầu quý sau.", DOC)
    assert (d.recurrence, d.day) == ("quarterly", 5)


def test_counted_before_an_event_is_not_a_date() -> None:
    assert keys("Chậm nhất 05 ngày làm việc trước ngày tổ chức Hội nghị, các đơn vị gửi danh sách.") == []


def test_labelled_bare_year() -> None:
    assert keys("Thời gian hoàn thành: 2026.") == ["2026-12-31"]


@pytest.mark.parametrize("cell,expected", [
    ("Tháng 10/2025 - 12/2025", ["2025-12-31"]),
    ("Quý IV/2025 - Quý I/2026", ["2026-03-31"]),
    ("Hằng năm (trước 15/12)", ["yearly"]),
    ("Năm 2025, 2026", ["2026-12-31"]),
])
def test_more_cells(cell: str, expected: list[str]) -> None:
    assert keys(cell, DOC, cell=True) == expected


def test_quarter_every_year() -> None:
    [d] = find_deadlines("Tổ chức hội nghị đối thoại trong quý I hằng năm.", DOC)
    assert (d.recurrence, d.month, d.date) == ("yearly", 3, None)


def test_fraction_is_not_a_date() -> None:
    assert keys("Hoàn thành thủ tục trong 1/3 thời gian quy định.") == []


def test_cited_date_in_a_cell() -> None:
    assert keys("Theo Quyết định số 12/QĐ-UBND ngày 10/10/2025", DOC, cell=True) == []


def test_clause_final_quarter_after_an_order() -> None:
    assert keys("Sở Nội vụ tổng kết, báo cáo UBND tỉnh quý IV/2025.") == ["2025-12-31"]
    assert keys("Gửi báo cáo kết quả quý III/2025.") == []
    assert keys("Hội nghị tổ chức vào ngày 04 tháng 10 năm 2025.", DOC) == []


@pytest.mark.parametrize("text,rec", [
    ("Sở Công Thương báo cáo UBND tỉnh tình hình cung ứng xăng dầu trên địa bàn hằng quý.", "quarterly"),
    ("Trạm khí tượng cảnh báo mức độ nguy cơ lũ quét hằng ngày trên sóng phát thanh.", "daily"),
])
def test_recurrence_far_from_its_verb(text: str, rec: str) -> None:
    assert keys(text) == [rec]


def test_plan_noun_far_before_yearly() -> None:
    assert keys("Xây dựng kế hoạch đào tạo, bồi dưỡng cán bộ, công chức hằng năm.") == []
