"""How much faster is a pypdfium2 character path than pdfplumber's? (evidence for the PDF reader)

    python bench/pdfium_chars.py FILE.pdf [...]

For each PDF: CPU seconds (median of 3) of
  - pypdfium2: every glyph's text, box (top-down), font size, bold/italic from the font name,
    read through the raw PDFium text API (what ``pipeline.read.pdf`` needs for its ``Ch``);
  - pdfplumber ``page.chars`` (what ``pipeline.read.pdf._load_page`` uses today);
  - pdfplumber ``page.extract_text()`` (the baseline of bench/run.py).
"""
from __future__ import annotations

import ctypes
import statistics
import sys
import time

import pypdfium2 as pdfium
import pypdfium2.raw as R


def pdfium_chars(path: str) -> list[tuple]:
    pdf = pdfium.PdfDocument(path)
    out = []
    buf = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    l, b, r, t = (ctypes.c_double() for _ in range(4))
    try:
        for page in pdf:
            h = page.get_height()
            tp = page.get_textpage()
            raw = tp.raw
            fonts: dict[int, str] = {}
            for i in range(tp.count_chars()):
                u = R.FPDFText_GetUnicode(raw, i)
                if u < 32 or u in (0xFFFE, 0xFFFF):
                    continue
                R.FPDFText_GetCharBox(raw, i, l, r, b, t)
                size = R.FPDFText_GetFontSize(raw, i)
                key = ctypes.cast(R.FPDFText_GetTextObject(raw, i), ctypes.c_void_p).value or 0
                name = fonts.get(key)
                if name is None:
                    R.FPDFText_GetFontInfo(raw, i, buf, 256, flags)
                    name = fonts[key] = buf.value.decode("latin-1")
                out.append((l.value, r.value, h - t.value, h - b.value, size, chr(u),
                            "Bold" in name, "Italic" in name or "Oblique" in name))
            tp.close()
            page.close()
    finally:
        pdf.close()
    return out


def plumber_chars(path: str) -> int:
    import pdfplumber
    with pdfplumber.open(path) as pdf:
        return sum(len(p.chars) for p in pdf.pages)


def plumber_text(path: str) -> int:
    import pdfplumber
    with pdfplumber.open(path) as pdf:
        return sum(len(p.extract_text() or "") for p in pdf.pages)


def cpu(fn, path: str, runs: int = 3) -> tuple[float, object]:
    times, res = [], None
    for _ in range(runs):
        t0 = time.process_time()
        res = fn(path)
        times.append(time.process_time() - t0)
    return statistics.median(times), res


def main(paths: list[str]) -> int:
    import pdfplumber  # noqa: F401  (import time not measured)
    print("| file | pypdfium2 chars s | pdfplumber chars s | pdfplumber extract_text s | chars (pdfium / plumber) |")
    print("|---|---:|---:|---:|---:|")
    for p in paths:
        a, ca = cpu(pdfium_chars, p)
        b, cb = cpu(plumber_chars, p)
        c, _ = cpu(plumber_text, p)
        print(f"| {p.rsplit('/', 1)[-1]} | {a:.3f} | {b:.3f} | {c:.3f} | {len(ca)} / {cb} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
