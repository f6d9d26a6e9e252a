"""Events (fairs, markets, workshops, trainings): `content/su-kien/<yyyy>/<slug>.yml`, read and checked with the
same machinery as profiles (htx.data.load for positions, htx.data.validate for pydantic errors in Vietnamese).

An event's times are Vietnam's local time (Asia/Ho_Chi_Minh, UTC+7 all year). Written `15/03/2027 08:00` or
`2027-03-15 08:00` they are local; a machine timestamp (`2027-03-15T08:00`) must state its offset, since a
program that wrote it may have meant UTC. A date alone is an all-day event.

Checks that need the catalog (participating cooperatives and products, duplicate slugs) are in htx.site.events.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from .communes import Commune
from .load import Document, MAX_PROFILE_BYTES, file_bytes, read_yaml_file
from .model import Line, Strict, Url, Slug, Bool, check_slug
from .problems import Problem
from .text import slugify
from .validate import Validator

EVENTS_DIR = "su-kien"           # under docs_dir (content/); its YAML is data, never published as files
EVENT_SUFFIXES = (".yml", ".yaml")
TEMPLATE_NAME = "_mau.yml"       # the commented template `htx event` copies (names starting with `_` are skipped)
MAX_EVENT_BYTES = MAX_PROFILE_BYTES // 10
MAX_PARTICIPANTS = 200
try:
    from zoneinfo import ZoneInfo

    TZ: Any = ZoneInfo("Asia/Ho_Chi_Minh")
except Exception:  # noqa: BLE001  no tz database: Vietnam has kept UTC+7 since 1975
    TZ = timezone(timedelta(hours=7), "ICT")

# Kinds of event: key (what a file writes) → label.
EVENT_KINDS = {
    "hoi-cho": "Hội chợ",
    "phien-cho": "Phiên chợ",
    "trien-lam": "Triển lãm",
    "hoi-thao": "Hội thảo",
    "tap-huan": "Tập huấn",
    "khac": "Sự kiện khác",
}
# Status as written → (label, schema.org eventStatus). Left out, an event is as planned ("theo-lich").
EVENT_STATUSES = {
    "theo-lich": ("Theo kế hoạch", "https://schema.org/EventScheduled"),
    "sap-dien-ra": ("Sắp diễn ra", "https://schema.org/EventScheduled"),
    "da-dien-ra": ("Đã diễn ra", "https://schema.org/EventScheduled"),
    "doi-lich": ("Đổi lịch", "https://schema.org/EventRescheduled"),
    "hoan": ("Tạm hoãn", "https://schema.org/EventPostponed"),
    "huy": ("Đã hủy", "https://schema.org/EventCancelled"),
}

_DATE_VN = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2})\s*[:hg]\s*(\d{2})?)?$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:([ T])(\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:?\d{2})?)?$")
_PRODUCT_KEY = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*/[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class When:
    """A moment of an event: a local datetime, or a whole day (`all_day`)."""

    at: datetime   # aware, in TZ; midnight for a whole day
    all_day: bool

    @property
    def day(self) -> date:
        return self.at.date()


def parse_when(text: str) -> When:
    """Return the moment of `15/03/2027`, `15/03/2027 08:00`, `2027-03-15 8h30` or `2027-03-15T08:00+07:00`.

    Raise PydanticCustomError: `event_time_text` for anything else, `event_time_no_tz` for a `T` timestamp
    without its offset.
    """
    value = text.strip()
    try:
        if m := _DATE_VN.match(value):
            day, month, year, hour, minute = m.groups()
            moment = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), tzinfo=TZ)
            return When(moment, hour is None)
        if m := _DATE_ISO.match(value):
            year, month, day, sep, hour, minute, second, offset = m.groups()
            if sep is None:
                return When(datetime(int(year), int(month), int(day), tzinfo=TZ), True)
            if sep == "T" and offset is None:
                raise PydanticCustomError("event_time_no_tz", "timestamp without offset: {got}", {"got": text})
            if offset is None:
                zone: Any = TZ
            elif offset == "Z":
                zone = timezone.utc
            else:
                sign = 1 if offset[0] == "+" else -1
                digits = offset[1:].replace(":", "")
                zone = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
            moment = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0), tzinfo=zone)
            return When(moment.astimezone(TZ), False)
    except PydanticCustomError:
        raise
    except ValueError:   # a day or hour out of range (31/02, 25:00)
        raise PydanticCustomError("event_time_text", "not a date and time: {got}", {"got": text}) from None
    raise PydanticCustomError("event_time_text", "not a date and time: {got}", {"got": text})


def check_when(value: str) -> str:
    when = parse_when(value)
    if not 2000 <= when.at.year <= 2100:
        raise PydanticCustomError("date_range", "implausible year: {got}", {"got": value})
    return value


def check_product_key(value: str) -> str:
    if not _PRODUCT_KEY.match(value.strip()):
        raise PydanticCustomError("event_product_key", "not coop/product: {got}", {"got": value})
    return value


EventTime = Annotated[str, AfterValidator(check_when), Field(examples=["15/03/2027 08:00"])]
EventKind = Literal[tuple(EVENT_KINDS)]  # type: ignore[valid-type]
EventStatus = Literal[tuple(EVENT_STATUSES)]  # type: ignore[valid-type]


class Venue(Strict):
    """Nơi diễn ra sự kiện: tên nơi, địa chỉ và một trong 102 xã, phường, đặc khu."""

    name: Line | None = Field(None, alias="ten", description="Tên nơi tổ chức (nhà văn hóa, quảng trường, hội trường…).", examples=["Nhà văn hóa xã"])
    detail: Annotated[str, Field(min_length=3, max_length=200)] = Field(alias="dia_chi", description="Số nhà, đường, ấp/khóm.", examples=["Đường Trần Hưng Đạo"])
    commune: Annotated[str, Field(min_length=2, max_length=80)] = Field(alias="xa_phuong", description="Tên hoặc mã của một trong 102 xã, phường, đặc khu của tỉnh An Giang (ví dụ `Phường Long Xuyên`).", examples=["Phường Long Xuyên"])


class Event(Strict):
    """Một sự kiện (hội chợ, phiên chợ, hội thảo, tập huấn…): tệp `content/su-kien/<năm>/<mã>.yml`."""

    long_text = frozenset({"gioi_thieu"})

    name: Annotated[str, Field(min_length=5, max_length=150)] = Field(alias="ten", description="Tên sự kiện.", examples=["Hội chợ OCOP An Giang 2027"])
    sample: Bool = Field(False, alias="su_kien_mau", description="`có` nếu đây là sự kiện mẫu (hư cấu), không phải sự kiện thật.")
    kind: EventKind = Field(alias="loai", description="Loại: " + ", ".join(EVENT_KINDS))
    start: EventTime = Field(alias="bat_dau", description="Bắt đầu: ngày (`15/03/2027`, cả ngày) hoặc ngày và giờ Việt Nam (`15/03/2027 08:00`).")
    end: EventTime | None = Field(None, alias="ket_thuc", description="Kết thúc, cùng cách ghi; không trước lúc bắt đầu. Bỏ trống nếu chỉ trong một ngày.")
    status: EventStatus | None = Field(None, alias="trang_thai", description="Chỉ ghi khi sự kiện hoãn, đổi lịch hoặc hủy: " + ", ".join(EVENT_STATUSES) + ". Bỏ trống thì trang tự tính sắp diễn ra hay đã diễn ra theo ngày.")
    venue: Venue = Field(alias="dia_diem", description="Nơi diễn ra sự kiện.")
    organizer: Line = Field(alias="don_vi_to_chuc", description="Đơn vị tổ chức.", examples=["Sở Công Thương tỉnh An Giang"])
    url: Url | None = Field(None, alias="lien_ket", description="Trang thông tin chính thức của sự kiện (https://…).")
    summary: Annotated[str, Field(min_length=20, max_length=1000)] = Field(alias="gioi_thieu", description="Giới thiệu sự kiện (vài câu, chữ thường, không định dạng).")
    cooperatives: list[Slug] = Field(default_factory=list, alias="hop_tac_xa", max_length=MAX_PARTICIPANTS, description="Mã các hợp tác xã tham gia (tên thư mục trong cooperatives/).")
    products: list[Annotated[str, AfterValidator(check_product_key)]] = Field(default_factory=list, alias="san_pham", max_length=MAX_PARTICIPANTS, description="Sản phẩm giới thiệu tại sự kiện, dạng `mã-hợp-tác-xã/mã-sản-phẩm`.")

    @property
    def begins(self) -> When:
        return parse_when(self.start)

    @property
    def ends(self) -> When:
        """The end as written, else the start (a one-day event ends the day it starts)."""
        return parse_when(self.end) if self.end else self.begins

    @property
    def last_day(self) -> date:
        return self.ends.day


@dataclass
class EventEntry:
    """A valid event with what was resolved beside it: its year, slug, commune, and where its lists stand."""

    event: Event
    file: str
    year: int
    slug: str
    commune: Commune
    digest: str = ""                                         # sha256 of the file's bytes (pages keyed by it)
    positions: dict[tuple, tuple[int, int]] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.year}/{self.slug}"

    @property
    def url(self) -> str:
        return f"{EVENTS_DIR}/{self.year}/{self.slug}/"

    def position(self, loc: tuple) -> tuple[int, int]:
        return self.positions.get(loc, self.positions.get((), (1, 1)))

    def upcoming(self, today: date) -> bool:
        """Not over yet on the build's day (an event ending today is still upcoming: one can go)."""
        return self.event.last_day >= today

    def status(self, today: date) -> str:
        """Return the status key shown: as written when it says more than the dates (hoãn, đổi lịch, hủy)."""
        written = self.event.status
        if written in ("hoan", "doi-lich", "huy"):
            return written
        if self.event.begins.day <= today <= self.event.last_day:
            return "dang-dien-ra"
        return "sap-dien-ra" if self.upcoming(today) else "da-dien-ra"


