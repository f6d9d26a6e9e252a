"""Stage 2's schema: the typed profile model, the single source of truth for types, limits and docs.

Keys are Vietnamese without diacritics (the alias, what a profile writes and what errors show);
Python attributes are English. Values arrive as the text the cooperative wrote (see load.py): the
validators below decide what that text means and keep it as written wherever it is text.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, ClassVar, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from .richtext import MAX_LINES, MAX_LINKS, MAX_MARKS
from .text import fold
from .vocab import CATEGORIES, CERTIFICATIONS, CHANNELS, KINDS, SECTORS, SOCIAL

SCHEMA_URL = "https://htx.angiang.example/schema/profile.schema.json"

# Bounds of the new An Giang (former An Giang + Kiên Giang, Phú Quốc and Thổ Châu included).
# A box is coarse on purpose: it catches swapped or foreign coordinates without shipping a polygon.
LAT_RANGE = (9.2, 10.99)
LON_RANGE = (103.4, 105.62)

# ---- scalar types: text as written in, checked meaning out -------------------------------------

_INT = re.compile(r"^-?(0|[1-9][0-9]*)$")
_MONEY = re.compile(r"^(\d{1,3}(\.\d{3})+|\d+)$")
_GROUPED = re.compile(r"^[1-9]\d{0,2}(\.\d{3})+$")  # `1.500`: thousands groups, or three decimals?
_DATE_VN = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
# A plain address only: no `mailto:`, `?bcc=`, commas or spaces, which a mailto link would turn into headers.
_EMAIL = re.compile(r"^[A-Za-z0-9._+-]+@([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")
# An ASCII host name of two labels or more ending in a letter TLD or punycode (no IP, no `localhost`).
_HOST = re.compile(r"^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+([a-z]{2,63}|xn--[a-z0-9-]{1,59})$")
ZALO_HOSTS = ("zalo.me", "chat.zalo.me")
_PHONE_CHARS = re.compile(r"^\+?[0-9 .\-()]+$")
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# More digits than any count or price can have; checked before int(), which refuses (or slowly converts)
# thousands of digits: 5,000 nines used to end `htx validate` in a traceback.
MAX_DIGITS = 15


def _check_digits(value: str) -> None:
    if sum(ch.isdigit() for ch in value) > MAX_DIGITS:
        raise PydanticCustomError("number_too_long", "too many digits", {"got": value, "max": MAX_DIGITS})


def parse_int(value: Any) -> Any:
    """Accept an integer written plainly; refuse `012` (YAML 1.1 reads it as octal) and `1_000`."""
    if isinstance(value, str):
        _check_digits(value)
        if not _INT.match(value.strip()):
            raise PydanticCustomError("int_text", "not an integer: {got}", {"got": value})
        return int(value)
    return value


def parse_bool(value: Any) -> Any:
    """Accept true/false, có/không (and yes/no), whichever a clerk types."""
    if isinstance(value, str):
        folded = fold(value.strip())
        if folded in ("true", "co", "yes", "dung"):
            return True
        if folded in ("false", "khong", "no", "sai"):
            return False
        raise PydanticCustomError("bool_text", "not a yes/no value: {got}", {"got": value})
    return value


def parse_money(value: Any) -> Any:
    """Return VND as int from `120000` or `120.000`; None for "liên hệ" (price on request)."""
    if value is None or isinstance(value, int):
        return value
    text = str(value).strip()
    if fold(text).replace("-", " ").replace("  ", " ") in ("lien he", "lienhe"):
        return None
    if text.startswith("-"):
        raise PydanticCustomError("money_negative", "negative price: {got}", {"got": value})
    _check_digits(text)
    if not _MONEY.match(text):
        raise PydanticCustomError("money_text", "not a VND amount: {got}", {"got": value})
    return int(text.replace(".", ""))


def parse_decimal(value: Any) -> Any:
    """Refuse `1.500` for a decimal number: prices use `.` between thousands, so it may mean 1500 or 1.5."""
    if isinstance(value, str) and _GROUPED.match(value.strip()):
        raise PydanticCustomError("number_ambiguous", "ambiguous number: {got}", {"got": value})
    return value


def parse_date(text: str) -> date:
    """Return the date of `dd/mm/yyyy` or `yyyy-mm-dd`; raise ValueError otherwise."""
    if m := _DATE_VN.match(text.strip()):
        day, month, year = (int(g) for g in m.groups())
    elif m := _DATE_ISO.match(text.strip()):
        year, month, day = (int(g) for g in m.groups())
    else:
        raise ValueError(text)
    return date(year, month, day)


def check_date(value: str) -> str:
    try:
        parsed = parse_date(value)
    except ValueError:
        raise PydanticCustomError("date_text", "not a date: {got}", {"got": value}) from None
    if not 1945 <= parsed.year <= 2100:
        raise PydanticCustomError("date_range", "implausible year: {got}", {"got": value})
    return value


def normalize_phone(text: str) -> str:
    """Return the international form `+84…` of a Vietnamese number written any usual way."""
    digits = re.sub(r"[^0-9+]", "", text)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if digits.startswith(("1800", "1900")):
        return digits
    return "+84" + digits[1:]


def _national_digits(text: str) -> str | None:
    """Return the national digits (`0…`, or `1800…`/`1900…`) of a number as written, or None if not one."""
    text = text.strip()
    if not _PHONE_CHARS.match(text):
        return None
    digits = re.sub(r"[^0-9]", "", text)
    if text.startswith("+"):
        if not digits.startswith("84"):
            return None
        digits = "0" + digits[2:]
    return digits


def format_phone(text: str) -> str:
    """Return a phone number in the one display form of the site, or the text as written if it is not one.

    Mobiles (10 digits) read `0912 345 678`; landlines (11 digits, 02xx area code) `0296 3855 123`;
    free and paid service numbers `1800 1234` / `1900 123 456`; `+84…` is shown in national form.
    Only the spacing changes: the digits are the cooperative's own.
    """
    digits = _national_digits(text)
    if digits is None:
        return text.strip()
    if digits.startswith(("1800", "1900")) and len(digits) in (8, 10):
        return f"{digits[:4]} {digits[4:]}" if len(digits) == 8 else f"{digits[:4]} {digits[4:7]} {digits[7:]}"
    if len(digits) == 10 and digits.startswith("0") and not digits.startswith(("00", "02")):
        return f"{digits[:4]} {digits[4:7]} {digits[7:]}"
    if len(digits) == 11 and digits.startswith("02"):
        return f"{digits[:4]} {digits[4:8]} {digits[8:]}"
    return text.strip()


def check_phone(value: str) -> str:
    text = value.strip()
    if not _PHONE_CHARS.match(text):
        raise PydanticCustomError("phone_text", "not a phone number: {got}", {"got": value})
    digits = _national_digits(text)
    if digits is None:
        raise PydanticCustomError("phone_country", "not a Vietnamese number: {got}", {"got": value})
    if digits.startswith(("1800", "1900")) and len(digits) in (8, 10):
        return value
    # Landlines have 11 digits (02xx area code + 7 digits): `0296.3855.12` has 10, so a digit is missing
    # (a mobile of 10 digits never starts with 02).
    if digits.startswith("02") and len(digits) != 11:
        raise PydanticCustomError("phone_landline_length", "bad landline: {got}", {"got": value, "count": len(digits)})
    # Mobiles have 10 digits (03/05/07/08/09…).
    if not digits.startswith("0") or digits.startswith("00") or len(digits) != 10 and not digits.startswith("02"):
        raise PydanticCustomError("phone_length", "bad phone number: {got}", {"got": value, "count": len(digits)})
    return value


def check_url(value: str) -> str:
    """Accept a link a reader can trust by its look: https, an ASCII host name, no user-info, default port."""
    text = value.strip()
    if re.match(r"^http://", text, re.IGNORECASE):
        raise PydanticCustomError("url_http", "not an https link: {got}", {"got": value})
    if not re.match(r"^https://[^\s/$.?#<>\"'\\][^\s<>\"'\\]*$", text, re.IGNORECASE) or not text.isprintable():
        raise PydanticCustomError("url_scheme", "not an https link: {got}", {"got": value})
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:  # a bad port or bracketed host
        raise PydanticCustomError("url_port", "bad port: {got}", {"got": value}) from None
    # `https://example.com@evil.example/` goes to evil.example: whatever stands before `@` only misleads.
    if "@" in parts.netloc:
        raise PydanticCustomError("url_userinfo", "user info in link: {got}", {"got": value})
    host = parts.hostname or ""
    if not host.isascii():
        raise PydanticCustomError("url_idn", "non-ASCII host: {got}", {"got": value, "host": host})
    if port is not None and port != 443:
        raise PydanticCustomError("url_port", "non-default port: {got}", {"got": value})
    if not _HOST.match(host):
        raise PydanticCustomError("url_host", "not a host name: {got}", {"got": value, "host": host})
    return value


def check_email(value: str) -> str:
    if not _EMAIL.match(value.strip()):
        raise PydanticCustomError("email_text", "not an e-mail address: {got}", {"got": value})
    return value


def check_slug(value: str) -> str:
    if not _SLUG.match(value):
        raise PydanticCustomError("slug_text", "not a slug: {got}", {"got": value})
    return value


def check_zalo(value: str) -> str:
    """Accept a phone number, or a link whose host is exactly Zalo's (it becomes the "Nhắn Zalo" button)."""
    if re.match(r"^\s*[a-z][a-z0-9+.-]*:", value, re.IGNORECASE):
        check_url(value)
        if (urlsplit(value.strip()).hostname or "") not in ZALO_HOSTS:
            raise PydanticCustomError("zalo_link", "not a Zalo link: {got}", {"got": value})
        return value
    return check_phone(value)


