"""The `directives` command line: a thin layer over the Python API."""
from __future__ import annotations

import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Vietnamese task-assigning documents into a who-owns-what graph.")


class Fmt(str, Enum):
    json = "json"
    text = "text"


@app.callback()
def _root() -> None:
    """Vietnamese task-assigning documents into a who-owns-what graph."""


def fail(message: str, code: int = 2) -> None:
    typer.echo(f"directives: {message}", err=True)
    raise typer.Exit(code)


def _extract_or_fail(file: Path):
    """The Document of one file, or one line naming the file and the reason (exit 2, or 3 if unexpected)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from . import DirectiveError, extract as run
    try:
        return run(file)
    except DirectiveError as e:
        fail(str(e))
    except Exception as e:  # never a traceback for a user's file
        fail(f"{file}: could not be processed ({type(e).__name__}: {e})", 3)


@app.command()
def extract(file: Path = typer.Argument(..., help="PDF, DOCX or text file"),
            format: Fmt = typer.Option(Fmt.json, "--format", "-f", help="json (the contract) or text (a tree)")):
    """Extract one document: header, sections, tasks, owners, deadlines, references."""
    from .export import to_contract, to_text
    doc = _extract_or_fail(file)
    if format == Fmt.json:
        sys.stdout.write(json.dumps(to_contract(doc), ensure_ascii=False, indent=1) + "\n")
    else:
        sys.stdout.write(to_text(doc))

# ---------------------------------------------------------------- store, questions, feeds

DB_HELP = "SQLite store (default outputs/directives.db)"


class Out(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class Feed(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    ics = "ics"
    graphml = "graphml"
    gexf = "gexf"
    json = "json"


def _open_store(db: Optional[Path], must_exist: bool = True):
    from .store import DEFAULT_DB, open_db
    path = db or DEFAULT_DB
    if must_exist and not Path(path).exists():
        fail(f"{path}: no store yet; run `directives ingest FILES... --db {path}` first")
    return open_db(path)


LIMIT = 100  # rows `who` and `due` show unless told --limit


def _shown(rows: list, limit: int, count, noun: str) -> str:
    """"12 tasks", or "the first 100 of 143,491 tasks (--limit 0 for all)" when the limit cut
    the list (``count()`` gives the total, asked only then)."""
    total = count() if limit and len(rows) == limit else len(rows)
    if total == len(rows):
        return f"{len(rows)} {noun}"
    return f"the first {len(rows)} of {total:,} {noun} (--limit 0 for all)"


def _print_rows(rows, fmt: Out, title: str, columns=None) -> None:
    from .query import render
    sys.stdout.write(render(rows, fmt.value, title=title, columns=columns))


@app.command()
def ingest(paths: list[Path] = typer.Argument(..., help="files and folders (.pdf .docx .txt, recursive)"),
           db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP),
           workers: int = typer.Option(2, "--workers", "-w", help="worker processes (1: in this process)"),
           timeout: float = typer.Option(600, "--timeout", help="seconds a file may take in a worker (0: no limit)"),
           quiet: bool = typer.Option(False, "--quiet", "-q", help="no progress bar or summary"),
           cluster: Optional[str] = typer.Option(None, "--cluster", help='extract on Dask: "local" or a scheduler address')):
    """Extract and store many documents; skips stored ones, resumes, lists failures.

    Example: directives ingest docs/ extra.pdf --db outputs/directives.db --workers 2
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from rich.console import Console

    from .ingest import ingest as run, summary
    from .store import DEFAULT_DB
    console = Console(stderr=True)
    report = run(paths, db or DEFAULT_DB, workers=workers, progress=not quiet, console=console,
                 timeout=timeout or None, cluster=cluster)
    if report.files == 0 and not report.failed:
        fail("no .pdf, .docx or .txt file found in " + ", ".join(map(str, paths)))
    if report.interrupted:
        console.print(f"[yellow]interrupted: {report.ok} stored this run; rerun the same command to complete[/yellow]")
        # the store is closed and every stored document is whole: leave at once, without waiting
        # at interpreter exit for the worker pool's manager thread (a killed pool can keep it)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(130)
    if not quiet:
        summary(db or DEFAULT_DB, report, console=Console())
    else:
        for f, reason in report.failed:
            typer.echo(f"failed: {f}: {reason}", err=True)
    if report.failed:
        raise typer.Exit(1)


