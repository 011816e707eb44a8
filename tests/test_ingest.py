"""Batch ingest: bad files reported, good ones stored, idempotent, and resumable after a crash."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.ingest import ingest
from pipeline.store import counts, open_db

RECIPE = """Cách nấu phở bò

Nguyên liệu: 500g bánh phở, 300g thịt bò, hành, gừng, quế, hồi.

Nướng gừng và hành cho thơm. Ninh xương bò trong 6 tiếng, thêm quế, hồi, nêm nước mắm vừa ăn.
Chần bánh phở, xếp thịt bò lên trên, chan nước dùng nóng. Ăn kèm rau thơm và chanh.
"""


def directive(n: int, tasks: int = 4) -> str:
    """A small Chỉ thị of a provincial People's Committee with numbered tasks."""
    items = "\n\n".join(
        f"{i}. Giao Sở Tài chính chủ trì, phối hợp với Sở Nội vụ rà soát, tổng hợp nội dung số {i} "
        f"của đợt {n}; hoàn thành trước ngày {10 + i % 15}/12/2026."
        for i in range(1, tasks + 1))
    return f"""ỦY BAN NHÂN DÂN
TỈNH HƯNG YÊN

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: {n}/CT-UBND

Hưng Yên, ngày 06 tháng 7 năm 2025

CHỈ THỊ
Về tăng cường quản lý tài sản công đợt {n}

Thực hiện Nghị quyết số 66/NQ-CP ngày 26/3/2025 của Chính phủ, Chủ tịch Ủy ban nhân dân tỉnh yêu cầu:

{items}

Nơi nhận:
- Sở Tài chính;
- Lưu: VT.

CHỦ TỊCH

Nguyễn Văn An
"""


def write_batch(folder: Path, good: int, tasks: int = 4) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(good):
        sub = folder / ("nested" if n % 2 else "")
        sub.mkdir(exist_ok=True)
        p = sub / f"ct-{n + 1:02d}.txt"
        p.write_text(directive(n + 1, tasks), encoding="utf-8")
        paths.append(p)
    return paths


def write_bad(folder: Path) -> dict[str, Path]:
    bad = {"corrupt": folder / "hong.pdf", "empty": folder / "trong.txt", "recipe": folder / "pho-bo.txt"}
    bad["corrupt"].write_bytes(os.urandom(2048))
    bad["empty"].write_bytes(b"")
    bad["recipe"].write_text(RECIPE, encoding="utf-8")
    (folder / "notes.md").write_text("not a document kind we read", encoding="utf-8")
    return bad


def test_good_files_stored_and_each_bad_one_reported(tmp_path):
    write_batch(tmp_path / "in", 3)
    bad = write_bad(tmp_path / "in")
    report = ingest([tmp_path / "in"], tmp_path / "d.db", workers=1)
    assert len(report.stored) == 3
    failed = dict(report.failed)
    assert set(failed) == {str(p) for p in bad.values()}
    assert "PDF" in failed[str(bad["corrupt"])]
    assert "empty" in failed[str(bad["empty"])]
    assert "not an official document" in failed[str(bad["recipe"])]
    db = open_db(tmp_path / "d.db")
    assert sorted(r[0] for r in db.execute("select number from documents")) == ["1/CT-UBND", "2/CT-UBND", "3/CT-UBND"]
    assert {r[0] for r in db.execute("select file from errors")} == {str(p) for p in bad.values()}


def test_ingesting_twice_changes_no_table(tmp_path):
    write_batch(tmp_path / "in", 3)
    write_bad(tmp_path / "in")
    ingest([tmp_path / "in"], tmp_path / "d.db", workers=1)
    db = open_db(tmp_path / "d.db")
    before = {k: v for k, v in counts(db).items() if k not in ("runs", "errors")}
    db.close()
    again = ingest([tmp_path / "in"], tmp_path / "d.db", workers=2)
    assert again.stored == [] and len(again.skipped) == 3
    db = open_db(tmp_path / "d.db")
    assert {k: v for k, v in counts(db).items() if k not in ("runs", "errors")} == before
    assert before["tasks"] == 12


def test_cli_exit_status_and_summary(tmp_path):
    write_batch(tmp_path / "in", 2)
    runner = CliRunner()
    ok = runner.invoke(app, ["ingest", str(tmp_path / "in"), "--db", str(tmp_path / "d.db"), "--workers", "1"])
    assert ok.exit_code == 0, ok.output
    assert "Sở Tài chính" in ok.output and "Counts" in ok.output
    (tmp_path / "in" / "hong.pdf").write_bytes(b"\x00garbage")
    bad = runner.invoke(app, ["ingest", str(tmp_path / "in"), "--db", str(tmp_path / "d.db"), "-w", "1", "-q"])
    assert bad.exit_code == 1
    assert "hong.pdf" in bad.output


