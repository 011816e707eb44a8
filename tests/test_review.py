"""The review page: what a reader sees in a browser.

The browser tests open the page in headless Chromium (Debian package ``chromium``),
take a screenshot into tests/_artifacts/ and read the DOM as the browser built it.
"""
from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pipeline.model import Deadline, Document, Header, Owner, Reference, Section, Span, Task, Warning_
from pipeline.review import render, section_id

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "corpora"
ARTIFACTS = Path(__file__).resolve().parent / "_artifacts"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Page(HTMLParser):
    """What the page holds: marks (by data-fact), blocks (by id) and their source text."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.marks: dict[str, dict] = {}          # data-fact -> {"cls", "text", "block", "links"}
        self.blocks: dict[str, str] = {}          # block id -> text of its .src
        self.ids: set[str] = set()
        self.elements: list[tuple[str, dict]] = []
        self.text_of_class: dict[str, list[str]] = {}
        self.inline_warnings: list[list] = []    # [block id, text] of each .warn element
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        self.elements.append((tag, a))
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "mark" and a.get("data-fact"):
            block = next((x.get("id") for t, x in reversed(self.stack) if t == "section" and x.get("id")), None)
            m = self.marks.setdefault(a["data-fact"], {"cls": set(), "text": "", "block": block, "links": set()})
            m["cls"].update(c for c in a.get("class", "").split() if c != "cont")
        if tag == "a" and any(t == "mark" for t, _ in self.stack):
            for t, x in self.stack:
                if t == "mark" and x.get("data-fact"):
                    self.marks[x["data-fact"]]["links"].add(a.get("href"))
        if "warn" in a.get("class", "").split():
            block = next((x.get("id") for t, x in reversed(self.stack) if t == "section" and x.get("id")), None)
            self.inline_warnings.append([block, ""])
            a = {**a, "data-warning": str(len(self.inline_warnings) - 1)}
        if tag not in VOID:
            self.stack.append((tag, a))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        for t, a in self.stack:
            if t == "mark" and a.get("data-fact"):
                self.marks[a["data-fact"]]["text"] += data
            for c in a.get("class", "").split():
                self.text_of_class.setdefault(c, []).append(data)
            if "data-warning" in a:
                self.inline_warnings[int(a["data-warning"])][1] += data
        if any(t == "div" and "src" in a.get("class", "").split() for t, a in self.stack):
            block = next((x.get("id") for t, x in reversed(self.stack) if t == "section" and x.get("id")), None)
            self.blocks[block] = self.blocks.get(block, "") + data

    def of(self, cls: str) -> dict[str, dict]:
        return {k: m for k, m in self.marks.items() if cls in m["cls"]}


def spans(doc, kind: str) -> set[tuple[int, int]]:
    """Distinct spans of one kind of fact the Document holds."""
    if kind in ("lead", "support"):
        return {(o.span.start, o.span.end) for t in doc.tasks for o in t.owners
                if o.role == kind and o.span is not None and o.span.end > o.span.start}
    if kind == "deadline":
        return {(d.span.start, d.span.end) for t in doc.tasks for d in t.deadlines
                if d.span is not None and d.span.end > d.span.start}
    return {(s.start, s.end) for r in doc.references for s in ([r.span] if r.span else []) + r.mentions}


# ---------------------------------------------------------------- page structure, no browser

def _toy() -> Document:
    text = ("Sở A & <Sở B> chủ trì trước ngày 15/8/2025; theo Quyết định số 1/QĐ-X.\n"
            "a) Phối hợp với Sở C <script>alert(1)</script>.")
    s1 = Section("1", "1", "num", text=text[:text.index("\n")], start=0, end=text.index("\n"))
    a = text.index("a)")
    s2 = Section("1.a", "a", "letter", text=text[a:], start=a, end=len(text), parent=s1)
    s1.children.append(s2)
    lead = Owner("Sở A", "lead", span=Span(0, 4, 1, "1"))
    sup = Owner("Sở B", "support", span=Span(text.index("<Sở B>"), text.index("<Sở B>") + 6, 1, "1"))
    # a deadline span that crosses the support owner's end, and a reference nested in nothing
    dl_start = text.index("B> chủ")
    dl = Deadline("B> chủ trì trước ngày 15/8/2025", "2025-08-15",
                  span=Span(dl_start, text.index(";"), 1, "1"))
    ref_start = text.index("Quyết định")
    ref = Reference("1/QĐ-X", "Quyết định", span=Span(ref_start, text.index("."), 1, "1"))
    c = text.index("Sở C")
    t1 = Task(s1, [lead, sup], [dl])
    t2 = Task(s2, [Owner("Sở A", "lead", inherited=True, span=lead.span),
                   Owner("Sở C", "support", span=Span(c, c + 4, 1, "1.a"))])
    doc = Document("toy.txt", "txt", text=text, header=Header(number="9/CT-X", type="Chỉ thị",
                                                                 issuer="Ủy ban X", date="2025-08-01",
                                                                 title="Về thử"),
                   sections=[s1, s2], tasks=[t1, t2], references=[ref])
    doc.warnings.append(Warning_("unregistered-agency", "Sở C (1.a) is not in the agency registry",
                                 Span(c, c + 4, 1, "1.a")))
    return doc


def test_page_escapes_text_and_keeps_every_character():
    doc = _toy()
    html = render(doc)
    page = Page(html)
    assert "<script>" not in html
    assert not any(tag == "script" for tag, _ in page.elements)
    for s in doc.sections:
        assert page.blocks[section_id(s.path)] == doc.text[s.start:s.end]


def test_overlapping_spans_are_each_one_mark_with_their_own_text():
    doc = _toy()
    page = Page(render(doc))
    by_text = {m["text"]: m for m in page.marks.values()}
    assert by_text["Sở A"]["cls"] == {"lead"}
    assert by_text["<Sở B>"]["cls"] == {"support"}
    assert by_text["B> chủ trì trước ngày 15/8/2025"]["cls"] == {"deadline"}
    assert by_text["Quyết định số 1/QĐ-X"]["cls"] == {"ref"}
    assert by_text["Sở C"]["cls"] == {"support"}
    # each highlight links to its section
    assert by_text["Sở A"]["links"] == {"#sec-1"}
    assert by_text["Sở C"]["links"] == {"#sec-1.a"}
    assert by_text["Sở C"]["block"] == "sec-1.a"


def test_inherited_owner_is_a_badge_not_a_second_mark():
    doc = _toy()
    page = Page(render(doc))
    assert len(page.of("lead")) == 1
    badges = " ".join(page.text_of_class.get("inherited", []))
    assert "Sở A" in badges and "từ 1" in badges


def test_warnings_listed_at_top_and_beside_their_section():
    page = Page(render(_toy()))
    top = "".join(page.text_of_class.get("warnings", []))
    assert "unregistered-agency" in top and "Sở C" in top
    assert [b for b, text in page.inline_warnings if "Sở C" in text] == ["sec-1.a"]


def test_side_table_lists_every_task_with_owners_and_due_dates():
    doc = _toy()
    html = render(doc)
    assert '<table class="tasks">' in html
    table = html[html.index('<table class="tasks">'):html.index("</table>")]
    for t in doc.tasks:
        assert f'href="#sec-{t.path}"' in table
    assert "2025-08-15" in table and "Sở B" in table


def test_cli_writes_the_page(tmp_path):
    from typer.testing import CliRunner

    from pipeline.cli import app
    out = tmp_path / "review.html"
    result = CliRunner().invoke(app, ["review", str(CORPORA / "btc-cv-2025-taisancong.txt"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in html
    assert "Bộ Tài chính" in html
    bad = CliRunner().invoke(app, ["review", str(tmp_path / "missing.pdf"), "--out", str(out)])
    assert bad.exit_code != 0 and "missing.pdf" in bad.output


# ---------------------------------------------------------------- in a real browser

def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def run_browser(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    binary = chromium()
    if binary is None:
        pytest.skip("no Chromium binary on PATH (Debian: apt-get install -y chromium)")
    profile = tmp_path / "chromium-profile"
    profile.mkdir(exist_ok=True)
    cmd = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={profile}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180)


@pytest.fixture(scope="module")
def browsed(tmp_path_factory):
    """A corpus document, its review page, the DOM Chromium built and a screenshot."""
    from pipeline import extract
    tmp = tmp_path_factory.mktemp("review")
    doc = extract(CORPORA / "tn-kh-2025-nhanlucyte.txt")
    page = tmp / "review.html"
    page.write_text(render(doc), encoding="utf-8")
    dom = run_browser(tmp, "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "review-tn-kh-2025-nhanlucyte.png"
    shot.unlink(missing_ok=True)
    res = run_browser(tmp, f"--screenshot={shot}", "--window-size=1280,2000", page.as_uri())
    assert res.returncode == 0, res.stderr[-2000:]
    return doc, Page(dom.stdout), shot


@pytest.mark.parametrize("kind", ["lead", "support", "deadline", "ref"])
def test_browser_shows_one_mark_per_fact(browsed, kind):
    doc, page, _ = browsed
    expected = spans(doc, kind)
    assert expected, f"the document holds no {kind} span"
    assert len(page.of(kind)) == len(expected)
    # each mark shows exactly the source text of one span
    texts = sorted(m["text"] for m in page.of(kind).values())
    assert texts == sorted(doc.text[a:b] for a, b in expected)


def test_browser_known_owners_sit_in_their_marks(browsed):
    _, page, _ = browsed
    in_ii3 = {m["text"]: m["cls"] for m in page.marks.values() if m["block"] == "sec-II.3"}
    assert in_ii3.get("Sở Tài chính") == {"lead"}      # "3. Sở Tài chính chủ trì, phối hợp với Sở Y tế ..."
    assert in_ii3.get("Sở Y tế") == {"support"}
    in_ii1b = {m["text"]: m["cls"] for m in page.marks.values() if m["block"] == "sec-II.1.b"}
    assert in_ii1b.get("trước ngày 30/6/2026") == {"deadline"}


def test_browser_every_section_is_an_anchor_with_its_source_text(browsed):
    doc, page, _ = browsed
    for s in doc.sections:
        assert section_id(s.path) in page.ids, s.path
        if s.end > s.start:
            assert page.blocks[section_id(s.path)] == doc.text[s.start:s.end]


def test_browser_warnings_at_top_and_in_place(browsed):
    doc, page, _ = browsed
    assert doc.warnings
    top = "".join(page.text_of_class.get("warnings", []))
    for w in doc.warnings:
        assert w.message in top
    # each shown once more, inside the section it is about
    assert sorted((b, text) for b, text in page.inline_warnings) == sorted(
        (section_id(w.span.path), f"⚠ {w.code} {w.message}") for w in doc.warnings)


def test_browser_screenshot_saved(browsed):
    _, _, shot = browsed
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 50_000          # a page with text and colours, not a blank one
