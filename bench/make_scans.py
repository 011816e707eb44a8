"""Make "scanned" versions of born-digital PDFs: image-only PDFs like a signed paper copy.

Each page is rasterised (pypdfium2), tilted slightly, blurred, given paper grain and
noise; the page carrying the signature gets a red seal (a ring with text and a star)
over the signature block; pages are saved as an image-only PDF (JPEG, like a
scanner's output). The gold file beside an input (NAME.gold.json) is copied next
to its scan, so the output folder can be graded directly::

    python bench/make_scans.py /work/shared/eval/dev/*.pdf corpora/*.pdf --out /tmp/scans
    python3 /work/shared/eval/score.py --gold /tmp/scans --input-ext pdf \\
        --cmd "directives extract {file} --format json"

Randomness is seeded from the file name: the same input gives the same scan.
"""
from __future__ import annotations

import argparse
import hashlib
import math
import random
import shutil
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf",
]


def _font(size: int) -> ImageFont.ImageFont:
    for f in FONT_CANDIDATES:
        if Path(f).exists():
            return ImageFont.truetype(f, size)
    return ImageFont.load_default()


def seal(diameter: int, text: str = "ỦY BAN NHÂN DÂN * TỈNH * ") -> Image.Image:
    """A red round seal (RGBA): two rings, text around the rim, a star in the middle."""
    d = diameter
    img = Image.new("RGBA", (d, d), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    red = (205, 30, 35, 235)
    w = max(3, d // 60)
    draw.ellipse([w, w, d - w, d - w], outline=red, width=w)
    inner = d // 5
    draw.ellipse([inner, inner, d - inner, d - inner], outline=red, width=max(2, w // 2))
    # star
    cx = cy = d / 2
    r1, r2 = d * 0.13, d * 0.055
    pts = []
    for k in range(10):
        r = r1 if k % 2 == 0 else r2
        a = -math.pi / 2 + k * math.pi / 5
        pts.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    draw.polygon(pts, fill=red)
    # text around the rim
    fsize = max(10, d // 13)
    font = _font(fsize)
    radius = d / 2 - w - fsize * 0.9
    n = len(text)
    for k, ch in enumerate(text):
        a = -math.pi / 2 + 2 * math.pi * k / n
        tile = Image.new("RGBA", (fsize * 2, fsize * 2), (0, 0, 0, 0))
        ImageDraw.Draw(tile).text((fsize // 2, fsize // 4), ch, font=font, fill=red)
        tile = tile.rotate(-math.degrees(a) - 90, resample=Image.BICUBIC)
        x = cx + radius * math.cos(a) - fsize
        y = cy + radius * math.sin(a) - fsize
        img.alpha_composite(tile, (int(x), int(y)))
    return img


def signature_box(pdf_path: Path) -> tuple[int, float, float] | None:
    """(page index, x, y as fractions of the page) of the signature block, or None."""
    try:
        import pdfplumber
    except ImportError:
        return None
    import re
    found = None
    with pdfplumber.open(str(pdf_path)) as pdf:
        for i, page in enumerate(pdf.pages):
            words = page.extract_words()
            for w in words:
                if w["x0"] > 0.45 * page.width and re.fullmatch(r"(?:TM|KT|TL|TUQ|Q|T/M|K/T)\.?", w["text"]):
                    found = (i, w["x0"] / page.width, w["top"] / page.height)
                    break
            if found:
                break
        if found is None:  # no authority line: the last page's lower right
            i = len(pdf.pages) - 1
            found = (i, 0.6, 0.5)
    return found


def scan_page(img: Image.Image, rng: random.Random, seal_at: tuple[float, float] | None,
              dpi: int) -> Image.Image:
    """One page image made to look scanned."""
    img = img.convert("RGB")
    if seal_at is not None:
        d = int(1.55 * dpi)  # about 4 cm
        s = seal(d)
        x = int(seal_at[0] * img.width - 0.35 * d)
        y = int(seal_at[1] * img.height - 0.1 * d)
        layer = Image.new("RGBA", img.size, (0, 0, 0, 0))
        layer.alpha_composite(s, (max(0, x), max(0, y)))
        # multiply-like: red ink over black text stays dark
        base = np.asarray(img).astype(np.float32)
        a = np.asarray(layer).astype(np.float32)
        alpha = a[..., 3:4] / 255.0
        mixed = base * (1 - alpha) + np.minimum(base, a[..., :3]) * alpha
        img = Image.fromarray(mixed.clip(0, 255).astype(np.uint8))
    angle = rng.choice([-1, 1]) * rng.uniform(0.5, 1.5)
    img = img.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=(255, 255, 255))
    img = img.filter(ImageFilter.GaussianBlur(radius=rng.uniform(0.4, 0.8) * dpi / 200))
    arr = np.asarray(img).astype(np.float32)
    nprng = np.random.default_rng(rng.randrange(1 << 30))
    arr = arr * np.array([0.98, 0.97, 0.93])  # a yellowish paper
    arr += nprng.normal(0, 7, arr.shape[:2])[..., None]  # grain
    speck = nprng.random(arr.shape[:2]) < 0.0004  # dust
    arr[speck] = 60
    img = Image.fromarray(arr.clip(0, 255).astype(np.uint8))
    return img


def make_scan(src: Path, out: Path, dpi: int = 250, quality: int = 80, pages: int | None = None) -> Path:
    """Write the scanned version of ``src`` to ``out`` (a .pdf path); returns it."""
    import pypdfium2 as pdfium
    seed = int(hashlib.sha1(src.name.encode()).hexdigest()[:8], 16)
    rng = random.Random(seed)
    sig = signature_box(src)
    pdf = pdfium.PdfDocument(str(src))
    images = []
    n = len(pdf) if pages is None else min(pages, len(pdf))
    for i in range(n):
        img = pdf[i].render(scale=dpi / 72).to_pil()
        seal_at = (sig[1], sig[2]) if sig and sig[0] == i else None
        images.append(scan_page(img, rng, seal_at, dpi))
    pdf.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    images[0].save(str(out), "PDF", resolution=dpi, save_all=True, append_images=images[1:],
                   quality=quality)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pdfs", nargs="+", type=Path)
    ap.add_argument("--out", type=Path, default=Path("/tmp/scans"))
    ap.add_argument("--dpi", type=int, default=250)
    ap.add_argument("--quality", type=int, default=80)
    args = ap.parse_args(argv)
    for src in args.pdfs:
        dst = args.out / src.name
        make_scan(src, dst, args.dpi, args.quality)
        gold = src.with_name(src.name[:-4] + ".gold.json")
        if gold.exists():
            shutil.copy(gold, args.out / gold.name)
        print(f"{dst} ({dst.stat().st_size // 1024} KB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
