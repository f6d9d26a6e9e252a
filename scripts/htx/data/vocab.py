"""Controlled vocabularies of a profile: each key is what a profile writes, each label what the site shows."""
from __future__ import annotations

from dataclasses import dataclass

# The six product groups of QĐ 148/QĐ-TTg (24/02/2023), which An Giang reports OCOP products by.
OCOP_GROUPS: dict[str, str] = {
    "thuc-pham": "Thực phẩm",
    "do-uong": "Đồ uống",
    "duoc-lieu": "Dược liệu và sản phẩm từ dược liệu",
    "thu-cong-my-nghe": "Hàng thủ công mỹ nghệ",
    "sinh-vat-canh": "Sinh vật cảnh",
    "du-lich": "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch",
}


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    ocop_group: str
    icon: str  # file name of the illustration in overrides/assets/htx/categories/


CATEGORIES: dict[str, Category] = {c.key: c for c in [
    Category("gao-nong-san", "Gạo và nông sản", "thuc-pham", "gao"),
    Category("trai-cay", "Trái cây", "thuc-pham", "trai-cay"),
    Category("mam-nuoc-mam", "Mắm, nước mắm và gia vị", "thuc-pham", "mam"),
    Category("kho-thuy-san", "Khô và thủy sản chế biến", "thuc-pham", "kho"),
    Category("thit-che-bien", "Lạp xưởng và thịt chế biến", "thuc-pham", "thit"),
    Category("banh-keo-duong", "Bánh kẹo, đường và mật", "thuc-pham", "banh"),
    Category("do-uong", "Đồ uống", "do-uong", "do-uong"),
    Category("duoc-lieu", "Dược liệu và trà thảo mộc", "duoc-lieu", "duoc-lieu"),
    Category("thu-cong-my-nghe", "Thủ công mỹ nghệ và dệt may", "thu-cong-my-nghe", "thu-cong"),
    Category("sinh-vat-canh", "Sinh vật cảnh", "sinh-vat-canh", "sinh-vat-canh"),
    Category("du-lich", "Du lịch cộng đồng", "du-lich", "du-lich"),
]}

KINDS: dict[str, str] = {
    "hop-tac-xa": "Hợp tác xã",
    "lien-hiep-hop-tac-xa": "Liên hiệp hợp tác xã",
    "to-hop-tac": "Tổ hợp tác",
}

SECTORS: dict[str, str] = {
    "trong-trot": "Trồng trọt",
    "chan-nuoi": "Chăn nuôi",
    "thuy-san": "Thủy sản",
    "che-bien": "Chế biến nông sản, thực phẩm",
    "thu-cong": "Thủ công mỹ nghệ, dệt may",
    "du-lich": "Du lịch",
    "dich-vu": "Dịch vụ nông nghiệp",
    "thuong-mai": "Thương mại",
    "tin-dung": "Tín dụng",
    "lam-nghiep": "Lâm nghiệp",
    "muoi": "Sản xuất muối",
}

CHANNELS: dict[str, str] = {
    "shopee": "Shopee",
    "tiktok-shop": "TikTok Shop",
    "lazada": "Lazada",
    "postmart": "Postmart",
    "voso": "Voso",
    "website": "Cửa hàng trực tuyến",
    "cua-hang": "Cửa hàng",
    "khac": "Kênh khác",
}

CERTIFICATIONS: dict[str, str] = {
    "vietgap": "VietGAP",
    "globalgap": "GlobalG.A.P.",
    "huu-co": "Hữu cơ",
    "chi-dan-dia-ly": "Chỉ dẫn địa lý",
    "haccp": "HACCP",
    "iso-22000": "ISO 22000",
    "khac": "Chứng nhận khác",
}

SOCIAL: dict[str, str] = {
    "facebook": "Facebook",
    "youtube": "YouTube",
    "tiktok": "TikTok",
    "instagram": "Instagram",
    "khac": "Mạng xã hội",
}

MONTHS = {m: f"Tháng {m}" for m in range(1, 13)}