Int = Annotated[int, BeforeValidator(parse_int)]
Bool = Annotated[bool, BeforeValidator(parse_bool)]
Money = Annotated[int | None, BeforeValidator(parse_money)]
VnDate = Annotated[str, AfterValidator(check_date), Field(examples=["15/03/2012"], json_schema_extra={"pattern": r"^(\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2})$"})]
Phone = Annotated[str, AfterValidator(check_phone), Field(examples=["0296 3841 234", "0912 345 678"])]
Url = Annotated[str, AfterValidator(check_url), Field(max_length=500, examples=["https://example.vn"])]
Email = Annotated[str, AfterValidator(check_email), Field(max_length=200)]
Slug = Annotated[str, AfterValidator(check_slug), Field(min_length=2, max_length=60, pattern=_SLUG.pattern)]
Line = Annotated[str, Field(min_length=1, max_length=200)]
# Marks a field that describes a natural person: published only with a recorded consent (personal_paths()).
PERSONAL = {"personal": True}


_MARKDOWN_BOUNDS = (f"Tối đa {MAX_LINKS} liên kết, {MAX_MARKS} ký tự định dạng (`*`, `_`, `<`, `&`…) "
                    f"và {MAX_LINES} lần xuống dòng.")


def _enum(keys: dict) -> Any:
    return Literal[tuple(keys)]  # type: ignore[valid-type]


