"""A generated corpus of genre documents for benchmarks: .txt and born-digital .pdf.

    python bench/generate.py                       # 1,000 documents into /tmp/bench-corpus
    python bench/generate.py -n 200 --out /tmp/c   # fewer, elsewhere
    python bench/generate.py --no-pdf              # text only

Every document is written from templates of our own in the genre of
Vietnamese task-assigning official documents (../shared/docs/GENRE.md):
issuers of several kinds (the Prime Minister, the Government, ministries, the
Government Office, provincial people's committees and their departments,
communes), document types (Công điện, Chỉ thị, Nghị quyết, Quyết định with an
attached Kế hoạch, Kế hoạch, Công văn, Thông báo kết luận), Roman parts,
numbered items, lettered points, "-"/"+" bullets, articles, agency-headed
items, appendix task tables, due dates and recurring deadlines, cited
documents, the "Nơi nhận" block and the signature block. Lengths are mixed,
from one page to about fifteen.

Output is deterministic: document ``i`` is drawn from ``random.Random(seed * 1_000_003 + i)``,
so any subset can be regenerated alone. PDFs are laid out with fpdf2 and the
DejaVu Serif font (header and closing as two columns, page numbers at the top
from page 2, ruled task tables whose heading row repeats on each page). A
``manifest.jsonl`` lists every document with its expected header and task count.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from multiprocessing import Pool
from pathlib import Path
from typing import Optional

DEFAULT_OUT = Path("/tmp/bench-corpus")
FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"),
             Path("/usr/local/share/fonts")]

# ---------------------------------------------------------------- vocabulary

PROVINCES = ["Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa",
             "Nghệ An", "Hà Tĩnh", "Cao Bằng", "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ", "Bắc Ninh",
             "Hưng Yên", "Hải Phòng", "Ninh Bình", "Quảng Trị", "Đà Nẵng", "Quảng Ngãi", "Gia Lai",
             "Khánh Hòa", "Lâm Đồng", "Đắk Lắk", "Hồ Chí Minh", "Đồng Nai", "Tây Ninh", "Cần Thơ",
             "Vĩnh Long", "Đồng Tháp", "Cà Mau", "An Giang"]
CITIES = {"Hà Nội", "Huế", "Hải Phòng", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ"}
COMMUNES = ["Tân Hội", "Phú Lộc", "Hòa Bình", "Thạnh Mỹ", "Đông Sơn", "Xuân Lộc", "An Phú", "Bình Minh",
            "Tam Hiệp", "Long Hưng", "Nghĩa Đàn", "Cát Tiên", "Vĩnh Thạnh", "Hương Sơn"]

# (name, code) of ministries and ministry-level bodies in force from 1 July 2025
MINISTRIES = [("Bộ Tài chính", "BTC"), ("Bộ Nội vụ", "BNV"), ("Bộ Công an", "BCA"), ("Bộ Quốc phòng", "BQP"),
              ("Bộ Ngoại giao", "BNG"), ("Bộ Tư pháp", "BTP"), ("Bộ Công Thương", "BCT"),
              ("Bộ Xây dựng", "BXD"), ("Bộ Y tế", "BYT"), ("Bộ Giáo dục và Đào tạo", "BGDĐT"),
              ("Bộ Nông nghiệp và Môi trường", "BNNMT"), ("Bộ Khoa học và Công nghệ", "BKHCN"),
              ("Bộ Văn hóa, Thể thao và Du lịch", "BVHTTDL"), ("Bộ Dân tộc và Tôn giáo", "BDTTG")]
CENTRAL_OTHERS = ["Ngân hàng Nhà nước Việt Nam", "Thanh tra Chính phủ", "Văn phòng Chính phủ",
                  "Bảo hiểm xã hội Việt Nam", "Đài Truyền hình Việt Nam", "Thông tấn xã Việt Nam"]
DEPARTMENTS = [("Sở Tài chính", "STC"), ("Sở Nội vụ", "SNV"), ("Sở Tư pháp", "STP"), ("Sở Công Thương", "SCT"),
               ("Sở Xây dựng", "SXD"), ("Sở Y tế", "SYT"), ("Sở Giáo dục và Đào tạo", "SGDĐT"),
               ("Sở Nông nghiệp và Môi trường", "SNNMT"), ("Sở Khoa học và Công nghệ", "SKHCN"),
               ("Sở Văn hóa, Thể thao và Du lịch", "SVHTTDL"), ("Sở Dân tộc và Tôn giáo", "SDTTG")]
PROVINCE_OTHERS = ["Công an tỉnh", "Bộ Chỉ huy Quân sự tỉnh", "Thanh tra tỉnh", "Văn phòng Ủy ban nhân dân tỉnh",
                   "Ban Quản lý các khu công nghiệp tỉnh", "Bảo hiểm xã hội tỉnh",
                   "Đài Phát thanh và Truyền hình tỉnh"]
COMMUNE_UNITS = ["Văn phòng HĐND và UBND xã", "Phòng Kinh tế", "Phòng Văn hóa - Xã hội",
                 "Trung tâm Phục vụ hành chính công xã", "Công an xã", "Ban Chỉ huy Quân sự xã"]
REQUESTED = {"central": ["Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam", "Tổng Liên đoàn Lao động Việt Nam"],
             "province": ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "Liên đoàn Lao động tỉnh"],
             "commune": ["Ủy ban Mặt trận Tổ quốc Việt Nam xã", "Hội Liên hiệp Phụ nữ xã"]}

TOPICS = [
    ("chuyển đổi số và phát triển chính quyền số", ["dịch vụ công trực tuyến toàn trình", "cơ sở dữ liệu dùng chung",
     "hệ thống thông tin giải quyết thủ tục hành chính", "tài khoản định danh điện tử mức độ 2",
     "nền tảng thanh toán không dùng tiền mặt"]),
    ("phòng, chống thiên tai và tìm kiếm cứu nạn", ["phương án sơ tán dân ở vùng trũng thấp", "hệ thống đê điều, hồ đập",
     "lực lượng, phương tiện ứng cứu tại chỗ", "bản đồ cảnh báo nguy cơ sạt lở đất", "kho vật tư dự phòng"]),
    ("đẩy nhanh giải ngân vốn đầu tư công", ["kế hoạch vốn đầu tư công năm sau", "công tác giải phóng mặt bằng",
     "hồ sơ thanh toán khối lượng hoàn thành", "danh mục dự án chậm tiến độ", "nguồn vật liệu xây dựng thông thường"]),
    ("bảo đảm an toàn thực phẩm", ["cơ sở sản xuất, kinh doanh thực phẩm", "chuỗi cung ứng nông sản an toàn",
     "bếp ăn tập thể tại các khu công nghiệp", "mẫu thực phẩm giám sát định kỳ", "quy chuẩn kỹ thuật địa phương"]),
    ("thực hiện chính sách giảm nghèo bền vững", ["hộ nghèo, hộ cận nghèo", "chương trình hỗ trợ sinh kế",
     "nhà ở cho người có công", "chính sách tín dụng ưu đãi", "dữ liệu an sinh xã hội"]),
    ("phòng cháy, chữa cháy rừng", ["vùng trọng điểm có nguy cơ cháy rừng cao", "đường băng cản lửa",
     "lực lượng bảo vệ rừng chuyên trách", "phương án chữa cháy rừng cấp xã", "hệ thống camera giám sát"]),
    ("cải cách thủ tục hành chính", ["bộ thủ tục hành chính nội bộ", "quy trình giải quyết liên thông",
     "hồ sơ trễ hạn, tồn đọng", "kết quả đánh giá chỉ số phục vụ người dân", "điều kiện kinh doanh"]),
    ("phát triển nguồn nhân lực y tế", ["đội ngũ bác sĩ tuyến cơ sở", "chương trình đào tạo chuyên khoa",
     "trạm y tế xã, phường", "chế độ đãi ngộ đối với nhân viên y tế", "hồ sơ sức khỏe điện tử"]),
    ("quản lý, sử dụng tài sản công", ["trụ sở dôi dư sau sắp xếp", "phương án xử lý nhà, đất",
     "cơ sở dữ liệu quốc gia về tài sản công", "tài sản kết cấu hạ tầng", "định mức sử dụng xe ô tô"]),
    ("phát triển nhà ở xã hội", ["quỹ đất cho nhà ở xã hội", "thủ tục đầu tư dự án nhà ở xã hội",
     "gói tín dụng ưu đãi cho người mua nhà", "danh sách đối tượng được hỗ trợ", "chỉ tiêu hoàn thành căn hộ"]),
]
ACTIONS = ["Rà soát, đánh giá", "Xây dựng và trình ban hành", "Tổ chức triển khai", "Hướng dẫn, đôn đốc thực hiện",
           "Kiểm tra, giám sát", "Tổng hợp, đề xuất phương án", "Hoàn thiện", "Tăng cường quản lý",
           "Chỉ đạo thực hiện", "Nghiên cứu, sửa đổi, bổ sung", "Chủ động bố trí nguồn lực cho",
           "Đẩy mạnh tuyên truyền về"]
PURPOSES = ["bảo đảm tiến độ, chất lượng và hiệu quả", "không để xảy ra tình trạng chồng chéo, bỏ sót nhiệm vụ",
            "kịp thời tháo gỡ khó khăn, vướng mắc", "đúng quy định của pháp luật",
            "phù hợp với điều kiện thực tế của địa phương", "công khai, minh bạch"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
          "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Minh", "Quốc", "Thanh", "Hữu", "Đức", "Ngọc", "Thu", "Xuân"]
GIVEN = ["Hùng", "Lan", "Dũng", "Hà", "Tuấn", "Hưng", "Sơn", "Hải", "Long", "Nam", "Phương", "Thảo",
         "Bình", "Khánh", "Trung", "Quang", "Thắng", "Hòa"]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
LETTERS = list("abcd") + ["đ"] + list("eghiklmnopqrstuvxy")

REAL_CITED = [
    ("Nghị quyết", "57-NQ/TW", date(2024, 12, 22), "Bộ Chính trị",
     "về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia"),
    ("Nghị định", "30/2020/NĐ-CP", date(2020, 3, 5), "Chính phủ", "về công tác văn thư"),
    ("Quyết định", "42/2014/QĐ-TTg", date(2014, 7, 27), "Thủ tướng Chính phủ",
     "ban hành Quy chế theo dõi, đôn đốc, kiểm tra việc thực hiện nhiệm vụ"),
    ("Chỉ thị", "42-CT/TW", date(2020, 3, 24), "Ban Bí thư",
     "về tăng cường sự lãnh đạo của Đảng đối với công tác phòng ngừa, ứng phó, khắc phục hậu quả thiên tai"),
    ("Nghị quyết", "66-NQ/TW", date(2025, 4, 30), "Bộ Chính trị",
     "về đổi mới công tác xây dựng và thi hành pháp luật"),
    ("Luật", "72/2025/QH15", date(2025, 6, 16), "Quốc hội", "Tổ chức chính quyền địa phương"),
]


@dataclass
class El:
    """One element of a document's layout."""

    kind: str                 # para | heading | table | appendix | closing | blank
    text: str = ""
    bold: bool = False
    italic: bool = False
    center: bool = False
    indent: bool = True
    rows: list[list[str]] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)
    left: list[str] = field(default_factory=list)     # closing: Nơi nhận lines
    right: list[str] = field(default_factory=list)    # closing: signature lines


