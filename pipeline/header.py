"""The header and closing of a directive: number, type, issuer, place, date,
title, urgency, "Kính gửi", addressees, "Nơi nhận" and the signature block.

Used by :mod:`pipeline.structure`; works on cleaned blocks, whatever reader
made them (zones are hints, text patterns decide).
"""
from __future__ import annotations

import re
from typing import Optional

from .model import Block, Header, Span
from .patterns import genre, is_all_caps

DATE_WORDS_RE = re.compile(
    r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.I)
DATE_NUM_RE = re.compile(r"ngày\s+(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})", re.I)
PLACE_DATE_RE = re.compile(
    r"^(?P<place>[^,\d]{2,40}?)\s*,\s*ngày\s+(?P<d>\d{1,2})\s*(?:tháng\s*|[/.-]\s*)(?P<m>\d{1,2})"
    r"\s*(?:năm\s*|[/.-]\s*)(?P<y>\d{4})", re.I)
NUMBER_RE = re.compile(r"^\s*S[ốô]\s*[:.]?\s*(?P<num>[0-9][\w\s./&\-–]*?)\s*(?:$|V/v|\s{2,})", re.I)
VV_RE = re.compile(r"^\s*V/v\b", re.I)
KINH_GUI_RE = re.compile(r"^\s*Kính\s+gửi\s*:?\s*(?P<rest>.*)$", re.I)
NOI_NHAN_RE = re.compile(r"^\s*Nơi\s+nhận\s*:?\s*(?P<rest>.*)$", re.I)
SIGNED_RE = re.compile(r"^\(?\s*(đã\s+ký|đã ký và đóng dấu|ký tên,? đóng dấu)\s*\)?\.?$", re.I)
CAN_CU_RE = re.compile(r"^\s*(Căn\s+cứ|Theo\s+đề\s+nghị|Xét\s+đề\s+nghị|Trên\s+cơ\s+sở|Thực\s+hiện\s+ý\s+kiến\s+chỉ\s+đạo)\b", re.I)

# Words that stay lower case in an issuer name written in capitals.
_LOWER = {"ủy", "bộ", "ban", "nhân", "dân", "hội", "đồng", "chính", "phủ", "tướng", "tỉnh", "thành", "phố", "xã",
          "phường", "huyện", "quận", "thị", "trấn", "đặc", "khu", "và", "văn", "phòng", "nội", "vụ",
          "tài", "trung", "ương", "công", "an", "sở", "bộ", "quân", "sự", "chỉ", "huy", "đảng",
          "chấp", "hành", "thường", "trực", "nghiệp", "môi", "trường", "học", "nghệ", "tư", "pháp",
          "y", "tế", "giáo", "dục", "đào", "tạo", "xây", "dựng", "thương", "hóa", "hoá", "thể", "thao",
          "du", "lịch", "ngoại", "giao", "quốc", "phòng", "kế", "hoạch", "đầu", "nguyên", "thông",
          "tin", "truyền", "vận", "tải", "lao", "động", "binh", "xã", "tộc", "tôn", "ngân", "hàng",
          "nước", "kiểm", "toán", "tra", "kinh", "tập", "đoàn", "cục", "vụ", "viện", "trưởng", "phó",
          "chủ", "tịch", "thủ", "lý", "quản", "dự", "án", "phát", "triển", "nông", "thôn", "hợp", "tác",
          "ủy", "uỷ", "mặt", "trận", "tổ", "liên", "hiệp", "bảo", "hiểm", "thuế", "hải", "quan",
          "khoa", "chức", "thanh", "niên", "cộng", "sản", "tuyên", "dân", "vận", "chiến", "lược",
          "sách", "đối", "kỹ", "thuật", "số", "dữ", "liệu", "chuyển", "đổi", "đại", "biểu"}
# After these words a place name follows, written in title case.
_PLACE_HEADS = ("tỉnh", "thành phố", "xã", "phường", "huyện", "quận", "thị xã", "thị trấn", "đặc khu")


