"""underthesea -> spaCy plumbing.

``make_doc(text)`` segments Vietnamese words with underthesea's CRF word
segmenter (offline) and returns a ``spacy.tokens.Doc`` whose text is exactly
``text`` (every token's ``idx`` is its char offset in ``text``). Document
symbols ("66/NQ-CP", "57-NQ/TW"), dates ("15/8/2025") and the organisations
found by ``pipeline.agencies.find_agencies`` are protected: each comes out as
one token, and is listed in ``doc.spans["symbols"]``, ``doc.spans["dates"]``
and ``doc.spans["agencies"]`` (label: registry id or "ORG").
``token.norm_`` is the lower-case, new-tone-mark form.
"""
from __future__ import annotations

import bisect
import os
import re
from functools import lru_cache
from typing import Optional

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from spacy.tokens import Doc  # noqa: E402
from spacy.vocab import Vocab  # noqa: E402

_WS = re.compile(r"\s+")


@lru_cache(maxsize=1)
def vocab() -> Vocab:
    """The shared spaCy vocabulary."""
    return Vocab()


def words_doc(words: list[str]) -> Doc:
    """A Doc of the given words separated by single spaces (for matchers)."""
    return Doc(vocab(), words=words, spaces=[True] * len(words))


@lru_cache(maxsize=1)
def _segmenter():
    from underthesea import word_tokenize
    return word_tokenize


@lru_cache(maxsize=1)
def _tagger():
    from underthesea import pos_tag
    return pos_tag


def _segment(line: str, pos: bool) -> list[tuple[str, Optional[str]]]:
    if pos:
        return [(w, t) for w, t in _tagger()(line)]
    return [(w, None) for w in _segmenter()(line)]


def _align(text: str, ntext: str, words: list[tuple[str, Optional[str]]], base: int,
           out: list[tuple[int, int, Optional[str]]]) -> None:
    """Find each segmented word in ``ntext`` (normalised like ``text``) from ``base`` on."""
    from .agencies import norm
    pos = base
    limit = len(ntext)
    for w, tag in words:
        syls = w.split()
        if not syls:
            continue
        k = pos
        start = None
        ok = True
        for si, syl in enumerate(syls):
            while k < limit and ntext[k].isspace():
                k += 1
            cand = ntext[k:k + len(syl)]
            if cand != syl and norm(cand).lower() != norm(syl).lower():
                j = ntext.find(syl, k, min(limit, k + 40))
                if j < 0 or si > 0:
                    ok = False
                    break
                k = j
            if start is None:
                start = k
            k += len(syl)
        if not ok or start is None:
            continue
        out.append((start, k, tag))
        pos = k


def make_doc(text: str, pos: bool = False, protect_agencies: bool = True) -> Doc:
    """A spaCy Doc of ``text`` segmented into Vietnamese words (see module doc).

    ``pos=True`` also sets ``token.tag_`` from underthesea's POS tagger (slower).
    """
    return _make_doc(text, pos, protect_agencies)


@lru_cache(maxsize=256)
def _make_doc(text: str, pos: bool, protect_agencies: bool) -> Doc:
    from .agencies import _prep, _tone, find_agencies, protected_spans
    ntext, omap = _prep(text)
    # 1. segment line by line, align to the (normalised) text
    spans: list[tuple[int, int, Optional[str]]] = []
    for m in re.finditer(r"[^\n]+", ntext):
        line = m.group(0)
        if not line.strip():
            continue
        try:
            words = _segment(line, pos)
        except Exception:  # underthesea fails on odd input: fall back to whitespace
            words = [(w, None) for w in line.split()]
        _align(text, ntext, words, m.start(), spans)
    # 2. protected spans: symbols, dates, agencies (as source offsets in ntext)
    prot: list[tuple[int, int, str, str]] = []
    for s, e, lab in protected_spans(ntext):
        prot.append((s, e, lab, lab))
    if protect_agencies:
        inv = {o: i for i, o in enumerate(omap)}
        for mnt in find_agencies(text):
            s, e = inv.get(mnt.start), inv.get(mnt.end)
            if s is None or e is None:
                continue
            if mnt.via == "enumeration":
                continue  # enumeration items are split out of one printed run: segment normally
            prot.append((s, e, "agency", mnt.entry.id if mnt.entry else "ORG"))
    prot.sort()
    merged: list[tuple[int, int, str, str]] = []
    for p in prot:
        if merged and p[0] < merged[-1][1]:
            continue
        merged.append(p)
    # 3. cut word spans at protected boundaries
    cuts = sorted({x for s, e, _, _ in merged for x in (s, e)})
    pieces: list[tuple[int, int, Optional[str]]] = []
    for s, e, tag in spans:
        lo = bisect.bisect_right(cuts, s)
        hi = bisect.bisect_left(cuts, e)
        inner = cuts[lo:hi]
        b = s
        for c in inner:
            pieces.append((b, c, tag))
            b = c
        pieces.append((b, e, tag))
    # 4. words + whitespace tokens covering the whole text exactly
    words: list[str] = []
    spaces: list[bool] = []
    tags: list[Optional[str]] = []
    starts: list[int] = []
    cur = 0

    def emit_gap(a: int, b: int) -> None:
        # non-space text the segmenter skipped becomes tokens; whitespace is kept
        for m in re.finditer(r"\S+|\s+", text[a:b]):
            chunk = m.group(0)
            if chunk.isspace():
                if words and not spaces[-1] and chunk.startswith(" ") and starts[-1] + len(words[-1]) == a + m.start():
                    spaces[-1] = True
                    if len(chunk) > 1:
                        words.append(chunk[1:])
                        spaces.append(False)
                        tags.append("_SP")
                        starts.append(a + m.start() + 1)
                else:
                    words.append(chunk)
                    spaces.append(False)
                    tags.append("_SP")
                    starts.append(a + m.start())
            else:
                words.append(chunk)
                spaces.append(False)
                tags.append(None)
                starts.append(a + m.start())

    for s, e, tag in pieces:
        os_, oe = omap[s], omap[e]
        if os_ < cur or oe <= os_:
            continue
        if os_ > cur:
            emit_gap(cur, os_)
        words.append(text[os_:oe])
        spaces.append(False)
        tags.append(tag)
        starts.append(os_)
        cur = oe
    if cur < len(text):
        emit_gap(cur, len(text))
    # whitespace-only tokens after a space flag are fine; spaCy needs no empty words
    doc = Doc(vocab(), words=words, spaces=spaces)
    for tok, tag in zip(doc, tags):
        tok.norm_ = _tone(tok.text.lower())
        if tag and tag != "_SP":
            tok.tag_ = tag
    # 5. merge protected spans into single tokens
    groups: dict[str, list] = {"symbols": [], "dates": [], "agencies": []}
    with doc.retokenize() as retok:
        for s, e, kind, label in merged:
            os_, oe = omap[s], omap[e]
            span = doc.char_span(os_, oe, alignment_mode="expand")
            if span is None:
                continue
            if len(span) > 1:
                retok.merge(span)
    for s, e, kind, label in merged:
        span = doc.char_span(omap[s], omap[e], label=label, alignment_mode="expand")
        if span is None:
            continue
        groups["symbols" if kind == "symbol" else "dates" if kind == "date" else "agencies"].append(span)
    for k, v in groups.items():
        doc.spans[k] = v
    return doc
