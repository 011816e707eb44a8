"""Legacy Vietnamese 8-bit encodings (TCVN3/ABC, VNI) to Unicode.

Before Unicode, Vietnamese documents were typed in 8-bit font encodings:

* **TCVN3** (ABC, TCVN 5712:1993 VN3; the ``.VnTime`` fonts): one byte per letter,
  the lower-case toned vowels in 0xA8-0xFE ("Chñ tÞch" is "Chủ tịch"). Only
  seven capitals exist (Ă Â Ê Ô Ơ Ư Đ, 0xA1-0xA7): the ``.VnTimeH`` fonts draw
  the lower-case codes as capitals.
* **VNI-Windows** (the ``VNI-Times`` fonts): a base letter followed by a mark
  character ("Vieät Nam" is "Việt Nam", "Chæ thò" is "Chỉ thị").
* **Windows-1258**, Microsoft's Vietnamese code page, is recognised as well
  (base letters with combining tone marks).

The code tables are data, in ``models/legacy_encodings.json``. The text is read
the way Windows showed it (code page 1252), then each scheme converts it; the
scheme whose result has the most valid Vietnamese syllables (onset, vowel
nucleus, coda, one tone mark: :func:`is_syllable`) wins if it clearly beats
the others and the text as it stands.

Capitals in TCVN3: a toned vowel has no case of its own, so it takes the case
of its word as printed. A word with a lower-case ASCII letter is in lower case
("Chñ" -> "Chủ"); a word of two or more capitals that makes a syllable is in
capitals ("TØNH" -> "TỈNH"); a word with one capital or none ("ñY", "§Ó", "ë")
is in capitals only when its nearest such neighbours on the same line are all
in capitals ("ñY BAN" -> "ỦY BAN", but "ñy ban" -> "ủy ban", "Uû ban" -> "Uỷ ban").
Abbreviations ("UBND", "CT") decide nothing: "Sè: 15/CT-UBND" -> "Số: ...". A
capital toned vowel before lower case ("Ủy ban") cannot be written in TCVN3 and
reads as lower case; text typed in lower case in a ``.VnTimeH`` font (capitals
only through the font) comes out in lower case: plain text does not say.
Old tone placement ("Uỷ") is kept as printed. TCVN3's fuller variant (VN1, with
capitals in 0x80-0x9F and control codes) is not read: those bytes are
Windows-1252 punctuation here, as in the .VnTime fonts.

Front doors: :func:`decode_legacy` for the bytes of a file that is not UTF-8;
:func:`repair_mojibake` for UTF-8 text that holds legacy text read as
Windows-1252 or Latin-1 ("Uû ban nh©n d©n"), or UTF-8 read as Windows-1252
("Chá»§ tá»‹ch", bytes that code page cannot show put back where a syllable
needs them). :func:`encode_legacy` goes the other way (for tests and fixtures).
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from .patterns import MODELS

TABLES_PATH = MODELS / "legacy_encodings.json"

SCHEMES = ("tcvn3", "vni", "cp1258")

# Windows-1252 shows bytes 0x80-0x9F as these characters; Latin-1 as C1 controls.
# Bytes 0x81, 0x8D, 0x8F, 0x90, 0x9D are undefined in cp1252 and stay C1 controls.
_C1_TO_CP1252 = {}
for _b in range(0x80, 0xA0):
    try:
        _C1_TO_CP1252[_b] = bytes([_b]).decode("cp1252")
    except UnicodeDecodeError:
        pass
_CP1252_EXTRA = frozenset(_C1_TO_CP1252.values())

# a "word": letters and anything from 0xA1 to 0xFF (TCVN3 puts letters on "©", "§",
# "×", "«", ...); words of Unicode text ("Việt") are whole words too
_WORD_RE = re.compile("(?:[^\\W\\d_]|[\u00a1-\u00ff])+")

_TONES = {"\u0301": "acute", "\u0300": "grave", "\u0309": "hook", "\u0303": "tilde", "\u0323": "dot"}

# the thresholds of a decision
MIN_WORDS = 1          # words with non-ASCII characters needed to decide at all
MIN_SCORE = 0.6        # share of those words that must become valid syllables
MARGIN_RAW = 0.25      # ... above the share in the text as it stands
MARGIN_OTHER = 0.15    # ... and above the runner-up scheme
_MAX_CONTROL = 0.01    # share of control bytes beyond which bytes are binary, not text


# ---------------------------------------------------------------- code tables

@dataclass(frozen=True)
class _Tables:
    tcvn3: dict[str, str]          # cp1252 character of the byte -> Unicode
    tcvn3_bytes: dict[int, str]    # byte -> Unicode
    vni_seq: dict[str, str]        # lower-case base+mark -> lower-case Unicode
    vni_single: dict[str, str]     # one character -> Unicode (both cases)
    lost_order: tuple[int, ...]    # bytes cp1252 cannot show, in the order to try them
    lost_rank: dict[str, int]      # syllables that decide when several fit: commonest 0


@lru_cache(maxsize=1)
def tables() -> _Tables:
    """The code tables of models/legacy_encodings.json, read once."""
    data = json.loads(TABLES_PATH.read_text(encoding="utf-8"))
    tb = {int(k, 16): v for k, v in data["tcvn3"]["bytes"].items()}
    tc = {bytes([b]).decode("cp1252"): v for b, v in tb.items()}
    seq = {k.lower(): v.lower() for k, v in data["vni"]["sequences"].items()}
    single = dict(data["vni"]["singles"])
    lost = data["utf8_lost_bytes"]
    return _Tables(tcvn3=tc, tcvn3_bytes=tb, vni_seq=seq, vni_single=single,
                   lost_order=tuple(int(b, 16) for b in lost["order"]),
                   lost_rank={w: i for i, w in enumerate(lost["preferred"])})


# ---------------------------------------------------------------- syllables

_ONSETS = sorted(["", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng",
                  "ngh", "nh", "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x"], key=len, reverse=True)
_CODAS = ("ng", "nh", "ch", "c", "m", "n", "p", "t", "k", "")
_OPEN_ONLY = frozenset("ai ao au ay âu ây eo êu ia iu oi ôi ơi ui ưi ưu ưa ua uôi ươi ươu iêu yêu "
                       "oai oay oeo uây uya uyu uơ y".split())
_CLOSED_ONLY = frozenset("ă â iê yê uô ươ oă uâ uyê oo".split())
_EITHER = frozenset("a e ê i o ô ơ u ư oa oe uê uy".split())
_NUCLEI = _OPEN_ONLY | _CLOSED_ONLY | _EITHER
_STOPS = frozenset(("c", "ch", "p", "t", "k"))


def _rhyme_ok(onset: str, nuc: str, coda: str, tone: str) -> bool:
    if nuc not in _NUCLEI:
        return False
    if coda and nuc in _OPEN_ONLY or not coda and nuc in _CLOSED_ONLY:
        return False
    if coda in ("ch", "nh") and nuc not in ("a", "ê", "i", "oa", "uê", "uy"):
        return False
    if coda in ("ng", "c") and nuc in ("i", "ê", "ơ", "uy", "uê"):
        return False
    if coda == "k" and nuc != "ă":     # only in names of the Central Highlands: Đắk Lắk
        return False
    if coda in _STOPS and tone not in ("acute", "dot"):
        return False
    front = nuc[0] in "eêiy"
    if onset == "c" and front or onset == "k" and not front:
        return False
    if onset in ("gh", "ngh") and nuc[0] not in "eêi" or onset in ("g", "ng") and nuc[0] in "eê":
        return False
    if onset == "qu" and nuc[0] in "uo":
        return False
    return True


@lru_cache(maxsize=65536)
def is_syllable(word: str) -> bool:
    """Is ``word`` one Vietnamese syllable: onset + vowel nucleus + coda, at most one tone mark?

    >>> is_syllable("Nghiêng"), is_syllable("chủ"), is_syllable("tịch"), is_syllable("tìch")
    (True, True, True, False)
    """
    d = unicodedata.normalize("NFD", word.lower())
    tones = [_TONES[c] for c in d if c in _TONES]
    if len(tones) > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(c for c in d if c not in _TONES))
    tone = tones[0] if tones else ""
    for onset in _ONSETS:
        if not base.startswith(onset):
            continue
        rest = base[len(onset):]
        for coda in _CODAS:
            if rest.endswith(coda) and len(rest) > len(coda):
                if _rhyme_ok(onset, rest[:len(rest) - len(coda)], coda, tone):
                    return True
    return False


# ---------------------------------------------------------------- converters

def _reading(data: bytes) -> str:
    """The bytes as Windows (code page 1252) shows them."""
    return data.decode("latin-1").translate(_C1_TO_CP1252)


def _is_high(c: str) -> bool:
    return c >= "\u0080"


def _foreign(word: str) -> bool:
    """Has ``word`` a character no Windows-1252 byte shows (so it is Unicode already)?"""
    return any(c > "\u00ff" and c not in _CP1252_EXTRA for c in word)


def _tcvn3_word(word: str, upper: bool) -> tuple[str, bool]:
    """A TCVN3 word in Unicode, and whether every non-ASCII character was in the table."""
    tc = tables().tcvn3
    out = []
    ok = True
    for c in word:
        u = tc.get(c)
        if u is None:
            ok = ok and not _is_high(c)
            out.append(c)
        else:
            out.append(u.upper() if upper else u)
    return "".join(out), ok


def _tcvn3_case(word: str) -> str:
    """'U' (capitals), 'L' (lower case) or '?' (undecided) for a TCVN3 word as printed.

    Capitals that do not make a syllable ("UBND", "CT") are abbreviations, which
    stand in lower-case lines too: they decide nothing."""
    if any("a" <= c <= "z" for c in word):
        return "L"
    up = sum(1 for c in word if "A" <= c <= "Z" or "\u00a1" <= c <= "\u00a7")
    if up >= 2 and is_syllable(_tcvn3_word(word, True)[0]):
        return "U"
    return "?"


def _tcvn3_text(text: str, keep) -> str:
    out = []
    for line in text.splitlines(keepends=True):
        words = [m for m in _WORD_RE.finditer(line)]
        cases = [_tcvn3_case(m.group()) for m in words]
        pos = 0
        for i, m in enumerate(words):
            out.append(line[pos:m.start()])
            pos = m.end()
            w = m.group()
            if keep(w):
                out.append(w)
                continue
            case = cases[i]
            if case == "?":
                near = [next((c for c in reversed(cases[:i]) if c != "?"), None),
                        next((c for c in cases[i + 1:] if c != "?"), None)]
                near = [c for c in near if c]
                case = "U" if near and all(c == "U" for c in near) else "L"
            out.append(_tcvn3_word(w, case == "U")[0])
        out.append(line[pos:])
    return "".join(out)


def _vni_word(word: str) -> tuple[str, bool]:
    """A VNI word in Unicode, and whether every non-ASCII character was used by the table."""
    t = tables()
    out = []
    ok = True
    i, n = 0, len(word)
    while i < n:
        c = word[i]
        if i + 1 < n:
            u = t.vni_seq.get((c + word[i + 1]).lower())
            if u is not None:
                out.append(u.upper() if c.isupper() else u)
                i += 2
                continue
        u = t.vni_single.get(c)
        if u is not None:
            out.append(u)
        else:
            ok = ok and not _is_high(c)
            out.append(c)
        i += 1
    return "".join(out), ok


def _cp1258_word(word: str) -> tuple[str, bool]:
    try:
        return unicodedata.normalize("NFC", word.encode("cp1252").decode("cp1258")), True
    except (UnicodeEncodeError, UnicodeDecodeError):
        return word, False


def _convert_word(word: str, scheme: str) -> tuple[str, bool]:
    if scheme == "tcvn3":
        return _tcvn3_word(word, False)
    if scheme == "vni":
        return _vni_word(word)
    return _cp1258_word(word)


def _convert(text: str, scheme: str, mixed: bool = False) -> str:
    """``text`` (a Windows-1252 reading) converted from ``scheme``. Words already in
    Unicode (with characters no cp1252 byte shows) are kept; in a ``mixed`` text
    (some words in Unicode Vietnamese) so are words that are syllables as they stand
    ("Giám", "có")."""
    def keep(w: str) -> bool:
        return _foreign(w) or mixed and is_syllable(w)

    if scheme == "tcvn3":
        out = _tcvn3_text(text, keep)
    else:
        out = _WORD_RE.sub(lambda m: m.group() if keep(m.group())
                           else _convert_word(m.group(), scheme)[0], text)
    return unicodedata.normalize("NFC", out)


# ---------------------------------------------------------------- detection

@dataclass
class Scores:
    """How a text reads: the share of its non-ASCII words that are valid syllables,
    as it stands (``raw``) and converted from each scheme."""
    words: int
    raw: float
    schemes: dict[str, float]

    def best(self) -> str | None:
        """The scheme that clearly wins, or None."""
        if self.words < MIN_WORDS:
            return None
        ranked = sorted(self.schemes.items(), key=lambda kv: -kv[1])
        (name, top), second = ranked[0], (ranked[1][1] if len(ranked) > 1 else 0.0)
        if top >= MIN_SCORE and top >= self.raw + MARGIN_RAW and top >= second + MARGIN_OTHER:
            return name
        return None


def score(text: str, limit: int = 20000) -> Scores:
    """Score ``text`` (a Windows-1252 reading, or Unicode text) under each scheme.

    Only words with a non-ASCII character count, and only those a cp1252 byte can
    show (words with "ư", "ộ"... are Unicode already); the first ``limit`` of them."""
    counts: dict[str, int] = {}
    n = 0
    for m in _WORD_RE.finditer(text):
        w = m.group()
        if w.isascii() or _foreign(w):
            continue
        counts[w] = counts.get(w, 0) + 1
        n += 1
        if n >= limit:
            break
    if not n:
        return Scores(0, 0.0, {s: 0.0 for s in SCHEMES})
    raw = sum(k for w, k in counts.items() if is_syllable(w)) / n
    res = {}
    for s in SCHEMES:
        good = 0
        for w, k in counts.items():
            u, ok = _convert_word(w, s)
            if ok and is_syllable(u):
                good += k
        res[s] = good / n
    return Scores(n, raw, res)


def detect(data: bytes) -> str | None:
    """The legacy scheme of ``data`` ("tcvn3", "vni", "cp1258"), or None."""
    if not data or _binary(data):
        return None
    return score(_reading(data)).best()


_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in (9, 10, 12, 13)) + b"\x7f"


def _binary(data: bytes) -> bool:
    control = len(data) - len(data.translate(None, _CONTROL_BYTES))
    return control > _MAX_CONTROL * len(data)


# ---------------------------------------------------------------- front doors

def decode_legacy(data: bytes) -> str | None:
    """Unicode text (NFC) of ``data`` if it is in a legacy Vietnamese encoding, else None.

    None for binary data and for text that reads no better converted than as it
    stands (Western Windows-1252 text, for one)."""
    scheme = detect(data)
    if scheme is None:
        return None
    return _convert(_reading(data), scheme)


def repair_mojibake(text: str) -> str | None:
    """``text`` repaired, if it is legacy Vietnamese text read as Windows-1252 or
    Latin-1 ("Uû ban nh©n d©n", "Chñ tÞch", "CHÆ THÒ"), or UTF-8 read as
    Windows-1252 ("Chá»§ tá»‹ch"), else None.

    Words already in Unicode Vietnamese (with "ư", "ộ"...) are kept as they are,
    and a text that has more of them than of mojibake words is left alone. Call it
    on the text as read, before soft hyphens are dropped: TCVN3 "ư" is 0xAD."""
    if not text or text.isascii():
        return None
    text = unicodedata.normalize("NFC", text).translate(_C1_TO_CP1252)
    twice = _repair_double_utf8(text)
    if twice is not None:
        return twice
    sc = score(text)
    scheme = sc.best()
    if scheme is None:
        return None
    unicode_words = sum(1 for m in _WORD_RE.finditer(text) if _foreign(m.group()))
    if unicode_words > sc.words:
        return None
    return _convert(text, scheme, mixed=unicode_words > 0)


_BYTE_OF = {c: b for b, c in _C1_TO_CP1252.items()}
_MARK = "\ue000"            # a plain space that may have been a no-break space (byte A0)
_CONT = "\u0080-\u00bf" + "".join(sorted(_CP1252_EXTRA))
_CUT_RE = re.compile(f"([\u00c2-\u00df]|[\u00e0-\u00ef][{_CONT}]|[\u00e0-\u00ef]) ")
_RUN_RE = re.compile("[^\t\n\r\f\v ]+")
_ABBREV_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZĐ")
_VI_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzđ" "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ")


def _as_cp1252_bytes(run: str, marks: tuple[int, ...] = ()) -> bytes | None:
    """The bytes Windows-1252 showed as ``run``; a lost byte (U+FFFD) is left out,
    the k-th mark is A0 if k is in ``marks``, else a space."""
    out = bytearray()
    k = 0
    for c in run:
        if c == _MARK:
            out.append(0xA0 if k in marks else 0x20)
            k += 1
            continue
        b = ord(c) if c <= "\u00ff" else _BYTE_OF.get(c)
        if b is None:
            if c == "\ufffd":
                continue
            return None
        out.append(b)
    return bytes(out)


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", text)


def _word_ok(w: str) -> bool:
    """A Vietnamese syllable, a letter ("đ)"), or an abbreviation ("QĐ", "HĐND")."""
    return (w.isascii() or is_syllable(w) or len(w) == 1 and w.lower() in _VI_LETTERS
            or set(w) <= _ABBREV_LETTERS)


def _utf8_fits(data: bytes, depth: int = 0) -> list[tuple[str, int]]:
    """``data`` as UTF-8, with the number of bytes put back: where a sequence lacks a
    byte Windows-1252 cannot show (0x81 0x8D 0x8F 0x90 0x9D), each such byte in turn,
    in the table's order."""
    try:
        return [(data.decode("utf-8"), depth)]
    except UnicodeDecodeError as e:
        if depth >= 3 or data[e.start] < 0xC2:
            return []
        out: list[tuple[str, int]] = []
        for b in tables().lost_order:
            out += _utf8_fits(data[:e.end] + bytes([b]) + data[e.end:], depth + 1)
        return out


