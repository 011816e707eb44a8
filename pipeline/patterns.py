"""Shared patterns of the genre's layout: unit labels and line shapes.

The vocabulary (document types, signature authorities, heading words) is data
in ``models/genre.json``; this module compiles it once.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

def _models_dir() -> Path:
    """models/ beside the package (a checkout), or where `pip install .` put the data files."""
    import sys
    here = Path(__file__).resolve().parent.parent / "models"
    installed = Path(sys.prefix) / "share" / "directives" / "models"
    return here if here.is_dir() or not installed.is_dir() else installed


MODELS = _models_dir()

ROMAN = r"(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
VI_LETTERS = "abcdđeghiklmnopqrstuvxy"

# A unit label at the start of a paragraph, in the order they are tried.
LABEL_RE = re.compile(
    r"^(?:"
    r"(?P<part>(?:PHẦN|Phần)\s+(?:(?=[IVXLC])" + ROMAN + r"|(?:THỨ|[Tt]hứ)\s+\w+|\d+)\b)\s*[.:\-–]?\s*"
    r"|(?P<chapter>(?:CHƯƠNG|Chương)\s+(?:(?=[IVXLC])" + ROMAN + r"|\d+)\b)\s*[.:\-–]?\s*"
    r"|(?P<article>Điều\s+\d+[a-z]?)\s*[.:]\s*"
    r"|(?P<roman>" + ROMAN + r")\s*[.)]\s+"
    r"|(?P<num>\d{1,2}(?:\.\d{1,2}){0,3})\s*[.)]\s*(?=\S)"
    r"|(?P<num2>\d{1,2}(?:\.\d{1,2}){1,3})\s+(?=[A-ZĐÀ-Ỹ])"
    r"|(?P<letter>[a-zđ])\s*\)\s*"
    r"|(?P<dash>[-–—•])\s*(?=\S)"
    r"|(?P<plus>\+)\s*(?=\S)"
    r")"
)


def parse_label(text: str) -> tuple[str, str, int] | None:
    """The label at the start of a paragraph: (kind, label, length consumed).

    kind is part|chapter|article|roman|num|letter|dash|plus; label as printed
    without its trailing punctuation ("II", "1.2", "đ", "Điều 3", "-", "+").
    """
    m = LABEL_RE.match(text)
    if not m:
        return None
    kind = m.lastgroup
    label = m.group(kind)
    if kind == "num2":
        kind = "num"
    if kind == "roman" and not label:
        return None
    if kind == "num":
        # "2026." opening a sentence is a year, not an item; "1.000 người" an amount
        if re.match(r"\d{1,2}\.\d{3}\b", text):
            return None
    if kind == "letter" and label not in VI_LETTERS + "fjwz":
        return None
    if kind == "dash" and label != "-":
        label = "-"
    return kind, label, m.end()


def is_all_caps(line: str) -> bool:
    """A line written in capitals (headings, issuer names, signature positions)."""
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 2 and not any(c.islower() for c in letters)


def roman_value(s: str) -> int:
    vals = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = 0
    for a, b in zip(s, s[1:] + " "):
        v = vals.get(a, 0)
        total += -v if vals.get(b, 0) > v else v
    return total


@lru_cache(maxsize=None)
def genre() -> dict:
    """The genre's vocabulary from models/genre.json."""
    return json.loads((MODELS / "genre.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def places() -> dict:
    """Provinces and cities from models/places.json."""
    return json.loads((MODELS / "places.json").read_text(encoding="utf-8"))
