"""A synthetic province: deterministic, valid cooperative profiles (and optional photos) for benchmarks.

    from htx.bench.synthetic import make_catalog
    make_catalog(Path("/tmp/bench"), coops=1000, products=5000, photos=10000, seed=0)

writes /tmp/bench/cooperatives/<slug>/profile.yml (and <slug>/images/*.jpg when photos > 0). The same
arguments always give the same bytes. Text is Vietnamese with diacritics, drawn from word lists of An
Giang products (rice, fish sauce, dried fish, palm sugar, Tân Châu silk, Châu Phong brocade…) and the 102
commune-level units of scripts/htx/data/units/communes.tsv; the field mix follows real profiles: about one
product in five has an OCOP rating (some expired), some have certifications, seasons, descriptions,
photos; cooperatives have contacts, sales channels, new-model practices.

Photos are 1600×1200 JPEGs built from gradients, shapes and noise so that they compress like phone
photos (about 250–450 KB each), every one different (the image cache is keyed by content).

Command line: `python -m htx.bench.synthetic ROOT --coops 1000 --products 5000 [--photos N] [--seed S]`.
"""
from __future__ import annotations

import argparse
import io
import math
import os
import random
import shutil
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any, Iterator

import yaml

from ..data.communes import load_communes
from ..data.text import slugify
from ..data.validate import MAX_PHOTOS

try:  # the C emitter is ~10× faster; both give the same text
    from yaml import CSafeDumper as _BaseDumper
except ImportError:  # pragma: no cover
    from yaml import SafeDumper as _BaseDumper  # type: ignore[assignment]


