"""Scanned directives: OCR with Vietnamese (Tesseract), and OCR damage repair.

The fixture tests/fixtures/scans/directive_scan.pdf is an image-only PDF: a one-page
directive typeset in the official layout and made to look scanned (200 dpi, tilted,
blurred, grain, a red seal over the signature) by tests/fixtures/scans/make_fixture.py.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.model import (CLOSING_LEFT, CLOSING_RIGHT, HEADER_LEFT, HEADER_RIGHT,
                            DirectiveError)
from pipeline.repair import fold, repair_text

ROOT = Path(__file__).resolve().parent.parent
SCAN = ROOT / "tests" / "fixtures" / "scans" / "directive_scan.pdf"

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None,
                                     reason="the tesseract binary is not installed "
                                            "(apt-get install tesseract-ocr tesseract-ocr-vie)")


# ---------------------------------------------------------------------------
# The scan through the whole pipeline
# ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def scanned():
    if shutil.which("tesseract") is None:
        pytest.skip("the tesseract binary is not installed (apt-get install tesseract-ocr tesseract-ocr-vie)")
    from pipeline import extract
    return extract(SCAN)


@needs_tesseract
def test_scan_is_read_by_ocr(scanned):
    assert scanned.ocr is True
    assert scanned.format == "pdf"
    assert scanned.pages == 1


@needs_tesseract
def test_scan_header_number_type_date_issuer(scanned):
    h = scanned.header
    assert h.number == "07/CT-UBND"
    assert h.type == "Chỉ thị"
    assert h.date == "2025-09-12"
    assert h.place == "Lào Cai"
    assert "Lào Cai" in (h.issuer or "")
    assert (h.title or "").startswith("Về tăng cường phòng, chống sạt lở đất")


@needs_tesseract
def test_scan_header_columns_and_closing_zones(scanned):
    zone = {}
    for b in scanned.blocks:
        zone.setdefault(b.zone, []).append(b.raw)
    assert "Số: 07/CT-UBND" in zone[HEADER_LEFT]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in zone[HEADER_RIGHT]
    assert "Lào Cai, ngày 12 tháng 9 năm 2025" in zone[HEADER_RIGHT]
    assert any(t.startswith("Nơi nhận") for t in zone[CLOSING_LEFT])
    assert "- Như trên;" in zone[CLOSING_LEFT]
    assert "Trần Văn Minh" in zone[CLOSING_RIGHT]  # under the red seal


@needs_tesseract
def test_scan_body_labels_paragraphs_and_owners(scanned):
    paths = [s.path for s in scanned.sections]
    assert {"1", "2", "2.a", "2.b", "3"} <= set(paths)
    item1 = next(s for s in scanned.sections if s.path == "1")
    # the item's two printed lines are one paragraph
    assert item1.text.endswith("trước ngày 30/10/2025.")
    task = next(t for t in scanned.tasks if t.path == "1")
    owners = {(o.agency, o.role) for o in task.owners}
    assert ("Sở Nông nghiệp và Môi trường", "lead") in owners
    assert ("Sở Xây dựng", "support") in owners
    assert [d.date for d in task.deadlines] == ["2025-10-30"]
    assert scanned.header.signer == "Trần Văn Minh"


@needs_tesseract
def test_scan_ruled_table_rows_are_readable(scanned):
    tables = [b for b in scanned.blocks if b.kind == "table"]
    assert len(tables) == 1
    rows = [[c.raw for c in row] for row in tables[0].rows]
    assert rows[0][0] == "STT"
    assert rows[1][0] == "1" and rows[2][0] == "2"
    assert "Sở Khoa học và Công nghệ" in rows[1]
    assert "Tháng 11/2025" in rows[2]


# ---------------------------------------------------------------------------
# Missing Tesseract or its Vietnamese model: one clear line, no traceback
# ---------------------------------------------------------------------------

def _run_reader(env: dict) -> subprocess.CompletedProcess:
    code = "import sys; from pipeline.read.ocr import read_scanned\n" \
           "from pipeline.model import DirectiveError\n" \
           "try:\n    read_scanned(sys.argv[1])\n" \
           "except DirectiveError as e:\n    print(e, file=sys.stderr); sys.exit(2)\n"
    return subprocess.run([sys.executable, "-c", code, str(SCAN)], capture_output=True, text=True,
                          env=env, cwd=str(ROOT), timeout=120)


def test_missing_tesseract_is_a_clear_error(tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    env = dict(os.environ, PATH=str(empty))
    proc = _run_reader(env)
    assert proc.returncode == 2
    assert "OCR needed but Tesseract is not installed" in proc.stderr
    assert "tesseract-ocr-vie" in proc.stderr
    assert "Traceback" not in proc.stderr


@needs_tesseract
def test_missing_vietnamese_model_is_a_clear_error(tmp_path):
    env = dict(os.environ, TESSDATA_PREFIX=str(tmp_path))  # a tessdata folder without vie
    proc = _run_reader(env)
    assert proc.returncode == 2
    assert "Vietnamese model (tesseract-ocr-vie) is missing" in proc.stderr


def test_scan_without_tesseract_through_the_command_line(tmp_path):
    """The user's command on a scan, Tesseract absent: exit non-zero with the reason."""
    empty = tmp_path / "bin"
    empty.mkdir()
    env = dict(os.environ, PATH=str(empty))
    code = "import sys; sys.argv = ['directives', 'extract', sys.argv[1]]\n" \
           "from pipeline.cli import main; main()\n"
    proc = subprocess.run([sys.executable, "-c", code, str(SCAN)], capture_output=True, text=True,
                          env=env, cwd=str(ROOT), timeout=120)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert SCAN.name in proc.stderr
    assert "OCR needed but Tesseract is not installed" in proc.stderr