CategoryKey = _enum(CATEGORIES)
KindKey = _enum(KINDS)
SectorKey = _enum(SECTORS)
ChannelKey = _enum(CHANNELS)
CertKey = _enum(CERTIFICATIONS)
SocialKey = _enum(SOCIAL)


class Strict(BaseModel):
    """Base: unknown keys are errors (they are usually misspelt keys); values are never coerced silently."""

    model_config = ConfigDict(extra="forbid", populate_by_name=False, frozen=True, str_strip_whitespace=False)
    # Fields (aliases) of several lines: they may hold line breaks and tabs (validate.check_characters).
    long_text: ClassVar[frozenset[str]] = frozenset()
    # Fields rendered as Markdown (richtext.render_markdown): their syntax is bounded (validate.check_markdown).
    markdown_text: ClassVar[frozenset[str]] = frozenset()


# ---- parts -------------------------------------------------------------------------------------


class Photo(Strict):
    """Một ảnh: tệp trong thư mục `images/` của hợp tác xã và lời mô tả cho người không xem được ảnh."""

    file: str = Field(alias="tep", min_length=1, max_length=200, description="Đường dẫn tệp ảnh, tính từ thư mục của hợp tác xã (ví dụ `images/gao.jpg`). Chỉ nhận JPEG, PNG, WebP.", examples=["images/san-pham.jpg"])
    alt: str = Field(alias="mo_ta", min_length=5, max_length=200, description="Mô tả ngắn nội dung ảnh (bắt buộc, cho người khiếm thị và khi ảnh chưa tải).", examples=["Túi gạo 5 kg trên bàn gỗ"])
    people: Bool = Field(False, alias="co_nguoi", description="`có` nếu ảnh có người nhận ra được (mặt người). Ảnh này là dữ liệu cá nhân: chỉ đăng khi hồ sơ có `dong_y_cong_khai`.", json_schema_extra=PERSONAL)


class Coordinates(Strict):
    """Tọa độ GPS (độ thập phân), phải nằm trong tỉnh An Giang."""

    lat: float = Field(alias="vi_do", description="Vĩ độ, ví dụ 10.3759.", examples=[10.3759])
    lon: float = Field(alias="kinh_do", description="Kinh độ, ví dụ 105.4185.", examples=[105.4185])

    @model_validator(mode="after")
    def _inside_province(self) -> "Coordinates":
        if not (LAT_RANGE[0] <= self.lat <= LAT_RANGE[1] and LON_RANGE[0] <= self.lon <= LON_RANGE[1]):
            swapped = LAT_RANGE[0] <= self.lon <= LAT_RANGE[1] and LON_RANGE[0] <= self.lat <= LON_RANGE[1]
            raise PydanticCustomError("coords_outside", "outside the province", {"lat": self.lat, "lon": self.lon, "swapped": swapped})
        return self


class Address(Strict):
    """Địa chỉ trụ sở."""

    detail: str = Field(alias="chi_tiet", min_length=3, max_length=200, description="Số nhà, đường, ấp/khóm.", examples=["Ấp Tây Bình"])
    commune: str = Field(alias="xa_phuong", min_length=2, max_length=80, description="Tên hoặc mã của một trong 102 xã, phường, đặc khu của tỉnh An Giang từ 01/7/2025 (ví dụ `Xã Thoại Sơn` hoặc `30682`).", examples=["Xã Thoại Sơn"])
    coordinates: Coordinates | None = Field(None, alias="toa_do", description="Tọa độ trên bản đồ (không bắt buộc).")


