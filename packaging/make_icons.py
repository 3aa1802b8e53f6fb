"""Render resources/icons/cspdesk.svg to PNGs and a multi-size .ico (run once, output committed)."""
import os, sys
from pathlib import Path
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer
from PIL import Image
app = QGuiApplication([])
folder = Path(sys.argv[1])
renderer = QSvgRenderer(str(folder / "cspdesk.svg"))
assert renderer.isValid()
for size in (16, 32, 48, 256):
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    image.save(str(folder / f"cspdesk-{size}.png"))
big = Image.open(folder / "cspdesk-256.png")
big.save(folder / "cspdesk.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])
print(sorted(p.name for p in folder.iterdir()))