@dataclass
class Doc:
    name: str
    kind: str
    number: str
    type: str
    issuer: str
    place: str
    date: date
    signer: str
    title: str
    header_left: list[str]
    header_right: list[str]
    type_line: str
    body: list[El]
    tasks: int = 0
    target_pages: int = 1
    subject: Optional[str] = None   # Công văn "V/v ..."


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def dmy(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}" if d.day < 10 or d.month < 3 else f"{d.day}/{d.month}/{d.year}"


def long_date(d: date) -> str:
    m = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return f"ngày {d.day:02d} tháng {m} năm {d.year}"


class Writer:
    """Draws the text of one document: owners, deadlines, references, task sentences."""

    def __init__(self, rnd: random.Random, level: str, province: str, commune: str, doc_date: date,
                 topic: tuple[str, list[str]]):
        self.r = rnd
        self.level = level
        self.province = province
        self.commune = commune
        self.date = doc_date
        self.topic, self.objects = topic
        self.tasks = 0

    # owners -----------------------------------------------------------------
    def agencies(self) -> list[str]:
        if self.level == "central":
            return [n for n, _ in MINISTRIES] + CENTRAL_OTHERS[:3]
        if self.level == "province":
            return [n for n, _ in DEPARTMENTS] + PROVINCE_OTHERS
        return COMMUNE_UNITS

    def agency(self, exclude: Optional[set] = None) -> str:
        pool = [a for a in self.agencies() if not exclude or a not in exclude]
        return self.r.choice(pool)

    def supports(self, lead: str, k: int) -> list[str]:
        pool = [a for a in self.agencies() if a != lead]
        out = self.r.sample(pool, min(k, len(pool)))
        if self.level == "central" and self.r.random() < 0.4:
            out.append("Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương")
        elif self.level == "province" and self.r.random() < 0.4:
            out.append("Ủy ban nhân dân các xã, phường")
        return out

    def superior(self) -> str:
        return {"central": "Thủ tướng Chính phủ", "province": "Ủy ban nhân dân tỉnh",
                "commune": "Chủ tịch Ủy ban nhân dân xã"}[self.level]

    # deadlines --------------------------------------------------------------
    def due_date(self) -> date:
        return self.date + timedelta(days=self.r.randint(10, 300))

    def deadline(self, cell: bool = False) -> str:
        d = self.due_date()
        q = (d.month - 1) // 3
        if cell:
            return self.r.choice([dmy(d), f"Tháng {d.month:02d}/{d.year}", f"Quý {ROMAN[q]}/{d.year}",
                                  "Thường xuyên", "Hằng năm", str(d.year)])
        return self.r.choice([
            f"hoàn thành trước ngày {dmy(d)}", f"hoàn thành trong tháng {d.month:02d}/{d.year}",
            f"hoàn thành trong quý {ROMAN[q]}/{d.year}", f"chậm nhất ngày {long_date(d)[5:]}",
            f"báo cáo {self.superior()} trước ngày 20 hằng tháng", f"định kỳ hằng quý báo cáo {self.superior()}",
            f"hoàn thành trước 16 giờ 00 ngày {dmy(d)}",
            "trong thời hạn 15 ngày làm việc kể từ ngày ký",
            f"báo cáo kết quả trước ngày 15 tháng 12 hằng năm",
        ])

    # references -------------------------------------------------------------
    def cited(self) -> str:
        real = [c for c in REAL_CITED if c[2] < self.date]
        if real and self.r.random() < 0.5:
            t, num, d, who, about = self.r.choice(real)
        else:
            d = self.date - timedelta(days=self.r.randint(20, 700))
            t, suffix, who = self.r.choice([("Nghị quyết", "NQ-CP", "Chính phủ"),
                                            ("Quyết định", "QĐ-TTg", "Thủ tướng Chính phủ"),
                                            ("Chỉ thị", "CT-TTg", "Thủ tướng Chính phủ"),
                                            ("Kế hoạch", "KH-UBND", f"Ủy ban nhân dân tỉnh {self.province}")])
            num = f"{self.r.randint(1, 399)}/{suffix}"
            about = f"về {self.topic}"
        if t == "Luật":
            return f"Luật {about} số {num}"
        return f"{t} số {num} ngày {dmy(d)} của {who} {about}"

    # sentences --------------------------------------------------------------
    def obj(self) -> str:
        return self.r.choice(self.objects)

    def clause(self) -> str:
        a = self.r.choice(ACTIONS)
        return f"{a[0].lower()}{a[1:]} {self.obj()} trong lĩnh vực {self.topic}, {self.r.choice(PURPOSES)}"

    def task_sentence(self, owner: Optional[str] = None) -> str:
        """A sentence that gives a task to an owner (or to the item's owner when ``owner`` is '')."""
        self.tasks += 1
        r = self.r
        tail = f"; {self.deadline()}." if r.random() < 0.6 else "."
        if r.random() < 0.15:
            tail = f" theo {self.cited()}" + tail
        if owner == "":  # the owner is the heading's agency or the addressees
            a = r.choice(ACTIONS)
            return f"{a} {self.obj()}; {self.r.choice(PURPOSES)}" + tail
        lead = owner or self.agency()
        form = r.randrange(6)
        if form == 0:
            sup = ", ".join(self.supports(lead, r.randint(1, 3)))
            return f"{lead} chủ trì, phối hợp với {sup} {self.clause()}" + tail
        if form == 1:
            sup = ", ".join(self.supports(lead, r.randint(1, 2)))
            return f"Giao {lead} chủ trì, phối hợp với {sup} {self.clause()}" + tail
        if form == 2:
            return f"{lead} có trách nhiệm {self.clause()}" + tail
        if form == 3:
            return f"Yêu cầu {lead} {self.clause()}" + tail
        if form == 4:
            req = r.choice(REQUESTED[self.level])
            return f"Đề nghị {req} {self.clause()}" + tail
        return (f"{lead} chủ trì {self.clause()}, báo cáo {self.superior()} "
                f"(qua {self.agency({lead})}) kết quả thực hiện" + tail)

    def filler(self) -> str:
        r = self.r
        return (f"Thời gian qua, công tác {self.topic} đã đạt được một số kết quả quan trọng; tuy nhiên, việc "
                f"{r.choice(ACTIONS).lower()} {self.obj()} ở một số nơi còn chậm, "
                f"chưa {r.choice(PURPOSES)}. Nguyên nhân chủ yếu là do sự phối hợp giữa các cơ quan, đơn vị "
                f"chưa chặt chẽ, nguồn lực bố trí còn hạn chế.")


