"""How true a profile still is: when it was last confirmed, and what lapses soon (`htx status`, pages).

A profile carries `xac_nhan_ngay`, the day its information was last confirmed. After 12 months it is
"stale" (pages say "cần cập nhật", the staff list shows it); after 24 months "expired" (prices and contact
buttons are hidden behind a notice, never deleted). OCOP ratings and certifications use catalog.py's own
expiry rules, so a page, a count and `htx status` never disagree.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from ..data.dates import add_months, build_date, cert_expired, ocop_expiry
from ..data.model import Certification, Cooperative, label_path, parse_date, path_loc, personal_values

STALE_MONTHS = 12
EXPIRED_MONTHS = 24
WARN_DAYS = 90  # OCOP ratings and certifications listed this many days before they lapse

FRESHNESS_LABELS = {"fresh": "còn mới", "stale": "cần cập nhật", "expired": "quá hạn xác nhận"}

__all__ = ["build_date", "verified_date", "months_since", "freshness", "status_rows", "StatusRow", "Lapse"]


def verified_date(coop: Cooperative) -> date:
    """Return the day the profile's information was last confirmed."""
    return parse_date(coop.verified)


def months_since(day: date, today: date) -> int:
    """Return the whole months from day to today (0 for a day in the future)."""
    months = (today.year - day.year) * 12 + today.month - day.month
    if months > 0 and add_months(day, months) > today:
        months -= 1
    return max(months, 0)


def freshness(coop: Cooperative, today: date) -> str:
    """Return "fresh", "stale" (12 months or more since confirmed) or "expired" (24 months or more)."""
    months = months_since(verified_date(coop), today)
    if months >= EXPIRED_MONTHS:
        return "expired"
    if months >= STALE_MONTHS:
        return "stale"
    return "fresh"


@dataclass(frozen=True)
class Lapse:
    """An OCOP rating or a certification that lapses within WARN_DAYS, or has lapsed."""

    what: str            # "OCOP 4 sao", "VietGAP"…
    product: str | None  # the product's name; None for the cooperative's own certification
    until: date
    expired: bool


@dataclass(frozen=True)
class StatusRow:
    """One profile in the staff's freshness list."""

    slug: str
    name: str
    sample: bool
    verified: date
    months: int
    freshness: str
    has_consent: bool
    held_back: list[str] = field(default_factory=list)  # personal fields present without consent (alias paths)
    lapses: list[Lapse] = field(default_factory=list)

    @property
    def missing_consent(self) -> bool:
        return bool(self.held_back)


def _cert_name(cert: Certification) -> str:
    from ..data.vocab import CERTIFICATIONS

    return cert.name or CERTIFICATIONS.get(cert.kind, cert.kind)


def lapses(coop: Cooperative, today: date) -> list[Lapse]:
    """Return the OCOP ratings and certifications of a profile lapsing within WARN_DAYS, or lapsed, by date."""
    horizon = date.fromordinal(today.toordinal() + WARN_DAYS)
    found: list[Lapse] = []

    def cert(c: Certification, product: str | None) -> None:
        if c.expires and parse_date(c.expires) <= horizon:
            found.append(Lapse(_cert_name(c), product, parse_date(c.expires), cert_expired(c, today)))

    for c in coop.certifications:
        cert(c, None)
    for product in coop.products:
        if product.ocop is not None:
            until = ocop_expiry(product.ocop)
            if until <= horizon:
                # The same rule as Catalog.ocop_active: in force through its expiry day.
                found.append(Lapse(f"OCOP {product.ocop.stars} sao", product.name, until, until < today))
        for c in product.certifications:
            cert(c, product.name)
    return sorted(found, key=lambda lapse: (lapse.until, lapse.product or "", lapse.what))


def status_row(coop: Cooperative, today: date) -> StatusRow:
    verified = verified_date(coop)
    held = [] if coop.publishes_personal else list(personal_values(coop))
    return StatusRow(coop.slug, coop.name, coop.sample, verified, months_since(verified, today), freshness(coop, today),
                     coop.publishes_personal, held, lapses(coop, today))


def status_rows(entries: list, today: date | None = None) -> list[StatusRow]:
    """Return one row per profile (entries: validate.Entry or Cooperative), oldest confirmation first."""
    today = today or build_date()
    coops = [getattr(e, "coop", e) for e in entries]
    rows = [status_row(c, today) for c in coops]
    return sorted(rows, key=lambda r: (r.verified, r.slug))


