"""Legacy Vietnamese encodings (TCVN3/ABC, VNI) read into Unicode.

Fixtures (tests/fixtures/legacy/): ``chi-thi.txt`` is a short Chỉ thị written for
these tests; ``body.txt`` its body; ``body.tcvn3-iconv.txt`` that body in TCVN3
as GNU iconv (``-t TCVN5712-1``) writes it, a table independent of ours;
``chi-thi.*-mojibake.txt`` the Chỉ thị in TCVN3 / VNI shown as Windows-1252 and
saved as UTF-8, the way such text reaches us from web pages and copy-paste.
"""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import legacy
from pipeline.clean import decode_bytes
from pipeline.legacy import decode_legacy, detect, encode_legacy, is_syllable, repair_mojibake
from pipeline.model import DirectiveError

FIX = Path(__file__).resolve().parent / "fixtures" / "legacy"
CLI = Path(sys.executable).parent / "directives"
PASSAGE = (FIX / "chi-thi.txt").read_text(encoding="utf-8")
BODY = (FIX / "body.txt").read_text(encoding="utf-8")

FRENCH = ("Le comité a décidé d'étudier la réforme : « Où est la pièce ? » Voilà, très bien. "
          "À bientôt ! L'été dernier, nous sommes allés à Genève ; c'était déjà très cher.")
ENGLISH = ("The Committee’s “urgent” report — on the café, naïve résumé and façade — "
           "was filed on 15 August 2025… Señor Müller agreed.")


# ------------------------------------------------------------ the tables

def test_tables_are_data_and_complete():
    data = json.loads(legacy.TABLES_PATH.read_text(encoding="utf-8"))
    assert len(data["tcvn3"]["bytes"]) == 74           # 67 lower-case letters + 7 capitals
    t = legacy.tables()
    assert t.tcvn3_bytes[0xFB] == "ỷ" and t.tcvn3_bytes[0xA9] == "â" and t.tcvn3_bytes[0xAE] == "đ"
    assert t.tcvn3_bytes[0xAD] == "ư" and t.tcvn3_bytes[0xA7] == "Đ"
    assert t.vni_seq["eä"] == "ệ" and t.vni_single["æ"] == "ỉ" and t.vni_single["Ò"] == "Ị"
    assert t.vni_single["ô"] == "ơ" and t.vni_single["ö"] == "ư" and t.vni_single["ñ"] == "đ"


def test_tcvn3_table_agrees_with_gnu_iconv():
    body = (FIX / "body.tcvn3-iconv.txt").read_bytes()
    assert encode_legacy(BODY, "tcvn3") == body
    assert decode_legacy(body) == BODY


# ------------------------------------------------------------ syllables

@pytest.mark.parametrize("word", ["Chủ", "tịch", "nghiêng", "người", "quyết", "khuya", "giữ", "gì",
                                  "thuở", "xoong", "Uỷ", "ỦY", "tỉnh", "trước", "hoặc", "yêu"])
def test_valid_syllables(word):
    assert is_syllable(word)


@pytest.mark.parametrize("word", ["Chñ", "tÞch", "nh©n", "Vieät", "tìch", "cộc̀", "ce", "ka", "kan",
                                  "the\u0301\u0300", "été", "über", "ngê", "ghan", "quo", "hoàs"])
def test_invalid_syllables(word):
    assert not is_syllable(word)


# ------------------------------------------------------------ round trips

@pytest.mark.parametrize("scheme", ["tcvn3", "vni"])
def test_round_trip(scheme):
    data = encode_legacy(PASSAGE, scheme)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert detect(data) == scheme
    assert decode_legacy(data) == PASSAGE


def test_tcvn3_bytes_look_like_the_period():
    data = encode_legacy("Chủ tịch Uỷ ban nhân dân", "tcvn3")
    assert data.decode("cp1252") == "Chñ tÞch Uû ban nh©n d©n"
    assert encode_legacy("Việt Nam, Chỉ thị", "vni").decode("cp1252") == "Vieät Nam, Chæ thò"


def test_tcvn3_capitals_keep_the_case_as_printed():
    # .VnTimeH headings reuse the lower-case codes: the word's other letters decide
    assert decode_legacy("ñY BAN NH¢N D¢N TØNH\r\nQUèC H¤I".encode("cp1252")) == "ỦY BAN NHÂN DÂN TỈNH\r\nQUỐC HÔI"
    assert decode_legacy("Uû ban nh©n d©n tØnh".encode("cp1252")) == "Uỷ ban nhân dân tỉnh"
    # an abbreviation in capitals does not make its neighbour a capital
    assert decode_legacy("Sè: 15/CT-UBND cña tØnh".encode("cp1252")) == "Số: 15/CT-UBND của tỉnh"
    assert decode_legacy("§Ó THùC HIÖN §iÒu 1".encode("cp1252")) == "ĐỂ THỰC HIỆN Điều 1"


def test_vni_mark_case_follows_the_base_letter():
    assert decode_legacy("CHÆ THÒ Thuû töôùng".encode("cp1252")) == "CHỈ THỊ Thủ tướng"
    assert decode_legacy("Aùnh saùng, VIEÄT NAM".encode("cp1252")) == "Ánh sáng, VIỆT NAM"


def test_windows_1258_is_read_too():
    data = "Chu\u0309 ti\u0323ch UBND ti\u0309nh yêu câ\u0300u Sơ\u0309 Ta\u0300i chi\u0301nh".encode("cp1258")
    assert detect(data) == "cp1258"
    assert decode_legacy(data) == "Chủ tịch UBND tỉnh yêu cầu Sở Tài chính"