# ---------------------------------------------------------------- documents

def signer_name(r: random.Random) -> str:
    return f"{r.choice(FAMILY)} {r.choice(MIDDLE)} {r.choice(GIVEN)}"


def _number(r: random.Random, kind: str, code: str, year: int) -> str:
    n = r.randint(1, 999)
    n = f"{n:02d}"
    return {"CĐ": f"{n}/CĐ-{code}", "CT": f"{n}/CT-{code}", "NQ": f"{n}/NQ-{code}", "QĐ": f"{n}/QĐ-{code}",
            "KH": f"{n}/KH-{code}", "TB": f"{n}/TB-{code}", "CV": f"{n}/{code}"}[kind]


KINDS = [  # (kind, level, weight)
    ("ttg-cd", "central", 1), ("ttg-ct", "central", 1), ("cp-nq", "central", 1), ("bo-qd-kh", "central", 1),
    ("bo-cv", "central", 1), ("vpcp-tb", "central", 1), ("tinh-ct", "province", 2), ("tinh-kh", "province", 2),
    ("so-kh", "province", 1), ("xa-kh", "commune", 1),
]
TYPE_NAMES = {"CĐ": "Công điện", "CT": "Chỉ thị", "NQ": "Nghị quyết", "QĐ": "Quyết định", "KH": "Kế hoạch",
              "TB": "Thông báo", "CV": "Công văn"}


