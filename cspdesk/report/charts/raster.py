"""A chart drawing as a PNG, for Word (which takes no SVG without a bitmap beside it).

The same drawing the PDF embeds and the HTML shows as SVG, rasterised by resvg from that SVG,
with the appendix's own font files so the picture reads the same on any machine.
"""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing

from cspdesk.report.charts import to_svg

DPI = 200  # sharp when printed; a chart of the summary page is about 60 KB


def _font_files() -> list[str]:
    from cspdesk.paths import resources_dir

    fonts = resources_dir() / "fonts"
    return [str(path) for path in sorted(fonts.glob("*.ttf"))]


def to_png(drawing: Drawing) -> bytes:
    """The drawing as PNG bytes at ``DPI`` (its size in points kept)."""
    import resvg_py

    return bytes(
        resvg_py.svg_to_bytes(
            svg_string=to_svg(drawing),
            zoom=DPI / 72,
            font_files=_font_files(),
            background="#ffffff",
            sans_serif_family="Liberation Sans",
            skip_system_fonts=True,  # the same picture on every machine
        )
    )