class _Dumper(_BaseDumper):  # type: ignore[misc,valid-type]
    """Writes multi-line text as `|` blocks, the way a person writes a profile."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _str)

PHOTO_SIZE = (1600, 1200)
PHOTO_QUALITY = 88
MAX_PRODUCTS_PER_COOP = 200   # the model's limit
MAX_PHOTOS_PER_PRODUCT = 8
MAX_PHOTOS_PER_COOP = 12
MAX_PHOTOS_PER_PROFILE = MAX_PHOTOS   # distinct files in one profile (htx.data.validate)

# ---- word lists --------------------------------------------------------------------------------
# (category, product base names, units with a typical price range in VND, season months or None)

PRODUCTS: dict[str, dict[str, Any]] = {
    "gao-nong-san": {
        "names": ["Gạo ST25", "Gạo ST24", "Gạo thơm Jasmine", "Gạo Đài Thơm 8", "Gạo nàng Nhen", "Gạo huyết rồng",
                  "Nếp cái hoa vàng", "Nếp than", "Gạo lứt đỏ", "Gạo tấm thơm", "Bột gạo", "Nếp Phú Tân",
                  "Đậu phộng rang", "Mè đen", "Khoai lang tím", "Nấm rơm", "Đậu xanh cà", "Bắp nếp"],
        "units": [("túi 1 kg", 25_000, 60_000), ("túi 5 kg", 110_000, 250_000), ("bao 10 kg", 200_000, 420_000)],
        "season": None,
    },
    "trai-cay": {
        "names": ["Xoài cát Hòa Lộc", "Xoài keo", "Khóm Tắc Cậu", "Sầu riêng Ri6", "Bưởi da xanh", "Chuối xiêm",
                  "Trái thốt nốt", "Măng cụt", "Sim rừng", "Mãng cầu ta", "Dưa hấu", "Chanh không hạt", "Nhãn xuồng"],
        "units": [("kg", 15_000, 90_000), ("thùng 10 kg", 180_000, 700_000)],
        "season": "fruit",
    },
    "mam-nuoc-mam": {
        "names": ["Mắm cá linh", "Mắm cá sặc", "Mắm cá lóc", "Mắm thái", "Nước mắm cá cơm", "Nước mắm nhĩ",
                  "Mắm ruốc", "Muối ớt xanh", "Tiêu đen", "Tương ớt", "Mắm cá chốt", "Muối tôm"],
        "units": [("hũ 500 g", 60_000, 150_000), ("chai 500 ml", 45_000, 180_000), ("hũ 1 kg", 110_000, 260_000)],
        "season": None,
    },
    "kho-thuy-san": {
        "names": ["Khô cá lóc", "Khô cá sặc", "Khô cá tra phồng", "Khô cá dứa", "Khô mực", "Tôm khô",
                  "Chả cá thác lác", "Ba khía muối", "Khô cá đuối", "Cá cơm sấy", "Khô cá bống"],
        "units": [("túi 500 g", 90_000, 260_000), ("kg", 160_000, 650_000)],
        "season": None,
    },
    "thit-che-bien": {
        "names": ["Lạp xưởng tươi", "Lạp xưởng tôm", "Khô bò", "Chà bông cá lóc", "Nem chua", "Xúc xích heo",
                  "Lạp xưởng mai quế lộ", "Thịt heo sấy", "Chà bông heo"],
        "units": [("túi 500 g", 80_000, 220_000), ("kg", 150_000, 420_000)],
        "season": None,
    },
    "banh-keo-duong": {
        "names": ["Đường thốt nốt", "Bánh bò thốt nốt", "Kẹo thốt nốt", "Bánh phồng nếp", "Bánh tráng phơi sương",
                  "Bánh pía", "Mật ong rừng tràm", "Kẹo dừa", "Bánh đậu xanh", "Bánh tét lá cẩm", "Mứt khóm"],
        "units": [("túi 500 g", 35_000, 120_000), ("hộp 400 g", 45_000, 140_000), ("chai 500 ml", 120_000, 350_000)],
        "season": None,
    },
    "do-uong": {
        "names": ["Rượu nếp", "Trà khổ qua", "Nước thốt nốt", "Cà phê rang xay", "Trà sen", "Rượu sim",
                  "Nước ép khóm", "Trà mãng cầu", "Sữa bắp"],
        "units": [("chai 500 ml", 40_000, 220_000), ("hộp 250 g", 60_000, 180_000)],
        "season": None,
    },
    "duoc-lieu": {
        "names": ["Tinh bột nghệ", "Tinh dầu tràm", "Nấm linh chi", "Trà thảo mộc", "Tinh dầu sả", "Cao atisô",
                  "Trà lá sen", "Gừng sấy dẻo", "Trà rau má"],
        "units": [("hộp 100 g", 80_000, 320_000), ("chai 100 ml", 60_000, 250_000)],
        "season": None,
    },
    "thu-cong-my-nghe": {
        "names": ["Lụa Tân Châu", "Khăn choàng thổ cẩm", "Khăn rằn", "Giỏ lục bình", "Túi xách bàng", "Chiếu cói",
                  "Nón lá", "Thảm lục bình", "Hộp đựng bằng tre", "Xà rông thổ cẩm"],
        "units": [("chiếc", 50_000, 600_000), ("bộ", 150_000, 1_500_000), ("mét", 120_000, 450_000)],
        "season": None,
    },
    "sinh-vat-canh": {
        "names": ["Mai vàng", "Bonsai sộp", "Lan rừng", "Cây kiểng lá", "Cá cảnh", "Tắc kiểng", "Mai chiếu thủy"],
        "units": [("chậu", 120_000, 2_500_000), ("cây", 80_000, 900_000)],
        "season": "tet",
    },
    "du-lich": {
        "names": ["Tour rừng tràm", "Homestay nhà sàn", "Tour làng nghề", "Du lịch miệt vườn", "Tour đồng lúa",
                  "Trải nghiệm làm đường thốt nốt", "Tour ghe chợ nổi"],
        "units": [("người", 150_000, 900_000), ("đêm", 250_000, 1_200_000)],
        "season": None,
    },
}

# A cooperative's line of work: its name stem, sectors and the categories its products mostly fall in.
THEMES: list[tuple[str, list[str], list[str]]] = [
    ("Nông nghiệp", ["trong-trot", "dich-vu"], ["gao-nong-san", "gao-nong-san", "trai-cay"]),
    ("Dịch vụ nông nghiệp", ["trong-trot", "dich-vu", "thuong-mai"], ["gao-nong-san"]),
    ("Cây ăn trái", ["trong-trot"], ["trai-cay", "trai-cay", "do-uong"]),
    ("Thủy sản", ["thuy-san", "che-bien"], ["kho-thuy-san", "mam-nuoc-mam"]),
    ("Chế biến thực phẩm", ["che-bien", "thuong-mai"], ["mam-nuoc-mam", "kho-thuy-san", "thit-che-bien", "banh-keo-duong"]),
    ("Thốt nốt", ["trong-trot", "che-bien"], ["banh-keo-duong", "do-uong"]),
    ("Chăn nuôi", ["chan-nuoi", "che-bien"], ["thit-che-bien"]),
    ("Dược liệu", ["trong-trot", "che-bien"], ["duoc-lieu"]),
    ("Thủ công mỹ nghệ", ["thu-cong"], ["thu-cong-my-nghe"]),
    ("Dệt thổ cẩm", ["thu-cong", "du-lich"], ["thu-cong-my-nghe", "du-lich"]),
    ("Hoa kiểng", ["trong-trot", "thuong-mai"], ["sinh-vat-canh"]),
    ("Du lịch cộng đồng", ["du-lich", "dich-vu"], ["du-lich", "trai-cay"]),
    ("Nước mắm", ["che-bien", "thuy-san"], ["mam-nuoc-mam"]),
]

NAME_WORDS = ["Phước Thạnh", "Tân Tiến", "Thành Công", "Đồng Tâm", "Hòa Bình", "Thắng Lợi", "Phú Lộc", "Bình An",
              "Hưng Thịnh", "Mỹ Lợi", "Thạnh Phú", "Đoàn Kết", "Tiến Đạt", "An Lạc", "Phát Tài", "Kim Long",
              "Sông Hậu", "Bảy Núi", "Mùa Vàng", "Xanh Sạch", "Hồng Phát", "Đại Thành", "Vàm Nao", "Cửu Long"]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Đặng", "Bùi", "Đỗ", "Dương", "Lâm",
            "Chau", "Néang", "Mai", "Hồ", "Đinh"]
MIDDLE = ["Văn", "Thị", "Hoàng", "Minh", "Thanh", "Ngọc", "Kim", "Hữu", "Thị Kim", "Quốc"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Đức", "Hạnh", "Hoa", "Hùng", "Lan", "Lộc", "Mai", "Nam", "Phúc", "Quý",
         "Sơn", "Tâm", "Thảo", "Trí", "Tú", "Vân", "Xuân", "Yến", "Sóc Kha", "Sa Rây"]
TITLES = ["Giám đốc", "Chủ tịch Hội đồng quản trị", "Giám đốc kiêm Chủ tịch Hội đồng quản trị", "Tổ trưởng"]
HAMLETS = ["Ấp Tây Bình", "Ấp Đông Thạnh", "Ấp Hòa Long", "Khóm Châu Long", "Ấp Phú Hiệp", "Ấp Vĩnh Thuận",
           "Ấp Tà Lọt", "Ấp Kinh Đào", "Khóm 3", "Ấp Mỹ Phú", "Ấp Bình Thành", "Ấp An Lợi"]
QUALITIES = ["thơm dẻo", "đậm đà", "tự nhiên, không chất bảo quản", "làm thủ công theo cách truyền thống",
             "đạt chuẩn an toàn thực phẩm", "đóng gói hút chân không", "vị ngọt thanh", "màu đẹp, giữ được lâu",
             "từ vùng nguyên liệu của thành viên", "được khách miền Tây ưa chuộng"]
SERVICES = ["Cung ứng giống, phân bón, vật tư cho thành viên với giá gốc", "Bao tiêu sản phẩm theo hợp đồng",
            "Tập huấn kỹ thuật canh tác theo VietGAP", "Cho vay vốn sản xuất lãi suất thấp",
            "Sấy, xay xát, đóng gói sản phẩm cho thành viên", "Bơm tưới và làm đất bằng máy",
            "Đưa sản phẩm lên sàn thương mại điện tử", "Kho lạnh dùng chung", "Thu mua nguyên liệu tận nơi"]
PARTNERS = ["Công ty Cổ phần Ví Dụ", "Siêu thị Ví Dụ Mart", "Công ty TNHH Xuất khẩu Ví Dụ", "Ngân hàng Ví Dụ",
            "Trường Đại học Ví Dụ"]
CHANNEL_KINDS = ["shopee", "tiktok-shop", "lazada", "postmart", "voso", "website"]
CERT_KINDS = ["vietgap", "vietgap", "vietgap", "huu-co", "globalgap", "haccp", "iso-22000", "chi-dan-dia-ly"]
SEASONS = {"fruit": [[4, 5, 6, 7], [5, 6, 7, 8], [6, 7, 8], [11, 12, 1, 2], [3, 4, 5], [8, 9, 10, 11]],
           "tet": [[11, 12, 1], [12, 1, 2]]}


# ---- profiles ----------------------------------------------------------------------------------

def make_catalog(root: Path, coops: int, products: int, photos: int = 0, seed: int = 0, *,
                 sample: bool = True, workers: int | None = None) -> None:
    """Write `coops` cooperative profiles holding `products` products (and `photos` JPEGs) under root/cooperatives.

    Deterministic: the same arguments give the same files. An existing root/cooperatives is replaced.
    `sample` marks the profiles as fictitious (`ho_so_mau: có`). Photos are encoded by `workers`
    processes (default: every CPU). Raises ValueError when the numbers cannot fit the model's limits.
    """
    if coops < 1 or products < 0 or photos < 0:
        raise ValueError("coops ≥ 1, products ≥ 0, photos ≥ 0")
    if products > coops * MAX_PRODUCTS_PER_COOP:
        raise ValueError(f"at most {MAX_PRODUCTS_PER_COOP} products per cooperative")
    if photos > products * MAX_PHOTOS_PER_PRODUCT + coops * MAX_PHOTOS_PER_COOP:
        raise ValueError("too many photos for the products and cooperatives")
    out = Path(root) / "cooperatives"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    rng = random.Random(seed)
    counts = _split(rng, products, coops)
    product_photos, coop_photos = _photo_plan(photos, counts)
    jobs: list[tuple[str, int]] = []   # (path, photo number)
    next_product = 0
    photo_number = 0
    proposed: list[str] = []   # products whose profile proposes them for the home page (noi_bat)
    for index in range(coops):
        data, folder, context = _cooperative(rng, index, sample)
        items = []
        for _ in range(counts[index]):
            items.append(_product(rng, context, next_product, product_photos[next_product]))
            next_product += 1
        if items:
            data["san_pham"] = items
        proposed += [f"{data['ma']}/{item['ma']}" for item in items if item.get("noi_bat")]
        if coop_photos[index]:
            data["hinh_anh"] = [{"tep": f"images/hoat-dong-{k + 1}.jpg", "mo_ta": f"Hoạt động của {data['ten']}, ảnh {k + 1}"}
                                for k in range(coop_photos[index])]
        target = out / folder
        target.mkdir()
        for item in items:
            for photo in item.get("hinh_anh", []):
                jobs.append((str(target / photo["tep"]), photo_number))
                photo_number += 1
        for photo in data.get("hinh_anh", []):
            jobs.append((str(target / photo["tep"]), photo_number))
            photo_number += 1
        text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)
        (target / "profile.yml").write_text("# yaml-language-server: $schema=../profile.schema.json\n" + text,
                                            encoding="utf-8")
    # Staff feature the first eight proposals, as the editors of a real site would choose some.
    (out / "noi-bat.yml").write_text(yaml.dump({"noi_bat": proposed[:8]}, allow_unicode=True, sort_keys=False),
                                     encoding="utf-8")
    if jobs:
        write_photos(jobs, seed=seed, workers=workers)


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """Return how many products each cooperative has: skewed (a few large, many small, some none)."""
    weights = [0.0 if rng.random() < 0.08 else rng.paretovariate(1.6) for _ in range(parts)]
    if not any(weights):
        weights[0] = 1.0
    scale = total / sum(weights)
    counts = [min(MAX_PRODUCTS_PER_COOP, int(w * scale)) for w in weights]
    order = sorted(range(parts), key=lambda i: -weights[i])
    i = 0
    while sum(counts) < total:          # hand out the remainder, largest weights first, within the cap
        j = order[i % parts]
        if counts[j] < MAX_PRODUCTS_PER_COOP and (weights[j] > 0 or i >= parts):
            counts[j] += 1
        i += 1
    return counts


def _photo_plan(photos: int, counts: list[int]) -> tuple[list[int], list[int]]:
    """Return photos per product and per cooperative: products first (round robin), then cooperatives; no
    profile gets more than MAX_PHOTOS_PER_PROFILE distinct files (validation refuses more)."""
    products = sum(counts)
    per_product = [0] * products
    per_coop = [0] * len(counts)
    owner = [c for c, n in enumerate(counts) for _ in range(n)]
    total = [0] * len(counts)
    left = photos
    placed = True
    while left and placed:
        placed = False
        for i in range(products):
            if left and per_product[i] < MAX_PHOTOS_PER_PRODUCT and total[owner[i]] < MAX_PHOTOS_PER_PROFILE:
                per_product[i] += 1
                total[owner[i]] += 1
                left -= 1
                placed = True
    placed = True
    while left and placed:
        placed = False
        for i in range(len(counts)):
            if left and per_coop[i] < MAX_PHOTOS_PER_COOP and total[i] < MAX_PHOTOS_PER_PROFILE:
                per_coop[i] += 1
                total[i] += 1
                left -= 1
                placed = True
    if left:
        raise ValueError("too many photos for the products and cooperatives")
    return per_product, per_coop


def _person(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _mobile(rng: random.Random) -> str:
    digits = f"09{rng.randrange(10_000_000, 99_999_999)}"
    return f"{digits[:4]} {digits[4:7]} {digits[7:]}"


def _date(rng: random.Random, first: int, last: int) -> tuple[str, int, int, int]:
    year, month, day = rng.randint(first, last), rng.randint(1, 12), rng.randint(1, 28)
    return f"{day:02d}/{month:02d}/{year}", day, month, year


def _verified(index: int) -> str:
    """Return a last-confirmed day spread over 30 months before November 2026 (fresh, stale and expired profiles).

    From the index, not the random stream, so the rest of a seed's province stays as it was.
    """
    day = date(2026, 11, 1).toordinal() - (index * 97) % 900
    return date.fromordinal(day).strftime("%d/%m/%Y")


def _certification(rng: random.Random) -> dict[str, Any]:
    kind = rng.choice(CERT_KINDS)
    issued, day, month, year = _date(rng, 2020, 2025)
    cert: dict[str, Any] = {"loai": kind, "so": f"{kind.upper()[:3]}-{rng.randrange(100, 9999)}/{year}",
                            "noi_cap": "Tổ chức chứng nhận Ví Dụ", "ngay_cap": issued}
    if kind != "chi-dan-dia-ly":
        cert["het_han"] = f"{day:02d}/{month:02d}/{year + 3}"
    return cert


def _cooperative(rng: random.Random, index: int, sample: bool) -> tuple[dict[str, Any], str, dict[str, Any]]:
    """Return a cooperative's profile (without products), its folder name, and what its products draw on."""
    communes = load_communes().units
    commune = communes[rng.randrange(len(communes))]
    stem, sectors, categories = THEMES[rng.randrange(len(THEMES))]
    kind = "to-hop-tac" if rng.random() < 0.07 else ("lien-hiep-hop-tac-xa" if rng.random() < 0.02 else "hop-tac-xa")
    word = rng.choice(NAME_WORDS)
    prefix = {"hop-tac-xa": "Hợp tác xã", "to-hop-tac": "Tổ hợp tác", "lien-hiep-hop-tac-xa": "Liên hiệp hợp tác xã"}[kind]
    name = f"{prefix} {stem} {word} {commune.short_name}"
    slug = f"{slugify(f'htx {stem} {word}')[:40]}-{index + 1}"
    members = max(7, int(rng.lognormvariate(3.3, 0.8)))
    phone = _mobile(rng)
    founded = _date(rng, 1997, 2024)[0]
    verified = _verified(index)
    data: dict[str, Any] = {
        "ma": slug,
        "ho_so_mau": "có" if sample else "không",
        "ten": name,
        "ten_viet_tat": f"{ {'hop-tac-xa': 'HTX', 'to-hop-tac': 'THT', 'lien-hiep-hop-tac-xa': 'LH HTX'}[kind]} {word}",
        "loai_hinh": kind,
        "linh_vuc": list(sectors),
        "ngay_thanh_lap": founded,
        "so_dang_ky": f"16{rng.randrange(10_000_000, 99_999_999)}",
        "so_thanh_vien": members,
        "xac_nhan_ngay": verified,
        "nguoi_dai_dien": {"ho_ten": _person(rng), "chuc_vu": rng.choice(TITLES)},
        "dia_chi": {"chi_tiet": rng.choice(HAMLETS), "xa_phuong": commune.name},
        "lien_he": {"dien_thoai": [phone] + ([_mobile(rng)] if rng.random() < 0.3 else [])},
        "gioi_thieu": (f"{prefix} của {members} thành viên ở {commune.name}, chuyên {stem.lower()}. "
                       f"Hợp tác xã {rng.choice(SERVICES).lower()} và giúp thành viên bán sản phẩm ổn định."),
    }
    if not index % 5:  # one in five has no recorded consent: its name is not written (the draw keeps the stream)
        del data["nguoi_dai_dien"]["ho_ten"]
    else:
        data["dong_y_cong_khai"] = {"nguoi_dong_y": data["nguoi_dai_dien"]["ho_ten"],
                                    "vai_tro": f"{data['nguoi_dai_dien']['chuc_vu']}, người đại diện theo pháp luật",
                                    "ngay": max(verified, founded, key=lambda d: d.split("/")[::-1])}
    if rng.random() < 0.4:
        data["dia_chi"]["toa_do"] = {"vi_do": round(rng.uniform(9.5, 10.9), 4), "kinh_do": round(rng.uniform(104.5, 105.5), 4)}
    if rng.random() < 0.7:
        data["lien_he"]["zalo"] = phone
    if rng.random() < 0.3:
        data["lien_he"]["email"] = f"{slug}@example.com"
    if rng.random() < 0.2:
        data["lien_he"]["website"] = f"https://example.com/{slug}"
    if rng.random() < 0.35:
        data["lien_he"]["facebook"] = f"https://example.com/facebook/{slug}"
    if rng.random() < 0.5:
        kinds = rng.sample(CHANNEL_KINDS, rng.randint(1, 3))
        data["kenh_ban_hang"] = [{"loai": k, "lien_ket": f"https://example.com/{k}/{slug}"} for k in kinds]
        if rng.random() < 0.4:
            data["kenh_ban_hang"].append({"loai": "cua-hang", "ghi_chu": f"Cửa hàng tại trụ sở, {data['dia_chi']['chi_tiet']}"})
    if rng.random() < 0.3:
        data["cau_chuyen"] = (f"{name} ra đời từ một tổ hợp tác của bà con trong ấp.\n\n"
                              f"- Năm đầu: {max(7, members // 3)} thành viên.\n- Nay: {members} thành viên.\n")
    if rng.random() < 0.6:
        practice: dict[str, Any] = {"dich_vu_thanh_vien": rng.sample(SERVICES, rng.randint(2, 4))}
        if rng.random() < 0.5:
            practice["lien_ket"] = [{"doi_tac": rng.choice(PARTNERS), "noi_dung": "Bao tiêu sản phẩm theo giá sàn thỏa thuận trước vụ"}]
        if "trong-trot" in sectors:
            practice["dien_tich_ha"] = round(rng.uniform(5, 800), 1)
        practice["loi_ich_thanh_vien"] = "Thành viên mua vật tư rẻ hơn, bán sản phẩm ổn định hơn và được chia lãi theo mức sử dụng dịch vụ."
        data["kieu_moi"] = practice
    if rng.random() < 0.2:
        data["chung_nhan"] = [_certification(rng)]
    context = {"name": name, "word": word, "place": commune.short_name, "categories": categories}
    return data, slug, context