def target_pages(r: random.Random) -> int:
    """Mixed lengths, most documents short, a tail up to 15 pages."""
    return min(15, max(1, int(r.lognormvariate(1.1, 0.75))))


def make_doc(i: int, seed: int = 7) -> Doc:
    r = random.Random(seed * 1_000_003 + i)
    kinds = [k for k in KINDS for _ in range(k[2])]
    kind, level, _ = r.choice(kinds)
    province = r.choice(PROVINCES)
    commune = r.choice(COMMUNES)
    d = date(2024, 1, 2) + timedelta(days=r.randint(0, 900))
    w = Writer(r, level, province, commune, d, r.choice(TOPICS))
    pages = target_pages(r)
    budget = pages * 1800 - 1500           # characters of body for the page target
    tinh = "THÀNH PHỐ" if province in CITIES else "TỈNH"
    tinh_lc = "thành phố" if province in CITIES else "tỉnh"
    motto = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    place = "Hà Nội" if level == "central" else (province if level == "province" else commune)
    subject = None
    # issuer, type, signature ------------------------------------------------
    if kind.startswith("ttg"):
        t = "CĐ" if kind == "ttg-cd" else "CT"
        left, issuer, code = ["THỦ TƯỚNG CHÍNH PHỦ"], "Thủ tướng Chính phủ", "TTg"
        sig = r.choice([["THỦ TƯỚNG"], ["KT. THỦ TƯỚNG", "PHÓ THỦ TƯỚNG"]])
    elif kind == "cp-nq":
        t, left, issuer, code = "NQ", ["CHÍNH PHỦ"], "Chính phủ", "CP"
        sig = ["TM. CHÍNH PHỦ", r.choice(["THỦ TƯỚNG", "KT. THỦ TƯỚNG\nPHÓ THỦ TƯỚNG"])]
        sig = [s for x in sig for s in x.split("\n")]
    elif kind in ("bo-qd-kh", "bo-cv"):
        name, code = r.choice(MINISTRIES)
        t = "QĐ" if kind == "bo-qd-kh" else "CV"
        if t == "CV":
            code = f"{code}-{r.choice(['VP', 'KH', 'PC', 'TCCB', 'QLCS'])}"
        left, issuer = [name.upper()], name
        sig = r.choice([["BỘ TRƯỞNG"], ["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"]])
    elif kind == "vpcp-tb":
        t, left, issuer, code = "TB", ["VĂN PHÒNG CHÍNH PHỦ"], "Văn phòng Chính phủ", "VPCP"
        sig = ["KT. BỘ TRƯỞNG, CHỦ NHIỆM", "PHÓ CHỦ NHIỆM"]
    elif kind == "so-kh":
        name, code = r.choice(DEPARTMENTS)
        t = "KH"
        left, issuer = [f"ỦY BAN NHÂN DÂN {tinh} {province.upper()}", name.upper()], f"{name} {tinh_lc} {province}"
        sig = r.choice([["GIÁM ĐỐC"], ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]])
    elif kind == "xa-kh":
        t, code = "KH", "UBND"
        left, issuer = ["ỦY BAN NHÂN DÂN", f"XÃ {commune.upper()}"], f"Ủy ban nhân dân xã {commune}"
        sig = ["TM. ỦY BAN NHÂN DÂN", r.choice(["CHỦ TỊCH", "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"])]
        sig = [s for x in sig for s in x.split("\n")]
    else:  # tinh-ct, tinh-kh
        t, code = ("CT" if kind == "tinh-ct" else "KH"), "UBND"
        left, issuer = ["ỦY BAN NHÂN DÂN", f"{tinh} {province.upper()}"], f"Ủy ban nhân dân {tinh_lc} {province}"
        sig = (["TM. ỦY BAN NHÂN DÂN"] if t == "KH" else []) + r.choice([["CHỦ TỊCH"], ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]])
    number = _number(r, t, code, d.year)
    signer = signer_name(r)
    type_name = TYPE_NAMES[t]
    title = f"Về việc tăng cường {w.topic}" if t in ("CĐ", "CT", "CV") else \
        f"Kết luận của Phó Thủ tướng Chính phủ {signer_name(r)} tại cuộc họp về {w.topic}" if t == "TB" else \
        f"Triển khai thực hiện {w.topic} năm {d.year}" if t == "KH" else \
        f"Về {w.topic}" if t == "NQ" else f"Ban hành Kế hoạch {w.topic} năm {d.year}"
    body: list[El] = []
    size = 0

    def add(el: El) -> None:
        nonlocal size
        body.append(el)
        size += len(el.text) + sum(len(c) for row in el.rows for c in row)

    # preamble ---------------------------------------------------------------
    if t == "CV":
        subject = f"V/v triển khai {w.topic}"
        title = ""
        add(El("para", "Kính gửi:", indent=True))
        for a in (["Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ;",
                   "Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương."]):
            add(El("para", f"- {a}", indent=True))
    if t in ("NQ", "QĐ"):
        for _ in range(r.randint(2, 4)):
            add(El("para", f"Căn cứ {w.cited()};", italic=True))
        add(El("para", f"Theo đề nghị của {r.choice(['Bộ trưởng Bộ Tài chính', 'Bộ trưởng Bộ Nội vụ', 'Chánh Văn phòng'])}.",
               italic=True))
        add(El("para", "QUYẾT NGHỊ:" if t == "NQ" else "QUYẾT ĐỊNH:", bold=True, center=True, indent=False))
    elif t == "CĐ":
        add(El("para", "THỦ TƯỚNG CHÍNH PHỦ điện:", bold=True))
        for a in ["Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương;",
                  f"Các Bộ trưởng: {', '.join(n.removeprefix('Bộ ') for n, _ in r.sample(MINISTRIES, 4))};"]:
            add(El("para", f"- {a}"))
        add(El("para", w.filler()))
        add(El("para", f"Thực hiện {w.cited()}, Thủ tướng Chính phủ yêu cầu:"))
    elif t == "TB":
        add(El("para", f"Ngày {dmy(d - timedelta(days=3))}, tại trụ sở Chính phủ, Phó Thủ tướng Chính phủ đã chủ trì "
                       f"cuộc họp về {w.topic}. Tham dự cuộc họp có đại diện lãnh đạo các bộ, cơ quan liên quan. "
                       f"Sau khi nghe báo cáo và ý kiến của các đại biểu, Phó Thủ tướng Chính phủ kết luận như sau:"))
    else:
        add(El("para", w.filler()))
        who = {"CT": f"Chủ tịch Ủy ban nhân dân {tinh_lc} yêu cầu Thủ trưởng các sở, ban, ngành; Chủ tịch Ủy ban "
                     f"nhân dân các xã, phường thực hiện các nhiệm vụ sau:",
               "KH": f"Thực hiện {w.cited()}, {issuer} ban hành Kế hoạch thực hiện như sau:",
               "CV": f"Thực hiện {w.cited()}, {issuer} đề nghị các cơ quan, đơn vị thực hiện các nội dung sau:"}[t]
        if t == "CT" and level == "central":
            who = "Thủ tướng Chính phủ yêu cầu các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ, Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương thực hiện các nhiệm vụ sau:"
        add(El("para", who))

    # body -------------------------------------------------------------------
    def items(prefix: str, n: int, depth: int = 0) -> None:
        for k in range(1, n + 1):
            if size >= budget and k > 1:
                return
            style = r.random()
            lab = f"{prefix}{k}."
            if style < 0.35:
                add(El("para", f"{lab} {w.task_sentence()}"))
            elif style < 0.65:
                owner = w.agency()
                add(El("para", f"{lab} {owner}:"))
                for j in range(r.randint(2, 5)):
                    add(El("para", f"{LETTERS[j]}) {w.task_sentence('')}"))
            elif style < 0.85:
                add(El("para", f"{lab} Về {w.obj()}"))
                for _ in range(r.randint(2, 4)):
                    add(El("para", f"- {w.task_sentence()}"))
                    if r.random() < 0.3:
                        add(El("para", f"+ {w.task_sentence('')}"))
            else:
                add(El("para", f"{lab} {w.filler()}"))

    if t in ("NQ", "QĐ"):
        art = 1
        if t == "QĐ":
            add(El("para", f"Điều 1. Ban hành kèm theo Quyết định này Kế hoạch {w.topic} năm {d.year}.", indent=True))
            art = 2
        first = art
        while (art == first or size < budget * (0.6 if t == "QĐ" else 1.0)) and art < 12:
            add(El("para", f"Điều {art}. {r.choice(['Nhiệm vụ', 'Giải pháp', 'Trách nhiệm'])} về {w.obj()}", bold=True))
            for k in range(1, r.randint(2, 6)):
                if r.random() < 0.5:
                    add(El("para", f"{k}. {w.task_sentence()}"))
                else:
                    add(El("para", f"{k}. {w.agency()}:"))
                    for j in range(r.randint(2, 4)):
                        add(El("para", f"{LETTERS[j]}) {w.task_sentence('')}"))
            art += 1
        add(El("para", f"Điều {art}. Quyết định này có hiệu lực kể từ ngày ký." if t == "QĐ" else
               f"Điều {art}. Nghị quyết này có hiệu lực kể từ ngày ký ban hành.", bold=False))
        add(El("para", f"Điều {art + 1}. Các Bộ trưởng, Thủ trưởng cơ quan ngang bộ, Chủ tịch Ủy ban nhân dân các "
                       f"tỉnh, thành phố trực thuộc trung ương chịu trách nhiệm thi hành {'Quyết định' if t == 'QĐ' else 'Nghị quyết'} này./."))
    elif t in ("CĐ", "CV", "TB"):
        items("", 60)
        k = len([e for e in body if e.text[:3].rstrip(".").isdigit()]) + 1
        while size < budget and k < 80:
            add(El("para", f"{k}. {w.task_sentence()}"))
            k += 1
        add(El("para", f"{k}. Văn phòng Chính phủ theo dõi, đôn đốc việc thực hiện; báo cáo {w.superior()} "
                       f"những vấn đề phát sinh./." if level == "central" else f"{k}. Tổ chức thực hiện./."))
    else:  # CT, KH: Roman parts
        parts = ["MỤC ĐÍCH, YÊU CẦU", "NHIỆM VỤ, GIẢI PHÁP", "TỔ CHỨC THỰC HIỆN"] if t == "KH" else \
            ["NHIỆM VỤ TRỌNG TÂM", "GIẢI PHÁP CHỦ YẾU", "TỔ CHỨC THỰC HIỆN"]
        if pages > 6:
            parts[2:2] = ["NHIỆM VỤ CỤ THỂ CỦA CÁC CƠ QUAN", "KIỂM TRA, GIÁM SÁT"]
        per = max(budget // max(1, len(parts) - (t == "KH")), 600)
        for pi, head in enumerate(parts):
            add(El("heading", f"{ROMAN[pi]}. {head}", bold=True, indent=True))
            if t == "KH" and pi == 0:
                add(El("para", w.filler()))
                add(El("para", f"Việc triển khai phải {r.choice(PURPOSES)}; gắn trách nhiệm của người đứng đầu với kết quả thực hiện."))
                continue
            goal = size + per
            k = 1
            while size < goal and k < 40:
                style = r.random()
                if style < 0.4:
                    add(El("para", f"{k}. {w.task_sentence()}"))
                elif style < 0.7:
                    add(El("para", f"{k}. {w.agency()}:"))
                    for j in range(r.randint(2, 5)):
                        add(El("para", f"{LETTERS[j]}) {w.task_sentence('')}"))
                else:
                    add(El("para", f"{k}. Về {w.obj()}"))
                    for _ in range(r.randint(2, 4)):
                        add(El("para", f"- {w.task_sentence()}"))
                        if r.random() < 0.25:
                            add(El("para", f"+ {w.task_sentence('')}"))
                k += 1
        body[-1].text = body[-1].text.rstrip(".") + "./."
    # closing ----------------------------------------------------------------
    recipients = ["Như trên;", {"central": "Thủ tướng, các Phó Thủ tướng Chính phủ;",
                                "province": "Thường trực Tỉnh ủy;", "commune": "TT Đảng ủy, TT HĐND xã;"}[level]]
    recipients += [f"{a};" for a in r.sample(w.agencies(), 3)]
    recipients.append(f"Lưu: VT, {r.choice(['TH', 'KT', 'NC', 'VX'])}.")
    right = sig + ["(Đã ký)", signer]
    body.append(El("closing", left=["Nơi nhận:"] + [f"- {x}" for x in recipients], right=right))
    # appendix task table (KH, NQ, QĐ: sometimes; long documents: more rows) --
    if t in ("KH", "NQ", "QĐ") and (r.random() < 0.6 or t == "QĐ"):
        rows = [["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"]]
        nrows = max(3, (budget - size) // 260 + r.randint(2, 6))
        group = 0
        stt = 0
        for k in range(nrows):
            if k % 7 == 0 and r.random() < 0.6:
                rows.append([ROMAN[group], f"{r.choice(['Nhiệm vụ', 'Giải pháp'])} về {w.obj()}", "", "", ""])
                group += 1
                stt = 0
            stt += 1
            lead = w.agency()
            w.tasks += 1
            act = r.choice(ACTIONS)
            rows.append([str(stt), f"{act} {w.obj()}", lead, ", ".join(w.supports(lead, r.randint(1, 2))),
                         w.deadline(cell=True)])
        sub = f"(Kèm theo {type_name} số {number} ngày {dmy(d)} của {issuer})"
        body.append(El("appendix", "PHỤ LỤC", left=["NHIỆM VỤ TRIỂN KHAI", sub]))
        body.append(El("table", rows=rows, widths=[12, 62, 36, 36, 25]))
        size += sum(len(c) for row in rows for c in row)
    header_right = motto + [f"{place}, {long_date(d)}"]
    hl = left + [f"Số: {number}"] + ([subject] if subject else [])
    tl = type_name.upper() if t != "CV" else ""
    if t == "TB":
        tl = "THÔNG BÁO"
    return Doc(name=f"gen-{i:05d}", kind=kind, number=number, type=type_name, issuer=issuer, place=place, date=d,
               signer=signer, title=title, header_left=hl, header_right=header_right, type_line=tl,
               body=body, tasks=w.tasks, target_pages=pages, subject=subject)


# ---------------------------------------------------------------- text

def to_text(doc: Doc) -> str:
    out: list[str] = []
    out += doc.header_left[:-1 - bool(doc.subject)]
    out += [""] + doc.header_right[:2] + [""]
    out += [doc.header_left[-1 - bool(doc.subject)]] + ([doc.subject] if doc.subject else []) + [""]
    out += [doc.header_right[2], ""]
    if doc.type_line:
        out += [doc.type_line, ""]
    if doc.title:
        out += [doc.title, ""]
    for el in doc.body:
        if el.kind in ("para", "heading"):
            out += [el.text, ""]
        elif el.kind == "closing":
            out += el.left + [""] + el.right[:-2] + ["", el.right[-2], "", el.right[-1], ""]
        elif el.kind == "appendix":
            out += [el.text, ""] + [x for x in el.left for x in (x, "")]
        elif el.kind == "table":
            out += ["| " + " | ".join(row) + " |" for row in el.rows] + [""]
    return nfc("\n".join(out).rstrip() + "\n")


# ---------------------------------------------------------------- PDF

def _font_dir() -> Path:
    for d in FONT_DIRS:
        if (d / "DejaVuSerif.ttf").exists():
            return d
    raise SystemExit("DejaVu Serif not found (apt-get install fonts-dejavu-core)")


def to_pdf(doc: Doc, path: Path) -> int:
    """Lay the document out as a born-digital PDF; returns its page count."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    fd = _font_dir()

    class P(FPDF):
        def header(self):
            if self.page_no() > 1:
                self.set_font("serif", "", 12)
                self.set_y(10)
                self.cell(0, 6, str(self.page_no()), align="C")
                self.set_y(20)

    pdf = P(format="A4", unit="mm")
    pdf.set_creator("directives bench/generate.py (fpdf2)")
    pdf.set_producer("fpdf2")
    pdf.set_title(f"{doc.type} {doc.number}")
    pdf.set_margins(30, 20, 15)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_font("serif", "", str(fd / "DejaVuSerif.ttf"))
    pdf.add_font("serif", "B", str(fd / "DejaVuSerif-Bold.ttf"))
    pdf.add_font("serif", "I", str(fd / "DejaVuSerif-Italic.ttf"))
    pdf.add_font("serif", "BI", str(fd / "DejaVuSerif-BoldItalic.ttf"))
    pdf.add_page()
    W = pdf.w - pdf.l_margin - pdf.r_margin
    lw, rw = 70.0, W - 72.0
    lx, rx = pdf.l_margin - 10, pdf.l_margin + 70.0
    # header: two columns ------------------------------------------------------
    y0 = pdf.get_y()
    hl = doc.header_left
    n_issuer = len(hl) - 1 - bool(doc.subject)
    pdf.set_xy(lx, y0)
    for k, line in enumerate(hl[:n_issuer]):
        pdf.set_font("serif", "B" if k == n_issuer - 1 else "", 12)
        pdf.set_x(lx)
        pdf.multi_cell(lw, 5.5, line, align="C", new_x="LMARGIN", new_y="NEXT")
    y = pdf.get_y() + 1
    pdf.line(lx + lw / 2 - 12, y, lx + lw / 2 + 12, y)
    pdf.set_xy(lx, y + 2)
    pdf.set_font("serif", "", 12)
    pdf.multi_cell(lw, 5.5, hl[n_issuer], align="C", new_x="LMARGIN", new_y="NEXT")
    if doc.subject:
        pdf.set_x(lx)
        pdf.set_font("serif", "", 11)
        pdf.multi_cell(lw, 5, doc.subject, align="C", new_x="LMARGIN", new_y="NEXT")
    yl = pdf.get_y()
    pdf.set_xy(rx, y0)
    pdf.set_font("serif", "B", 10)
    pdf.multi_cell(rw, 5.5, doc.header_right[0], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(rx)
    pdf.set_font("serif", "B", 12)
    pdf.multi_cell(rw, 5.5, doc.header_right[1], align="C", new_x="LMARGIN", new_y="NEXT")
    y = pdf.get_y() + 1
    pdf.line(rx + rw / 2 - 25, y, rx + rw / 2 + 25, y)
    pdf.set_xy(rx, y + 3)
    pdf.set_font("serif", "I", 12)
    pdf.multi_cell(rw, 5.5, doc.header_right[2], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(yl, pdf.get_y()) + 6)
    # type and title -----------------------------------------------------------
    if doc.type_line:
        pdf.set_font("serif", "B", 13)
        pdf.multi_cell(W, 6.5, doc.type_line, align="C", new_x="LMARGIN", new_y="NEXT")
    if doc.title:
        pdf.set_font("serif", "B", 13)
        pdf.multi_cell(W, 6.5, doc.title, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.line(pdf.l_margin + W / 2 - 20, pdf.get_y() + 1, pdf.l_margin + W / 2 + 20, pdf.get_y() + 1)
    pdf.ln(5)
    # body -----------------------------------------------------------------------
    body = doc.body
    k = 0
    while k < len(body):
        el = body[k]
        if el.kind in ("para", "heading") and el.center:
            pdf.set_font("serif", "B", 13)
            pdf.multi_cell(W, 6.5, el.text, align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1.5)
            k += 1
            continue
        if el.kind in ("para", "heading"):
            # a run of body paragraphs: justified, first line indented 10 mm
            with pdf.text_columns(text_align="J", line_height=1.3) as cols:
                while k < len(body) and body[k].kind in ("para", "heading") and not body[k].center:
                    el = body[k]
                    pdf.set_font("serif", ("B" if el.bold else "") + ("I" if el.italic else ""), 13)
                    with cols.paragraph(first_line_indent=10 if el.indent else 0, bottom_margin=1.5) as par:
                        par.write(el.text)
                    k += 1
            continue
        k += 1
        if el.kind == "closing":
            need = 6 * max(len(el.left), len(el.right) + 3) + 10
            if pdf.get_y() + need > pdf.h - 20:
                pdf.add_page()
            y0 = pdf.get_y() + 3
            pdf.set_xy(pdf.l_margin - 10, y0)
            pdf.set_font("serif", "BI", 12)
            pdf.cell(70, 5.5, el.left[0], new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("serif", "", 11)
            for line in el.left[1:]:
                pdf.set_x(pdf.l_margin - 10)
                pdf.multi_cell(72, 5, line, new_x="LMARGIN", new_y="NEXT")
            yl = pdf.get_y()
            pdf.set_xy(rx, y0)
            for line in el.right:
                if line == "(Đã ký)":
                    pdf.set_font("serif", "I", 13)
                    pdf.set_x(rx)
                    pdf.cell(rw, 16, line, align="C", new_x="LMARGIN", new_y="NEXT")
                    continue
                pdf.set_font("serif", "B", 13)
                pdf.set_x(rx)
                pdf.multi_cell(rw, 6, line, align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.set_y(max(yl, pdf.get_y()) + 4)
        elif el.kind == "appendix":
            pdf.add_page()
            pdf.set_font("serif", "B", 13)
            pdf.multi_cell(W, 6.5, el.text, align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.multi_cell(W, 6.5, el.left[0], align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("serif", "I", 12)
            pdf.multi_cell(W, 6, el.left[1], align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(4)
        elif el.kind == "table":
            pdf.set_font("serif", "", 10)
            with pdf.table(col_widths=el.widths, width=W, line_height=5, text_align="LEFT",
                           headings_style=FontFace(emphasis="BOLD"), repeat_headings=1) as table:
                for row in el.rows:
                    table.row(row)
    pdf.output(str(path))
    return pdf.page_no()


# ---------------------------------------------------------------- driver

def _one(args: tuple[int, int, str, bool]) -> dict:
    i, seed, out, pdf = args
    doc = make_doc(i, seed)
    out = Path(out)
    text = to_text(doc)
    (out / f"{doc.name}.txt").write_text(text, encoding="utf-8")
    pages = None
    if pdf:
        pages = to_pdf(doc, out / f"{doc.name}.pdf")
    return {"name": doc.name, "kind": doc.kind, "number": doc.number, "type": doc.type, "issuer": doc.issuer,
            "place": doc.place, "date": doc.date.isoformat(), "signer": doc.signer, "tasks": doc.tasks,
            "target_pages": doc.target_pages, "pages": pages, "chars": len(text)}


def generate(out: Path = DEFAULT_OUT, n: int = 1000, seed: int = 7, pdf: bool = True, workers: int = 2,
             start: int = 0) -> list[dict]:
    out.mkdir(parents=True, exist_ok=True)
    jobs = [(i, seed, str(out), pdf) for i in range(start, start + n)]
    if workers > 1 and n > 4:
        with Pool(workers) as pool:
            rows = pool.map(_one, jobs, chunksize=8)
    else:
        rows = [_one(j) for j in jobs]
    with open(out / "manifest.jsonl", "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return rows


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("-n", type=int, default=1000, help="number of documents (default 1000)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-pdf", action="store_true", help="text files only")
    ap.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    rows = generate(a.out, a.n, a.seed, not a.no_pdf, a.workers)
    secs = time.perf_counter() - t0
    pages = sum(r["pages"] or 0 for r in rows)
    print(f"{len(rows)} documents ({pages} PDF pages, {sum(r['tasks'] for r in rows)} tasks) "
          f"in {a.out} in {secs:.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