def _documents_stored(db: Path) -> int:
    try:
        con = sqlite3.connect(db, timeout=5)
        try:
            return con.execute("select count(*) from documents").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def test_killed_midway_leaves_whole_documents_and_rerun_completes(tmp_path):
    files = write_batch(tmp_path / "in", 15, tasks=60)
    db = tmp_path / "d.db"
    cmd = [sys.executable, "-m", "pipeline.cli", "ingest", str(tmp_path / "in"), "--db", str(db), "-w", "1", "-q"]
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    proc = subprocess.Popen(cmd, env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while _documents_stored(db) < 3 and proc.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    stored = _documents_stored(db)
    assert 1 <= stored < len(files), "the batch should have been killed midway"
    con = sqlite3.connect(db)
    orphans = con.execute("""select count(*) from documents d
        where (select count(*) from tasks t where t.document_id = d.id) != 60
           or (select count(*) from sections s where s.document_id = d.id) != 60
           or not exists (select 1 from contracts c where c.document_id = d.id)""").fetchone()[0]
    assert orphans == 0
    con.close()
    rerun = subprocess.run(cmd, env=env, capture_output=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert _documents_stored(db) == len(files)
    con = sqlite3.connect(db)
    assert con.execute("select count(*) from tasks").fetchone()[0] == 60 * len(files)
    assert con.execute("select count(*) from runs where finished is not null").fetchone()[0] == 1


@pytest.mark.skipif(not Path("/work/shared/eval/dev").exists(), reason="shared dev set not here")
def test_dev_set_pdf_ingests(tmp_path):
    pdf = sorted(Path("/work/shared/eval/dev").glob("*.pdf"))[:1]
    report = ingest(pdf, tmp_path / "d.db", workers=1)
    assert report.failed == [] and len(report.stored) == 1


def test_ctrl_c_stops_cleanly_and_says_how_to_resume(tmp_path):
    write_batch(tmp_path / "in", 8, tasks=60)
    db = tmp_path / "d.db"
    cmd = [sys.executable, "-m", "pipeline.cli", "ingest", str(tmp_path / "in"), "--db", str(db), "-w", "2"]
    proc = subprocess.Popen(cmd, env={**os.environ, "HF_HUB_OFFLINE": "1"}, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.time() + 120
    while _documents_stored(db) < 1 and proc.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        raise
    if _documents_stored(db) == 8:
        pytest.skip("the batch finished before Ctrl-C arrived")
    assert proc.returncode == 130
    assert "rerun" in err.decode()
    con = sqlite3.connect(db)
    assert con.execute("select count(*) from runs where finished is null").fetchone()[0] == 0
    assert con.execute("select count(*) from documents d where (select count(*) from tasks t "
                       "where t.document_id = d.id) != 60").fetchone()[0] == 0


def crash_on_bad(path: str):
    """A stand-in worker that dies (like a segfault in a PDF library) on one file."""
    if "crash" in path:
        os._exit(1)
    time.sleep(0.2)
    return path, {"document": {"number": Path(path).stem}}, None


def test_a_dying_worker_costs_only_its_own_file(tmp_path):
    from pipeline.ingest import _results
    paths = [str(tmp_path / f"{name}.txt") for name in ("a", "b", "crash", "c", "d", "e")]
    results = {p: reason for p, _, reason in _results(paths, 2, fn=crash_on_bad)}
    assert set(results) == set(paths)
    assert [p for p, reason in results.items() if reason] == [str(tmp_path / "crash.txt")]
    assert "died" in results[str(tmp_path / "crash.txt")]


def slow_on_bad(path: str):
    """A stand-in worker that hangs on one file (like a pathological PDF)."""
    time.sleep(60 if "slow" in path else 0.1)
    return path, {"document": {"number": Path(path).stem}}, None


def test_a_file_that_hangs_is_given_up_after_the_timeout(tmp_path):
    from pipeline.ingest import _results
    paths = [str(tmp_path / f"{name}.txt") for name in ("a", "slow", "b", "c")]
    started = time.monotonic()
    results = {p: reason for p, _, reason in _results(paths, 2, fn=slow_on_bad, timeout=3)}
    assert time.monotonic() - started < 40
    assert set(results) == set(paths)
    assert [p for p, reason in results.items() if reason] == [str(tmp_path / "slow.txt")]
    assert "timed out" in results[str(tmp_path / "slow.txt")]


def test_rerun_with_nothing_new_is_quick_and_clean(tmp_path):
    # every file already stored: no worker pool is needed, nothing is written, exit status 0
    write_batch(tmp_path / "in", 2)
    ingest([tmp_path / "in"], tmp_path / "d.db", workers=1)
    again = CliRunner().invoke(app, ["ingest", str(tmp_path / "in"), "--db", str(tmp_path / "d.db"), "-w", "2", "-q"])
    assert again.exit_code == 0, again.output
    assert "Traceback" not in again.output


def test_a_parallel_batch_starts_with_its_longest_documents(tmp_path):
    """A long document started last keeps the other workers idle: the longest go first."""
    from pipeline.ingest import longest_first, work_estimate
    corpora = Path(__file__).resolve().parents[1] / "corpora"
    four_pages = corpora / "bnnmt-qd-2025-chatthai.pdf"
    two_pages = corpora / "bd-ct-2024-gpmb.pdf"
    short_txt = write_batch(tmp_path / "t", 1, tasks=2)[0]
    long_txt = tmp_path / "long.txt"
    long_txt.write_text(directive(9, tasks=150), encoding="utf-8")   # ~7 pages of text
    corrupt = write_bad(tmp_path)["corrupt"]
    assert work_estimate(four_pages) == 4 and work_estimate(two_pages) == 2
    order = longest_first([str(p) for p in (short_txt, two_pages, corrupt, four_pages, long_txt)])
    assert order == [str(long_txt), str(four_pages), str(two_pages), str(short_txt), str(corrupt)]
