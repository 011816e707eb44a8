"""The `directives` command line: a thin layer over the Python API."""
from __future__ import annotations

import json
import os
import sys
from enum import Enum
from pathlib import Path

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True,
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


@app.command()
def extract(file: Path = typer.Argument(..., help="PDF, DOCX or text file"),
            format: Fmt = typer.Option(Fmt.json, "--format", "-f", help="json (the contract) or text (a tree)")):
    """Extract one document: header, sections, tasks, owners, deadlines, references."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from . import DirectiveError, extract as run
    from .export import to_contract, to_text
    try:
        doc = run(file)
    except DirectiveError as e:
        fail(str(e))
    except Exception as e:  # never a traceback for a user's file
        fail(f"{file}: could not be processed ({type(e).__name__}: {e})", 3)
    if format == Fmt.json:
        sys.stdout.write(json.dumps(to_contract(doc), ensure_ascii=False, indent=1) + "\n")
    else:
        sys.stdout.write(to_text(doc))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
