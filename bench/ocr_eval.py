"""Grade OCR on scans against the same documents born-digital.

    python bench/ocr_eval.py                       # dev set + corpora, scans in /tmp/scans
    python bench/ocr_eval.py --jobs 2 --src /work/shared/eval/dev/*.pdf
    python bench/ocr_eval.py --extract FILE.pdf    # one file's contract JSON, OCR forced

Steps: make the scans (``bench/make_scans.py``) where missing, extract every scan
(``--jobs`` processes, Tesseract one thread each) and every born-digital original
into prediction folders, grade both with the shared grader (``score.py --pred``)
and print the two tables, the differences and the OCR seconds per page. The done
criterion of the OCR issue: owners_all F1 within 0.05 of born-digital, metadata
accuracy at least 0.9.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SCORE = SHARED / "eval" / "score.py"

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def extract_json(path: Path, ocr: bool) -> tuple[dict, float, int, str]:
    """(contract JSON, seconds, pages, error) of one file; ``ocr`` forces the OCR reader."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    from pipeline.assign import assign
    from pipeline.clean import clean
    from pipeline.export import to_contract
    from pipeline.model import DirectiveError
    from pipeline.read import read
    from pipeline.structure import structure
    t0 = time.perf_counter()
    try:
        if ocr:
            from pipeline.read.ocr import read_scanned
            doc = read_scanned(path)
        else:
            doc = read(path)
        doc = assign(structure(clean(doc)))
    except DirectiveError as e:
        return {}, time.perf_counter() - t0, 0, str(e)
    return to_contract(doc), time.perf_counter() - t0, doc.pages, ""


def _job(args: tuple[str, str, bool]) -> tuple[str, float, int, str]:
    src, out, ocr = args
    pred, secs, pages, err = extract_json(Path(src), ocr)
    Path(out).write_text(json.dumps(pred, ensure_ascii=False, indent=1), encoding="utf-8")
    return src, secs, pages, err


def grade(gold: Path, pred: Path) -> tuple[dict, str]:
    jf = pred / "_summary.json"
    proc = subprocess.run([sys.executable, str(SCORE), "--gold", str(gold), "--pred", str(pred),
                           "--json", str(jf)], capture_output=True, text=True)
    summary = json.loads(jf.read_text()) if jf.exists() else {}
    return summary, proc.stdout


def _f1(summary: dict, metric: str) -> float:
    row = summary.get(metric) or {}
    if metric == "metadata":
        n = row.get("tp", 0) + row.get("fp", 0)
        return row.get("tp", 0) / n if n else 0.0
    return row.get("f1", 0.0)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--src", nargs="*", type=Path, help="born-digital PDFs with NAME.gold.json beside them")
    ap.add_argument("--scans", type=Path, default=Path("/tmp/scans"))
    ap.add_argument("--work", type=Path, default=Path("/tmp/ocr_eval"))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--dpi", type=int, default=250)
    ap.add_argument("--extract", type=Path, help="print one file's contract JSON with OCR forced")
    args = ap.parse_args(argv)

    if args.extract:
        pred, _, _, err = extract_json(args.extract, True)
        if err:
            print(err, file=sys.stderr)
            return 2
        print(json.dumps(pred, ensure_ascii=False, indent=1))
        return 0

    srcs = args.src or sorted((SHARED / "eval" / "dev").glob("*.pdf")) + sorted((ROOT / "corpora").glob("*.pdf"))
    srcs = [s for s in srcs if s.with_name(s.name[:-4] + ".gold.json").exists()]
    if not srcs:
        print("no PDFs with gold files", file=sys.stderr)
        return 1
    from make_scans import make_scan
    import shutil
    gold_dir = args.work / "gold"
    if gold_dir.exists():
        shutil.rmtree(gold_dir)
    gold_dir.mkdir(parents=True)
    for s in srcs:
        scan = args.scans / s.name
        if not scan.exists():
            make_scan(s, scan, args.dpi)
        shutil.copy(s.with_name(s.name[:-4] + ".gold.json"), gold_dir)
    pred_scan, pred_born = args.work / "pred_scan", args.work / "pred_born"
    for d in (pred_scan, pred_born):
        if d.exists():
            shutil.rmtree(d)
        d.mkdir(parents=True)
    jobs = [(str(args.scans / s.name), str(pred_scan / (s.name[:-4] + ".json")), True) for s in srcs]
    jobs += [(str(s), str(pred_born / (s.name[:-4] + ".json")), False) for s in srcs]
    ocr_secs = ocr_pages = 0
    errors = []
    with ProcessPoolExecutor(max_workers=args.jobs) as ex:
        for src, secs, pages, err in ex.map(_job, jobs):
            if err:
                errors.append(err)
            if src.startswith(str(args.scans)):
                ocr_secs += secs
                ocr_pages += pages
                print(f"{Path(src).name}: {pages} pages, {secs:.1f} s", file=sys.stderr)
    s_scan, t_scan = grade(gold_dir, pred_scan)
    s_born, t_born = grade(gold_dir, pred_born)
    print("== born-digital PDFs\n" + t_born)
    print("== scans (OCR)\n" + t_scan)
    print(f"{'metric':<16} {'born':>6} {'scan':>6} {'diff':>6}")
    for m in ["metadata", "sections", "tasks", "owners_explicit", "owners_all", "deadlines", "references"]:
        b, s = _f1(s_born, m), _f1(s_scan, m)
        print(f"{m:<16} {b:6.3f} {s:6.3f} {s - b:+6.3f}")
    if ocr_pages:
        print(f"OCR: {ocr_pages} pages, {ocr_secs / ocr_pages:.1f} s a page (whole pipeline, {args.jobs} jobs)")
    for e in errors:
        print("ERROR", e)
    ok = _f1(s_born, "owners_all") - _f1(s_scan, "owners_all") <= 0.05 and _f1(s_scan, "metadata") >= 0.9
    print("done criterion:", "met" if ok else "not met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
