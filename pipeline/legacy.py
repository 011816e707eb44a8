"""Legacy Vietnamese 8-bit encodings (TCVN3/ABC, VNI) to Unicode."""
from __future__ import annotations


def decode_legacy(data: bytes) -> str | None:
    """Unicode text of ``data`` if it is in a legacy Vietnamese encoding, else None."""
    return None
