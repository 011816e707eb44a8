"""The registry of Vietnamese public bodies and the agency finder.

``Registry`` (models/agencies.jsonl) knows the canonical names, aliases,
abbreviations, kinds and lifetimes of public bodies (the 2025 mergers:
``valid_to`` / ``merged_into``). ``find_agencies(text)`` returns every mention
of an organisation in a sentence, with character offsets into ``text``:
registry names (spaCy ``PhraseMatcher``), enumerations ("Các Bộ: Tài chính,
Y tế"), collectives ("các sở, ban, ngành") and unregistered bodies found by
the head-word patterns of models/agency_patterns.jsonl ("Ban Quản lý ...").
Office-holders ("Giám đốc", "Chánh") are reported in ``office`` and left out
of the mention's text.

Matching works on a token stream of the text, normalised (NFC, lower case,
new-style tone marks, "Ð" -> "Đ") with capitalised abbreviations expanded
("UBND" -> ủy ban nhân dân, "NN&MT" -> nông nghiệp và môi trường); every
token keeps the source offsets of the word it came from.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional
from .patterns import MODELS


# ---------------------------------------------------------------- normalising

# old-style tone placement -> new style, where the vowel pair ends the syllable
_TONE_MOVE = {"oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
              "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
              "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy"}
_TONE_RE = re.compile(r"(?<![qQ])(o[àáảãạèéẻẽẹ]|u[ỳýỷỹỵ]|O[ÀÁẢÃẠÈÉẺẼẸ]|U[ỲÝỶỸỴ]|O[àáảãạèéẻẽẹ]|U[ỳýỷỹỵ])(?!\w)")
_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00d0": "Đ", "\u00f0": "đ",
                         "\u00a0": " ", "\u2010": "-", "\u2011": "-"})


def _tone(s: str) -> str:
    def rep(m: re.Match) -> str:
        g = m.group(0)
        low = _TONE_MOVE.get(g.lower())
        if low is None:
            return g
        return "".join(c.upper() if o.isupper() else c for c, o in zip(low, g))
    return _TONE_RE.sub(rep, s)


def norm(s: str) -> str:
    """NFC, "Ð" -> "Đ", dashes -> "-", new-style tone marks ("Uỷ" -> "Ủy"), single spaces."""
    s = unicodedata.normalize("NFC", s or "").translate(_DASHES)
    s = _tone(s)
    return re.sub(r"\s+", " ", s).strip()


def fold(s: str) -> str:
    """Lower case without diacritics, đ -> d: "Sở Tài chính" -> "so tai chinh"."""
    s = norm(s).lower().replace("đ", "d")
    s = unicodedata.normalize("NFD", s)
    return unicodedata.normalize("NFC", "".join(c for c in s if not unicodedata.combining(c)))


def _prep(text: str) -> tuple[str, list[int]]:
    """NFC text with a map from its characters to offsets in ``text``."""
    if unicodedata.is_normalized("NFC", text):
        return text.translate(_DASHES), list(range(len(text) + 1))
    out: list[str] = []
    omap: list[int] = []
    i = 0
    while i < len(text):
        j = i + 1
        while j < len(text) and unicodedata.combining(text[j]):
            j += 1
        piece = unicodedata.normalize("NFC", text[i:j])
        out.append(piece)
        omap.extend([i] * len(piece))
        i = j
    omap.append(len(text))
    return "".join(out).translate(_DASHES), omap


# ---------------------------------------------------------------- tokens

_TOKEN_RE = re.compile(
    r"(?:TP|Tp)\.(?=\s*\w)"                       # "TP. Hồ Chí Minh", "TP.HCM"
    r"|\w+(?:&\w+)*(?:[-,]\w+(?:&\w+)+)*(?:&\w+)*"  # words, "TN&MT", "VH,TT&DL", "LĐ-TB&XH"
    r"|[^\w\s]")


@dataclass
class Tok:
    norm: str           # normalised, lower case (one word of an expansion)
    start: int          # source offsets of the printed word
    end: int
    cap: bool           # printed with a capital first letter (or an abbreviation)
    abbr: bool = False  # came from an expanded abbreviation
    punct: bool = False
    par: bool = False   # a blank line (paragraph break) before it
    prot: bool = False  # inside a document symbol or a date
    first: bool = True  # first word of its printed token


@lru_cache(maxsize=1)
def _abbreviations() -> tuple[dict[str, list[str]], frozenset[str]]:
    data = json.loads((MODELS / "abbreviations.json").read_text(encoding="utf-8"))
    toks = {k: norm(v).lower().split() for k, v in data["tokens"].items() if not k.startswith("_")}
    return toks, frozenset(data.get("mixed_case", []))


_SYMBOL_RE = re.compile(
    r"\b\d+[a-zđ]?(?:/\d{4})?/[A-ZĐ][\wĐđ&.]*(?:-[\wĐđ&.]+)*"   # 66/NQ-CP, 30/2020/NĐ-CP, 6418/UBND-KT
    r"|\b\d+-[A-ZĐ][A-ZĐ.]*/[A-ZĐ][\wĐ]*(?:-[\wĐ]+)*"            # 57-NQ/TW, 05-CT/TU
    r"|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{4}\b"                      # 15/8/2025
    r"|\b\d{1,2}/\d{4}\b")                                     # 10/2025


def protected_spans(text: str) -> list[tuple[int, int, str]]:
    """Document symbols and dates: (start, end, "symbol" | "date")."""
    out = []
    for m in _SYMBOL_RE.finditer(text):
        s = m.group(0).rstrip(".")
        label = "date" if re.fullmatch(r"[\d/.-]+", s) else "symbol"
        out.append((m.start(), m.start() + len(s), label))
    return out


def tokenize(text: str, expand: bool = True) -> list[Tok]:
    """Normalised matching tokens of ``text`` with source offsets."""
    ntext, omap = _prep(text)
    abbr, mixed = _abbreviations() if expand else ({}, frozenset())
    prot = protected_spans(ntext)
    toks: list[Tok] = []
    last_end = 0
    pi = 0
    for m in _TOKEN_RE.finditer(ntext):
        raw = m.group(0)
        s, e = m.start(), m.end()
        gap = ntext[last_end:s]
        par = gap.count("\n") >= 2
        last_end = e
        while pi < len(prot) and prot[pi][1] <= s:
            pi += 1
        is_prot = pi < len(prot) and prot[pi][0] <= s < prot[pi][1]
        low = _tone(raw.lower()).replace("ð", "đ")
        isword = raw[0].isalnum() or raw[0] == "_"
        cap = isword and raw[0].isupper()
        letters = [c for c in raw if c.isalpha()]
        upper = len(letters) >= 2 and all(c.isupper() for c in letters)
        os_, oe = omap[s], omap[e]
        key = low
        if expand and not is_prot and key in abbr and (upper or raw in mixed):
            for k, w in enumerate(abbr[key]):
                toks.append(Tok(w, os_, oe, True, abbr=True, punct=not w[0].isalnum(), par=par and k == 0,
                                first=k == 0))
            continue
        toks.append(Tok(low, os_, oe, cap or upper, abbr=upper, punct=not isword, par=par, prot=is_prot))
    return toks


# ---------------------------------------------------------------- registry

@dataclass
class Entry:
    id: str
    name: str
    kind: str
    aliases: list[str] = field(default_factory=list)
    parent: Optional[str] = None
    valid_from: Optional[str] = None
    valid_to: Optional[str] = None
    merged_into: Optional[str] = None
    codes: list[str] = field(default_factory=list)
    level: Optional[str] = None
    open: bool = False
    note: Optional[str] = None

    def valid_on(self, date: Optional[str]) -> bool:
        if not date:
            return True
        return (not self.valid_from or self.valid_from <= date) and (not self.valid_to or date <= self.valid_to)

    @property
    def names(self) -> list[str]:
        return [self.name] + list(self.aliases)


_OFFICE_PREFIX_RE = re.compile(
    r"^(?:các đồng chí |đồng chí )?(?:phó |tổng )?(?:thủ trưởng|giám đốc|chủ tịch|chánh|trưởng ban|trưởng|bộ trưởng|"
    r"cục trưởng|người đứng đầu|thứ trưởng|viện trưởng|chánh án|thống đốc)\s+")


def _key(s: str, folded: bool = False) -> str:
    """Lookup key: the normalised token words of ``s`` (abbreviations expanded)."""
    words = [t.norm for t in tokenize(s) if t.norm not in {".", ";", ":", "(", ")", '"', "“", "”"}]
    k = " ".join(words)
    return fold(k) if folded else k


class Registry:
    """Public bodies by id, with lookup by any printed form."""

    def __init__(self, entries: Iterable[Entry]):
        self.entries: list[Entry] = list(entries)
        self.by_id: dict[str, Entry] = {e.id: e for e in self.entries}
        self._exact: dict[str, list[Entry]] = {}
        self._folded: dict[str, list[Entry]] = {}
        self._codes: dict[str, Entry] = {}
        for e in self.entries:
            for n in e.names:
                self._exact.setdefault(_key(n), []).append(e)
                self._folded.setdefault(_key(n, True), []).append(e)
            for c in e.codes:
                self._codes.setdefault(norm(c).lower(), e)
        self._matcher = None
        self._seqs: Optional[dict[tuple[str, ...], Entry]] = None

    # -- loading
    @classmethod
    def load(cls, path: Optional[str | Path] = None) -> "Registry":
        if path is None:
            return _default_registry()
        return cls._read(Path(path))

    @classmethod
    def _read(cls, path: Path) -> "Registry":
        entries = []
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            d = json.loads(line)
            entries.append(Entry(**{k: v for k, v in d.items() if k in Entry.__dataclass_fields__}))
        return cls(entries)

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, id: str) -> Optional[Entry]:
        return self.by_id.get(id)

    def successor(self, entry: Entry, on_date: Optional[str] = None) -> Entry:
        """Follow ``merged_into`` while the entry had ended by ``on_date`` (or always if no date)."""
        seen = set()
        while entry.merged_into and entry.id not in seen and (on_date is None or not entry.valid_on(on_date)):
            seen.add(entry.id)
            nxt = self.by_id.get(entry.merged_into)
            if nxt is None:
                break
            entry = nxt
        return entry

    def _pick(self, cands: list[Entry], on_date: Optional[str]) -> Entry:
        agencies = [e for e in cands if e.kind != "place"] or cands
        if on_date:
            valid = [e for e in agencies if e.valid_on(on_date)]
            if valid:
                return valid[0]
            return self.successor(agencies[0], on_date)
        return agencies[0]

    def lookup(self, name: str, on_date: Optional[str] = None) -> Optional[Entry]:
        """The body a printed name stands for: canonical name, alias, abbreviation
        (UBND, TN&MT, ...), old or new tone marks, any case, with or without
        diacritics; an office-holder before it is ignored ("Giám đốc Sở Tài chính").
        With ``on_date``, a body that had ended by then gives its successor
        ("Bộ Kế hoạch và Đầu tư" on 2025-08-01 -> Bộ Tài chính)."""
        if not name or not name.strip():
            return None
        k = _key(name)
        if not k:
            return None
        for cand in (k, _OFFICE_PREFIX_RE.sub("", k)):
            if cand in self._exact:
                return self._pick(self._exact[cand], on_date)
        code = norm(name).lower().strip()
        if code in self._codes:
            return self._pick([self._codes[code]], on_date)
        fk = fold(k)
        for cand in (fk, fold(_OFFICE_PREFIX_RE.sub("", k))):
            if cand in self._folded:
                return self._pick(self._folded[cand], on_date)
        # a template body with its place: "Ủy ban nhân dân tỉnh Hưng Yên", "Công an phường Trường Vinh"
        words = k.split()
        for n in range(len(words) - 1, 0, -1):
            head = " ".join(words[:n])
            if head in self._exact and words[n - 1] in _LEVEL_WORDS:
                return self._pick(self._exact[head], on_date)
        m = re.sub(r"\s+(?:có liên quan|liên quan)$", "", k)
        if m != k and m in self._exact:
            return self._pick(self._exact[m], on_date)
        return None

    # -- matching support
    def sequences(self) -> dict[tuple[str, ...], Entry]:
        """Token sequences of every name and alias (agencies only, not places)."""
        if self._seqs is None:
            seqs: dict[tuple[str, ...], Entry] = {}
            for e in self.entries:
                if e.kind == "place":
                    continue
                for n in e.names:
                    seq = tuple(t.norm for t in tokenize(n))
                    if seq and seq not in seqs:
                        seqs[seq] = e
            self._seqs = seqs
        return self._seqs

    def bodies(self) -> set[tuple[str, ...]]:
        """What registered names say after their head word ("khoa học và công nghệ")."""
        if getattr(self, "_bodies", None) is None:
            out = set()
            for seq in self.sequences():
                for h in (1, 2):
                    if len(seq) - h >= 2 and seq[h] not in {"các", ",", "-", "tỉnh", "xã", "phường"}:
                        out.add(seq[h:])
            self._bodies = out
        return self._bodies

    def places(self) -> set[tuple[str, ...]]:
        out = {tuple(t.norm for t in tokenize(n)) for e in self.entries if e.kind == "place" for n in e.names}
        out.add(("việt", "nam"))
        return out

    def phrase_matcher(self):
        if self._matcher is None:
            from spacy.matcher import PhraseMatcher
            from .nlp import vocab, words_doc
            pm = PhraseMatcher(vocab(), attr="ORTH")
            by_id: dict[str, list] = {}
            for seq, e in self.sequences().items():
                by_id.setdefault(e.id, []).append(words_doc(list(seq)))
            for eid, docs in by_id.items():
                pm.add(eid, docs)
            self._matcher = pm
        return self._matcher


@lru_cache(maxsize=1)
def _default_registry() -> Registry:
    return Registry._read(MODELS / "agencies.jsonl")


# ---------------------------------------------------------------- patterns

_PLACE_KIND = {"province": "provincial-committee", "commune": "commune-committee"}
_FIRSTS: dict[int, tuple[set[str], int]] = {}
_TRAILING = {"thuộc", "trực", "của", "và", "các", "với", "trên", "cho", "tại", "ở", "-", "&"}
_LEVEL_WORDS = {"tỉnh", "xã", "phường", "huyện", "quận", "phố", "khu", "trấn", "vực", "tw", "ương"}


@dataclass
class _Patterns:
    heads: dict[tuple[str, ...], dict]
    enum_heads: set[tuple[str, ...]]
    offices: dict[tuple[str, ...], dict]
    implied: dict[tuple[str, ...], dict]
    quants: set[tuple[str, ...]]
    nouns: set[tuple[str, ...]]
    levels: set[tuple[str, ...]]
    tails: set[tuple[str, ...]]
    stops: set[tuple[str, ...]]
    stop_except: dict[tuple[str, ...], list[tuple[str, ...]]]
    stop_any: set[tuple[str, ...]] = field(default_factory=set)
    weak: set[tuple[str, ...]] = field(default_factory=set)
    nostop: set[tuple[str, ...]] = field(default_factory=set)
    cues: set[tuple[str, ...]] = field(default_factory=set)
    cue_bare: set[tuple[str, ...]] = field(default_factory=set)
    office_heads: dict[tuple[str, ...], dict] = field(default_factory=dict)
    bare_offices: set[tuple[str, ...]] = field(default_factory=set)
    comma_compounds: list[tuple[str, ...]] = field(default_factory=list)
    cue_nouns: set[tuple[str, ...]] = field(default_factory=set)


def _seq(s: str) -> tuple[str, ...]:
    return tuple(t.norm for t in tokenize(s, expand=False))


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    p = _Patterns({}, set(), {}, {}, set(), set(), set(), set(), set(), {})
    for line in (MODELS / "agency_patterns.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        d = json.loads(line)
        t, w = d["type"], _seq(d["words"])
        if t == "head":
            p.heads[w] = d
        elif t == "enum-head":
            p.enum_heads.add(w)
        elif t == "office":
            p.offices[w] = d
        elif t == "implied":
            p.implied[w] = d
        elif t == "quant":
            p.quants.add(w)
        elif t == "coll-noun":
            p.nouns.add(w)
        elif t == "level":
            p.levels.add(w)
        elif t == "tail":
            p.tails.add(w)
        elif t == "stop":
            p.stops.add(w)
        elif t == "cue":
            p.cues.add(w)
        elif t == "cue-noun":
            p.cue_nouns.add(w)
            if d.get("bare"):
                p.cue_bare.add(w)
        elif t == "comma-compound":
            p.comma_compounds.append(w)
        elif t == "bare-office":
            p.bare_offices.add(w)
        elif t == "office-head":
            p.office_heads[w] = d
        elif t == "nostop":
            p.nostop.add(w)
        elif t == "weak-noun":
            p.weak.add(w)
        elif t == "stop-any":
            p.stop_any.add(w)
        elif t == "stop-except":
            p.stop_except[w] = [_seq(a) for a in d.get("after", [])]
    return p


# ---------------------------------------------------------------- mentions

@dataclass
class AgencyMention:
    start: int                       # char offsets of the organisation in the text
    end: int
    text: str                        # the organisation as printed ("Văn phòng UBND tỉnh"),
                                     # or rebuilt for an enumeration item ("Bộ Y tế")
    office: Optional[str] = None     # office-holder printed before it ("Chánh", "Giám đốc")
    entry: Optional[Entry] = None
    registered: bool = False
    kind: Optional[str] = None
    office_start: Optional[int] = None
    parts: list[str] = field(default_factory=list)  # a collective's kinds ("các bộ", "cơ quan ngang bộ")
    via: str = "registry"            # registry | pattern | enumeration | collective | implied

    @property
    def name(self) -> str:
        """Canonical registry name when registered and printed without a place, else the text."""
        return self.entry.name if self.entry is not None and self.via == "registry" and \
            fold(self.text) == fold(self.entry.name) else self.text

    @property
    def with_office(self) -> str:
        return f"{self.office} {self.text}" if self.office else self.text

    def owner(self, role: str = "lead", inherited: bool = False, request: bool = False,
              offset: int = 0, page: int = 1, path: str = ""):
        """This mention as a ``model.Owner``; ``offset`` shifts the span into the source text."""
        from .model import Owner, Span
        return Owner(agency=self.text, role=role, inherited=inherited, request=request, office=self.office,
                     registry_id=self.entry.id if self.entry else None, kind=self.kind,
                     span=Span(self.start + offset, self.end + offset, page, path))

    def to_json(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text, "office": self.office,
                "registry_id": self.entry.id if self.entry else None, "registered": self.registered,
                "kind": self.kind, "parts": self.parts, "via": self.via}


class _Finder:
    def __init__(self, text: str, registry: Registry):
        self.text = text
        self.reg = registry
        self.p = _patterns()
        self.toks = tokenize(text)
        self.n = len(self.toks)
        self.nl = [t.norm for t in self.toks]
        self.seqs = registry.sequences()
        self.bodies = registry.bodies()
        self.places = _places(registry)
        self.reg_at: dict[int, list[tuple[int, Entry]]] = {}
        if self.toks:
            from .nlp import words_doc
            doc = words_doc([t.norm for t in self.toks])
            for mid, s, e in registry.phrase_matcher()(doc):
                ent = registry.by_id[doc.vocab.strings[mid]]
                self.reg_at.setdefault(s, []).append((e, ent))
            for v in self.reg_at.values():
                v.sort(key=lambda x: -x[0])

    # -- helpers
    def norms(self, i: int, n: int) -> tuple[str, ...]:
        return tuple(self.nl[i:i + n])

    def longest(self, i: int, table, maxlen: int = 6) -> int:
        """Length of the longest phrase of ``table`` starting at token i (0 if none)."""
        if i >= self.n:
            return 0
        firsts = _FIRSTS.get(id(table))
        if firsts is None:
            firsts = _FIRSTS[id(table)] = ({k[0] for k in table if k}, max((len(k) for k in table), default=0))
        if self.nl[i] not in firsts[0]:
            return 0
        for n in range(min(maxlen, firsts[1], self.n - i), 0, -1):
            if self.norms(i, n) in table and not any(t.prot or t.par and k for k, t in enumerate(self.toks[i:i + n])):
                return n
        return 0

    def word(self, i: int) -> bool:
        return i < self.n and not self.toks[i].punct and not self.toks[i].prot

    def src(self, i: int, j: int) -> tuple[int, int]:
        return self.toks[i].start, self.toks[j - 1].end

    def printed(self, i: int, j: int) -> str:
        """The source text of tokens i..j-1: NFC, "Ð" -> "Đ", single spaces (tone marks as printed)."""
        s, e = self.src(i, j)
        t = unicodedata.normalize("NFC", self.text[s:e]).replace("\u00d0", "Đ").replace("\u00f0", "đ")
        return re.sub(r"\s+", " ", t)

    def is_stop(self, k: int, start: int) -> bool:
        t = self.toks[k]
        if t.norm[:1].isdigit() or self.longest(k, self.p.stop_any, 2):
            return True
        if t.cap or t.abbr:
            return False
        n = self.longest(k, self.p.stops, 3)
        if not n or self.longest(k, self.p.nostop, 3) > n:
            return False
        ph = self.norms(k, n)
        for after in self.p.stop_except.get(ph, []):
            a = len(after)
            if k - a >= start and self.norms(k - a, a) == after:
                return False
        return True

    def reg_start(self, k: int) -> bool:
        """A registered body (not a place) is printed at k with a capital."""
        return k in self.reg_at and self.toks[k].cap

    def head_at(self, k: int) -> int:
        n = self.longest(k, self.p.heads, 4)
        if not n or not self.toks[k].cap or self.toks[k].abbr:
            return 0
        if k > 0 and self.longest(k - 1, self.p.levels, 1) and not self.toks[k - 1].cap:
            return 0
        return n

    def office_at(self, k: int) -> int:
        n = self.longest(k, self.p.offices, 3)
        if n and self.p.offices[self.norms(k, n)].get("cap") and not self.toks[k].cap:
            return 0
        return n

    # -- extensions after a name: level word, place name, tails
    def level_list(self, k: int) -> int:
        """'các tỉnh, thành phố trực thuộc trung ương' after a body: which places (end, or k if none)."""
        if k >= self.n or self.nl[k] != "các" or self.toks[k].par:
            return k
        j = k + 1
        got = False
        while j < self.n:
            m = self.longest(j, self.p.levels, 2) or (2 if self.norms(j, 2) == ("địa", "phương") else 0)
            if not m or self.toks[j].cap and not self.toks[j].abbr:
                break
            j += m
            got = True
            if j + 1 < self.n and self.nl[j] in {",", "và", "/"} and (
                    self.longest(j + 1, self.p.levels, 2) or self.norms(j + 1, 2) == ("địa", "phương")):
                j += 1
                continue
            break
        if not got:
            return k
        while True:
            n = self.longest(j, self.p.tails, 4)
            if not n or self.norms(j, n) == ("trên", "địa", "bàn"):
                break
            j += n
        return j

    def extend(self, j: int, name_end_level: bool, template: bool = False, collective: bool = True) -> int:
        k = j
        if template and k < self.n and self.toks[k].cap and not self.toks[k].par:
            m = self.longest(k, self.places, 6)
            if m:
                return k + m
        if template or collective:
            m = self.level_list(k)
            if m > k:
                return m
            if collective and self.nl[k:k + 1] == ["từ"]:
                a = self.place_len(k + 1) if k + 1 < self.n else 0
                if a and self.nl[k + 1 + a: k + 2 + a] == ["đến"]:
                    b = self.place_len(k + 2 + a) if k + 2 + a < self.n else 0
                    if b:
                        return k + 2 + a + b
        level_seen = name_end_level
        steps = 0
        while k < self.n and steps < 6:
            steps += 1
            t = self.toks[k]
            if t.par or t.prot:
                break
            n = self.longest(k, self.p.tails, 4)
            if n and not t.cap:
                if self.norms(k, n) == ("trên", "địa", "bàn"):
                    m = self.longest(k + n, self.p.levels, 2)
                    if not m or not collective:
                        break
                    k += n + m
                    level_seen = True
                    continue
                k += n
                continue
            n = self.longest(k, self.p.levels, 2)
            if n and (not t.cap or t.abbr and t.first) and not level_seen:
                k += n
                level_seen = True
                continue
            if level_seen and t.cap and not t.punct:
                m = self.place_len(k)
                if m:
                    k += m
                    level_seen = False
                    continue
            break
        return k

    def place_len(self, k: int) -> int:
        """A capitalised place name at k ("Hưng Yên", "Bà Rịa - Vũng Tàu", "Trường Vinh")."""
        n = self.longest(k, self.places, 6)
        if n:
            return n
        m = 0
        while k + m < self.n and m < 4:
            t = self.toks[k + m]
            if t.punct or not t.cap or t.prot or t.abbr and not t.first or (m and t.par) \
                    or self.longest(k + m, self.p.stop_any, 2) or self.nl[k + m] in {"các", "và", "của"}:
                break
            if m and (self.head_at(k + m) or self.office_at(k + m)):
                break
            if m == 0 and (self.head_at(k) or self.office_at(k) or k in self.reg_at):
                return 0
            m += 1
        return m

    # -- candidates
    def registry_at(self, i: int) -> Optional[tuple[int, Entry]]:
        for e, ent in self.reg_at.get(i, []):
            first = self.toks[i]
            lower_ok = ent.kind == "collective" or not ent.name[0].isupper()
            if not first.cap and not lower_ok:
                continue
            if any(t.prot or t.par for t in self.toks[i + 1:e]):
                continue
            return e, ent
        return None

    def collective_at(self, i: int, after_office: bool) -> Optional[tuple[int, list[tuple[int, int]]]]:
        """'các' + kinds of bodies ("các sở, ban, ngành tỉnh"): (end, [(noun start, noun end)])."""
        k = i
        q = self.longest(i, self.p.quants, 3)
        if q:
            k = i + q
        elif not after_office:
            return None
        nouns = []
        n = self.longest(k, self.p.nouns, 8)
        if not n or (self.toks[k].cap and q == 0 and not after_office):
            return None
        if self.office_at(k) > n or (not self.toks[k].cap and self.longest(k, self.p.stops, 3) >= n):
            return None
        nouns.append((k, k + n))
        k += n
        while k < self.n:
            t = self.toks[k]
            if t.norm in {",", "và", "/"} and not t.par and k + 1 < self.n:
                m = self.longest(k + 1, self.p.nouns, 8)
                nxt = self.toks[k + 1]
                if m and not nxt.cap and self.longest(k + 1, self.p.stops, 3) >= m:
                    m = 0  # "báo cáo", "ban hành"
                if m and not nxt.par and not self.registry_at(k + 1) and not (nxt.cap and self.head_at(k + 1) and
                                                                             self.toks[k + 1].norm not in {"bộ", "ban", "ngành", "sở"}):
                    # "các Bộ, cơ quan UBND ..." : a noun right before a registered name ends the list
                    nouns.append((k + 1, k + 1 + m))
                    k += 1 + m
                    continue
            if not t.punct and not t.cap and self.longest(k, self.p.nouns, 8) and t.norm not in {"tỉnh", "xã", "phường"}:
                # "các bộ ngành" (no comma)
                m = self.longest(k, self.p.nouns, 8)
                prev = self.norms(nouns[-1][0], nouns[-1][1] - nouns[-1][0])
                if prev in {("bộ",), ("sở",), ("ban",)} and self.norms(k, m) in {("ngành",), ("ban",)}:
                    nouns.append((k, k + m))
                    k += m
                    continue
            break
        last = self.norms(nouns[-1][0], nouns[-1][1] - nouns[-1][0])
        if last == ("thành", "viên"):
            # members are people: only "các thành viên Ban Chỉ đạo" (the members of a body) is a collective
            r = self.registry_at(k)
            pt = None if r else self.pattern_at(k)
            if not (r or pt) or len(nouns) > 1:
                return None
            return (self.extend(r[0], False) if r else pt[0]), nouns
        weak = last in self.p.weak
        end = self.tail(k, i, free=not weak)
        if weak and end == k and self.free_word(k):
            if len(nouns) == 1:
                return None
        return end, nouns

    def free_word(self, k: int) -> bool:
        """A lower-case word at k that would continue a name (not a tail, level, stop or punctuation)."""
        if k >= self.n:
            return False
        t = self.toks[k]
        if t.punct or t.cap or t.abbr or t.prot or t.par:
            return False
        if self.longest(k, self.p.tails, 4) or self.longest(k, self.p.levels, 2) or t.norm in {"thuộc", "trực"}:
            return False
        return not self.is_stop(k, k) and not self.longest(k, self.p.quants, 3)

    def tail(self, k: int, start: int, limit: int = 8, free: bool = True) -> int:
        """Lower-case words that finish a collective or unregistered name."""
        end = k
        steps = 0
        while k < self.n and steps < limit:
            t = self.toks[k]
            if t.par or t.prot:
                break
            n = self.longest(k, self.p.tails, 4)
            if n and not t.cap:
                k += n
                end = k
                steps += n
                continue
            if t.norm in {"thuộc", "trực"} and not t.cap:
                m = 2 if self.norms(k, 2) == ("trực", "thuộc") else 1
                r = self.registry_at(k + m)
                if r:
                    k = self.extend(r[0], _ends_level(r[1], self.norms(k + m, r[0] - k - m)))
                    end = k
                    break
                if k + m < self.n and self.toks[k + m].norm in _OWN_BODY and self.toks[k + m].cap and \
                        (k + m + 1 >= self.n or not self.word(k + m + 1) or not self.toks[k + m + 1].cap):
                    # "các cơ quan, đơn vị thuộc Bộ": the issuing body itself
                    end = k = self.assigned_tail(k + m + 1)
                    break
                if k + m < self.n and not self.toks[k + m].punct and not self.toks[k + m].cap:
                    k += m
                    continue
                break
            lv = self.longest(k, self.p.levels, 2)
            if lv and not t.cap:
                k = self.extend(k, False)
                end = k
                free = False
                continue
            if len(t.norm) == 1 and k + 1 < self.n and self.toks[k + 1].norm in {")", "."}:
                break  # a label "a)" on the next line
            if t.punct or t.cap or t.abbr:
                if t.norm == "-" and end == k and self.word(k + 1) and not self.toks[k + 1].cap and steps:
                    k += 1
                    continue
                if t.norm == "," and end == k and steps and self.in_comma_compound(k):
                    k += 1  # "các Ban quản lý rừng phòng hộ, rừng đặc dụng"
                    continue
                break
            if not free or self.is_stop(k, start) or self.longest(k, self.p.quants, 3):
                break
            k += 1
            end = k
            steps += 1
        return end

    def starts_org(self, k: int) -> bool:
        """A head word at k whose name really starts there ("Ban Chỉ huy PTDS", not "Phòng thủ")."""
        h = self.head_at(k)
        if not h or k + h >= self.n:
            return False
        spec = self.p.heads[self.norms(k, h)]
        t = self.toks[k + h]
        need = spec.get("next", "cap")
        if t.punct or t.prot:
            return bool(spec.get("bare"))
        return ("cap" in need and (t.cap or t.abbr)) or \
            ("level" in need and not t.cap and bool(self.longest(k + h, self.p.levels, 2)))

    def assigned_tail(self, k: int) -> int:
        """Past "được giao (chủ trì) nhiệm vụ (tại Kế hoạch / này)" after a collective: which
        of them ("các đơn vị thuộc Bộ được giao nhiệm vụ tại Kế hoạch")."""
        if self.norms(k, 2) != ("được", "giao"):
            return k
        j = k + 2
        if self.norms(j, 2) == ("chủ", "trì"):
            j += 2
        if self.norms(j, 2) != ("nhiệm", "vụ"):
            return k
        j += 2
        if self.norms(j, 1) == ("tại",) and j + 2 < self.n and self.toks[j + 1].cap and self.word(j + 2) and \
                " ".join(self.norms(j + 1, 2)) in _DOC_TYPE_WORDS:
            j += 3  # "tại Kế hoạch", "tại Quyết định này"
            if self.norms(j, 1) == ("này",):
                j += 1
        return j

    def name_goes_on(self, j: int) -> bool:
        """A capitalised word at j that carries a name on after "và" ("Văn hóa, Thể thao và Du
        lịch"): not a body, an office or a registered name of its own."""
        return j < self.n and self.toks[j].cap and not self.toks[j].punct and not self.head_at(j) and \
            not self.office_at(j) and not self.reg_start(j)

    def comma_in_name(self, k: int) -> bool:
        """The comma at k is inside a name of the form "X, Y và Z" ("Cục Đổi mới sáng tạo,
        Chuyển đổi xanh và Khuyến công"): capitalised words follow, none of them a body, an
        office or an abbreviation, and a "và" + capitalised word ends them before any punctuation."""
        j = k + 1
        while j < min(self.n, k + 8):
            t = self.toks[j]
            if t.par or t.prot or t.punct or t.abbr or self.head_at(j) or self.office_at(j) or self.reg_start(j):
                return False
            if t.norm == "và":
                return j > k + 1 and self.name_goes_on(j + 1) and not self.toks[j + 1].abbr
            if j == k + 1 and not t.cap:
                return False
            j += 1
        return False

    def in_comma_compound(self, k: int) -> bool:
        """The comma at k joins a fixed pair ("phòng cháy, chữa cháy")."""
        for c in self.p.comma_compounds:
            for ci, w in enumerate(c):
                if w == "," and k - ci >= 0 and self.norms(k - ci, len(c)) == c:
                    return True
        return False

    def pattern_at(self, i: int) -> Optional[tuple[int, dict]]:
        """An unregistered body by its head word ("Ban Quản lý dự án ...")."""
        h = self.head_at(i)
        if not h:
            return None
        spec = self.p.heads[self.norms(i, h)]
        k = i + h
        need = spec.get("next", "cap")
        ok = False
        if k < self.n and not self.toks[k].prot and not self.toks[k].par:
            t = self.toks[k]
            if "cap" in need and (t.cap or t.abbr) and not t.punct:
                ok = True
            if "level" in need and self.longest(k, self.p.levels, 2) and not t.cap:
                ok = True
            if "level" in need and self.level_list(k) > k:
                return self.level_list(k), spec
            if "any" in need and not t.punct and not self.is_stop(k, i) and not t.cap:
                ok = True
        if not ok:
            return (k, spec) if spec.get("bare") else None
        end = k
        steps = 0
        after_level = False
        while k < self.n and steps < 14:
            t = self.toks[k]
            if t.par or t.prot:
                break
            if t.punct:
                if t.norm == "-" and self.word(k + 1) and end == k and not after_level:
                    k += 1
                    continue
                if t.norm == "," and (self.in_comma_compound(k) or (end == k and self.comma_in_name(k))):
                    k += 1
                    continue
                if t.norm == "&" and self.word(k + 1):
                    k += 1
                    continue
                break
            if t.norm[:1].isdigit() or self.longest(k, self.p.stop_any, 2):
                break
            if self.norms(k, 2) == ("các", "cấp"):
                k += 2
                end = k
                break
            if self.longest(k, self.p.quants, 3):
                break
            lv = self.longest(k, self.p.levels, 2)
            if lv and not t.cap:
                k += lv
                end = k
                after_level = True
                continue
            if after_level and not t.cap:
                break
            if t.cap and k > i + h:
                pl = self.longest(k, self.places, 6)
                if pl:  # a place name ends the name: "Tập đoàn Điện lực Việt Nam"
                    k += pl
                    end = k
                    break
            if t.norm == "và":
                if self.name_goes_on(k + 1):
                    k += 1
                    continue
                break
            if k > i + h and t.cap and (self.reg_start(k) and not self.reg_at[k][0][1].kind == "place"
                                        or self.office_at(k)) and not t.abbr:
                break
            if k > i + h and t.cap and self.starts_org(k):
                break
            if not t.cap and self.is_stop(k, i):
                break
            k += 1
            end = k
            steps += 1
        end = self.tail(end, i, 4, free=False) if end < self.n else end
        while end > i + h and self.toks[end - 1].norm in _TRAILING:
            end -= 1
        return end, spec

    def enumeration_at(self, i: int) -> Optional[tuple[int, list[tuple[int, int, Optional[Entry]]], str]]:
        """'Các Bộ: Tài chính, Y tế' -> items [(start, end, entry)] and the head as printed."""
        k = i
        if self.norms(i, 1) == ("các",):
            k += 1
        h = self.longest(k, self.p.enum_heads, 2)
        if not h or not self.toks[k].cap:
            return None
        head = self.norms(k, h)
        head_txt = self.printed(k, k + h)
        j = k + h
        colon = j < self.n and self.toks[j].norm == ":"
        if colon:
            j += 1
        items = self.enum_items(j, head, colon)
        if not items or (not colon and len(items) < 2) or (not colon and any(ent is None for _, _, ent in items)):
            return None
        return items[-1][1], items, head_txt

    def enum_items(self, j: int, head: tuple[str, ...], colon: bool) -> list[tuple[int, int, Optional[Entry]]]:
        items: list[tuple[int, int, Optional[Entry]]] = []
        while j < self.n:
            got = self.enum_item(j, head, colon)
            if not got:
                break
            e, ent = got
            items.append((j, e, ent))
            if e < self.n and self.toks[e].norm in {",", "và"} and not self.toks[e].par:
                nx = e + 1
                if nx < self.n and self.toks[nx].norm == "và":
                    nx += 1
                if nx >= self.n or self.toks[nx].norm == "các":
                    break
                nxt = self.enum_item(nx, head, colon)
                if not (nxt and nxt[1] is not None) and (self.head_at(nx) or self.reg_start(nx) or self.office_at(nx)):
                    break
                j = nx
                continue
            break
        return items

    def place_enumeration(self, i: int, end: int, ent: Entry) -> Optional[tuple[list[AgencyMention], int]]:
        """'Ủy ban nhân dân các tỉnh, thành phố: Hà Nội, Hải Phòng' -> one committee per place."""
        if ent.kind != "collective" or ent.level not in ("province", "commune"):
            return None
        if end >= self.n or self.toks[end].norm != ":":
            return None
        cut = next((k for k in range(i, end) if self.nl[k] == "các" or self.longest(k, self.p.levels, 2)), None)
        if cut is None or cut == i:
            return None
        lvl = next((k for k in range(cut, end) if self.longest(k, self.p.levels, 2)), None)
        level = self.printed(lvl, lvl + self.longest(lvl, self.p.levels, 2)) if lvl is not None else "tỉnh"
        prefix = self.printed(i, cut)
        j = end + 1
        out: list[AgencyMention] = []
        while j < self.n:
            m = self.longest(j, self.places, 6) or self.place_len(j)
            if not m:
                break
            place = self.printed(j, j + m)
            lv = level
            if ent.level == "province":
                pe = self.reg.lookup(place)
                lv = "thành phố" if pe is not None and pe.kind == "place" and pe.level == "city" else "tỉnh"
            a, b = self.src(j, j + m)
            out.append(AgencyMention(a, b, f"{prefix} {lv} {place}", kind=_PLACE_KIND[ent.level],
                                     via="enumeration"))
            j += m
            if j < self.n and self.nl[j] in {",", "và"} and j + 1 < self.n and self.toks[j + 1].cap:
                j += 1
                continue
            break
        if not out:
            return None
        for mnt in out:
            mnt.entry = self.reg.lookup(mnt.text)
            mnt.registered = mnt.entry is not None
        return out, j

    def enum_item(self, j: int, head: tuple[str, ...], colon: bool) -> Optional[tuple[int, Optional[Entry]]]:
        if j >= self.n or self.toks[j].punct or self.toks[j].prot:
            return None
        for n in range(min(10, self.n - j), 0, -1):
            seq = head + self.norms(j, n)
            if seq in self.seqs and not any(t.par for t in self.toks[j + 1:j + n]):
                return j + n, self.seqs[seq]
        if not colon or not (self.toks[j].cap or self.toks[j].abbr):
            return None
        n = self.longest(j, self.bodies, 10)
        if n:  # "Khoa học và Công nghệ" is how a registered name ends: one item
            return j + n, None
        k = j
        while k < self.n and k - j < 6:
            t = self.toks[k]
            if t.norm == "-" and k > j and k + 1 < self.n and self.toks[k + 1].cap and not self.toks[k + 1].punct:
                k += 2  # "Kế hoạch - Tài chính"
                continue
            if t.punct or t.norm == "và" or t.par and k > j or (k > j and self.is_stop(k, j)):
                break
            k += 1
        return (k, None) if k > j else None

    # -- the scan
    def run(self) -> list[AgencyMention]:
        out: list[AgencyMention] = []
        i = 0
        while i < self.n:
            t = self.toks[i]
            if t.punct or t.prot:
                i += 1
                continue
            office_len = self.office_at(i)
            # "Chủ tịch nước", "Thủ tướng" are bodies of their own: the registry decides first
            r0 = self.registry_at(i)
            if office_len and r0 and r0[0] - i > office_len:
                office_len = 0
            if office_len:
                j = i + office_len
                office_txt = self.printed(i, j)
                if j < self.n and self.nl[j] == ":":
                    got = self.office_list(i, j, office_len)
                    if got:
                        out.extend(got[0])
                        i = got[1]
                        continue
                got = self.org_at(j, after_office=True)
                if got:
                    ms, j2 = got
                    for m in ms:
                        m.office = m.office or self.printed(i, i + office_len)
                        m.office_start = self.toks[i].start
                    out.extend(ms)
                    i = j2
                    continue
                # an office-holder with no organisation after it
                # ("Các Bộ trưởng, Thủ trưởng cơ quan ngang bộ")
                imp = None
                for seq, d in self.p.implied.items():
                    if self.norms(i, len(seq)) != seq:
                        continue
                    nxt = i + len(seq)
                    ends = nxt >= self.n or self.toks[nxt].punct or self.nl[nxt] == "và"
                    plural = (i > 0 and self.nl[i - 1] == "các") or (
                        nxt + 1 < self.n and self.nl[nxt] == "," and self.office_at(nxt + 1))
                    if ends and (d.get("when") != "plural" or plural):
                        imp = (seq, d)
                if imp:
                    seq, d = imp
                    s, e = self.src(i, i + len(seq))
                    out.append(AgencyMention(s, e, d["org"], office=self.printed(i, i + len(seq)),
                                             entry=None, registered=False, kind=d.get("kind"),
                                             office_start=s, via="implied"))
                    i += len(seq)
                    continue
                if self.norms(i, office_len) in self.p.bare_offices and not (i > 0 and self.nl[i - 1] == "các"):
                    # "báo cáo Bộ trưởng": the head of the issuing body
                    s_, e_ = self.src(i, j)
                    out.append(AgencyMention(s_, e_, office_txt, kind="office", via="office"))
                i = j
                continue
            got = self.org_at(i, after_office=False)
            if got:
                ms, i = got
                out.extend(ms)
                continue
            cue = self.longest(i, self.p.cues, 3)
            if cue:
                got = self.cued_at(i + cue)
                if got:
                    out.append(got[0])
                    i = got[1]
                    continue
            i += 1
        return out

    def office_list(self, i: int, j: int, office_len: int) -> Optional[tuple[list[AgencyMention], int]]:
        """'Các Bộ trưởng: Quốc phòng, Công an' and 'Tổng Giám đốc: Đài Truyền hình Việt Nam, ...'."""
        office_txt = self.printed(i, i + office_len)
        head_d = self.p.office_heads.get(self.norms(i, office_len))
        out: list[AgencyMention] = []
        k = j + 1
        if head_d:
            head_txt = head_d["head"]
            items = self.enum_items(k, _seq(head_txt), True)
            if items and all(ent is not None for _, _, ent in items[:1]):
                for a_, b_, ent in items:
                    sa, sb = self.src(a_, b_)
                    out.append(AgencyMention(sa, sb, head_txt + " " + self.printed(a_, b_), office=office_txt,
                                             entry=ent, registered=ent is not None, kind=ent.kind if ent else None,
                                             office_start=self.toks[i].start, via="enumeration"))
                return out, items[-1][1]
        while k < self.n:
            got = self.org_at(k, after_office=True)
            if not got:
                break
            ms, k = got
            for m in ms:
                m.office = m.office or office_txt
                m.office_start = self.toks[i].start
            out.extend(ms)
            if k < self.n and self.nl[k] in {",", "và"} and not self.toks[k].par:
                k += 1
                continue
            break
        return (out, k) if out else None

    def cued_at(self, j: int) -> Optional[tuple[AgencyMention, int]]:
        """'phối hợp với đơn vị quản lý hệ thống chiếu sáng công cộng': a body named by its kind."""
        if j >= self.n or self.toks[j].cap:
            return None
        n = self.longest(j, self.p.cue_nouns, 3)
        if not n:
            return None
        end = self.tail(j + n, j, 8)
        if end == j + n and self.norms(j, n) not in self.p.cue_bare:
            return None  # a bare "đơn vị" is no name
        while end > j + n and self.nl[end - 1] in _TRAILING:
            end -= 1
        s, e = self.src(j, end)
        return AgencyMention(s, e, self.printed(j, end), kind="other", via="pattern"), end

    def org_at(self, i: int, after_office: bool) -> Optional[tuple[list[AgencyMention], int]]:
        if i >= self.n or self.toks[i].punct or self.toks[i].prot:
            return None
        en = self.enumeration_at(i)
        if en:
            end, items, head_txt = en
            ms = []
            for s, e, ent in items:
                a, b = self.src(s, e)
                txt = head_txt + " " + self.printed(s, e)
                ms.append(AgencyMention(a, b, txt, entry=ent, registered=ent is not None,
                                        kind=ent.kind if ent else None, via="enumeration"))
            return ms, end
        cands: list[tuple[int, str, object]] = []
        r = self.registry_at(i)
        if r:
            e, ent = r
            e2 = self.extend(e, _ends_level(ent, self.norms(i, e - i)), ent.level in ("province", "commune"),
                             collective=ent.kind == "collective")
            if ent.kind == "collective":
                e2 = self.tail(e2, i, 6, free=False)
            cands.append((e2, "registry", ent))
        c = self.collective_at(i, after_office)
        if c:
            cands.append((c[0], "collective", c[1]))
        pt = self.pattern_at(i)
        if pt:
            cands.append((pt[0], "pattern", pt[1]))
        if not cands:
            return None
        best = cands[0]
        if best[1] == "registry":
            ent = best[2]
            for cand in cands[1:]:
                if cand[0] <= best[0]:
                    continue
                if cand[1] == "collective" and ent.kind == "collective":
                    best = cand
                elif cand[1] == "pattern" and ent.open:
                    best = cand
        else:
            best = max(cands, key=lambda x: x[0])
        end, via, obj = best
        s, e = self.src(i, end)
        txt = self.printed(i, end)
        if via == "registry":
            ent = obj
            split = self.place_enumeration(i, end, ent)
            if split:
                return split
            parts: list[str] = []
            if ent.kind == "collective" and c and len(c[1]) > 1:
                q = self.longest(i, self.p.quants, 3)
                parts = [("các " + self.printed(a, b)) if q else self.printed(a, b) for a, b in c[1]]
            return [AgencyMention(s, e, txt, entry=ent, registered=True, kind=ent.kind, parts=parts,
                                  via="registry")], end
        if via == "collective":
            nouns = obj
            q = self.longest(i, self.p.quants, 3)
            if not q and after_office and len(nouns) > 1 and all(b - a > 1 for a, b in nouns):
                # "Thủ trưởng cơ quan ngang bộ, cơ quan thuộc Chính phủ": one body per kind
                ms = []
                for k, (a, b) in enumerate(nouns):
                    bb = end if k == len(nouns) - 1 else b
                    sa, sb = self.src(a, bb)
                    ms.append(AgencyMention(sa, sb, self.printed(a, bb), kind="collective", via="collective"))
                return ms, end
            parts = []
            for k, (a, b) in enumerate(nouns):
                p = self.printed(a, b)
                parts.append(("các " + p) if q else p)
            ent = self.reg.lookup(txt)
            if ent is not None and ent.kind != "collective":
                ent = None
            return [AgencyMention(s, e, txt, entry=ent, registered=ent is not None, kind="collective",
                                  parts=parts if len(parts) > 1 else [], via="collective")], end
        spec = obj
        ent = self.reg.lookup(txt)
        return [AgencyMention(s, e, txt, entry=ent, registered=ent is not None,
                              kind=ent.kind if ent else spec.get("kind"), via="pattern")], end


_DOC_TYPE_WORDS = {"kế hoạch", "quyết định", "chỉ thị", "nghị quyết", "công văn", "thông báo", "đề án", "chương trình"}

# "thuộc Bộ", "trực thuộc Sở": the issuer named by its head word alone
_OWN_BODY = {"bộ", "sở", "ban", "cục", "tỉnh", "ủy"}


def _ends_level(ent: Entry, printed: tuple[str, ...]) -> bool:
    return bool(printed) and printed[-1] in {"tỉnh", "xã", "phường", "huyện", "quận", "phố", "khu", "trấn", "vực"}


_PLACES: dict[int, set[tuple[str, ...]]] = {}


def _places(reg: Registry) -> set[tuple[str, ...]]:
    key = id(reg)
    if key not in _PLACES:
        _PLACES[key] = reg.places()
    return _PLACES[key]


def find_agencies(text: str, registry: Optional[Registry] = None) -> list[AgencyMention]:
    """Every organisation named in ``text`` (a sentence or a unit), in order, with
    char offsets into ``text``. Office-holders are moved to ``office``;
    enumerations are split into one mention per body; fixed collectives with
    commas ("các sở, ban, ngành") and names with commas ("Bộ Văn hóa, Thể thao
    và Du lịch") stay whole."""
    if not text or not text.strip():
        return []
    return _Finder(text, registry or Registry.load()).run()


def lookup(name: str, on_date: Optional[str] = None) -> Optional[Entry]:
    """``Registry.load().lookup(name, on_date)``."""
    return Registry.load().lookup(name, on_date)