@app.command()
def who(agency: str = typer.Argument(..., help='agency name, alias or code; tone marks optional ("so tai chinh")'),
        role: Optional[str] = typer.Option(None, "--role", help="lead or support"),
        place: Optional[str] = typer.Option(None, "--place", help='only documents of this province/commune ("hung yen")'),
        limit: int = typer.Option(LIMIT, "--limit", "-n", min=0,
                                  help="at most this many tasks, the most urgent first (0: all)"),
        db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP),
        format: Out = typer.Option(Out.table, "--format", "-f")):
    """Tasks an agency leads or supports. Example: directives who "so tai chinh" --place "hung yen" """
    from .query import count_who, find_agencies, who as run
    store = _open_store(db)
    found = find_agencies(store, agency)
    names = [a["name"] for a in found]
    if not names:
        fail(f"no agency matches {agency!r}", 1)
    rows = run(store, agency, role, place, limit=limit, found=found)
    shown = _shown(rows, limit, lambda: count_who(store, agency, role, place, found), "tasks")
    _print_rows(rows, format, f"{'; '.join(names[:5])}: {shown}",
                ["agency", "role", "due", "recurrence", "number", "issuer", "path", "text"])


@app.command()
def due(before: Optional[str] = typer.Option(None, "--before", help="due on or before YYYY-MM-DD"),
        after: Optional[str] = typer.Option(None, "--after", help="due on or after YYYY-MM-DD"),
        overdue: bool = typer.Option(False, "--overdue", help="due before --as-of"),
        as_of: Optional[str] = typer.Option(None, "--as-of", help="today's date for --overdue (default today)"),
        agency: Optional[str] = typer.Option(None, "--agency", help="only tasks of this agency"),
        place: Optional[str] = typer.Option(None, "--place", help="only documents of this province/commune"),
        limit: int = typer.Option(LIMIT, "--limit", "-n", min=0, help="at most this many, the earliest first (0: all)"),
        db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP),
        format: Out = typer.Option(Out.table, "--format", "-f")):
    """Deadlines in date order. Example: directives due --overdue --as-of 2026-01-15"""
    from .query import count_due, due as run
    store = _open_store(db)
    filters = dict(before=before, after=after, overdue=overdue, as_of=as_of, agency=agency, place=place)
    rows = run(store, limit=limit, **filters)
    shown = _shown(rows, limit, lambda: count_due(store, **filters), "deadlines")
    _print_rows(rows, format, f"{'Overdue' if overdue else 'Due'}: {shown}",
                ["due", "number", "path", "lead", "support", "deadline", "text"])


@app.command()
def doc(number: str = typer.Argument(..., help='document number, e.g. "34/CT-TTg"'),
        db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP),
        format: Out = typer.Option(Out.table, "--format", "-f")):
    """One stored document: header, tasks with owners and deadlines, citations."""
    from .query import doc as run
    found = run(_open_store(db), number)
    if not found:
        fail(f"no stored document numbered {number!r}", 1)
    if format == Out.json:
        sys.stdout.write(json.dumps(found, ensure_ascii=False, indent=1) + "\n")
        return
    rows = [{"path": t["path"],
             "lead": "; ".join(o["agency"] for o in t["owners"] if o["role"] == "lead"),
             "support": "; ".join(o["agency"] for o in t["owners"] if o["role"] == "support"),
             "due": "; ".join(d["date"] or d["recurrence"] or "" for d in t["deadlines"]),
             "text": t["text"]} for t in found["tasks"]]
    d = found["document"]
    if format == Out.table:
        from .query import snippet
        typer.echo(f"{d['type'] or ''} {d['number']} ({d['date'] or '?'}) — {d['issuer'] or '?'}\n{d['title'] or ''}")
        rows = [{**r, "text": snippet(r["text"])} for r in rows]
    _print_rows(rows, format, f"{len(rows)} tasks", ["path", "lead", "support", "due", "text"])
    if format == Out.table and found["cited_by"]:
        _print_rows(found["cited_by"], format, "Cited by", ["number", "date", "path", "task"])


@app.command()
def cites(number: str = typer.Argument(..., help='cited number, e.g. "66/NQ-CP"'),
          db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP),
          format: Out = typer.Option(Out.table, "--format", "-f")):
    """Documents and tasks that cite a document. Example: directives cites 66/NQ-CP"""
    from .query import cites as run
    rows = run(_open_store(db), number)
    _print_rows(rows, format, f"Citing {number}: {len(rows)}", ["number", "type", "date", "path", "task"])


