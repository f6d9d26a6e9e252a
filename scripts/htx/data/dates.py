"""Dates the data rules depend on: the build's "today", month arithmetic, OCOP and certificate expiry."""
from __future__ import annotations

import os
from datetime import date, datetime, timezone

from .model import Certification, Ocop, parse_date


def build_date() -> date:
    """Return the date the site describes: SOURCE_DATE_EPOCH when set (reproducible builds), else today."""
    moment = build_moment()
    return moment.date() if moment is not None else date.today()


def build_moment() -> datetime | None:
    """Return SOURCE_DATE_EPOCH as a moment (UTC), or None when it is not set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return datetime.fromtimestamp(int(epoch), tz=timezone.utc) if epoch and epoch.isdigit() else None


def add_months(day: date, months: int) -> date:
    """Return day plus months, clamped to the month's last day."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


def ocop_expiry(ocop: Ocop) -> date:
    """Return when an OCOP rating ends: as written, or 36 months after recognition (end of year+3 if only the year is known)."""
    if ocop.expires:
        return parse_date(ocop.expires)
    if ocop.issued:
        return add_months(parse_date(ocop.issued), 36)
    return date(ocop.year + 3, 12, 31)


def cert_expired(cert: Certification, today: date) -> bool:
    return bool(cert.expires) and parse_date(cert.expires) < today  # type: ignore[arg-type]
