"""A damaged Flate stream is salvaged as pdfminer does it, without pdfminer's quadratic copying."""

from __future__ import annotations

import os
import zlib

import pytest
from pdfminer import pdftypes

from crossfoot.ingest.guard import _salvage_inflate, cap_decompression

ORIGINAL = pdftypes.decompress_corrupted


def _damaged(raw: bytes) -> bytes:
    comp = bytearray(zlib.compress(raw))
    comp[-1] ^= 0xFF  # the adler32 checksum, as in the corrupted streams pdfminer salvages
    return bytes(comp)


@pytest.mark.parametrize("raw", [b"BT /F1 12 Tf (hello) Tj ET" * 50, os.urandom(5000), b""])
def test_same_result_as_pdfminer(raw: bytes) -> None:
    data = _damaged(raw)
    assert _salvage_inflate(data) == ORIGINAL(data) == raw


def test_damage_inside_the_stream_is_still_an_error() -> None:
    data = bytearray(zlib.compress(b"BT /F1 12 Tf (hello) Tj ET " * 400))
    data[len(data) // 2 : len(data) // 2 + 40] = b"\xff" * 40
    with pytest.raises(zlib.error):
        ORIGINAL(bytes(data))
    with pytest.raises(zlib.error):
        _salvage_inflate(bytes(data))


def test_installed_for_pdfminer() -> None:
    cap_decompression()
    assert pdftypes.decompress_corrupted is _salvage_inflate