def iso(d: int | str, m: int | str, y: int | str) -> Optional[str]:
    d, m, y = int(d), int(m), int(y)
    if not (1 <= m <= 12 and 1 <= d <= 31 and 1900 < y < 2200):
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def proper_case(caps: str) -> str:
    """An issuer or position written in capitals, in the genre's usual casing:
    "ỦY BAN NHÂN DÂN TỈNH HƯNG YÊN" -> "Ủy ban nhân dân tỉnh Hưng Yên",
    "BỘ KHOA HỌC VÀ CÔNG NGHỆ" -> "Bộ Khoa học và Công nghệ"."""
    words = caps.split()
    out: list[str] = []
    place = False
    after_bo = 0
    for i, w in enumerate(words):
        lw = w.lower()
        prev = " ".join(x.lower() for x in words[max(0, i - 2):i])
        if i == 0:
            out.append(lw[:1].upper() + lw[1:])
        elif place:
            out.append(lw[:1].upper() + lw[1:])
        elif lw in _LOWER or not lw[:1].isalpha():
            # a ministry's field words after "Bộ"/"Sở": first word and words after "và" capitalised
            if after_bo and (out[-1].lower() in ("bộ", "sở", "và", "ban") or out[-1].endswith(",")) and lw not in ("và",):
                out.append(lw[:1].upper() + lw[1:])
            else:
                out.append(lw)
        else:
            out.append(lw[:1].upper() + lw[1:])
        if lw in ("bộ", "sở"):
            after_bo = 1
        joined = " ".join(x.lower() for x in out[-2:])
        if (lw in _PLACE_HEADS or joined in _PLACE_HEADS) and i + 1 < len(words) and \
                words[i + 1].lower() not in ("phố", "xã", "trấn", "khu", "và", "ủy", "uỷ"):
            place = True
    text = " ".join(out)
    for fixed in _FIXED_CASE:
        text = re.sub(r"(?<=\S )" + re.escape(fixed.lower()) + r"\b", fixed, text)
    return text


# Names written with capitals wherever they stand inside another name.
_FIXED_CASE = ("Chính phủ", "Trung ương", "Quốc hội", "Việt Nam", "Mặt trận Tổ quốc", "Hồ Chí Minh", "Nhà nước",
               "Công Thương")


def parse_date(text: str) -> Optional[str]:
    m = DATE_WORDS_RE.search(text) or DATE_NUM_RE.search(text)
    return iso(m.group(1), m.group(2), m.group(3)) if m else None


def clean_number(s: str) -> str:
    """ "02 /CT-UBND" -> "02/CT-UBND"."""
    s = re.sub(r"\s+", "", s).strip(".;,:")
    return s.replace("–", "-")


def type_of_line(text: str) -> Optional[str]:
    """The document type named by a type line in capitals ("CHỈ THỊ" -> "Chỉ thị")."""
    t = re.sub(r"\s+", " ", text.strip().rstrip(":").strip()).upper()
    types = genre()["doc_types"]
    if t in types:
        return types[t]
    return None