@app.command()
def search(text: str = typer.Argument(..., help='words; without tone marks they match any ("tai chinh")'),
           sections: bool = typer.Option(False, "--sections", help="search every section, not only tasks"),
           limit: int = typer.Option(20, "--limit", "-n"),
           db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP),
           format: Out = typer.Option(Out.table, "--format", "-f")):
    """Full-text search of tasks. Example: directives search "tai san cong" """
    from .query import search as run
    rows = run(_open_store(db), text, limit=limit, tasks_only=not sections)
    _print_rows(rows, format, f"{text}: {len(rows)}", ["number", "path", "date", "text"])


@app.command()
def agencies(db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP),
             limit: Optional[int] = typer.Option(None, "--limit", "-n"),
             as_of: Optional[str] = typer.Option(None, "--as-of", help="today's date for overdue counts"),
             format: Out = typer.Option(Out.table, "--format", "-f")):
    """Load per agency: tasks led and supported, documents, next due date, overdue."""
    from .query import agencies as run
    rows = run(_open_store(db), limit=limit, as_of=as_of)
    _print_rows(rows, format, f"{len(rows)} agencies",
                ["name", "lead", "support", "documents", "next_due", "overdue", "registered"])


@app.command()
def export(format: Feed = typer.Option(..., "--format", "-f", help="jsonl|csv|ics|graphml|gexf|json"),
           out: Optional[Path] = typer.Option(None, "--out", "-o", help="file (default: standard output)"),
           agency: Optional[str] = typer.Option(None, "--agency", help="graph/ics/csv: only this agency's tasks"),
           number: Optional[str] = typer.Option(None, "--number", help="graph: only this document"),
           db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP)):
    """Feeds for other tools: contract JSON Lines, assignments CSV, iCalendar, GraphML/GEXF/node-link JSON.

    Example: directives export --format ics --out deadlines.ics
    """
    from .feeds import export as run
    data = run(_open_store(db), format.value, agency=agency, number=number)
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
        typer.echo(f"wrote {out} ({len(data)} bytes)", err=True)


@app.command()
def serve(db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP),
          port: int = typer.Option(8001, "--port", "-p"),
          host: str = typer.Option("127.0.0.1", "--host")):
    """Browse the store in Datasette (read-only), with who/due/cites queries.

    Example: directives serve --db outputs/directives.db --port 8001
    """
    from .serve import serve as run
    from .store import DEFAULT_DB
    path = db or DEFAULT_DB
    if not Path(path).exists():
        fail(f"{path}: no store yet; run `directives ingest` first")
    run(path, host=host, port=port)


@app.command()
def graph(agency: str = typer.Argument(..., help="agency whose neighbourhood to draw"),
          out: Path = typer.Option(..., "--out", "-o", help="FILE.png or FILE.html"),
          db: Optional[Path] = typer.Option(None, "--db", help=DB_HELP)):
    """Draw an agency's neighbourhood: its tasks, their documents and co-owners."""
    from .graph import draw
    try:
        n = draw(_open_store(db), agency, out)
    except LookupError as e:
        fail(str(e), 1)
    typer.echo(f"wrote {out} ({n} nodes)", err=True)


@app.command()
def review(file: Path = typer.Argument(..., help="PDF, DOCX or text file"),
           out: Optional[Path] = typer.Option(None, "--out", "-o", help="FILE.html (default outputs/<name>.html)")):
    """A review page: the document with owners, deadlines, references and warnings highlighted.

    Example: directives review chi-thi.pdf --out chi-thi.html
    """
    from .review import write
    doc = _extract_or_fail(file)
    path = write(doc, out or Path("outputs") / (file.stem + ".html"))
    typer.echo(f"wrote {path} ({len(doc.tasks)} tasks, {len(doc.warnings)} warnings)", err=True)


def main() -> None:
    """The console script: any unexpected error ends in one line, never a traceback."""
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("directives: interrupted", err=True)
        sys.exit(130)
    except Exception as e:  # noqa: BLE001 - the last line of defence for a user's command
        typer.echo(f"directives: {type(e).__name__}: {e}", err=True)
        sys.exit(3)


if __name__ == "__main__":
    main()