_COMMON_SIGNS = frozenset("\u00a0“”‘’–—…•«»°§×±€·")


def _signs_ok(u: str) -> bool:
    """No control, format or odd space characters in ``u`` (letters are checked as words)."""
    return all(c.isascii() or c == "\u00a0" or unicodedata.category(c)[0] in "LMPS" for c in u)


def _odd_signs(u: str) -> int:
    return sum(1 for c in u if not c.isascii() and unicodedata.category(c)[0] in "PS"
               and c not in _COMMON_SIGNS)


def _mixed_case(w: str) -> bool:
    return not (w.islower() or w.isupper() or w.istitle())


def _utf8_run(run: str) -> str | None:
    """The best reading of ``run`` as UTF-8 shown as Windows-1252, or None: all its
    words Vietnamese, then no word in mixed case, then no odd signs ("†") and no
    letter glued to a digit, then the fewest bytes put back, then the commonest syllable, then the first in order."""
    n = run.count(_MARK)
    if n > 3:
        return None
    best, best_key = None, None
    i = 0
    for k in range(2 ** n):
        marks = tuple(j for j in range(n) if not k >> j & 1)   # A0 first
        data = _as_cp1252_bytes(run, marks)
        if data is None:
            return None
        for u, added in _utf8_fits(data):
            words = _words(u)
            if not all(_word_ok(w) for w in words) or not _signs_ok(u):
                continue
            rank = min((tables().lost_rank.get(w.lower(), 10**6) for w in words), default=10**6)
            glued = len(re.findall(r"[^\W\d_]\d", u))      # "SỠ49": a space read as A0
            key = (sum(map(_mixed_case, words)), _odd_signs(u) + glued, added, rank, i)
            i += 1
            if best_key is None or key < best_key:
                best, best_key = u, key
    return best