def parse_signature(blocks: list[Block], header: Header) -> None:
    """Authority prefix, position and signer name from the signature column."""
    authorities = genre()["authorities"]
    positions = sorted(genre()["positions"], key=len, reverse=True)
    title_line = None
    for b in blocks:
        t = _strip_stamp_junk(b.text.strip())
        if not t or SIGNED_RE.match(t):
            continue
        m = re.match(r"^(TM|KT|Q|TL|TUQ|T/M|K/T|T/L)\s*[./]?\s+(.+)$", t)
        if m and is_all_caps(m.group(2)):
            auth = m.group(1).replace("/", "")
            header.signer_authority = header.signer_authority or (m.group(1) + ("." if "/" not in m.group(1) else ""))
            if auth == "TM":
                header.signer_on_behalf = m.group(2).strip()
            else:
                title_line = m.group(2).strip()
            continue
        if is_all_caps(t):
            if any(t.upper().startswith(p) for p in positions) or len(t.split()) <= 6:
                title_line = t
            continue
        words = t.split()
        if 2 <= len(words) <= 6 and all(w[:1].isupper() and (len(w) == 1 or not w[1:].isupper()) for w in words
                                         if w[:1].isalpha()) and not re.search(r"[\d:;/\[\]]", t):
            if header.signer is None:
                header.signer = t
                header.spans["signer"] = Span(b.start, b.end, b.page)
    if title_line:
        header.signer_title = proper_case(title_line)
    elif header.signer_on_behalf:
        header.signer_title = proper_case(header.signer_on_behalf)
    if header.signer_title:
        header.signer_title = _title_case_office(header.signer_title)


def _strip_stamp_junk(t: str) -> str:
    """Glyphs of a signature image or seal glued to a line: "PHÓ THỦ TƯỚNGy]" -> "PHÓ THỦ TƯỚNG"."""
    t = re.sub(r"[\[\]{}|<>«»]+", "", t).strip()
    words = t.split()
    if len(words) >= 2 and all(w.isupper() for w in words[:-1]):
        w = words[-1]
        head = w.rstrip("abcdefghijklmnopqrstuvwxyzđ")
        if 1 <= len(w) - len(head) <= 2 and len(head) >= 2 and head.isupper():
            words[-1] = head
            t = " ".join(words)
    return t


def _title_case_office(s: str) -> str:
    """ "Phó thủ tướng" -> "Phó Thủ tướng", "Chủ tịch" stays."""
    low = s.lower()
    fixes = {"thủ tướng": "Thủ tướng", "chủ tịch": "Chủ tịch", "bộ trưởng": "Bộ trưởng",
             "thứ trưởng": "Thứ trưởng", "giám đốc": "Giám đốc", "chánh văn phòng": "Chánh Văn phòng",
             "trưởng ban": "Trưởng ban", "bí thư": "Bí thư", "tổng giám đốc": "Tổng Giám đốc",
             "cục trưởng": "Cục trưởng", "vụ trưởng": "Vụ trưởng", "thống đốc": "Thống đốc"}
    for k, v in fixes.items():
        if low == k:
            return v
        if low == "phó " + k:
            return "Phó " + v
    return s[:1].upper() + s[1:]


# Words that open the name of a body: a header line starting otherwise continues the line above.
_BODY_HEAD_RE = re.compile(
    r"^(BỘ|SỞ|CỤC|TỔNG\s+CỤC|VỤ|VIỆN|BAN|ỦY\s+BAN|UỶ\s+BAN|UBND|HỘI\s+ĐỒNG|HĐND|VĂN\s+PHÒNG|TRUNG\s+TÂM|THANH\s+TRA|"
    r"CÔNG\s+AN|PHÒNG|CHI\s+CỤC|KHO\s+BẠC|ĐẢNG\s+ỦY|ĐẢNG\s+BỘ|TỈNH\s+ỦY|THÀNH\s+ỦY|HUYỆN\s+ỦY|BỘ\s+CHỈ\s+HUY|TRƯỜNG|"
    r"BỆNH\s+VIỆN|ĐÀI|BÁO|TẬP\s+ĐOÀN|TỔNG\s+CÔNG\s+TY|CÔNG\s+TY|CHÍNH\s+PHỦ|THỦ\s+TƯỚNG|QUỐC\s+HỘI|HỌC\s+VIỆN|"
    r"ĐẠI\s+HỌC|NGÂN\s+HÀNG|BẢO\s+HIỂM|KIỂM\s+TOÁN|TÒA\s+ÁN|VIỆN\s+KIỂM\s+SÁT|MẶT\s+TRẬN|ĐOÀN|LIÊN\s+ĐOÀN|HỘI|"
    r"BAN\s+CHẤP\s+HÀNH|BAN\s+THƯỜNG\s+VỤ|TỔNG\s+LIÊN\s+ĐOÀN|THÔNG\s+TẤN|CHI\s+NHÁNH|CẢNG\s+VỤ|HẢI\s+QUAN|THUẾ)\b")


