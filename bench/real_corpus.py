"""Robustness run over the real gazette PDFs: every file must extract, and its
number, type, date and signer must match the corpus manifest.

    python bench/real_corpus.py [../shared/corpus/real]
"""
from __future__ import annotations

import csv
import sys
import time
import unicodedata
from pathlib import Path

from pipeline import DirectiveError, extract


def main(folder: str = "../shared/corpus/real") -> int:
    root = Path(folder)
    manifest = root / "MANIFEST.tsv"
    if not manifest.exists():
        print(f"no manifest in {root}")
        return 0
    rows = list(csv.DictReader(manifest.open(encoding="utf-8"), delimiter="\t"))
    bad = 0
    for row in rows:
        pdf = root / Path(row["path"]).name
        t0 = time.perf_counter()
        try:
            doc = extract(pdf)
        except DirectiveError as e:
            print(f"FAIL {pdf.name}: {e.reason}")
            bad += 1
            continue
        secs = time.perf_counter() - t0
        h = doc.header
        want = {"number": row["doc_number"], "type": row["doc_type"].split(" (")[0], "date": row["date"],
                "signer": row["signer"]}
        got = {"number": h.number, "type": h.type, "date": h.date, "signer": h.signer}
        wrong = [k for k in want if unicodedata.normalize("NFC", str(got[k] or "")) != unicodedata.normalize("NFC", want[k])]
        bad += bool(wrong)
        status = "ok  " if not wrong else "DIFF"
        print(f"{status} {pdf.name:45} {doc.pages:3}p {secs:5.2f}s {h.number} | {h.type} | {h.date} | {h.signer}"
              f" | tasks={len(doc.tasks)}" + (f"  wrong: {', '.join(f'{k}={got[k]!r} want {want[k]!r}' for k in wrong)}" if wrong else ""))
    print(f"{len(rows) - bad}/{len(rows)} right")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
