"""Figures as the report embeds them: sized to the column, compressed, SVG where smaller.

A report that is mailed must stay small: each figure's PNG is scaled down to at most
:data:`MAX_WIDTH` pixels (twice the text column, sharp on high-density screens) and stored with
a 256-colour palette (figures are flat colours: no visible loss), and its SVG is used instead
when that is smaller still. The result is deterministic: the same files give the same bytes.

Example
-------
>>> import io
>>> from PIL import Image
>>> buffer = io.BytesIO()
>>> Image.new("RGB", (3000, 1000), "white").save(buffer, format="PNG")
>>> Image.open(io.BytesIO(compress_png(buffer.getvalue()))).size
(1300, 433)
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from pathlib import Path

__all__ = ["MAX_WIDTH", "Embedded", "compress_png", "embed"]

#: Widest figure in pixels: the text column (about 650 CSS px) twice over.
MAX_WIDTH = 1300


@dataclass(frozen=True)
class Embedded:
    """A figure ready for an ``<img src="data:…">``: its MIME type, bytes and size."""

    mime: str
    data: bytes
    width: int
    height: int

    @property
    def uri(self) -> str:
        """The ``data:`` URI of the figure."""
        return f"data:{self.mime};base64,{base64.b64encode(self.data).decode('ascii')}"


def compress_png(data: bytes, *, max_width: int = MAX_WIDTH) -> bytes:
    """``data`` (a PNG) scaled to at most ``max_width`` pixels wide, as a palette PNG.

    Data that Pillow cannot read are returned unchanged (the report embeds what it is given).
    """
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError):
        return data
    if image.width > max_width:
        height = round(image.height * max_width / image.width)
        image = image.convert("RGBA").resize((max_width, height), Image.Resampling.LANCZOS)
    if image.mode == "RGBA" and image.getextrema()[3][0] == 255:
        image = image.convert("RGB")  # an opaque figure needs no alpha channel
    if image.mode == "RGBA":
        image = image.quantize(256, method=Image.Quantize.FASTOCTREE)
    elif image.mode != "P":
        image = image.convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue() if out.tell() < len(data) else data


def _size(data: bytes) -> tuple[int, int]:
    from PIL import Image, UnidentifiedImageError

    try:
        return Image.open(io.BytesIO(data)).size
    except (UnidentifiedImageError, OSError):
        return (0, 0)


def embed(png: Path, svg: Path | None = None) -> Embedded:
    """The smaller of the compressed PNG and the SVG beside it (the SVG when it is smaller)."""
    data = compress_png(png.read_bytes())
    width, height = _size(data)
    if svg is not None and svg.is_file():
        vector = svg.read_bytes()
        if len(vector) < len(data):
            return Embedded("image/svg+xml", vector, width, height)
    return Embedded("image/png", data, width, height)