def test_encode_unknown_scheme():
    with pytest.raises(ValueError):
        encode_legacy("Việt Nam", "viscii")


# ------------------------------------------------------------ not legacy

@pytest.mark.parametrize("text", [FRENCH, ENGLISH, "Über die Straße gehen wir mit großen Schritten; Mädchen spielen fröhlich."])
def test_western_cp1252_is_not_vietnamese(text):
    assert decode_legacy(text.encode("cp1252")) is None


def test_random_bytes_are_not_vietnamese():
    rng = random.Random(20250815)
    for _ in range(20):
        assert decode_legacy(bytes(rng.randrange(256) for _ in range(3000))) is None
    printable = list(range(0x20, 0x7F)) + list(range(0xA0, 0x100))
    for _ in range(20):
        assert decode_legacy(bytes(rng.choice(printable) for _ in range(3000))) is None


def test_empty_and_ascii():
    assert decode_legacy(b"") is None
    assert decode_legacy(b"UBND 15/CT") is None


# ------------------------------------------------------------ mojibake in UTF-8 text

@pytest.mark.parametrize("bad,good", [
    ("Uû ban nh©n d©n", "Uỷ ban nhân dân"),
    ("Chñ tÞch", "Chủ tịch"),
    ("CHÆ THÒ", "CHỈ THỊ"),
    ("Vieät Nam", "Việt Nam"),
    ("Gi¸m ®èc Së Tµi chÝnh", "Giám đốc Sở Tài chính"),
])
def test_repair_mojibake(bad, good):
    assert repair_mojibake(bad) == good


@pytest.mark.parametrize("scheme", ["tcvn3", "vni"])
def test_repair_mojibake_document(scheme):
    text = (FIX / f"chi-thi.{scheme}-mojibake.txt").read_text(encoding="utf-8")
    assert repair_mojibake(text) == PASSAGE


def test_repair_mojibake_keeps_words_already_in_unicode():
    mixed = "Uû ban nh©n d©n tØnh yªu cÇu Giám đốc Sở Tài chính có ý kiến"
    assert repair_mojibake(mixed) == "Uỷ ban nhân dân tỉnh yêu cầu Giám đốc Sở Tài chính có ý kiến"


def test_repair_mojibake_read_as_latin1():
    # the bytes read as Latin-1 rather than cp1252: smart quotes became C1 controls
    data = encode_legacy("“Chủ tịch” yêu cầu", "tcvn3")
    assert repair_mojibake(data.decode("latin-1")) == "“Chủ tịch” yêu cầu"


def test_repair_utf8_read_as_cp1252():
    shown = PASSAGE.encode("utf-8").decode("cp1252", errors="replace")   # lost bytes as U+FFFD
    assert "Chá»§ tá»‹ch" in shown
    assert repair_mojibake(PASSAGE.encode("utf-8").decode("latin-1")) == PASSAGE
    # "Về" is E1 BB 81: the 81 is lost, the syllable puts it back; "và" ends in a
    # no-break space (A0) that became a plain one
    assert repair_mojibake("Vá» viá»‡c giao nhiá»‡m vá»¥ vÃ  bÃ¡o cÃ¡o") == "Về việc giao nhiệm vụ và báo cáo"
    assert repair_mojibake(shown) == PASSAGE
    lost = PASSAGE.encode("utf-8").decode("cp1252", errors="ignore").replace("\u00a0", " ")
    assert repair_mojibake(lost) == PASSAGE


@pytest.mark.parametrize("text", [PASSAGE, BODY, "Tài chính các sở", "Giám đốc Sở Tài chính", FRENCH,
                                  ENGLISH, "UBND tỉnh", "", "café"])
def test_unicode_text_is_not_mojibake(text):
    assert repair_mojibake(text) is None


# ------------------------------------------------------------ through the reader

def test_decode_bytes_reads_legacy_and_refuses_binary():
    assert decode_bytes(encode_legacy(PASSAGE, "vni"), "x.txt") == PASSAGE
    assert decode_bytes(encode_legacy(PASSAGE, "tcvn3"), "x.txt") == PASSAGE
    with pytest.raises(DirectiveError):
        decode_bytes(FRENCH.encode("cp1252"), "x.txt")


def _cli(path: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    return subprocess.run([str(CLI), "extract", str(path), "--format", "json"],
                          capture_output=True, text=True, env=env, timeout=300)


@pytest.mark.parametrize("scheme", ["tcvn3", "vni"])
def test_cli_extracts_a_legacy_text_file(tmp_path, scheme):
    p = tmp_path / f"chi-thi-{scheme}.txt"
    p.write_bytes(encode_legacy(PASSAGE, scheme))
    r = _cli(p)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["document"]["number"] == "15/CT-UBND"
    assert out["document"]["type"] == "Chỉ thị"
    assert "Sở Tài chính" in r.stdout and "Uỷ ban nhân dân tỉnh" in r.stdout


def test_cli_refuses_binary_in_one_line(tmp_path):
    p = tmp_path / "scan.txt"
    p.write_bytes(bytes(random.Random(7).randrange(256) for _ in range(4000)))
    r = _cli(p)
    assert r.returncode != 0
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert str(p) in lines[0] and "legacy" in lines[0] and "Traceback" not in r.stderr