def issuer_from_lines(lines: list[str]) -> tuple[Optional[str], Optional[str]]:
    """(issuer, parent) from the header's left-column lines in capitals.

    "ỦY BAN NHÂN DÂN" + "TỈNH QUẢNG NINH" make one name; a line above the
    issuing body names its parent ("BỘ TÀI CHÍNH" above "CỤC THUẾ")."""
    names: list[str] = []
    for ln in lines:
        ln = ln.strip().strip("_-–— ")
        if not ln:
            continue
        low = ln.lower()
        starts_body = bool(_BODY_HEAD_RE.match(ln)) and len(ln.split()) >= 2
        party_committee = bool(re.match(r"^(TỈNH|THÀNH|HUYỆN|QUẬN|ĐẢNG)\s+ỦY\b", ln))
        if names and not party_committee and (not starts_body or low.startswith(_PLACE_HEADS) or names[-1].lower() in (
                "ủy ban nhân dân", "uỷ ban nhân dân", "hội đồng nhân dân", "ban chấp hành", "ban chỉ đạo",
                "ban thường vụ", "văn phòng", "ban") or names[-1].endswith(("VÀ", "-", ","))):
            names[-1] = names[-1] + " " + ln
        else:
            names.append(ln)
    if not names:
        return None, None
    issuer = proper_case(names[-1])
    parent = proper_case(names[-2]) if len(names) > 1 else None
    # "ĐẢNG BỘ TỈNH QUẢNG NINH" over "TỈNH ỦY": the committee of that place
    pm = re.match(r"^(Tỉnh|Thành|Huyện|Quận) ủy$", issuer)
    if pm and parent:
        place = re.search(r"\b(?:tỉnh|thành phố|huyện|quận)\s+(.+)$", parent, re.I)
        if place:
            issuer = f"{issuer} {place.group(1)}"
    return issuer, parent


def known_place(place: str) -> str:
    """A province spelt as the place line prints it, corrected to its proper spelling
    when it differs only in diacritics ("Hung Yên" -> "Hưng Yên")."""
    from .clean import fold
    from .patterns import places
    key = fold(place).replace("thanh pho ", "").replace("tp. ", "").strip()
    for name in places()["current"] + places()["former"]:
        if fold(name) == key:
            return name
    return place


ISSUER_IN_BODY_RE = re.compile(
    r"\b(?:Chủ\s+tịch|CHỦ\s+TỊCH)\s+(Ủy\s+ban\s+nhân\s+dân|Uỷ\s+ban\s+nhân\s+dân|UBND|Hội\s+đồng\s+nhân\s+dân|HĐND)"
    r"\s+(tỉnh|thành\s+phố|xã|phường|đặc\s+khu)\b")


def infer_issuer(text: str, number: Optional[str], place: Optional[str]) -> Optional[str]:
    """The issuer of a document whose header lines are missing, from the body's
    "Chủ tịch Ủy ban nhân dân tỉnh ..." and the place line, or the symbol."""
    m = ISSUER_IN_BODY_RE.search(text)
    body = None
    level = None
    if m:
        body = m.group(1)
        level = re.sub(r"\s+", " ", m.group(2))
    elif number and re.search(r"-(UBND|HĐND)\b", number):
        body = "UBND" if "UBND" in number else "HĐND"
        level = "tỉnh"
    if not body:
        return None
    body = {"UBND": "Ủy ban nhân dân", "HĐND": "Hội đồng nhân dân"}.get(body, body)
    body = re.sub(r"\s+", " ", body).replace("Uỷ", "Ủy")
    return f"{body} {level} {place}" if place else f"{body} {level}"
