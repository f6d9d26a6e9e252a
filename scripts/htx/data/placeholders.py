"""The profile template's example values: a profile still holding one is not ready to publish."""
from __future__ import annotations

from urllib.parse import urlsplit

from .text import fold

# Example values of cooperatives/_mau/profile.yml that are not facts of any cooperative: a profile still
# holding one fails validation (each is named), so a profile made by `htx new` cannot go live unedited.
# Generic values a real profile may share (a commune, "Giám đốc", a category, numbers) are not listed.
PROFILE_PLACEHOLDERS = (
    "htx-ten-cua-ban",
    "Hợp tác xã Nông nghiệp Ví Dụ",
    "HTX Ví Dụ",
    "1600123456",
    "htx.vidu@gmail.com",
    "Cửa hàng tại trụ sở, mở cửa 7 giờ – 17 giờ",
    "Hợp tác xã của 25 hộ trồng lúa, cung ứng giống, vật tư và bao tiêu lúa cho thành viên.",
    "Hợp tác xã ra đời từ một tổ hợp tác của bà con trong ấp.\n\n- Năm đầu: 10 thành viên.\n- Nay: 25 thành viên.\n",
    "Công ty ví dụ",
    "VG-01-2024",
    "Tổ chức chứng nhận ví dụ",
    "gao-vi-du-5kg",
    "Gạo thơm Ví Dụ túi 5 kg",
    "Gạo thơm dẻo, trồng theo quy trình VietGAP.",
    "Gạo được xay xát trong ngày, đóng túi hút chân không.\n",
    "1234/QĐ-UBND",
    "10.2986",
    "105.2603",
    # the commented-out English groups (`tieng_anh:`), once uncommented
    "Ví Dụ Agricultural Cooperative",
    "A cooperative of 25 rice-farming households that supplies seed and inputs to its members and buys their paddy.",
    "The cooperative grew out of a farmers' group in the hamlet.\n",
    "Ví Dụ fragrant rice, 5 kg bag",
    "Soft, fragrant rice grown to VietGAP standards.",
    "Milled on the day of sale and vacuum-packed.\n",
)
# The template's phone number, compared by its digits wherever a phone or Zalo number is written.
PHONE_PLACEHOLDER = "0912345678"
_PHONE_KEYS = ("dien_thoai", "zalo")
_PLACEHOLDER_KEYS = {" ".join(fold(v).split()) for v in PROFILE_PLACEHOLDERS}


def _is_placeholder_link(text: str) -> bool:
    """Tell a template link: a host under `example` (vidu.example.vn) or a `htxvidu` account."""
    try:
        parts = urlsplit(text.strip())
    except ValueError:
        return False
    host = (parts.hostname or "").lower()
    return parts.scheme.lower() in ("http", "https") and (
        "example" in host.split(".") or host.startswith("vidu.") or "htxvidu" in fold(parts.path))


def profile_placeholders(data: object, loc: tuple = ()) -> list[tuple[tuple, str]]:
    """Return (location, value) of every template example value still in a profile's data, in file order."""
    found: list[tuple[tuple, str]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            found += profile_placeholders(value, loc + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += profile_placeholders(value, loc + (i,))
    elif isinstance(data, str):
        phone_field = any(k in _PHONE_KEYS for k in loc if isinstance(k, str))
        if (" ".join(fold(data).split()) in _PLACEHOLDER_KEYS or _is_placeholder_link(data)
                or phone_field and "".join(ch for ch in data if ch.isdigit()).removeprefix("84") in
                (PHONE_PLACEHOLDER, PHONE_PLACEHOLDER[1:])):
            found.append((loc, data))
    return found
