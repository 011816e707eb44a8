"""Repair of OCR damage on the genre's fixed vocabulary.

OCR of Vietnamese loses or swaps tone marks ("CHI THI", "Noi nhân", "QUYÉT
ĐỊNH"), reads "Đ" as "D" and "0"/"1" as "O"/"l" in document numbers. The genre's
fixed phrases are known: the motto, the document types, "Nơi nhận", "Kính gửi",
signing positions, agency names (``models/agencies.jsonl``), provinces, the
phrases of ``models/ocr_phrases.json``. A printed run of whole words whose
diacritic-free form (``fold``) equals one of them, and that differs from it by
more than old/new tone placement, is rewritten with the phrase's marks; the case
of each letter follows the printed text. Dates ("ngay 06 thang 7 nam 2025"),
"Số:" at the start of a line and document symbols ("O2/CT-UBND" -> "02/CT-UBND",
"QD-TTg" -> "QĐ-TTg") are repaired by pattern. Nothing else is touched: free text
is never guessed.

Every repair keeps the text's length (one character for one), so OCR word boxes
and offsets stay right.
"""
from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Optional

MODELS = Path(__file__).resolve().parent.parent / "models"

_DASH = {"\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-"}


def fold_char(ch: str) -> str:
    """One character without diacritics, lower case; đ/Đ/ð -> d, dashes -> "-"."""
    if ch in _DASH:
        return "-"
    low = ch.lower()
    if len(low) != 1:
        low = ch
    if low in ("đ", "ð"):
        return "d"
    base = unicodedata.normalize("NFD", low)[0]
    return base if base.isascii() or not unicodedata.combining(base) else low


def fold(text: str) -> str:
    """Length-preserving diacritic-free lower-case form: "Nơi nhận" -> "noi nhan"."""
    return "".join(fold_char(c) for c in text)


def _same_modulo_tone(a: str, b: str) -> bool:
    """Equal up to case and old/new tone placement ("Uỷ" = "Ủy", "hoà" = "hòa")."""
    from .agencies import norm
    return norm(a).lower() == norm(b).lower()


def _apply_case(canon: str, printed: str) -> str:
    """``canon``'s letters with the case of ``printed`` (same length)."""
    out = []
    for c, p in zip(canon, printed):
        if p.isupper():
            out.append(c.upper() if len(c.upper()) == 1 else c)
        elif p.islower():
            out.append(c.lower() if len(c.lower()) == 1 else c)
        else:
            out.append(c)
    return "".join(out)


def _load_json(name: str) -> dict:
    p = MODELS / name
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _phrase_sources() -> list[str]:
    """Every fixed phrase of the genre the repair knows."""
    out: list[str] = list(_load_json("ocr_phrases.json").get("phrases", []))
    genre = _load_json("genre.json")
    out += list(genre.get("doc_types", {}).keys())
    out += list(genre.get("positions", []))
    out += list(genre.get("motto", []))
    places = _load_json("places.json")
    for key in ("current", "former", "cities"):
        for p in places.get(key, []) or []:
            if isinstance(p, str):
                out.append(p)
    try:
        from .agencies import Registry
        reg = Registry.load()
        for e in reg.entries:
            out.extend(e.names)
    except Exception:  # the registry is a help, not a need
        pass
    return out


class _Phrases:
    """Folded phrase -> canonical spelling, and one regex over all folded phrases."""

    def __init__(self, phrases: list[str]) -> None:
        table: dict[str, set[str]] = {}
        for ph in phrases:
            ph = unicodedata.normalize("NFC", re.sub(r"\s+", " ", ph or "").strip())
            f = fold(ph)
            if len(f) != len(ph):
                continue
            if len(f.split()) < 2 and not ph.isupper() and len(f) < 4:
                continue
            if len(re.sub(r"[^a-z]", "", f)) < 4:
                continue
            if f == ph.lower():
                continue  # no marks: nothing to restore
            table.setdefault(f, set()).add(ph)
        self.table: dict[str, str] = {}
        for f, forms in table.items():
            lows = {unicodedata.normalize("NFC", x.lower()) for x in forms}
            first = sorted(forms)[0]
            if all(_same_modulo_tone(first, x) for x in lows):
                self.table[f] = first
        # folded first word -> folded phrases starting with it, longest first
        self.by_first: dict[str, list[str]] = {}
        for f in sorted(self.table, key=len, reverse=True):
            self.by_first.setdefault(re.split(r"[\s,.:;]", f, maxsplit=1)[0], []).append(f)

    def finditer(self, folded: str):
        """(start, end, folded phrase) of the known phrases in a folded text, left to right,
        whole words only, the longest at each place, not overlapping."""
        pos = 0
        for m in re.finditer(r"[^\W_]+", folded):
            if m.start() < pos:
                continue
            for f in self.by_first.get(m.group(0), ()):
                end = m.start() + len(f)
                if folded.startswith(f, m.start()) and (end == len(folded) or not (folded[end].isalnum() or folded[end] == "_")):
                    yield m.start(), end, f
                    pos = end
                    break