STATUS_LABELS = {"dang-dien-ra": "Đang diễn ra", **{k: v[0] for k, v in EVENT_STATUSES.items()}}


def event_files(folder: Path, base: Path) -> list[tuple[Path, str]]:
    """Return every event file under folder (`<yyyy>/<slug>.yml`, and anything misplaced) with its shown name."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part.startswith((".", "_")) for part in rel.parts) or path.suffix.lower() not in EVENT_SUFFIXES:
            continue
        found.append((path, _shown(path, base)))
    return found


def _shown(path: Path, base: Path) -> str:
    try:
        return path.absolute().relative_to(base.absolute()).as_posix()
    except ValueError:
        return path.as_posix()


def read_events(folder: Path, base: Path, today: date) -> tuple[list[EventEntry], list[Problem]]:
    """Return the valid events under folder and every problem of any of them (cross-file checks: site.events)."""
    entries: list[EventEntry] = []
    problems: list[Problem] = []
    for path, shown in event_files(folder, base):
        entry, found = read_event(path, shown, folder, today)
        problems += found
        if entry is not None:
            entries.append(entry)
    return entries, problems


def read_event(path: Path, shown: str, folder: Path, today: date) -> tuple[EventEntry | None, list[Problem]]:
    """Return one event file's entry, or None, and its problems."""
    raw = file_bytes(path, MAX_EVENT_BYTES)
    doc, problems = read_yaml_file(path, shown, raw, limit=MAX_EVENT_BYTES, template=f"content/{EVENTS_DIR}/{TEMPLATE_NAME}")
    if doc is None or raw is None:
        return None, _event_hints(problems)
    entry, found = validate_event(doc, path.relative_to(folder).parts, today)
    if entry is not None:
        entry.digest = hashlib.sha256(raw).hexdigest()
    return entry, _event_hints(problems + found)


