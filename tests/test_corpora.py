"""Our own genre documents (corpora/) as text, DOCX and PDF made by LibreOffice:
header, section tree, tasks and owners against their gold annotations."""
import json
import re
import unicodedata

import pytest

from conftest import CORPORA

GOLDS = sorted(CORPORA.glob("*.gold.json"))
CASES = [(g, ext) for g in GOLDS for ext in ("txt", "docx", "pdf")
         if (CORPORA / (g.name[:-len(".gold.json")] + "." + ext)).exists()]


def norm(s):
    s = unicodedata.normalize("NFC", s or "").casefold().replace("uỷ", "ủy").replace("oà", "òa")
    s = re.sub(r"\bubnd\b", "ủy ban nhân dân", s)
    s = re.sub(r"^(các|mỗi)\s+", "", s.strip(" .,;"))
    return re.sub(r"\s+", " ", s)


@pytest.fixture(scope="module")
def extracted():
    from pipeline import extract
    cache = {}

    def get(path):
        if path not in cache:
            cache[path] = extract(path)
        return cache[path]
    return get


@pytest.mark.parametrize("gold, ext", CASES, ids=[f"{g.name[:-10]}.{e}" for g, e in CASES])
def test_document_against_gold(gold, ext, extracted):
    want = json.loads(gold.read_text(encoding="utf-8"))
    doc = extracted(CORPORA / (gold.name[:-len(".gold.json")] + "." + ext))
    h = doc.header
    for field in ("number", "type", "date", "signer"):
        assert norm(getattr(h, field)) == norm(want["document"][field]), field
    assert norm(h.issuer) == norm(want["document"]["issuer"])
    gold_paths = {s["path"] for s in want["sections"] if not s.get("optional")}
    opt_paths = {s["path"] for s in want["sections"] if s.get("optional")}
    got = {s.path for s in doc.sections}
    # a heading whose only content is one paragraph: X.p1 and X are the same unit
    got = {p[:-3] if p.endswith(".p1") and not any(q.startswith(p[:-3] + ".") and q != p for q in got) else p
           for p in got}
    assert gold_paths <= got | {p for p in gold_paths if p.endswith(".p1")}
    assert not (got - gold_paths - opt_paths - {p[:-3] for p in opt_paths if p.endswith(".p1")})
    # every required task is found, with at least 85% of its required owners
    tasks = {t.path: t for t in doc.tasks}
    need = found = 0
    for t in want["tasks"]:
        if t.get("optional"):
            continue
        assert t["path"] in tasks, t["path"]
        names = {norm(o.agency) for o in tasks[t["path"]].owners}
        for o in t["owners"]:
            if o.get("optional"):
                continue
            need += 1
            alts = [norm(o["agency"])] + [norm(p) for p in o.get("parts", [])]
            found += any(a in names or any(a in n or n in a for n in names) for a in alts)
    assert need == 0 or found / need >= 0.85, f"{found}/{need} owners"