# ---- `htx status`: the staff's list, for a terminal or a CI job summary -----------------------------


def _day(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def _lapse_text(lapse: Lapse, today: date) -> str:
    what = f"{lapse.what} — {lapse.product}" if lapse.product else f"{lapse.what} (của hợp tác xã)"
    days = (lapse.until - today).days
    when = f"đã hết hạn {_day(lapse.until)}" if lapse.expired else f"hết hạn {_day(lapse.until)} (còn {days} ngày)"
    return f"{what}: {when}"


def _held_text(row: StatusRow) -> str:
    return "; ".join(label_path(path_loc(p)) for p in row.held_back)


def _summary(rows: list[StatusRow]) -> str:
    stale = sum(r.freshness == "stale" for r in rows)
    expired = sum(r.freshness == "expired" for r in rows)
    consent = sum(r.missing_consent for r in rows)
    lapsing = sum(len(r.lapses) for r in rows)
    return (f"{len(rows)} hồ sơ: {stale} cần cập nhật (quá {STALE_MONTHS} tháng), {expired} quá hạn xác nhận "
            f"(quá {EXPIRED_MONTHS} tháng: giá và nút liên hệ đang ẩn), {consent} có dữ liệu cá nhân chưa có đồng ý, "
            f"{lapsing} OCOP/chứng nhận hết hạn hoặc sắp hết hạn trong {WARN_DAYS} ngày.")


def format_text(rows: list[StatusRow], today: date, invalid: int = 0) -> str:
    """Return the status list for a terminal, oldest confirmation first."""
    from ..data.problems import escape

    out = [f"Tình trạng hồ sơ ngày {_day(today)} (xác nhận cũ nhất trước)", _summary(rows), ""]
    for r in rows:
        mark = {"fresh": "", "stale": "  [CẦN CẬP NHẬT]", "expired": "  [QUÁ HẠN XÁC NHẬN]"}[r.freshness]
        sample = " (mẫu)" if r.sample else ""
        out.append(f"{_day(r.verified)}  {r.months:>2} tháng  {escape(r.slug)}{sample}{mark}")
        out.append(f"    {escape(r.name)}")
        if r.missing_consent:
            out.append(f"    • chưa có đồng ý công khai, đang giữ lại: {escape(_held_text(r))}")
        for lapse in r.lapses:
            out.append(f"    • {escape(_lapse_text(lapse, today))}")
    if invalid:
        out += ["", f"{invalid} hồ sơ có lỗi nên không có trong danh sách: chạy htx validate để xem."]
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    """Return text safe inside a Markdown table cell of a GitHub job summary (profile text is untrusted)."""
    from ..data.problems import escape

    text = escape(" ".join(text.split())).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_\[\]|#!~@:])", r"\\\1", text)


def format_markdown(rows: list[StatusRow], today: date, invalid: int = 0) -> str:
    """Return the status list as GitHub Markdown (a CI job summary: $GITHUB_STEP_SUMMARY)."""
    out = [f"## Tình trạng hồ sơ ngày {_day(today)}", "", _md(_summary(rows)), "",
           "| Xác nhận | Tình trạng | Hợp tác xã | Đồng ý công khai | OCOP, chứng nhận (hết hạn hoặc trong 90 ngày) |",
           "|---|---|---|---|---|"]
    for r in rows:
        state = {"fresh": "còn mới", "stale": "**cần cập nhật**", "expired": "**quá hạn xác nhận**"}[r.freshness]
        consent = "có" if r.has_consent else ("**thiếu**: " + _md(_held_text(r)) if r.missing_consent else "không cần")
        lapse = "<br>".join(_md(_lapse_text(lapse, today)) for lapse in r.lapses) or "—"
        name = f"{_md(r.name)}<br>`{r.slug}`" + (" (mẫu)" if r.sample else "")  # a slug is [a-z0-9-]
        out.append(f"| {_day(r.verified)} ({r.months} tháng) | {state} | {name} | {consent} | {lapse} |")
    if invalid:
        out += ["", f"{invalid} hồ sơ có lỗi nên không có trong bảng: xem bước kiểm tra hồ sơ."]
    return "\n".join(out) + "\n"