def _repair_double_utf8(text: str) -> str | None:
    """UTF-8 read as Windows-1252 ("Chá»§ tá»‹ch" for "Chủ tịch"), repaired; None if
    no run of the text decodes that way. A run is taken only if its bytes are UTF-8
    into Vietnamese words, which Western text in Windows-1252 hardly ever is."""
    if not re.search(f"[\u00c2-\u00ef][{_CONT}]", text):
        return None
    # evidence first: more runs that are UTF-8 as they stand than runs in Unicode
    # Vietnamese ("XÃ HỘI" is not "Xà HỘI")
    strict = unicode_runs = 0
    for m in _RUN_RE.finditer(text):
        run = m.group()
        if run.isascii():
            continue
        if any(c > "\u00ff" and c not in _CP1252_EXTRA and c != "\ufffd" for c in run):
            unicode_runs += 1
            continue
        data = _as_cp1252_bytes(run)
        try:
            u = data.decode("utf-8") if data else ""
        except UnicodeDecodeError:
            continue
        if not u.isascii() and all(_word_ok(w) for w in _words(u)) and _signs_ok(u):
            strict += 1
    if strict == 0 or strict <= unicode_runs:
        return None
    # a no-break space (A0, the last byte of "à", "ạ"...) may have become a plain
    # space, unless the text kept its no-break spaces
    if not re.search(f"[\u00c2-\u00df]\u00a0|[\u00e0-\u00ef][{_CONT}]\u00a0", text):
        text = _CUT_RE.sub(lambda m: m.group(1) + _MARK, text)
    fixed = 0

    def one(m: re.Match) -> str:
        nonlocal fixed
        run = m.group()
        u = None if run.isascii() else _utf8_run(run)
        if u is None or u == run.replace(_MARK, " ") or u.isascii():
            return run.replace(_MARK, " ")
        fixed += 1
        return u

    out = _RUN_RE.sub(one, text)
    return unicodedata.normalize("NFC", out) if fixed else None


def encode_legacy(text: str, scheme: str) -> bytes:
    """``text`` in a legacy encoding ("tcvn3" or "vni"), as a file of the time held it.

    TCVN3 has no toned capitals: they take the lower-case code, as in ``.VnTimeH``
    text. Characters outside the encoding raise UnicodeEncodeError."""
    t = tables()
    text = unicodedata.normalize("NFC", text)
    if scheme == "tcvn3":
        rev = {u: b for b, u in t.tcvn3_bytes.items()}
        out = bytearray()
        for c in text:
            b = rev.get(c, rev.get(c.lower()))
            out += bytes([b]) if b is not None else c.encode("cp1252")
        return bytes(out)
    if scheme == "vni":
        rev = {u: s for s, u in t.vni_seq.items()}
        rev.update({u: s for s, u in t.vni_single.items() if u.islower()})
        parts = []
        for c in text:
            s = rev.get(c.lower())
            if s is None:
                parts.append(c)
            else:
                parts.append(s.upper() if c.isupper() else s)
        return "".join(parts).encode("cp1252")
    raise ValueError(f"unknown legacy encoding: {scheme}")