def validate_event(doc: Document, rel: tuple[str, ...], today: date) -> tuple[EventEntry | None, list[Problem]]:
    """Return the entry of one event document (rel: its path under the events folder), or None, and its problems."""
    v = Validator(doc, Event)
    event = v.check_model()
    commune = v.check_commune(("dia_diem", "xa_phuong"))
    v.check_characters()
    slug = Path(rel[-1]).stem
    year_text = rel[0] if len(rel) == 2 else ""
    if len(rel) != 2 or not re.fullmatch(r"\d{4}", year_text):
        v.add((), "event_place", "event_place_hint", file=rel[-1])
    try:
        check_slug(slug)
    except PydanticCustomError:
        v.add((), "event_slug", "event_slug_hint", got=slug, suggestion=_slugish(slug))
    if event is not None:
        begins = event.begins
        # Checked here, not in the model, so the message points at `ket_thuc` (a model check points at the file).
        if event.end is not None and event.ends.at < begins.at:
            v.add(("ket_thuc",), "event_end_before_start", "event_end_before_start_hint", got=event.end, start=event.start)
        if year_text.isdigit() and int(year_text) != begins.day.year:
            v.add(("bat_dau",), "event_year_folder", "event_year_folder_hint", got=event.start, folder=year_text,
                  year=begins.day.year)
        shown = today.strftime("%d/%m/%Y")
        if event.status == "sap-dien-ra" and event.last_day < today:
            v.add(("trang_thai",), "event_past_upcoming", "event_past_upcoming_hint", got=event.status,
                  end=event.last_day.strftime("%d/%m/%Y"), today=shown)
        if event.status == "da-dien-ra" and begins.day > today:
            v.add(("trang_thai",), "event_future_held", "event_future_held_hint", got=event.status,
                  start=begins.day.strftime("%d/%m/%Y"), today=shown)
        check_event_placeholders(v, doc)
    if event is None or commune is None or any(p.severity == "error" for p in v.problems):
        return None, v.problems
    positions = {(): (1, 1)}
    for i in range(len(event.cooperatives)):
        positions[("hop_tac_xa", i)] = doc.position(("hop_tac_xa", i))
    for i in range(len(event.products)):
        positions[("san_pham", i)] = doc.position(("san_pham", i))
    return EventEntry(event, doc.file, int(year_text), slug, commune, positions=positions), v.problems