def _product(rng: random.Random, coop: dict[str, Any], number: int, photos: int) -> dict[str, Any]:
    """Return product number `number` (its id is unique across the catalog) of the cooperative `coop`."""
    category = rng.choice(coop["categories"]) if rng.random() < 0.85 else rng.choice(list(PRODUCTS))
    spec = PRODUCTS[category]
    base = rng.choice(spec["names"])
    unit, low, high = rng.choice(spec["units"])
    name = f"{base} {coop['place'] if rng.random() < 0.5 else coop['word']}"
    if unit not in ("kg", "người", "đêm", "chiếc", "chậu", "cây", "mét"):
        name = f"{name} {unit}"
    item: dict[str, Any] = {
        "ma": f"{slugify(base)[:36]}-{number + 1}",
        "ten": name[:120],
        "danh_muc": category,
        "gioi_thieu": f"{base} {rng.choice(QUALITIES)}, {rng.choice(QUALITIES)}. Sản phẩm của {coop['name']}."[:300],
    }
    if rng.random() < 0.5:
        item["mo_ta"] = (f"{base} được làm từ nguyên liệu của thành viên hợp tác xã.\n\n"
                         f"- {rng.choice(QUALITIES).capitalize()}\n- {rng.choice(QUALITIES).capitalize()}\n")
    if rng.random() < 0.85:
        price = rng.randrange(low, high) // 1000 * 1000
        item["gia"] = f"{price:,}".replace(",", ".") if rng.random() < 0.5 else price
        item["don_vi"] = unit
    else:
        item["gia"] = "liên hệ"
    if rng.random() < 0.2:
        stars = rng.choices([3, 4, 5], weights=[60, 35, 5])[0]
        issued, _, _, year = _date(rng, 2020, 2025)
        item["ocop"] = {"sao": stars, "nam": year, "so_quyet_dinh": f"{rng.randrange(100, 3000)}/QĐ-UBND", "ngay_cong_nhan": issued}
    if rng.random() < 0.12:
        item["chung_nhan"] = [_certification(rng)]
    season = spec["season"]
    if season and rng.random() < 0.8:
        item["mua_vu"] = list(rng.choice(SEASONS[season]))
    if rng.random() < 0.5:
        item["quy_cach"] = f"{unit.capitalize()}, đóng thùng carton"
    if rng.random() < 0.4:
        item["han_su_dung"] = rng.choice(["6 tháng", "12 tháng", "18 tháng", "24 tháng"])
    if photos:
        item["hinh_anh"] = [{"tep": f"images/{item['ma']}-{k + 1}.jpg", "mo_ta": f"{base}, ảnh {k + 1}"} for k in range(photos)]
    if rng.random() < 0.02:
        item["noi_bat"] = "có"
    if number % 97 == 0:   # a few products made in another commune than the head office
        item["noi_san_xuat"] = load_communes().units[number % 102].name
    return item


