"""Stage 4, assign: tasks, owners, deadlines and references of each unit."""
from __future__ import annotations

from .model import Document


def assign(doc: Document) -> Document:
    return doc
