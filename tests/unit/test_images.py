"""Photo intake and publishing: awkward but valid photos come out upright, in sRGB, without metadata;
bad files are refused (the path checks — `../`, symlinks — and 0-byte, text, SVG, fake GIF and truncated
JPEG are in test_validate.py)."""
from __future__ import annotations

import hashlib
import io
import struct
import sys
import time
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageCms, ImageDraw

from htx.publish import images
from htx.pipeline import check
from tests.conftest import VALID, write_coop


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTX_CACHE_DIR", str(tmp_path / "cache"))


def save(path: Path, image: Image.Image, fmt: str, **options) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, fmt, **options)
    return path


def publish(path: Path, site: Path) -> tuple[images.ImageInfo, dict[int, Path]]:
    """Intake + every variant, as a build does (one process); return the info and width → WebP file."""
    info, error = images.inspect_image(path)
    assert error is None and info is not None, error
    variants = images.plan_variants(info)
    images.write_variants({info.sha: (info, variants)}, site, workers=1)
    return info, {v.width: site / images.URL_DIR / v.name for v in variants}


def pixel(path: Path, xy: tuple[float, float]) -> tuple[int, int, int]:
    """The RGB pixel at a fraction (x, y) of a published picture."""
    with Image.open(path) as im:
        assert im.mode == "RGB"
        return im.getpixel((int(xy[0] * (im.width - 1)), int(xy[1] * (im.height - 1))))[:3]


def close(got: tuple[int, ...], want: tuple[int, ...], tolerance: int = 6) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(got, want))


def webp_chunks(data: bytes) -> tuple[list[bytes], int]:
    """Return the RIFF chunk names of a WebP file and its VP8X feature flags (0 without VP8X)."""
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    names, flags, i = [], 0, 12
    while i + 8 <= len(data):
        name, size = data[i:i + 4], struct.unpack("<I", data[i + 4:i + 8])[0]
        names.append(name)
        if name == b"VP8X":
            flags = data[i + 8]
        i += 8 + size + (size & 1)
    return names, flags