class Representative(Strict):
    """Người đại diện theo pháp luật. Họ tên và số, Zalo, thư riêng là dữ liệu cá nhân: chỉ đăng khi có đồng ý."""

    # Optional so that withdrawing a person's data (`htx go-ca-nhan`) leaves a valid profile: the title stays.
    name: Line | None = Field(None, alias="ho_ten", description="Họ và tên (dữ liệu cá nhân: chỉ đăng khi hồ sơ có `dong_y_cong_khai`).", examples=["Nguyễn Văn An"], json_schema_extra=PERSONAL)
    title: Line = Field(alias="chuc_vu", description="Chức vụ.", examples=["Giám đốc"])
    phone: Phone | None = Field(None, alias="dien_thoai", description="Số di động riêng của người đại diện (dữ liệu cá nhân). Số của văn phòng ghi ở `lien_he`.", json_schema_extra=PERSONAL)
    zalo: Annotated[str, AfterValidator(check_zalo)] | None = Field(None, alias="zalo", description="Zalo riêng của người đại diện: số điện thoại hoặc liên kết https://zalo.me/… (dữ liệu cá nhân).", json_schema_extra=PERSONAL)
    email: Email | None = Field(None, alias="email", description="Thư điện tử riêng của người đại diện (dữ liệu cá nhân).", json_schema_extra=PERSONAL)


class Consent(Strict):
    """Đồng ý công khai dữ liệu cá nhân: ai đồng ý, vai trò, ngày. Một lần đồng ý cho mọi trường cá nhân của hồ sơ."""

    long_text = frozenset({"ghi_chu"})

    who: Line = Field(alias="nguoi_dong_y", description="Họ tên người đã đồng ý.", examples=["Nguyễn Văn An"])
    role: Line = Field(alias="vai_tro", description="Vai trò của người đồng ý.", examples=["Giám đốc, người đại diện theo pháp luật"])
    date: VnDate = Field(alias="ngay", description="Ngày đồng ý (dd/mm/yyyy): không sau hôm nay, không trước ngày thành lập.")
    note: str | None = Field(None, alias="ghi_chu", max_length=300, description="Ghi chú, ví dụ đồng ý qua điện thoại hay bằng văn bản.")


class Social(Strict):
    """Một trang mạng xã hội."""

    kind: SocialKey = Field(alias="loai", description="Loại: " + ", ".join(SOCIAL))
    url: Url = Field(alias="lien_ket", description="Địa chỉ trang (https://…).")


class Contact(Strict):
    """Cách liên hệ với hợp tác xã."""

    phones: list[Phone] = Field(alias="dien_thoai", min_length=1, max_length=5, description="Một hoặc vài số điện thoại, ghi như thường viết (`0912 345 678`).")
    zalo: Annotated[str, AfterValidator(check_zalo)] | None = Field(None, alias="zalo", description="Số điện thoại dùng Zalo, hoặc liên kết https://zalo.me/…")
    email: Email | None = Field(None, alias="email", description="Thư điện tử.")
    website: Url | None = Field(None, alias="website", description="Trang web riêng (https://…).")
    facebook: Url | None = Field(None, alias="facebook", description="Trang Facebook (https://facebook.com/…).")
    social: list[Social] = Field(default_factory=list, alias="mang_xa_hoi", max_length=10, description="Trang mạng xã hội khác.")


class Channel(Strict):
    """Một nơi bán sản phẩm."""

    kind: ChannelKey = Field(alias="loai", description="Kênh: " + ", ".join(CHANNELS))
    url: Url | None = Field(None, alias="lien_ket", description="Liên kết tới gian hàng (https://…).")
    note: str | None = Field(None, alias="ghi_chu", max_length=200, description="Ghi chú, ví dụ địa chỉ cửa hàng.")

    @model_validator(mode="after")
    def _where(self) -> "Channel":
        if self.url is None and self.note is None:
            raise PydanticCustomError("channel_empty", "channel without link or note", {})
        return self


class Certification(Strict):
    """Một giấy chứng nhận (VietGAP, hữu cơ…)."""

    kind: CertKey = Field(alias="loai", description="Loại: " + ", ".join(CERTIFICATIONS))
    name: str | None = Field(None, alias="ten", max_length=120, description="Tên chứng nhận khi loại là `khac`.")
    number: str | None = Field(None, alias="so", max_length=80, description="Số giấy chứng nhận, ghi đúng như trên giấy.")
    issuer: str | None = Field(None, alias="noi_cap", max_length=200, description="Tổ chức cấp.")
    issued: VnDate | None = Field(None, alias="ngay_cap", description="Ngày cấp (dd/mm/yyyy).")
    expires: VnDate | None = Field(None, alias="het_han", description="Ngày hết hạn (dd/mm/yyyy).")
    url: Url | None = Field(None, alias="lien_ket", description="Liên kết tra cứu (https://…).")

    @model_validator(mode="after")
    def _dates(self) -> "Certification":
        if self.issued and self.expires and parse_date(self.expires) <= parse_date(self.issued):
            raise PydanticCustomError("dates_order", "expires before issued", {})
        return self


