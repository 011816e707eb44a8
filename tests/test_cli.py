"""The `directives extract` command on good and bad files: one clear line, never a traceback."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CORPORA, ROOT

BIN = Path(sys.executable).parent / "directives"


def run(*args):
    return subprocess.run([str(BIN), *map(str, args)], capture_output=True, text=True, cwd=ROOT,
                          env={"HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"})


def test_extract_prints_the_contract():
    src = next(iter(sorted(CORPORA.glob("*.txt"))))
    out = run("extract", src, "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert {"document", "sections", "tasks", "references", "recipients"} <= set(data)
    assert data["document"]["number"] and data["tasks"]
    assert all("span" in t and "page" in t["span"] for t in data["tasks"])


@pytest.mark.parametrize("name, content, reason", [
    ("empty.txt", b"", "empty file"),
    ("broken.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog", "PDF"),
    ("notpdf.pdf", b"hello world", "not a PDF"),
    ("recipe.txt", "Cách nấu phở bò\n\nNguyên liệu: xương bò, bánh phở, hành.\n".encode(), "not an official document"),
    ("binary.txt", bytes(range(256)) * 4, "legacy Vietnamese encoding"),
    ("fake.docx", b"PK\x03\x04garbage", "Word"),
])
def test_bad_files_end_in_one_line_naming_file_and_reason(tmp_path, name, content, reason):
    f = tmp_path / name
    f.write_bytes(content)
    out = run("extract", f)
    assert out.returncode != 0
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert name in lines[0] and reason.lower() in lines[0].lower()
    assert "Traceback" not in out.stderr and out.stdout == ""


def test_missing_file():
    out = run("extract", "/nonexistent/chi-thi.pdf")
    assert out.returncode != 0 and "chi-thi.pdf" in out.stderr and "Traceback" not in out.stderr