def png_bytes(width: int, height: int, color_type: int, depth: int, rows: list[bytes] | None = None) -> bytes:
    """A PNG written by hand (16-bit and huge images that Pillow won't make); rows default to zeros."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    if rows is None:
        channels = {0: 1, 2: 3, 4: 2, 6: 4}[color_type]
        row = bytes(1 + (width * channels * depth + 7) // 8)
        packer = zlib.compressobj(9)
        body = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    else:
        body = zlib.compress(b"".join(b"\x00" + r for r in rows))
    header = struct.pack(">IIBBBBB", width, height, depth, color_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


# ---- ICC profiles built here: matrix/TRC display profiles (ICC v2), no file needed -----------------

_BRADFORD_D65_D50 = ((1.0478112, 0.0228866, -0.0501270), (0.0295424, 0.9904844, -0.0170491), (-0.0092345, 0.0150436, 0.7521316))
# RGB → XYZ (D65) of each colour space's primaries: columns are R, G, B.
ADOBE_RGB = ((0.5767309, 0.1855540, 0.1881852), (0.2973769, 0.6273491, 0.0752741), (0.0270343, 0.0706872, 0.9911085))
DISPLAY_P3 = ((0.4865709, 0.2656677, 0.1982173), (0.2289746, 0.6917385, 0.0792869), (0.0000000, 0.0451134, 1.0439444))
SRGB = ((0.4124564, 0.3575761, 0.1804375), (0.2126729, 0.7151522, 0.0721750), (0.0193339, 0.1191920, 0.9503041))


def _mul(a, b):
    return tuple(tuple(sum(a[i][k] * b[k][j] for k in range(3)) for j in range(3)) for i in range(3))


def _apply(m, v):
    return tuple(sum(m[i][k] * v[k] for k in range(3)) for i in range(3))


def _inverse(m):
    (a, b, c), (d, e, f), (g, h, i) = m
    det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g)
    return ((e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det), \
           ((f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det), \
           ((d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det)


def srgb_encode(linear: float) -> float:
    linear = min(1.0, max(0.0, linear))
    return 12.92 * linear if linear <= 0.0031308 else 1.055 * linear ** (1 / 2.4) - 0.055


def srgb_decode(value: float) -> float:
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def icc_profile(name: str, rgb_to_xyz, curve) -> bytes:
    """Return an ICC v2 RGB display profile: D50-adapted colorants (Bradford) and one tone curve."""
    def s15(v: float) -> bytes:
        return struct.pack(">i", round(v * 65536))

    def xyz(v) -> bytes:
        return b"XYZ \0\0\0\0" + b"".join(s15(c) for c in v)

    adapted = _mul(_BRADFORD_D65_D50, rgb_to_xyz)
    if isinstance(curve, float):
        trc = b"curv\0\0\0\0" + struct.pack(">IH", 1, round(curve * 256))
    else:
        table = [round(curve(i / 1023) * 65535) for i in range(1024)]
        trc = b"curv\0\0\0\0" + struct.pack(">I", len(table)) + struct.pack(f">{len(table)}H", *table)
    ascii_name = name.encode() + b"\0"
    desc = b"desc\0\0\0\0" + struct.pack(">I", len(ascii_name)) + ascii_name + b"\0" * 8 + b"\0\0\0" + b"\0" * 67
    tags = [(b"desc", desc), (b"wtpt", xyz((0.9642, 1.0, 0.8249))),
            (b"rXYZ", xyz([adapted[i][0] for i in range(3)])), (b"gXYZ", xyz([adapted[i][1] for i in range(3)])),
            (b"bXYZ", xyz([adapted[i][2] for i in range(3)])),
            (b"rTRC", trc), (b"gTRC", trc), (b"bTRC", trc), (b"cprt", b"text\0\0\0\0Public domain, made by a test\0")]
    offset = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for sig, data in tags:
        data += b"\0" * (-len(data) % 4)
        table += sig + struct.pack(">II", offset + len(body), len(data))
        body += data
    size = offset + len(body)
    header = (struct.pack(">I", size) + b"lcms" + bytes((2, 0x10, 0, 0)) + b"mntrRGB XYZ " + struct.pack(">6H", 2026, 1, 1, 0, 0, 0)
              + b"acsp" + b"\0" * 24 + struct.pack(">I", 0) + s15(0.9642) + s15(1.0) + s15(0.8249) + b"\0" * 4 + b"\0" * 16 + b"\0" * 28)
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + body


def expected_srgb(rgb: tuple[int, int, int], rgb_to_xyz, decode) -> tuple[int, ...]:
    linear = [decode(c / 255) for c in rgb]
    out = _apply(_mul(_inverse(SRGB), rgb_to_xyz), linear)
    return tuple(round(srgb_encode(v) * 255) for v in out)


# ---- awkward but valid -----------------------------------------------------------------------------

def test_png_named_jpg_is_accepted_with_a_warning(coop_root: Path) -> None:
    folder = coop_root / "cooperatives" / "htx-thu-nghiem"
    path = save(folder / "images" / "a.jpg", Image.new("RGB", (800, 600), (30, 120, 200)), "PNG")
    info, files = publish(path, coop_root / "site")
    assert info.format == "PNG" and info.format_mismatch
    assert close(pixel(files[480], (0.5, 0.5)), (30, 120, 200), 3)
    write_coop(coop_root, VALID + "    hinh_anh:\n      - tep: images/a.jpg\n        mo_ta: Ảnh túi gạo\n")
    _, problems = check(coop_root / "cooperatives", base=coop_root)
    assert [(p.severity, "thực chất là PNG" in p.message, ".png" in p.hint) for p in problems] == [("warning", True, True)]


def test_cmyk_jpeg_published_in_rgb_with_its_colours(tmp_path: Path) -> None:
    picture = Image.new("RGB", (1000, 600), (220, 30, 30))
    ImageDraw.Draw(picture).rectangle((500, 0, 999, 599), fill=(30, 60, 200))
    path = save(tmp_path / "cmyk.jpg", picture.convert("CMYK"), "JPEG", quality=95)
    assert Image.open(path).mode == "CMYK"
    info, files = publish(path, tmp_path / "site")
    assert (info.width, info.height) == (1000, 600)
    assert close(pixel(files[960], (0.25, 0.5)), (220, 30, 30))
    assert close(pixel(files[960], (0.75, 0.5)), (30, 60, 200))


def test_16_bit_png_reduced_to_8_bits(tmp_path: Path) -> None:
    grey = tmp_path / "grey16.png"
    grey.write_bytes(png_bytes(600, 400, 0, 16, [struct.pack(">600H", *([40000] * 600))] * 400))
    rgb = tmp_path / "rgb16.png"
    rgb.write_bytes(png_bytes(600, 400, 2, 16, [struct.pack(">1800H", *([65535, 32896, 0] * 600))] * 400))
    assert Image.open(grey).mode == "I;16"
    _, files = publish(grey, tmp_path / "site")
    assert close(pixel(files[480], (0.5, 0.5)), (156, 156, 156), 2)  # 40000 / 65535 × 255
    _, files = publish(rgb, tmp_path / "site")
    assert close(pixel(files[480], (0.5, 0.5)), (255, 128, 0), 3)


def test_transparent_png_flattened_on_white(tmp_path: Path) -> None:
    picture = Image.new("RGBA", (800, 600), (0, 0, 0, 0))   # transparent black: must become white, not black
    ImageDraw.Draw(picture).rectangle((400, 0, 799, 599), fill=(20, 90, 40, 255))
    info, files = publish(save(tmp_path / "logo.png", picture, "PNG"), tmp_path / "site")
    assert close(pixel(files[480], (0.2, 0.5)), (255, 255, 255), 2)
    assert close(pixel(files[480], (0.8, 0.5)), (20, 90, 40), 4)
    r, g, b = (int(info.color[i:i + 2], 16) for i in (1, 3, 5))
    assert r > 120 and g > 160   # the placeholder colour is the flattened average, not dark
    palette = Image.new("P", (700, 500), 0)
    palette.putpalette([0, 0, 0, 200, 30, 30] + [0] * 762)
    ImageDraw.Draw(palette).rectangle((350, 0, 699, 499), fill=1)
    _, files = publish(save(tmp_path / "palette.png", palette, "PNG", transparency=0), tmp_path / "site")
    assert close(pixel(files[480], (0.2, 0.5)), (255, 255, 255), 2)
    assert close(pixel(files[480], (0.8, 0.5)), (200, 30, 30), 6)


@pytest.mark.parametrize("name,matrix,curve,decode", [
    ("Adobe RGB (1998) compatible", ADOBE_RGB, 563 / 256, lambda v: v ** (563 / 256)),
    ("Display P3 compatible", DISPLAY_P3, srgb_decode, srgb_decode),
])
def test_wide_gamut_profile_converted_to_srgb(tmp_path: Path, name: str, matrix, curve, decode) -> None:
    # The profiles are built by icc_profile() (no ICC file ships with Debian's base or with Pillow).
    profile = icc_profile(name, matrix, curve)
    assert ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(profile))).strip() == name
    source = (60, 150, 90)   # a leaf green: moves by 10–30 levels between these spaces
    path = save(tmp_path / "wide.jpg", Image.new("RGB", (800, 600), source), "JPEG", quality=95, icc_profile=profile)
    _, files = publish(path, tmp_path / "site")
    want = expected_srgb(source, matrix, decode)
    got = pixel(files[480], (0.5, 0.5))
    assert close(got, want, 4), (got, want)
    assert not close(got, source, 8)   # the profile was applied, not ignored
    for file in files.values():
        assert b"ICCP" not in webp_chunks(file.read_bytes())[0]


def test_exif_orientation_6_shown_upright(tmp_path: Path) -> None:
    # Stored landscape with a red block at its top-left; orientation 6 means "turn 90° clockwise to view":
    # the block must end up at the top-right of a portrait picture.
    stored = Image.new("RGB", (1200, 900), (128, 128, 128))
    ImageDraw.Draw(stored).rectangle((0, 0, 239, 179), fill=(230, 20, 20))
    exif = Image.Exif()
    exif[0x0112] = 6
    info, files = publish(save(tmp_path / "phone.jpg", stored, "JPEG", quality=95, exif=exif), tmp_path / "site")
    assert (info.width, info.height) == (900, 1200)
    assert sorted(files) == [160, 480, 900]
    with Image.open(files[480]) as im:
        assert im.size == (480, 640)
    assert close(pixel(files[480], (0.95, 0.04)), (230, 20, 20), 10)   # top-right: red
    assert close(pixel(files[480], (0.04, 0.04)), (128, 128, 128), 6)  # top-left: grey
    assert close(pixel(files[480], (0.95, 0.95)), (128, 128, 128), 6)


def test_mpo_phone_photo_is_a_still_photo(tmp_path: Path) -> None:
    # Many phones save JPEGs with a second picture inside (MPO): Pillow calls them "animated".
    first, second = Image.new("RGB", (800, 600), (10, 100, 200)), Image.new("RGB", (200, 150), (0, 0, 0))
    path = tmp_path / "mpo.jpg"
    first.save(path, "MPO", save_all=True, append_images=[second])
    assert Image.open(path).format == "MPO"
    info, files = publish(path, tmp_path / "site")
    assert info.format == "JPEG" and not info.format_mismatch
    assert close(pixel(files[480], (0.5, 0.5)), (10, 100, 200), 4)


@pytest.mark.slow
def test_metadata_never_published(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (10.0, 22.0, 5.5), 3: "E", 4: (105.0, 7.0, 30.0)}   # GPS: where the farm is
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></x:xmpmeta>'
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    path = save(tmp_path / "gps.jpg", Image.effect_noise((1700, 1275), 40).convert("RGB"), "JPEG",
                exif=exif, xmp=xmp, icc_profile=srgb)
    with Image.open(path) as source:
        assert source.getexif().get_ifd(0x8825)[2] and source.info.get("xmp") and source.info.get("icc_profile")
    _, files = publish(path, tmp_path / "site")
    assert sorted(files) == [160, 480, 960, 1600]
    for file in files.values():
        data = file.read_bytes()
        names, flags = webp_chunks(data)
        assert not {b"EXIF", b"XMP ", b"ICCP"} & set(names), names
        assert flags & 0b0010_1100 == 0   # VP8X: no ICC (0x20), EXIF (0x08) or XMP (0x04) flag
        assert b"PhoneMaker" not in data and b"adobe:ns:meta" not in data
        with Image.open(file) as im:
            assert not im.info.get("exif") and not im.info.get("xmp") and not im.info.get("icc_profile")


@pytest.mark.slow
def test_big_jpeg_decoded_at_reduced_scale_keeps_exact_sizes(tmp_path: Path) -> None:
    path = save(tmp_path / "big.jpg", Image.new("RGB", (4000, 3000), (90, 140, 60)), "JPEG", quality=90)
    info, files = publish(path, tmp_path / "site")
    assert (info.width, info.height) == (4000, 3000)
    for width, file in files.items():
        with Image.open(file) as im:
            assert im.size == (width, width * 3 // 4)
    assert close(pixel(files[1600], (0.5, 0.5)), (90, 140, 60), 4)


def test_second_run_encodes_nothing_and_output_is_deterministic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = save(tmp_path / "a.jpg", Image.effect_noise((1000, 750), 50).convert("RGB"), "JPEG")
    info, error = images.inspect_image(path)
    assert info is not None
    planned = {info.sha: (info, images.plan_variants(info))}
    first = images.write_variants(planned, tmp_path / "site1", workers=1)
    again = images.write_variants(planned, tmp_path / "site2", workers=1)
    assert first["encoded"] == 3 and again["encoded"] == 0 and again["published"] == 3   # 160, 480, 960
    monkeypatch.setenv("HTX_CACHE_DIR", str(tmp_path / "other-cache"))
    images.write_variants(planned, tmp_path / "site3", workers=2)
    for v in planned[info.sha][1]:
        assert (tmp_path / "site1" / v.url).read_bytes() == (tmp_path / "site3" / v.url).read_bytes()


def test_photo_changed_after_intake_is_not_published_under_the_old_name(tmp_path: Path) -> None:
    path = save(tmp_path / "a.jpg", Image.new("RGB", (600, 400), (1, 2, 3)), "JPEG")
    info, _ = images.inspect_image(path)
    assert info is not None
    save(path, Image.new("RGB", (600, 400), (200, 2, 3)), "JPEG")
    with pytest.raises(RuntimeError, match="thay đổi"):
        images.write_variants({info.sha: (info, images.plan_variants(info))}, tmp_path / "site", workers=1)


# ---- refused -----------------------------------------------------------------------------------------

def _huge_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16)).save(buffer, "JPEG")
    data = bytearray(buffer.getvalue())
    sof = data.index(b"\xff\xc0")
    data[sof + 5:sof + 9] = struct.pack(">HH", 30000, 30000)   # height, width
    return bytes(data)


def _huge_webp() -> bytes:
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "x"
    Image.new("RGB", (16, 16)).save(buffer, "WEBP", exif=exif)   # EXIF makes Pillow write the extended header
    data = bytearray(buffer.getvalue())
    assert data[12:16] == b"VP8X"
    data[24:30] = (16383 - 1).to_bytes(3, "little") + (16383 - 1).to_bytes(3, "little")
    return bytes(data)


@pytest.mark.parametrize("name,make,size", [
    ("bomb.png", lambda: png_bytes(20000, 20000, 0, 1), (20000, 20000)),
    ("bomb.jpg", _huge_jpeg, (30000, 30000)),
    ("bomb.webp", _huge_webp, (16383, 16383)),
])
def test_decompression_bomb_refused_from_the_header(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name, make, size) -> None:
    path = tmp_path / name
    path.write_bytes(make())
    assert path.stat().st_size < 1_000_000

    def no_decoding(*args, **kwargs):
        raise AssertionError("the decoder was reached")

    monkeypatch.setattr(images.Image, "open", no_decoding)
    started = time.perf_counter()
    info, error = images.inspect_image(path)
    assert time.perf_counter() - started < 0.5
    assert info is None and error == ("photo_too_many_pixels", {"width": size[0], "height": size[1], "limit": 50})


def _animated(fmt: str) -> bytes:
    frames = [Image.new("RGB", (64, 48), c) for c in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    buffer = io.BytesIO()
    frames[0].save(buffer, fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buffer.getvalue()


@pytest.mark.parametrize("name,make,key", [
    ("dong.gif", lambda: _animated("GIF"), "photo_refused_type"),
    ("dong.png", lambda: _animated("PNG"), "photo_animated"),     # APNG
    ("dong.webp", lambda: _animated("WEBP"), "photo_animated"),
    ("iphone.jpg", lambda: b"\0\0\0\x18ftypheic\0\0\0\0mif1heic" + bytes(64), "photo_refused_type"),
    ("cut.png", lambda: png_bytes(300, 200, 2, 8, [bytes(range(256)) * 2 + bytes(88)] * 200)[:-200], "photo_broken"),
])
def test_refused_files(tmp_path: Path, name: str, make, key: str) -> None:
    path = tmp_path / name
    path.write_bytes(make())
    info, error = images.inspect_image(path)
    assert info is None and error is not None and error[0] == key, error


@pytest.mark.parametrize("progressive", [False, True])
def test_jpeg_cut_near_its_end_refused(tmp_path: Path, progressive: bool) -> None:
    # Intake decodes JPEGs at 1/8 scale: every byte is still read, so a short file is still caught.
    buffer = io.BytesIO()
    Image.effect_noise((1200, 900), 60).convert("RGB").save(buffer, "JPEG", progressive=progressive)
    data = buffer.getvalue()
    path = tmp_path / "cut.jpg"
    path.write_bytes(data[: int(len(data) * 0.9)])
    info, error = images.inspect_image(path)
    assert info is None and error is not None and error[0] == "photo_broken"


def test_header_size_reads_all_three_formats() -> None:
    for fmt, mode in (("PNG", "RGB"), ("JPEG", "RGB"), ("WEBP", "RGB"), ("WEBP", "RGBA")):
        buffer = io.BytesIO()
        Image.new(mode, (321, 123)).save(buffer, fmt, **({"lossless": True} if mode == "RGBA" else {}))
        assert images.header_size(fmt.replace("WEBP", "WEBP"), buffer.getvalue()) == (321, 123), (fmt, mode)
    assert images.header_size("JPEG", b"\xff\xd8\xff\xe0\x00") is None


# ---- cost bombs: more pixels than the file's bytes can honestly hold -----------------------------------

def tiny_lossless_webp(width: int, height: int, rgba: tuple[int, int, int, int] = (10, 200, 30, 255)) -> bytes:
    """A one-colour lossless WebP written bit by bit: five one-symbol prefix codes, so each pixel takes 0 bits."""
    bits: list[int] = []

    def put(value: int, count: int) -> None:
        bits.extend((value >> i) & 1 for i in range(count))

    put(0x2F, 8), put(width - 1, 14), put(height - 1, 14), put(0, 1), put(0, 3)   # VP8L header, no alpha
    put(0, 1), put(0, 1), put(0, 1)   # no transform, no colour cache, no meta prefix codes
    red, green, blue, alpha = rgba
    for symbol in (green, red, blue, alpha):
        put(1, 1), put(0, 1), put(1, 1), put(symbol, 8)   # simple code, one symbol, 8 bits wide
    put(1, 1), put(0, 1), put(0, 1), put(0, 1)             # distance code: one symbol, 0
    body = bytes(sum(bit << (i % 8) for i, bit in enumerate(bits[k:k + 8])) for k in range(0, len(bits), 8))
    chunk = b"VP8L" + struct.pack("<I", len(body)) + body + b"\0" * (len(body) % 2)
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


def _flat_grey_jpeg(size: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (size, size), 0).save(buffer, "JPEG", optimize=True)   # 256 pixels a byte, JPEG's floor
    return buffer.getvalue()


def test_36_byte_lossless_webp_of_50_megapixels_refused_before_decoding(coop_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tiny_lossless_webp(7070, 7070)
    assert len(data) <= 36
    with Image.open(io.BytesIO(data)) as im:   # a valid picture: the decoder would spend seconds and 150 MB on it
        assert im.size == (7070, 7070) and im.format == "WEBP"
    folder = coop_root / "cooperatives" / "htx-thu-nghiem"
    (folder / "images").mkdir(parents=True)
    (folder / "images" / "bom.webp").write_bytes(data)
    text = VALID + "    hinh_anh:\n      - tep: images/bom.webp\n        mo_ta: Ảnh túi gạo\n"
    write_coop(coop_root, text)

    def no_decoding(*args, **kwargs):
        raise AssertionError("the decoder was reached")

    monkeypatch.setattr(images.Image, "open", no_decoding)
    _, problems = check(coop_root / "cooperatives", base=coop_root)
    assert len(problems) == 1, problems
    problem = problems[0]
    assert problem.severity == "error" and problem.path.endswith("hinh_anh[0].tep") and problem.line == text.splitlines().index("      - tep: images/bom.webp") + 1
    assert f"7070×7070 điểm ảnh (50,0 triệu) mà tệp chỉ nặng {len(data)} byte" in problem.message
    assert "images/bom.webp" in problem.message and "JPEG" in problem.hint


@pytest.mark.parametrize("name,make", [
    ("bom.png", lambda: png_bytes(7070, 7070, 0, 1)),   # 1-bit grey zeros: 6 KB
    ("bom.jpg", lambda: _flat_grey_jpeg(7070)),          # 195 KB
    ("bom.webp", lambda: tiny_lossless_webp(4000, 3000)),
])
def test_png_jpeg_and_webp_cost_bombs_refused_from_the_header(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name, make) -> None:
    path = tmp_path / name
    path.write_bytes(make())
    width, height = images.header_size(images._sniff(path.read_bytes()[:1024]), path.read_bytes())
    assert width * height <= images.MAX_PIXELS   # under the old limit: only the density refuses it

    def no_decoding(*args, **kwargs):
        raise AssertionError("the decoder was reached")

    monkeypatch.setattr(images.Image, "open", no_decoding)
    info, error = images.inspect_image(path)
    assert info is None and error is not None and error[0] == "photo_too_dense", error
    assert (error[1]["width"], error[1]["height"]) == (width, height)


@pytest.mark.slow
def test_png_and_webp_above_16_megapixels_refused_jpeg_up_to_50_accepted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # PNG and WebP are decoded whole: 16 Mpx costs a worker about 300 MB, 50 Mpx up to 950 MB.
    from htx.data import messages

    data = png_bytes(4100, 4000, 6, 8)   # 64 KB of zeros: padded with a private chunk, so not refused as too dense
    padding = bytes(200_000)
    (tmp_path / "lon.png").write_bytes(data[:-12] + struct.pack(">I", len(padding)) + b"prVt" + padding
                                       + struct.pack(">I", zlib.crc32(b"prVt" + padding)) + data[-12:])
    jpeg = save(tmp_path / "dien-thoai.jpg", Image.new("RGB", (8160, 6120), (200, 200, 190)), "JPEG", quality=90)
    real_open = Image.open
    monkeypatch.setattr(images.Image, "open", lambda *a, **k: pytest.fail("the decoder was reached"))
    info, error = images.inspect_image(tmp_path / "lon.png")
    assert info is None and error == ("photo_too_many_pixels_unscaled", {"width": 4100, "height": 4000, "format": "PNG",
                                                                         "limit": 16, "jpeg_limit": 50})
    text = messages.text(error[0], got="images/lon.png", **error[1]) + messages.text(error[0] + "_hint", **error[1])
    assert "Ảnh PNG `images/lon.png` quá lớn (4100×4000 điểm ảnh, tối đa 16 triệu" in text and "JPEG" in text
    assert images.too_big_unscaled("WEBP", 4000, 4001)[0] == "photo_too_many_pixels_unscaled"
    assert images.too_big_unscaled("WEBP", 4000, 4000) is None and images.too_big_unscaled("JPEG", 8160, 6120) is None
    monkeypatch.setattr(images.Image, "open", real_open)
    info, error = images.inspect_image(jpeg)   # a 50 Mpx phone photo, as flat as a JPEG gets
    assert error is None and info is not None and (info.width, info.height) == (8160, 6120)


def test_density_checked_on_the_decoder_size_and_on_recalled_photos(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "bom.webp"
    path.write_bytes(tiny_lossless_webp(3000, 3000))
    monkeypatch.setattr(images, "header_size", lambda kind, data: None)   # a header this reader can't parse
    info, error = images.inspect_image(path)
    assert info is None and error is not None and error[0] == "photo_too_dense"
    # A photo checked and recorded when the limit was higher is refused too, without being read again.
    monkeypatch.setattr(images, "FREE_PIXELS", 10_000_000)
    monkeypatch.setattr(images, "RACY_NS", -10**12)
    info, error = images.inspect_image(path)
    assert info is not None and error is None
    monkeypatch.undo()
    monkeypatch.setenv("HTX_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(images.Path, "read_bytes", lambda self: pytest.fail("read again"))
    info, error = images.inspect_image(path)
    assert info is None and error is not None and error[0] == "photo_too_dense"


def _logo(size: int) -> Image.Image:
    logo = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(logo)
    draw.ellipse((size // 20, size // 20, size - size // 20, size - size // 20), fill=(46, 125, 50, 255),
                 outline=(255, 213, 79, 255), width=size // 40)
    draw.text((size // 3, size // 2), "HTX", fill=(255, 255, 255, 255), font_size=size // 6)
    return logo


@pytest.mark.parametrize("name,make", [
    ("phone.jpg", lambda: __import__("htx.bench.synthetic").bench.synthetic.make_photo(7, (2400, 1800), 85)),
    ("mot-mau.jpg", lambda: _encoded(Image.new("RGB", (4000, 3000), (255, 255, 255)), "JPEG", quality=90)),
    pytest.param("logo.png", lambda: _encoded(_logo(4000), "PNG", optimize=True), marks=pytest.mark.slow),
    ("logo-nho.webp", lambda: _encoded(_logo(1500), "WEBP", lossless=True)),
    ("logo-bang-mau.png", lambda: _encoded(_logo(2000).convert("RGB").quantize(8), "PNG", optimize=True)),
])
def test_photos_and_flat_logos_accepted(tmp_path: Path, name: str, make) -> None:
    path = tmp_path / name
    path.write_bytes(make())
    info, error = images.inspect_image(path)
    assert error is None and info is not None, error


def _encoded(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


@pytest.mark.slow
def test_photo_shared_by_16_products_decoded_once_for_all_their_cards(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from htx.publish import share

    path = save(tmp_path / "chung.png", Image.effect_noise((3000, 2000), 60).convert("RGB"), "PNG")
    info, error = images.inspect_image(path)
    assert info is not None, error
    plans = [share.plan_share(title=f"Sản phẩm {k}", photo=info) for k in range(16)]
    plans.append(share.plan_share(title="Hợp tác xã", logo=info))   # the same picture as a logo, too
    real_open, decoded = Image.open, []

    def counting_open(fp, *args, **kwargs):
        if isinstance(fp, io.BytesIO):
            decoded.append(hashlib.sha256(fp.getvalue()).hexdigest())
        return real_open(fp, *args, **kwargs)

    monkeypatch.setattr(Image, "open", counting_open)
    counts = share.write_share_images(plans, tmp_path / "site", workers=1)
    assert counts == {"drawn": 17, "published": 17, "cards": 17}
    assert decoded == [info.sha]
    monkeypatch.setattr(Image, "open", real_open)
    cards = {(tmp_path / "site" / plan.url).read_bytes() for plan in plans}
    assert len(cards) == 17
    assert (tmp_path / "site" / plans[3].url).read_bytes() == share.render_card(plans[3])   # as drawn alone


@pytest.mark.slow
def test_hostile_bench_corpus_refused_and_its_largest_accepted_form_valid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # htx.bench.hostile measures builds (never in tests); here only that its corpora are what it says.
    from htx.bench import hostile as bench

    share = bench.largest_accepted_share(8, steps=8)
    assert 0 < share < 1
    side = 2500
    corpora = {
        "b": bench.Corpus(bench.link_bomb(bench.STORY_CHARS), bench.link_bomb(bench.DESCRIPTION_CHARS),
                          [bench.tiny_lossless_webp(side, side, (k, 0, 0, 255)) for k in range(bench.BOMBS)], "webp", False),
        "c": bench.Corpus(bench.mixed_text(bench.STORY_CHARS, share), bench.mixed_text(bench.DESCRIPTION_CHARS, share),
                          [bench.at_the_limit(side, k) for k in range(bench.BOMBS)], "webp", False),
    }
    found = {}
    for name, corpus in corpora.items():
        bench.write_project(tmp_path / name, corpus, profiles=1, products=8, pool=[])
        _, problems = check(tmp_path / name / "cooperatives", base=tmp_path / name)
        found[name] = problems
    refused = [p.message for p in found["b"] if p.file.startswith("cooperatives/htx-thu-suc-1/")]
    assert sum("quá ít dữ liệu" in m for m in refused) == 8 + bench.BOMBS - 1   # each use of a bomb
    assert any("dấu `[`" in m for m in refused)
    assert [p for p in found["c"] if p.severity == "error"] == []   # samples may warn (personal data held back)
    assert len(corpora["c"].first[0]) - images.PIXELS_PER_BYTE < (side * side - images.FREE_PIXELS) / images.PIXELS_PER_BYTE <= len(corpora["c"].first[0])