class Ocop(Strict):
    """Xếp hạng OCOP của sản phẩm (3 đến 5 sao; hiệu lực 36 tháng)."""

    stars: Annotated[Int, Field(ge=3, le=5)] = Field(alias="sao", description="Số sao: 3, 4 hoặc 5.", examples=[4])
    year: Annotated[Int, Field(ge=2018, le=2100)] = Field(alias="nam", description="Năm được công nhận.", examples=[2024])
    decision: str | None = Field(None, alias="so_quyet_dinh", max_length=80, description="Số quyết định công nhận, ghi đúng như văn bản.", examples=["1234/QĐ-UBND"])
    issued: VnDate | None = Field(None, alias="ngay_cong_nhan", description="Ngày công nhận (dd/mm/yyyy). Hạn được tính 36 tháng từ ngày này nếu không ghi `het_han`.")
    expires: VnDate | None = Field(None, alias="het_han", description="Ngày hết hạn (dd/mm/yyyy).")


class Linkage(Strict):
    """Một liên kết với doanh nghiệp hoặc đối tác."""

    long_text = frozenset({"noi_dung"})

    partner: Line = Field(alias="doi_tac", description="Tên đối tác (doanh nghiệp, siêu thị…).")
    detail: str = Field(alias="noi_dung", min_length=3, max_length=300, description="Nội dung liên kết (bao tiêu, cung ứng giống…).")


class Practice(Strict):
    """Hợp tác xã kiểu mới: hợp tác xã phục vụ thành viên thế nào."""

    long_text = frozenset({"loi_ich_thanh_vien"})

    services: list[Annotated[str, Field(min_length=3, max_length=200)]] = Field(default_factory=list, alias="dich_vu_thanh_vien", max_length=15, description="Các dịch vụ hợp tác xã cung cấp cho thành viên.")
    linkages: list[Linkage] = Field(default_factory=list, alias="lien_ket", max_length=15, description="Liên kết với doanh nghiệp, đối tác.")
    area_ha: Annotated[float, Field(gt=0, le=100_000), BeforeValidator(parse_decimal)] | None = Field(None, alias="dien_tich_ha", description="Diện tích canh tác/nuôi trồng của thành viên (ha).")
    benefits: str | None = Field(None, alias="loi_ich_thanh_vien", max_length=1000, description="Thành viên được lợi gì (vài câu).")


class ProductEnglish(Strict):
    """Bản tiếng Anh của sản phẩm (không bắt buộc): trang tiếng Anh hiện các trường này; trường nào để trống thì
    trang hiện chữ tiếng Việt kèm một ghi chú. Trang không tự dịch máy."""

    long_text = frozenset({"gioi_thieu", "mo_ta"})
    markdown_text = frozenset({"mo_ta"})

    name: Annotated[str, Field(min_length=2, max_length=120)] | None = Field(None, alias="ten", description="Tên sản phẩm bằng tiếng Anh, ví dụ `Thoại Sơn fragrant rice`; giữ tên riêng tiếng Việt có dấu.", examples=["Thoại Sơn fragrant rice"])
    summary: Annotated[str, Field(min_length=10, max_length=300)] | None = Field(None, alias="gioi_thieu", description="Giới thiệu một hai câu bằng tiếng Anh.")
    description: str | None = Field(None, alias="mo_ta", max_length=5000, description="Mô tả chi tiết bằng tiếng Anh; nhận Markdown đơn giản như `mo_ta`. " + _MARKDOWN_BOUNDS)
    unit: str | None = Field(None, alias="don_vi", max_length=60, description="Đơn vị tính bằng tiếng Anh, ví dụ `5 kg bag`; bỏ trống thì trang tự dịch các đơn vị quen thuộc (túi, chai, hũ, kg…).")


class CooperativeEnglish(Strict):
    """Bản tiếng Anh của hồ sơ (không bắt buộc), cho người mua và du khách nước ngoài: trang tiếng Anh hiện các
    trường này; trường nào để trống thì trang hiện chữ tiếng Việt kèm một ghi chú. Trang không tự dịch máy."""

    long_text = frozenset({"gioi_thieu", "cau_chuyen"})
    markdown_text = frozenset({"cau_chuyen"})

    name: Annotated[str, Field(min_length=5, max_length=150)] | None = Field(None, alias="ten", description="Tên hợp tác xã bằng tiếng Anh, ví dụ `Thoại Sơn Rice Cooperative`.", examples=["Thoại Sơn Rice Cooperative"])
    summary: Annotated[str, Field(min_length=20, max_length=400)] | None = Field(None, alias="gioi_thieu", description="Giới thiệu ngắn bằng tiếng Anh (hai ba câu).")
    story: str | None = Field(None, alias="cau_chuyen", max_length=8000, description="Câu chuyện của hợp tác xã bằng tiếng Anh; nhận Markdown đơn giản. " + _MARKDOWN_BOUNDS)