# ---------------------------------------------------------------------------
# Repair of OCR damage on the genre's fixed vocabulary
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("damaged, repaired", [
    ("CONG HOA XA HOI CHU NGHIA VIET NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("Đôc lập - Tư do - Hanh phúc", "Độc lập - Tự do - Hạnh phúc"),
    ("CHI THI", "CHỈ THỊ"),
    ("QUYÉT ĐỊNH", "QUYẾT ĐỊNH"),
    ("Noi nhân:", "Nơi nhận:"),
    ("Kinh gứi: Ủy ban nhan dân tinh Hưng Yên", "Kính gửi: Ủy ban nhân dân tỉnh Hưng Yên"),
    ("TM. UY BAN NHAN DAN", "TM. ỦY BAN NHÂN DÂN"),
    ("Số: O2/CT-UBND", "Số: 02/CT-UBND"),
    ("So: 1O/QD-TTg", "Số: 10/QĐ-TTg"),
    ("Hưng Yên, ngay O6 thang 7 nam 2025", "Hưng Yên, ngày 06 tháng 7 năm 2025"),
    ("Sở Tai chinh chu trì, phoi hop với Sở Nội vụ", "Sở Tài chính chủ trì, phối hợp với Sở Nội vụ"),
])
def test_repair_restores_fixed_phrases(damaged, repaired):
    assert repair_text(damaged) == repaired


@pytest.mark.parametrize("text", [
    "Uỷ ban nhân dân tỉnh",            # old-style tone placement is a spelling, not damage
    "nam 2025 ngay mai",               # free text is never guessed
    "tính toán kỹ lưỡng, tinh thần trách nhiệm",
    "Chỉ thị số 05/CT-UBND ngày 20/02/2025",
])
def test_repair_leaves_correct_and_free_text_alone(text):
    assert repair_text(text) == text


def test_repair_keeps_length_so_boxes_stay_right():
    from pipeline.read.ocr import Word
    words = [Word(t, 10 * i, 0, 10 * i + 8, 10, (1, 1, 1), 90.0)
             for i, t in enumerate("Noi nhân: - Uy ban nhan dân tinh".split())]
    from pipeline.repair import repair_words
    repair_words(words)
    assert " ".join(w.text for w in words) == "Nơi nhận: - Ủy ban nhân dân tỉnh"
    assert [w.x0 for w in words] == [10 * i for i in range(len(words))]


def test_fold_is_length_preserving():
    for s in ["CỘNG HÒA XÃ HỘI", "Độc lập – Tự do — Hạnh phúc", "Ủy ban nhân dân"]:
        assert len(fold(s)) == len(s)
    assert fold("Đồng Nai") == "dong nai"
