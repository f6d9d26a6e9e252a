"""The plan in numbers (Kế hoạch 1206, tasks 1, 4 and 7 as far as this site serves them): indicators computed from
the repository itself (profiles, their git history, the events, the news), each with how it is computed.

These figures describe what is published on this site, not the province: a cooperative without a profile here
is not counted. Every text says so.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..data.dates import ocop_expiry
from ..data.history import History
from ..data.model import parse_date
from ..data.posts import PostMeta
from ..data.text import format_date, sort_key
from .catalog import Catalog
from .events import Events

TASKS = {
    1: "Nhiệm vụ 1. Tuyên truyền, nâng cao nhận thức",
    4: "Nhiệm vụ 4. Nâng cao quản trị, phát triển hợp tác xã mới",
    7: "Nhiệm vụ 7. Thông tin, quảng bá sản phẩm và ứng dụng công nghệ thông tin",
}
NO_HISTORY = ("Không có lịch sử thay đổi: bản này của kho không kèm lịch sử git (ví dụ tải về dạng tệp zip), "
              "nên không tính được số hợp tác xã và sản phẩm mới theo tháng.")
SOURCE = ("Tính tự động từ kho dữ liệu của trang: hồ sơ cooperatives/<mã>/profile.yml và lịch sử thay đổi (git) "
          "của chúng, tệp sự kiện content/su-kien/ và bài tin tức content/tin-tuc/posts/. Đây là số liệu về những gì "
          "đăng trên trang, không phải số liệu thống kê chính thức của tỉnh.")


@dataclass(frozen=True)
class Indicator:
    """One figure: its task, name, value (None: cannot be computed here) and exactly how it is computed."""

    task: int
    key: str
    label: str
    value: int | None
    how: str


@dataclass
class Report:
    """The indicators of a period, the figures per month and per commune, and what they were made from."""

    start: date
    end: date
    made: date
    indicators: list[Indicator] = field(default_factory=list)
    months: list[dict[str, Any]] = field(default_factory=list)       # month, new coops, new products, events, posts
    communes: list[tuple[str, int, int]] = field(default_factory=list)   # commune, new coops, new products
    categories: list[tuple[str, int]] = field(default_factory=list)  # news category, posts
    history: bool = True

    @property
    def period_text(self) -> str:
        return f"{format_date(self.start)} – {format_date(self.end)}"

    def by_task(self) -> list[tuple[str, list[Indicator]]]:
        return [(TASKS[t], [i for i in self.indicators if i.task == t]) for t in TASKS]

    def rows(self) -> list[list[Any]]:
        """The indicators as table rows: task, indicator, value, how it is computed (XLSX, CSV)."""
        return [[TASKS[i.task], i.label, "" if i.value is None else i.value, i.how] for i in self.indicators]


def _month(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _months_between(start: date, end: date) -> list[str]:
    out, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def month_label(key: str) -> str:
    year, month = key.split("-")
    return f"{month}/{year}"


def compute_report(catalog: Catalog, events: Events, posts: list[PostMeta], history: History | None,
                   start: date, end: date, *, made: date | None = None) -> Report:
    """Return the indicators for [start, end] (both days included)."""
    made = made or catalog.today
    report = Report(start, end, made, history=history is not None)
    inside = (lambda d: start <= d <= end)
    add = report.indicators.append
    # -- task 4: cooperatives and their members ------------------------------------------------------
    figures = catalog.figures()
    add(Indicator(4, "hop-tac-xa", "Hợp tác xã có hồ sơ trên trang (ngày lập báo cáo)", figures["cooperatives"],
                  "Số hồ sơ cooperatives/<mã>/profile.yml hợp lệ được đăng trên trang vào ngày lập báo cáo."))
    add(Indicator(4, "thanh-vien", "Thành viên chính thức của các hợp tác xã đó", figures["members"],
                  "Tổng trường so_thanh_vien (số thành viên chính thức do hợp tác xã tự khai) của các hồ sơ trên."))
    if history is not None:
        at_end = history.totals_at(end)
        add(Indicator(4, "hop-tac-xa-cuoi-ky", "Hợp tác xã có hồ sơ trên trang cuối kỳ", at_end[0] if at_end else 0,
                      "Số hồ sơ profile.yml có trong kho vào cuối ngày cuối kỳ, theo lịch sử git của thư mục cooperatives/."))
        new_coops = [s for s, d in history.coops_added.items() if inside(d)]
        add(Indicator(4, "hop-tac-xa-moi", "Hợp tác xã mới đăng hồ sơ trong kỳ", len(new_coops),
                      "Số hợp tác xã mà tệp profile.yml xuất hiện lần đầu trong kho trong kỳ (ngày commit, giờ Việt Nam)."))
    else:
        add(Indicator(4, "hop-tac-xa-moi", "Hợp tác xã mới đăng hồ sơ trong kỳ", None, NO_HISTORY))
    # -- task 7: products, OCOP, events ---------------------------------------------------------------
    add(Indicator(7, "san-pham", "Sản phẩm giới thiệu trên trang (ngày lập báo cáo)", figures["products"],
                  "Số sản phẩm (mục san_pham) trong các hồ sơ được đăng vào ngày lập báo cáo."))
    ocop = sum(1 for item in catalog.items.values() if item.product.ocop is not None
               and item.product.ocop.year <= end.year and ocop_expiry(item.product.ocop) >= end
               and (not item.product.ocop.issued or parse_date(item.product.ocop.issued) <= end))
    add(Indicator(7, "ocop", "Sản phẩm OCOP còn hiệu lực ngày cuối kỳ", ocop,
                  "Sản phẩm trên trang có xếp hạng OCOP được công nhận trước ngày cuối kỳ và chưa hết hạn vào ngày đó "
                  "(hết hạn ghi trong hồ sơ, hoặc 36 tháng từ ngày công nhận)."))
    if history is not None:
        new_products = [k for k, d in history.products_added.items() if inside(d)]
        add(Indicator(7, "san-pham-moi", "Sản phẩm mới đăng trong kỳ", len(new_products),
                      "Số mã sản phẩm (mã hợp tác xã/mã sản phẩm) xuất hiện lần đầu trong kho trong kỳ, theo lịch sử git."))
    else:
        add(Indicator(7, "san-pham-moi", "Sản phẩm mới đăng trong kỳ", None, NO_HISTORY))
    held = [p for p in events.events if inside(p.entry.event.begins.day) and p.entry.event.begins.day <= made
            and p.entry.status(made) != "huy"]
    add(Indicator(7, "su-kien", "Sự kiện xúc tiến đã diễn ra trong kỳ", len(held),
                  "Số tệp sự kiện (content/su-kien/) bắt đầu trong kỳ và không sau ngày lập báo cáo, không tính sự kiện đã hủy."))
    add(Indicator(7, "hop-tac-xa-du-su-kien", "Hợp tác xã tham gia các sự kiện đó", len({s for p in held for s in p.coops}),
                  "Số hợp tác xã khác nhau được ghi tham gia (hop_tac_xa, hoặc có sản phẩm ghi trong san_pham) các sự kiện trên."))
    # -- task 1 (and 7): information work -------------------------------------------------------------
    in_period = [p for p in posts if inside(p.day)]
    add(Indicator(1, "tin-tuc", "Bài tin tức đăng trong kỳ", len(in_period),
                  "Số bài trong content/tin-tuc/posts/ có ngày đăng trong kỳ (không tính bản nháp)."))
    cats: dict[str, int] = {}
    for post in in_period:
        for c in post.categories:
            cats[c] = cats.get(c, 0) + 1
    report.categories = sorted(cats.items(), key=lambda kv: sort_key(kv[0]))
    for name, count in report.categories:
        add(Indicator(1 if name != "Xúc tiến thương mại" else 7, "chuyen-muc", f"Bài chuyên mục “{name}”", count,
                      f"Số bài đăng trong kỳ thuộc chuyên mục “{name}” (một bài có thể thuộc nhiều chuyên mục)."))
    # -- per month and per commune --------------------------------------------------------------------
    for key in _months_between(start, end):
        row: dict[str, Any] = {"month": key, "label": month_label(key)}
        if history is not None:
            row["new_coops"] = sum(1 for d in history.coops_added.values() if _month(d) == key and inside(d))
            row["new_products"] = sum(1 for d in history.products_added.values() if _month(d) == key and inside(d))
        else:
            row["new_coops"] = row["new_products"] = None
        row["events"] = sum(1 for p in held if _month(p.entry.event.begins.day) == key)
        row["posts"] = sum(1 for p in in_period if _month(p.day) == key)
        report.months.append(row)
    if history is not None:
        by_commune: dict[str, list[int]] = {}
        for slug, day in history.coops_added.items():
            if inside(day):
                name = catalog.entries[slug].commune.name if slug in catalog.entries else "(hồ sơ đã gỡ)"
                by_commune.setdefault(name, [0, 0])[0] += 1
        for key, day in history.products_added.items():
            slug = key.split("/")[0]
            if inside(day):
                name = catalog.entries[slug].commune.name if slug in catalog.entries else "(hồ sơ đã gỡ)"
                by_commune.setdefault(name, [0, 0])[1] += 1
        report.communes = sorted(((n, c[0], c[1]) for n, c in by_commune.items()), key=lambda r: sort_key(r[0]))
    return report