# ---- photos ------------------------------------------------------------------------------------

def make_photo(seed: int, size: tuple[int, int] = PHOTO_SIZE, quality: int = PHOTO_QUALITY) -> bytes:
    """Return a JPEG that compresses like a photo: a soft gradient, blurred shapes, fine grain. Deterministic."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(seed)
    width, height = size
    small = (width // 8, height // 8)
    # Gradient between two colours at a random angle, drawn small and scaled up (smooth, fast).
    c1 = tuple(rng.randrange(30, 226) for _ in range(3))
    c2 = tuple(rng.randrange(30, 226) for _ in range(3))
    mask = Image.linear_gradient("L").rotate(rng.uniform(0, 360), resample=Image.Resampling.BILINEAR, expand=False)
    base = Image.composite(Image.new("RGB", small, c1), Image.new("RGB", small, c2), mask.resize(small))
    draw = ImageDraw.Draw(base)
    for _ in range(rng.randint(12, 30)):
        x, y = rng.randrange(small[0]), rng.randrange(small[1])
        r = rng.randrange(4, small[0] // 4)
        colour = tuple(rng.randrange(256) for _ in range(3))
        if rng.random() < 0.6:
            draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
        else:
            draw.polygon([(x + r * math.cos(a), y + r * math.sin(a)) for a in (rng.uniform(0, 6.3) for _ in range(5))], fill=colour)
    picture = base.filter(ImageFilter.GaussianBlur(1.2)).resize(size, Image.Resampling.BICUBIC)
    # Grain: random bytes (seeded) at a quarter of the pixels, scaled up, blended in: texture like foliage or fabric.
    grain_size = (width // 2, height // 2)
    grain = Image.frombytes("RGB", grain_size, rng.randbytes(grain_size[0] * grain_size[1] * 3)).resize(size, Image.Resampling.BILINEAR)
    picture = Image.blend(picture, grain, rng.uniform(0.12, 0.2))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=quality, optimize=False)
    return buffer.getvalue()


def _write_photo(job: tuple[str, int, int]) -> None:
    path, number, seed = job
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_bytes(make_photo(seed * 1_000_003 + number))


def write_photos(jobs: list[tuple[str, int]], *, seed: int = 0, workers: int | None = None) -> None:
    """Write each (path, number) photo; number and seed decide its content. Runs in parallel processes."""
    tasks = [(path, number, seed) for path, number in jobs]
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(tasks) < 8:
        for task in tasks:
            _write_photo(task)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for _ in pool.map(_write_photo, tasks, chunksize=16):
            pass


def iter_profiles(root: Path) -> Iterator[Path]:
    """Yield the profile files make_catalog wrote under root, in folder order."""
    yield from sorted((Path(root) / "cooperatives").glob("*/profile.yml"))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m htx.bench.synthetic", description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path, help="project folder; cooperatives/ is (re)written inside it")
    parser.add_argument("--coops", type=int, default=1000)
    parser.add_argument("--products", type=int, default=5000)
    parser.add_argument("--photos", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    make_catalog(args.root, args.coops, args.products, args.photos, args.seed)


if __name__ == "__main__":
    main()