class Product(Strict):
    """Một sản phẩm của hợp tác xã."""

    long_text = frozenset({"gioi_thieu", "mo_ta"})
    markdown_text = frozenset({"mo_ta"})

    id: Slug = Field(alias="ma", description="Mã sản phẩm: chữ thường không dấu, số và dấu gạch ngang; dùng làm địa chỉ trang.", examples=["gao-thom-5kg"])
    name: Annotated[str, Field(min_length=2, max_length=120)] = Field(alias="ten", description="Tên sản phẩm.", examples=["Gạo thơm Thoại Sơn"])
    category: CategoryKey = Field(alias="danh_muc", description="Danh mục: " + ", ".join(CATEGORIES))
    summary: Annotated[str, Field(min_length=10, max_length=300)] = Field(alias="gioi_thieu", description="Giới thiệu một hai câu (hiện trên thẻ sản phẩm).")
    description: str | None = Field(None, alias="mo_ta", max_length=5000, description="Mô tả chi tiết; nhận Markdown đơn giản (**đậm**, *nghiêng*, danh sách, liên kết https). " + _MARKDOWN_BOUNDS)
    price: Money = Field(None, alias="gia", description="Giá bán lẻ (đồng), ví dụ `120000` hoặc `120.000`; ghi `liên hệ` nếu không niêm yết.", json_schema_extra={"anyOf": [{"type": "integer", "minimum": 0}, {"type": "string"}]})
    unit: str | None = Field(None, alias="don_vi", max_length=60, description="Đơn vị tính của giá, ví dụ `túi 5 kg`, `chai 500 ml`.")
    ocop: Ocop | None = Field(None, alias="ocop", description="Xếp hạng OCOP, nếu có.")
    certifications: list[Certification] = Field(default_factory=list, alias="chung_nhan", max_length=10, description="Chứng nhận của riêng sản phẩm.")
    season: list[Annotated[Int, Field(ge=1, le=12)]] = Field(default_factory=list, alias="mua_vu", max_length=12, description="Các tháng có hàng (1–12); bỏ trống nếu có quanh năm.")
    packaging: str | None = Field(None, alias="quy_cach", max_length=200, description="Quy cách đóng gói.")
    shelf_life: str | None = Field(None, alias="han_su_dung", max_length=100, description="Hạn sử dụng, ví dụ `12 tháng`.")
    origin: str | None = Field(None, alias="noi_san_xuat", max_length=80, description="Xã, phường nơi sản xuất (một trong 102 đơn vị); mặc định là nơi đặt trụ sở.")
    photos: list[Photo] = Field(default_factory=list, alias="hinh_anh", max_length=8, description="Ảnh sản phẩm (ảnh đầu tiên là ảnh chính).")
    channels: list[Channel] = Field(default_factory=list, alias="noi_ban", max_length=10, description="Nơi bán riêng sản phẩm này; bỏ trống thì dùng kênh của hợp tác xã.")
    english: ProductEnglish | None = Field(None, alias="tieng_anh", description="Bản tiếng Anh (không bắt buộc): `ten`, `gioi_thieu`, `mo_ta`, `don_vi`.")
    featured: Bool = Field(False, alias="noi_bat", description="`có` để đề xuất sản phẩm lên trang chủ. Đây chỉ là đề xuất: ban biên tập xem xét và quyết định sản phẩm nào được giới thiệu.")

    @model_validator(mode="after")
    def _unit_needs_price(self) -> "Product":
        if self.unit and self.price is None:
            raise PydanticCustomError("unit_without_price", "unit without price", {})
        return self


