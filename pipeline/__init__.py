"""directives: Vietnamese task-assigning official documents into a who-owns-what graph.

The Python API has the command line's verbs::

    from pipeline import extract
    doc = extract("chi-thi.pdf")          # read -> clean -> structure -> assign
    doc.header.number, doc.tasks[0].owners
"""
from __future__ import annotations

from .model import DirectiveError, Document

__all__ = ["extract", "DirectiveError", "Document"]
__version__ = "0.1.0"


def extract(path) -> Document:
    """Run every stage on one file and return the typed Document."""
    from .assign import assign
    from .clean import clean
    from .read import read
    from .structure import structure
    doc = assign(structure(clean(read(path))))
    h = doc.header
    if not (doc.tasks or h.number or h.type):
        raise DirectiveError(str(path), "not an official document: no number, document type or task found")
    return doc