@lru_cache(maxsize=1)
def phrases() -> _Phrases:
    return _Phrases(_phrase_sources())


@lru_cache(maxsize=1)
def _abbreviations() -> dict[str, str]:
    """Folded symbol part -> its spelling ("qd" -> "QĐ"), only those with a Đ."""
    genre = _load_json("genre.json")
    syms = _load_json("symbols.json")
    names = list(genre.get("type_abbr", {}).keys()) + list(genre.get("issuer_abbr", {}).keys())
    for t in syms.get("types", []) or []:
        if isinstance(t, dict) and t.get("abbr"):
            names.append(t["abbr"])
    for t in syms.get("issuers", []) or []:
        if isinstance(t, dict) and t.get("abbr"):
            names.append(t["abbr"])
    out: dict[str, set[str]] = {}
    for n in names:
        if "Đ" in n or "đ" in n:
            out.setdefault(fold(n), set()).add(n)
    return {k: sorted(v)[0] for k, v in out.items() if len(v) == 1}


_DIGITISH = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "|": "1"})
SYMBOL = re.compile(r"(?<![\w/])([0-9OolI|]{1,4})(/(?:[0-9OolI]{4}/)?)([A-ZĐD][A-Za-zĐđ&.]*(?:-[A-Za-zĐđ0-9&.]+)+)")
PARTY_SYMBOL = re.compile(r"(?<![\w/])([0-9OolI|]{1,4})(-)([A-ZĐD][A-Za-zĐđ]{0,4}/[A-ZĐ][A-Za-zĐđ]{1,5})(?![\w])")
DATE = re.compile(r"(?<![\w])ngay(\s+)(\S{1,2})(\s+)thang(\s+)(\S{1,2})(\s+)nam(\s+)(\S{4})(?![\w])")
NUMBER_HEAD = re.compile(r"^(\s*)s[o0](\s*[:.])")


def _digits(s: str) -> Optional[str]:
    """A number read with letter look-alikes, as digits; None if it is not one."""
    t = s.translate(_DIGITISH)
    if not t.isdigit():
        return None
    if not any(c.isdigit() for c in s) and len(s) < 2:
        return None
    return t


def _symbol_fix(m: re.Match) -> str:
    num, sep, rest = m.group(1), m.group(2), m.group(3)
    n = _digits(num)
    if n is None:
        return m.group(0)
    if sep.startswith("/") and len(sep) > 1:
        year = _digits(sep[1:-1])
        sep = "/" + (year or sep[1:-1]) + "/"
    abbr = _abbreviations()
    parts = re.split(r"([-/])", rest)
    for k, part in enumerate(parts):
        if part in ("-", "/"):
            continue
        fixed = abbr.get(fold(part))
        if fixed and len(fixed) == len(part) and part != fixed and part.upper() == fold(part).upper():
            parts[k] = fixed
    return n + sep + "".join(parts)


def _put(chars: list[str], start: int, new: str) -> None:
    for k, c in enumerate(new):
        chars[start + k] = c


def repair_text(text: str) -> str:
    """``text`` with damaged fixed phrases, dates, "Số:" and symbols repaired (same length)."""
    if not text:
        return text
    text = unicodedata.normalize("NFC", text)
    out = list(text)
    folded = fold(text)
    ph = phrases()
    for start, end, f in ph.finditer(folded):
        canon = ph.table.get(f)
        printed = text[start:end]
        if canon is None or len(canon) != len(printed) or _same_modulo_tone(canon, printed):
            continue
        _put(out, start, _apply_case(canon, printed))
    for m in DATE.finditer(folded):
        spots = [(m.start(), "ngày"), (m.end(3), "tháng"), (m.end(6), "năm")]
        for pos, word in spots:
            printed = "".join(out[pos:pos + len(word)])
            if not _same_modulo_tone(word, printed):
                _put(out, pos, _apply_case(word, printed))
        for g in (2, 5, 8):
            val = text[m.start(g):m.end(g)]
            d = _digits(val)
            if d is not None and d != val:
                _put(out, m.start(g), d)
    m = NUMBER_HEAD.match(folded)
    if m:
        pos = m.start() + len(m.group(1))
        printed = "".join(out[pos:pos + 2])
        if printed != "Số" and printed.lower() != "số":
            _put(out, pos, "Số" if printed[:1].isupper() else "số")
    text = "".join(out)
    text = SYMBOL.sub(lambda m: _symbol_fix(m), text)
    text = PARTY_SYMBOL.sub(lambda m: (_digits(m.group(1)) or m.group(1)) + m.group(2) + m.group(3), text)
    return text


def repair_words(words: list) -> list:
    """OCR words of one line (objects with ``.text``) repaired as one text, in place."""
    if not words:
        return words
    joined = " ".join(w.text for w in words)
    fixed = repair_text(joined)
    if fixed == joined or len(fixed) != len(joined):
        return words
    pos = 0
    for w in words:
        w.text = fixed[pos:pos + len(w.text)]
        pos += len(w.text) + 1
    return words