class Cooperative(Strict):
    """Hồ sơ một hợp tác xã (tệp `cooperatives/<ma>/profile.yml`)."""

    long_text = frozenset({"gioi_thieu", "cau_chuyen"})
    markdown_text = frozenset({"cau_chuyen"})

    slug: Slug = Field(alias="ma", description="Mã hợp tác xã: trùng tên thư mục, chữ thường không dấu, nối bằng `-`.", examples=["htx-lua-gao-thoai-son"])
    sample: Bool = Field(False, alias="ho_so_mau", description="`có` nếu đây là hồ sơ mẫu (hư cấu), không phải hợp tác xã thật.")
    name: Annotated[str, Field(min_length=5, max_length=150)] = Field(alias="ten", description="Tên đầy đủ theo giấy đăng ký.", examples=["Hợp tác xã Nông nghiệp Lúa Vàng"])
    short_name: str | None = Field(None, alias="ten_viet_tat", max_length=60, description="Tên ngắn hoặc viết tắt.")
    kind: KindKey = Field(alias="loai_hinh", description="Loại hình: " + ", ".join(KINDS))
    sectors: list[SectorKey] = Field(alias="linh_vuc", min_length=1, max_length=6, description="Lĩnh vực hoạt động: " + ", ".join(SECTORS))
    founded: VnDate | None = Field(None, alias="ngay_thanh_lap", description="Ngày thành lập (dd/mm/yyyy).")
    registration: str | None = Field(None, alias="so_dang_ky", max_length=40, description="Mã số đăng ký hợp tác xã, ghi đúng như giấy chứng nhận.", examples=["1601234567"])
    members: Annotated[Int, Field(ge=1, le=1_000_000)] = Field(alias="so_thanh_vien", description="Số thành viên chính thức.", examples=[25])
    verified: VnDate = Field(alias="xac_nhan_ngay", description="Ngày thông tin hồ sơ được xác nhận lần cuối (dd/mm/yyyy), không sau hôm nay. Sau 12 tháng trang ghi “cần cập nhật”; sau 24 tháng giá và nút liên hệ bị ẩn sau một thông báo.", examples=["12/05/2026"])
    representative: Representative = Field(alias="nguoi_dai_dien", description="Người đại diện theo pháp luật.")
    consent: Consent | None = Field(None, alias="dong_y_cong_khai", description="Ai đã đồng ý công khai dữ liệu cá nhân của hồ sơ (họ tên, số, Zalo, thư riêng của người đại diện, ảnh có người), vai trò và ngày. Không có nhóm này thì các trường đó vẫn được kiểm tra nhưng không đăng ở đâu cả.")
    address: Address = Field(alias="dia_chi", description="Địa chỉ trụ sở.")
    contact: Contact = Field(alias="lien_he", description="Cách liên hệ.")
    channels: list[Channel] = Field(default_factory=list, alias="kenh_ban_hang", max_length=15, description="Nơi bán: sàn thương mại điện tử, cửa hàng…")
    summary: Annotated[str, Field(min_length=20, max_length=400)] = Field(alias="gioi_thieu", description="Giới thiệu ngắn (hai ba câu).")
    story: str | None = Field(None, alias="cau_chuyen", max_length=8000, description="Câu chuyện của hợp tác xã; nhận Markdown đơn giản. " + _MARKDOWN_BOUNDS)
    practice: Practice | None = Field(None, alias="kieu_moi", description="Thực hành hợp tác xã kiểu mới: dịch vụ cho thành viên, liên kết, lợi ích.")
    certifications: list[Certification] = Field(default_factory=list, alias="chung_nhan", max_length=15, description="Chứng nhận của hợp tác xã.")
    logo: Photo | None = Field(None, alias="logo", description="Logo (ảnh vuông).")
    photos: list[Photo] = Field(default_factory=list, alias="hinh_anh", max_length=12, description="Ảnh hoạt động của hợp tác xã.")
    english: CooperativeEnglish | None = Field(None, alias="tieng_anh", description="Bản tiếng Anh (không bắt buộc): `ten`, `gioi_thieu`, `cau_chuyen`.")
    products: list[Product] = Field(default_factory=list, alias="san_pham", max_length=200, description="Các sản phẩm.")

    @property
    def publishes_personal(self) -> bool:
        """Return whether personal fields may be published: only with a consent (its dates checked by validate)."""
        return self.consent is not None


def personal_paths(model: type[BaseModel] | None = None, prefix: str = "") -> list[str]:
    """Return the alias paths of every personal field ("nguoi_dai_dien.ho_ten", "hinh_anh[].co_nguoi"…)."""
    out: list[str] = []
    for info in (model or Cooperative).model_fields.values():
        path = f"{prefix}{info.alias}"
        if isinstance(info.json_schema_extra, dict) and info.json_schema_extra.get("personal"):
            out.append(path)
        inner, is_list = _inner_model(info.annotation)
        if inner is not None:
            out += personal_paths(inner, path + ("[]." if is_list else "."))
    return out


