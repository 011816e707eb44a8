"""Stage 2, clean: normalise each block's text, keeping a map to source offsets.

``clean(doc)`` is the front door. For every block (and table cell) it sets
``block.text`` to the cleaned text and ``block.offsets`` so that
``offsets[i]`` is the source offset of ``text[i]``. It then joins blocks that a
page break or a lost line split: a body block that starts in lower case (or
follows one that stops mid-sentence) continues the block before it.

Cleaning: decomposed Unicode to NFC; "Ð" (U+00D0) to "Đ"; zero-width and soft
hyphen characters dropped; white space folded; hyphenated line ends rejoined.
Old and new tone-mark placement ("Uỷ"/"Ủy") are kept as printed, and made equal
for matching by :func:`match_key`.
"""
from __future__ import annotations

import re
import unicodedata

from .model import BODY, Block, DirectiveError, Document
from .patterns import LABEL_RE, is_all_caps

_DROP = {"\u00ad", "\u200b", "\u200c", "\u200d", "\ufeff", "\u2060"}
_MAP = {"\u00d0": "Đ", "\u00f0": "đ", "\u0110": "Đ", "\u00a0": " ", "\u2009": " ", "\u202f": " ",
        "\t": " ", "\n": " ", "\r": " ", "\f": " ", "\u2011": "-", "\u2010": "-"}

# old tone placement -> new ("hoà" -> "hòa", "thuỷ" -> "thủy") where the pair ends the syllable
_TONE_MOVE = {"oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
              "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
              "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy"}
_TONE_RE = re.compile(r"(?<![qQ])([oO][àáảãạèéẻẽẹ]|[uU][ỳýỷỹỵ])(?!\w)")


def decode_bytes(data: bytes, path: str) -> str:
    """Bytes of a text file to str: UTF-8 (with or without BOM), UTF-16, or a legacy
    Vietnamese 8-bit encoding (TCVN3/ABC, VNI), converted to Unicode."""
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return data.decode("utf-16")
    from . import legacy
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    else:
        # legacy text once read as Windows-1252 and saved as UTF-8 ("Chñ tÞch", "Chá»§ tá»‹ch")
        return legacy.repair_mojibake(text) or text
    text = legacy.decode_legacy(data)
    if text is None:
        raise DirectiveError(path, "not UTF-8 text, and no legacy Vietnamese encoding (TCVN3, VNI, Windows-1258) recognised")
    return text


def normalise(raw: str, start: int) -> tuple[str, list[int]]:
    """Cleaned text of ``raw`` and the source offset of each cleaned character."""
    out: list[str] = []
    offs: list[int] = []
    i, n = 0, len(raw)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(raw[j]):
            j += 1
        chunk = raw[i:j]
        i0 = i
        i = j
        if chunk in _DROP:
            continue
        chunk = _MAP.get(chunk, chunk)
        if len(chunk) > 1 or not chunk.isascii():
            chunk = unicodedata.normalize("NFC", chunk)
            chunk = "".join(_MAP.get(c, c) for c in chunk)
        for c in chunk:
            if c == " " and (not out or out[-1] == " "):
                continue
            out.append(c)
            offs.append(start + i0)
    while out and out[-1] == " ":
        out.pop()
        offs.pop()
    return "".join(out), offs


def match_key(s: str) -> str:
    """A key for comparing names: NFC, casefolded, tone marks placed the new way."""
    s = unicodedata.normalize("NFC", s).replace("\u00d0", "Đ").replace("\u00f0", "đ")
    s = _TONE_RE.sub(lambda m: _TONE_MOVE.get(m.group(0).lower(), m.group(0)), s.casefold())
    return re.sub(r"\s+", " ", s).strip()


def fold(s: str) -> str:
    """Without tone marks or diacritics, lower case: "Tài chính" -> "tai chinh"."""
    s = unicodedata.normalize("NFD", s.casefold().replace("đ", "d").replace("Đ", "d"))
    return "".join(c for c in s if not unicodedata.combining(c))


def clean_block(block: Block) -> None:
    block.text, block.offsets = normalise(block.raw, block.start)
    for row in block.rows:
        for cell in row:
            clean_block(cell)


_TERMINAL = tuple(".;:!?")


def _joinable(prev: Block, nxt: Block) -> bool:
    """Does ``nxt`` continue ``prev`` (a paragraph split by a page break)?"""
    if prev.kind != "para" or nxt.kind != "para" or prev.zone != BODY or nxt.zone != BODY:
        return False
    a, b = prev.text, nxt.text
    if not a or not b:
        return False
    if b[0] in "-–" and len(a) > 60 and not a.endswith(_TERMINAL) and not a.endswith(("./.", ")")):
        # a dash wrapped to the start of a line mid-sentence: "tiếp nhận" / "- xử lý - trả kết quả",
        # "(... Lào Cai" / "– Hà Nội – Hải Phòng ...)"
        rest = b[1:].lstrip()
        if rest[:1].islower() or a.count("(") > a.count(")"):
            return True
    if LABEL_RE.match(b) or is_all_caps(b) or is_all_caps(a):
        return False
    # a sentence cut by a page break goes on in lower case, or after a comma
    return b[0].islower() or (a.endswith(",") and len(a) > 80)


def merge(prev: Block, nxt: Block, doc_text: str) -> Block:
    """One block from two: the cleaned texts joined by a space (mapped to prev's end)."""
    if prev.text.endswith("-") and not prev.text.endswith(" -") and nxt.text[:1].islower():
        text = prev.text[:-1] + nxt.text
        offs = prev.offsets[:-1] + nxt.offsets
    else:
        text = prev.text + " " + nxt.text
        offs = prev.offsets + [prev.end] + nxt.offsets
    out = Block(raw=doc_text[prev.start:nxt.end], start=prev.start, end=nxt.end, page=prev.page,
                kind=prev.kind, zone=prev.zone, bold=prev.bold and nxt.bold, italic=prev.italic,
                centered=prev.centered, text=text, offsets=offs)
    return out


def clean(doc: Document) -> Document:
    """Normalise every block and rejoin paragraphs split by page breaks."""
    for b in doc.blocks:
        clean_block(b)
    blocks: list[Block] = []
    for b in doc.blocks:
        if not b.text and b.kind == "para":
            continue
        if blocks and _joinable(blocks[-1], b):
            blocks[-1] = merge(blocks[-1], b, doc.text)
        else:
            blocks.append(b)
    doc.blocks = blocks
    return doc