# Values of the template (`htx event` copies it): an event still holding one is not ready to publish.
TEMPLATE_VALUES = {
    "gioi_thieu": "Giới thiệu sự kiện: ai tổ chức, ai nên đến, có gì để xem, mua, học (vài câu).",
    "dia_diem.dia_chi": "Số nhà, tên đường, ấp/khóm",
    "don_vi_to_chuc": "Tên đơn vị tổ chức",
}


def check_event_placeholders(v: Validator, doc: Document) -> None:
    data = doc.data if isinstance(doc.data, dict) else {}
    if str(data.get("su_kien_mau", "")).strip().lower() in ("có", "co", "true", "yes"):
        return
    for path, value in TEMPLATE_VALUES.items():
        loc = tuple(path.split("."))
        node: Any = data
        for part in loc:
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, str) and " ".join(node.split()) == value:
            v.add(loc, "event_placeholder", "event_placeholder_hint", got=value)


def _event_hints(problems: list[Problem]) -> list[Problem]:
    """Point hints written for profiles at the events' template instead."""
    out = []
    for p in problems:
        hint = p.hint.replace("cooperatives/_mau/profile.yml", f"content/{EVENTS_DIR}/{TEMPLATE_NAME}")
        message = p.message.replace("mẫu hồ sơ", "mẫu sự kiện")
        out.append(replace(p, hint=hint, message=message) if (hint, message) != (p.hint, p.message) else p)
    return out


def _slugish(text: str) -> str:
    return slugify(text) or "hoi-cho-ocop"
