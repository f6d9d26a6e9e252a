"""Make the site's two bundled raster images, in overrides/assets/htx/:

* share-default.png (1200×630): og:image / twitter:image of every page without a photo of its own;
* logo-512.png (512×512): the publisher's logo in the home page's structured data (search engines
  want a raster logo of at least 112×112).

Run after changing the design: python scripts/share_default_image.py [overrides/assets/htx]
Uses Pillow and Debian's DejaVu fonts (fonts-dejavu-core). The PNGs are committed; the build never runs this.
"""
from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

GREEN, DARK, TINT, WHITE = (46, 125, 50), (27, 94, 32), (237, 246, 237), (255, 255, 255)
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
REGULAR = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def draw_mark(img: Image.Image, ox: float, oy: float, s: float) -> None:
    """Draw the rice-stalk mark of assets/htx/logo.svg (24×24 units) in white, at (ox, oy), scale s."""
    d = ImageDraw.Draw(img)

    def p(x: float, y: float) -> tuple[float, float]:
        return (ox + x * s, oy + y * s)

    def grain(cx: float, cy: float, rx: float, ry: float, angle: float = 0) -> None:
        size = int(ry * s * 2 + 8)
        tile = Image.new("RGBA", (size, size), (0, 0, 0, 0))
        c = size / 2
        ImageDraw.Draw(tile).ellipse([c - rx * s, c - ry * s, c + rx * s, c + ry * s], fill=WHITE)
        tile = tile.rotate(-angle, resample=Image.BICUBIC)
        img.paste(tile, (int(ox + cx * s - c), int(oy + cy * s - c)), tile)

    for args in ((12.6, 3.3, 1.9, 2.9), (8.4, 7, 1.7, 2.8, -45), (15.9, 6.6, 1.7, 2.8, 45),
                 (7.4, 11.6, 1.7, 2.8, -60), (16.6, 11.2, 1.7, 2.8, 60)):
        grain(*args)
    d.polygon([p(10.8, 20), p(10.8, 12), p(10.2, 8), p(8.8, 6), p(10.4, 4.8), p(12.1, 7.6), p(12.9, 12), p(12.9, 20)], fill=WHITE)
    d.polygon([p(1.5, 15.5), p(6.5, 16.5), p(12, 19.9), p(17.5, 16.5), p(22.5, 15.5), p(22.5, 18.1), p(17, 19.4),
               p(13.1, 22.5), p(10.9, 22.5), p(7, 19.4), p(1.5, 18.1)], fill=WHITE)


def save(img: Image.Image, path: Path) -> None:
    img.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(path, optimize=True)


def share_image() -> Image.Image:
    img = Image.new("RGB", (1200, 630), GREEN)
    d = ImageDraw.Draw(img)
    d.rectangle([0, 430, 1200, 630], fill=TINT)
    draw_mark(img, 70, 95, 9.0)
    title, sub = ImageFont.truetype(BOLD, 92), ImageFont.truetype(REGULAR, 40)
    d.text((330, 150), "Hợp tác xã", font=title, fill=WHITE)
    d.text((330, 262), "An Giang", font=title, fill=WHITE)
    d.text((70, 470), "Sản phẩm của hợp tác xã — liên hệ thẳng", font=sub, fill=DARK)
    d.text((70, 530), "với người làm ra sản phẩm", font=sub, fill=DARK)
    return img


def logo_image() -> Image.Image:
    img = Image.new("RGB", (512, 512), GREEN)
    draw_mark(img, 40, 30, 18.0)
    return img


def main(folder: Path) -> None:
    save(share_image(), folder / "share-default.png")
    save(logo_image(), folder / "logo-512.png")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "overrides/assets/htx"))