def _inner_model(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """Return the model inside an annotation (`X`, `X | None`, `list[X]`) and whether it is a list of them."""
    import typing

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    is_list = typing.get_origin(annotation) is list
    for arg in typing.get_args(annotation):
        inner, _ = _inner_model(arg)
        if inner is not None:
            return inner, is_list
    return None, False


def personal_values(coop: Cooperative) -> dict[str, str]:
    """Return each personal value a profile holds, by its concrete path ("hinh_anh[2].co_nguoi" → the photo's file).

    Photos of people are named by their file: the file is what must not be published.
    """
    out: dict[str, str] = {}
    rep = coop.representative
    for alias, value in (("ho_ten", rep.name), ("dien_thoai", rep.phone), ("zalo", rep.zalo), ("email", rep.email)):
        if value:
            out[f"nguoi_dai_dien.{alias}"] = value
    if coop.logo is not None and coop.logo.people:
        out["logo.co_nguoi"] = coop.logo.file
    for i, photo in enumerate(coop.photos):
        if photo.people:
            out[f"hinh_anh[{i}].co_nguoi"] = photo.file
    for p, product in enumerate(coop.products):
        for i, photo in enumerate(product.photos):
            if photo.people:
                out[f"san_pham[{p}].hinh_anh[{i}].co_nguoi"] = photo.file
    return out


def profile_json_schema() -> dict:
    """Return the JSON Schema editors use to complete and check profile.yml."""
    schema = Cooperative.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_URL
    schema["title"] = "Hồ sơ hợp tác xã An Giang"
    return schema


# ---- how people read a location in a profile ---------------------------------------------------
# Error messages name a place as "sản phẩm thứ 1 › OCOP › sao", not `san_pham[0].ocop.sao`: lists count
# from 1 and keys read as Vietnamese words. Keys missing here are shown as written.
FIELD_LABELS = {
    "ma": "mã", "ho_so_mau": "hồ sơ mẫu", "ten": "tên", "ten_viet_tat": "tên viết tắt", "loai_hinh": "loại hình",
    "linh_vuc": "lĩnh vực", "ngay_thanh_lap": "ngày thành lập", "so_dang_ky": "số đăng ký",
    "so_thanh_vien": "số thành viên", "nguoi_dai_dien": "người đại diện", "ho_ten": "họ tên", "chuc_vu": "chức vụ",
    "dia_chi": "địa chỉ", "chi_tiet": "chi tiết", "xa_phuong": "xã, phường", "toa_do": "tọa độ", "vi_do": "vĩ độ",
    "kinh_do": "kinh độ", "lien_he": "liên hệ", "dien_thoai": "điện thoại", "zalo": "Zalo", "email": "email",
    "website": "website", "facebook": "Facebook", "mang_xa_hoi": "mạng xã hội", "loai": "loại",
    "lien_ket": "liên kết", "kenh_ban_hang": "kênh bán hàng", "ghi_chu": "ghi chú", "gioi_thieu": "giới thiệu",
    "cau_chuyen": "câu chuyện", "kieu_moi": "hợp tác xã kiểu mới", "dich_vu_thanh_vien": "dịch vụ thành viên",
    "doi_tac": "đối tác", "noi_dung": "nội dung", "dien_tich_ha": "diện tích (ha)",
    "loi_ich_thanh_vien": "lợi ích thành viên", "chung_nhan": "chứng nhận", "so": "số", "noi_cap": "nơi cấp",
    "ngay_cap": "ngày cấp", "het_han": "hết hạn", "logo": "logo", "tep": "tệp", "mo_ta": "mô tả",
    "hinh_anh": "hình ảnh", "san_pham": "sản phẩm", "danh_muc": "danh mục", "gia": "giá", "don_vi": "đơn vị",
    "ocop": "OCOP", "sao": "sao", "nam": "năm", "so_quyet_dinh": "số quyết định",
    "ngay_cong_nhan": "ngày công nhận", "mua_vu": "mùa vụ", "quy_cach": "quy cách", "han_su_dung": "hạn sử dụng",
    "noi_san_xuat": "nơi sản xuất", "noi_ban": "nơi bán", "noi_bat": "nổi bật",
    "xac_nhan_ngay": "ngày xác nhận", "dong_y_cong_khai": "đồng ý công khai", "nguoi_dong_y": "người đồng ý",
    "vai_tro": "vai trò", "ngay": "ngày", "co_nguoi": "ảnh có người", "tieng_anh": "tiếng Anh",
    # events (htx.data.events)
    "su_kien_mau": "sự kiện mẫu", "bat_dau": "bắt đầu", "ket_thuc": "kết thúc", "trang_thai": "trạng thái",
    "dia_diem": "địa điểm", "don_vi_to_chuc": "đơn vị tổ chức", "hop_tac_xa": "hợp tác xã",
}
# One item of a list: "sản phẩm thứ 2", "ảnh thứ 1".
ITEM_LABELS = {
    "san_pham": "sản phẩm", "hinh_anh": "ảnh", "chung_nhan": "chứng nhận", "kenh_ban_hang": "kênh bán hàng",
    "noi_ban": "nơi bán", "dien_thoai": "số điện thoại", "mang_xa_hoi": "trang mạng xã hội", "lien_ket": "liên kết",
    "dich_vu_thanh_vien": "dịch vụ", "linh_vuc": "lĩnh vực", "mua_vu": "tháng", "hop_tac_xa": "hợp tác xã",
}


def path_loc(path: str) -> tuple:
    """Return the location of a path written `san_pham[0].hinh_anh[1].co_nguoi`."""
    return tuple(int(index) if index else key for key, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path))


def label_path(loc: tuple) -> str:
    """Return a location as people read it: ("san_pham", 0, "ocop", "sao") → "sản phẩm thứ 1 › OCOP › sao"."""
    parts: list[str] = []
    for i, part in enumerate(loc):
        if isinstance(part, int):
            parent = loc[i - 1] if i and isinstance(loc[i - 1], str) else ""
            noun = ITEM_LABELS.get(parent, FIELD_LABELS.get(parent, str(parent)) + ", mục")
            if parts and parent:
                parts[-1] = f"{noun} thứ {part + 1}"
            else:
                parts.append(f"mục thứ {part + 1}")
        else:
            parts.append(FIELD_LABELS.get(str(part), str(part)))
    return " › ".join(parts)
