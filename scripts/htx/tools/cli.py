"""The `htx` command: validate profiles, scaffold cooperatives and posts, render, images, preview, bench.

Exit status: 0 clean, 1 content problems, 2 usage errors (click's own).
"""
from __future__ import annotations

import json
import os
import re
import sys
from datetime import date
from pathlib import Path

import click

from ..data import messages as M
from .root import find_root, root_option
from ..data.problems import Problem

CONTEXT = {"help_option_names": ["-h", "--help"]}

# ---- click in Vietnamese ---------------------------------------------------------------------------
# click writes its own words (usage line, headings, the help option, errors) in English through gettext's
# default domain, which a program cannot give a catalog without changing the process locale. Its public
# hooks are used instead: a help formatter that words the help pages, and `HtxGroup.main`, which shows
# usage errors itself. Commands defined in other modules get the same context (see _register_contrib_commands).

_WORDS = {
    "Options": "Tùy chọn",
    "Commands": "Lệnh",
    "Positional arguments": "Tham số",
    "Show this message and exit.": "Hiện hướng dẫn này rồi thoát.",
    "Show the version and exit.": "Hiện phiên bản rồi thoát.",
}
_METAVARS = [("[OPTIONS]", "[TÙY CHỌN]"), ("COMMAND [ARGS]...", "LỆNH [THAM SỐ]..."), ("TEXT", "CHỮ"),
             ("INTEGER", "SỐ"), ("DIRECTORY", "THƯ MỤC"), ("FILENAME", "TỆP"), ("FILE", "TỆP"), ("PATH", "ĐƯỜNG DẪN")]
_METAVAR = re.compile(r"(?<![\w-])(" + "|".join(re.escape(m) for m, _ in _METAVARS) + r")(?![\w-])")


def _vi_metavars(text: str) -> str:
    return _METAVAR.sub(lambda m: dict(_METAVARS)[m.group(1)], text)


def _vi_help(text: str) -> str:
    text = _WORDS.get(text, text)
    text = re.sub(r"\[default: (.*?)\]", r"[mặc định: \1]", text)
    text = re.sub(r"\[required\]", "[bắt buộc]", text)
    return text


class HtxFormatter(click.HelpFormatter):
    """click's help formatter with click's own words in Vietnamese."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, _vi_metavars(args), prefix="Cách dùng: " if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(_WORDS.get(heading, heading))

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        super().write_dl([(_vi_metavars(first), _vi_help(second)) for first, second in rows], col_max, col_spacing)


class HtxContext(click.Context):
    formatter_class = HtxFormatter


def _param_name(param: click.Parameter | None, ctx: click.Context | None) -> str:
    if param is None:
        return ""
    if isinstance(param, click.Argument):
        return _vi_metavars(param.make_metavar(ctx)) if ctx else (param.name or "").upper()
    return " / ".join(param.opts)


# Messages of click's parameter types (the value as written is kept between quotes).
_BAD_VALUES = [
    (re.compile(r"^(?:Path|File|Directory) (.+) does not exist\.$"), "không có tệp hay thư mục {0}."),
    (re.compile(r"^(?:Path|File|Directory) (.+) is a file\.$"), "{0} là một tệp, cần một thư mục."),
    (re.compile(r"^(?:Path|File|Directory) (.+) is a directory\.$"), "{0} là một thư mục, cần một tệp."),
    (re.compile(r"^(.+) is not a valid integer\.$"), "{0} không phải một số nguyên."),
    (re.compile(r"^(.+) is not (?:one of|a valid choice)\b.*$"), "{0} không phải một trong các giá trị được nhận."),
    (re.compile(r"^(.+) is not (.+)\.$"), "{0} không phải {1}."),
]


def usage_error_text(exc: click.UsageError) -> str:
    """Return a usage error as a Vietnamese sentence (click's own text is English)."""
    ctx = exc.ctx
    if isinstance(exc, click.NoSuchOption):
        text = f"Không có tùy chọn `{exc.option_name}`."
        if exc.possibilities:
            text += " Có phải ý bạn là " + " hoặc ".join(f"`{p}`" for p in sorted(exc.possibilities)) + "?"
        return text
    if isinstance(exc, click.exceptions.NoSuchCommand):
        known = sorted(ctx.command.list_commands(ctx)) if ctx and isinstance(ctx.command, click.Group) else []
        return f"Không có lệnh `{exc.command_name}`." + (" Các lệnh: " + ", ".join(known) + "." if known else "")
    if isinstance(exc, click.MissingParameter):
        name = _param_name(exc.param, ctx)
        if isinstance(exc.param, click.Argument):
            return f"Thiếu tham số {name}."
        return f"Thiếu tùy chọn {name}."
    if isinstance(exc, click.BadParameter):
        message = exc.message
        if exc.param is not None and isinstance(exc.param.type, click.Choice):
            got = re.match(r"^(.+?) is not", message)
            return (f"Giá trị {got.group(1) if got else ''} không hợp lệ cho {_param_name(exc.param, ctx)}; "
                    f"chọn một trong: {', '.join(map(str, exc.param.type.choices))}.").replace("Giá trị  ", "Giá trị ")
        for pattern, words in _BAD_VALUES:
            if m := pattern.match(message):
                message = words.format(*m.groups())
                break
        name = _param_name(exc.param, ctx) or exc.param_hint or ""
        return f"Giá trị không hợp lệ cho {name}: {message}" if name else f"Giá trị không hợp lệ: {message}"
    if isinstance(exc, click.BadOptionUsage):
        m = re.match(r"^Option '?(.+?)'? requires (an argument|\d+ arguments)\.$", exc.message)
        if m:
            return f"Tùy chọn `{m.group(1)}` cần một giá trị."
        return f"Tùy chọn `{exc.option_name}` dùng sai: {exc.message}"
    if re.match(r"^Got unexpected extra arguments? \((.*)\)$", exc.message):
        extra = re.match(r"^Got unexpected extra arguments? \((.*)\)$", exc.message).group(1)
        return f"Thừa tham số: {extra}."
    if exc.message == "Missing command.":
        return "Thiếu tên lệnh."
    return exc.message


class HtxGroup(click.Group):
    """The `htx` group: help and usage errors in Vietnamese, the same exit codes as click (2 usage, 1 error)."""

    context_class = HtxContext

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):  # type: ignore[override]
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as exc:
            click.echo(exc.ctx.get_help() if exc.ctx else exc.message)
            sys.exit(2)
        except click.UsageError as exc:
            if exc.ctx is not None:
                click.echo(exc.ctx.get_usage(), err=True)
                name = exc.ctx.help_option_names[0] if exc.ctx.help_option_names else "--help"
                click.echo(f"Xem hướng dẫn: {exc.ctx.command_path} {name}\n", err=True)
            click.echo(f"Lỗi: {usage_error_text(exc)}", err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            click.echo(f"Lỗi: {exc.format_message()}", err=True)
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("Đã dừng.", err=True)
            sys.exit(1)
        sys.exit(rv if isinstance(rv, int) else 0)


def _print_problems(problems: list[Problem], fmt: str) -> None:
    for problem in sorted(problems):
        if fmt == "github":
            click.echo(problem.format_github())
        else:
            click.echo(problem.format_text(), err=False)


@click.group("htx", cls=HtxGroup, context_settings=CONTEXT)
def cli() -> None:
    """Công cụ cho trang hợp tác xã An Giang (kiểm tra hồ sơ, tạo hồ sơ, xem trước…)."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path), metavar="[ĐƯỜNG_DẪN]...")
@click.option("--format", "fmt", type=click.Choice(["text", "github"]), default="text", help="text: cho người đọc; github: chú thích trên pull request.")
@click.option("--no-images", is_flag=True, help="Không giải mã ảnh (nhanh hơn; vẫn kiểm tra đường dẫn ảnh).")
@root_option
def validate(paths: tuple[Path, ...], fmt: str, no_images: bool, root: Path | None) -> None:
    """Kiểm tra hồ sơ hợp tác xã; in mọi lỗi kèm tệp, dòng, cột và gợi ý.

    Thư mục phải nằm trong cooperatives/ (cả thư mục đó, hoặc cooperatives/<mã>). Một tệp hồ sơ lẻ,
    ví dụ tệp tải về từ trang tạo hồ sơ, được kiểm tra ở bất cứ đâu. Thư mục bắt đầu bằng `_` hoặc `.`
    (như mẫu _mau) không bao giờ được đăng nên kiểm tra chúng là lỗi: đổi tên thư mục thành mã hợp tác xã.

    \b
    Ví dụ:
      htx validate                                  # mọi hồ sơ
      htx validate cooperatives/htx-mam-chau-doc    # một hợp tác xã
      htx validate ~/Downloads/profile.yml          # một tệp lẻ (tải về từ trang tạo hồ sơ)
      htx validate content/su-kien                  # các sự kiện (content/su-kien/<năm>/<mã>.yml)
      htx validate --format github                  # chú thích trên pull request
    """
    from ..site.catalog import Catalog
    from ..data.events import EVENTS_DIR, event_files
    from ..data.load import is_ignored_folder, read_profile, read_profiles
    from ..data.validate import validate_all
    from ..pipeline import check_events

    root = root or find_root()
    coops = root / "cooperatives"
    events_dir = root / "content" / EVENTS_DIR
    docs, problems = read_profiles(coops, base=root)
    wanted: set[str] | None = None
    refused: list[Problem] = []
    everything = False
    with_events = not paths   # events are checked with everything, or when a path names them
    if paths:
        wanted = set()
        for path in paths:
            shown = os.path.relpath(path.absolute(), root)
            path = path.resolve()
            if path == events_dir.resolve() or events_dir.resolve() in path.parents:
                with_events = True
                chosen = [p for p, _ in event_files(events_dir, root)] if path.is_dir() else [path]
                wanted |= {os.path.relpath(p.resolve(), root) for p in chosen if p.resolve() == path or path in p.resolve().parents}
                continue
            inside = path == coops.resolve() or coops.resolve() in path.parents
            parts = path.relative_to(coops.resolve()).parts if inside else ()
            if parts and is_ignored_folder(parts[0]):
                refused.append(Problem(shown, 1, 1, "", M.text("validate_ignored_folder", folder=parts[0]),
                                       M.text("validate_ignored_folder_hint", folder=parts[0])))
            elif path.is_file():
                wanted.add(os.path.relpath(path, root))
                if len(parts) != 2 or parts[1] != "profile.yml":
                    # A profile outside the tree (e.g. from the builder page): check it alone.
                    doc, found = read_profile(path, os.path.relpath(path, root))
                    problems += found
                    if doc is not None:
                        doc.standalone = not inside  # a download's folder is not a cooperative's
                        docs.append(doc)
            elif not inside:
                refused.append(Problem(shown, 1, 1, "", M.text("validate_outside"), M.text("validate_outside_hint")))
            elif parts:
                wanted.add(os.path.relpath(coops.resolve() / parts[0] / "profile.yml", root))
            else:
                everything = True  # the cooperatives folder itself
        if everything:
            wanted = None
    if refused:
        _print_problems(refused, fmt)
        click.echo(M.text("summary_errors", errors=len(refused), warnings=0, files=len(refused)), err=True)
        sys.exit(1)
    entries, found = validate_all(docs, check_images=not no_images)
    problems += found
    catalog, found = Catalog.from_entries(entries, prefer=wanted or set())
    problems += found
    events = None
    if with_events:
        events, found = check_events(events_dir, catalog, base=root, coops_dir=coops)
        problems += found
        docs_events = {p.file for p in found} | {part.entry.file for part in events.events}
    if wanted is not None:
        wanted = {Path(w).as_posix() for w in wanted}
        problems = [p for p in problems if p.file in wanted]
        docs = [d for d in docs if d.file in wanted]
    _print_problems(problems, fmt)
    errors = [p for p in problems if p.severity == "error"]
    files = len(docs) + len({p.file for p in errors if p.file not in {d.file for d in docs}})
    if events is not None and wanted is not None:
        docs_events &= wanted
    if errors:
        click.echo(M.text("summary_errors", errors=len(errors), warnings=len(problems) - len(errors), files=files), err=True)
        sys.exit(1)
    products = sum(len(e.coop.products) for e in entries if wanted is None or e.file in wanted)
    if docs or events is None:
        click.echo(M.text("summary_ok", files=len(docs), products=products), err=True)
    if events is not None:
        click.echo(M.text("events_ok", count=len(docs_events)), err=True)


@cli.command()
@click.argument("name", metavar="TÊN")
@click.option("--slug", metavar="MÃ", help="Tên thư mục (mặc định: suy từ tên hợp tác xã).")
@root_option
def new(name: str, slug: str | None, root: Path | None) -> None:
    """Tạo thư mục hồ sơ cho một hợp tác xã mới từ mẫu.

    \b
    Ví dụ:
      htx new "Hợp tác xã Nông nghiệp Bình Minh"
    """
    from .scaffold import new_cooperative

    root = root or find_root()
    try:
        path = new_cooperative(root / "cooperatives", name, slug)
    except FileExistsError as exc:
        raise click.ClickException(f"Đã có thư mục {exc.args[0]}. Chọn tên khác hoặc dùng --slug.") from None
    click.echo(f"Đã tạo {os.path.relpath(path, Path.cwd())}. Mở tệp, điền thông tin, rồi chạy: htx validate {os.path.relpath(path.parent, Path.cwd())}")


@cli.command()
@click.argument("name", metavar="TÊN")
@click.option("--ngay", "day", default=None, metavar="NGÀY", help="Ngày bắt đầu, dạng dd/mm/yyyy (mặc định: hôm nay); chọn thư mục năm.")
@click.option("--slug", metavar="MÃ", help="Tên tệp, không có .yml (mặc định: suy từ tên sự kiện).")
@root_option
def event(name: str, day: str | None, slug: str | None, root: Path | None) -> None:
    """Tạo tệp sự kiện mới (hội chợ, phiên chợ, hội thảo, tập huấn…) từ mẫu content/su-kien/_mau.yml.

    \b
    Ví dụ:
      htx event "Phiên chợ nông sản Long Xuyên" --ngay 15/03/2027
    """
    from .scaffold import new_event
    from ..data.model import parse_date

    root = root or find_root()
    try:
        when = parse_date(day) if day else _today()
    except ValueError:
        raise click.UsageError(f"Ngày “{day}” không đúng dạng dd/mm/yyyy (ví dụ 15/03/2027).") from None
    try:
        path = new_event(root / "content", name, when, slug)
    except FileExistsError as exc:
        raise click.ClickException(f"Đã có tệp {exc.args[0]}. Chọn tên khác hoặc dùng --slug.") from None
    click.echo(f"Đã tạo {os.path.relpath(path, Path.cwd())}. Mở tệp, thay các giá trị mẫu bằng thông tin thật, "
               f"rồi chạy: htx validate {os.path.relpath(path, Path.cwd())}")


def _today() -> date:
    from ..data.dates import build_date

    return build_date()


@cli.command()
@click.option("--from", "start", required=True, metavar="NGÀY", help="Ngày đầu kỳ, dạng yyyy-mm-dd hoặc dd/mm/yyyy.")
@click.option("--to", "end", required=True, metavar="NGÀY", help="Ngày cuối kỳ (tính cả ngày này).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("."), metavar="THƯ_MỤC",
              help="Thư mục ghi báo cáo (mặc định: thư mục hiện tại).")
@root_option
def report(start: str, end: str, out: Path, root: Path | None) -> None:
    """Lập báo cáo số liệu theo Kế hoạch 1206 cho một kỳ: bảng tính XLSX, CSV và trang in A4 (HTML).

    Số liệu tính từ kho: hồ sơ hợp tác xã và lịch sử git của chúng, sự kiện, tin tức. Mỗi chỉ số ghi cách tính.

    \b
    Ví dụ:
      htx report --from 2026-01-01 --to 2026-06-30 --out bao-cao/
    """
    from ..data.model import parse_date
    from ..pipeline import build
    from ..publish.report import report_csv, report_html, report_xlsx
    from ..data.posts import POSTS_DIR
    from ..site.indicators import compute_report

    try:
        first, last = parse_date(start), parse_date(end)
    except ValueError:
        raise click.UsageError("Ngày phải dạng yyyy-mm-dd hoặc dd/mm/yyyy, ví dụ --from 2026-01-01 --to 2026-06-30.") from None
    if last < first:
        raise click.UsageError("Ngày cuối kỳ (--to) phải sau ngày đầu kỳ (--from).")
    root = root or find_root()
    content = root / "content"
    result = build(root / "cooperatives", base=root, with_images=False, events_dir=content / "su-kien",
                   posts_dir=content / POSTS_DIR)
    if not result.ok:
        _print_problems(result.errors, "text")
        sys.exit(1)
    renderer = result.rendered.renderer
    made = compute_report(result.catalog, result.events, renderer.posts, renderer.history, first, last)
    out.mkdir(parents=True, exist_ok=True)
    stem = f"bao-cao-ke-hoach-1206-{first.isoformat()}-{last.isoformat()}"
    for suffix, data in (("xlsx", report_xlsx(made)), ("csv", report_csv(made)), ("html", report_html(made))):
        (out / f"{stem}.{suffix}").write_bytes(data)
        click.echo(f"Đã ghi {os.path.relpath(out / f'{stem}.{suffix}', Path.cwd())}")
    for indicator in made.indicators:
        value = "—" if indicator.value is None else indicator.value
        click.echo(f"  {indicator.label}: {value}")


@cli.command()
@click.argument("title", metavar="TIÊU_ĐỀ")
@click.option("--category", metavar="CHUYÊN_MỤC", help="Bắt buộc: Chính sách, Gương điển hình, Xúc tiến thương mại hoặc Hướng dẫn (gõ không dấu cũng được).")
@click.option("--date", "day", default=None, metavar="NGÀY", help="Ngày đăng, dạng yyyy-mm-dd (mặc định: hôm nay).")
@root_option
def post(title: str, category: str | None, day: str | None, root: Path | None) -> None:
    """Tạo bài tin tức mới (bản nháp) trong content/tin-tuc/posts/.

    Chuyên mục là bắt buộc: không có chuyên mục mặc định, để bài không bị xếp nhầm chỗ.

    \b
    Ví dụ:
      htx post "Hội chợ OCOP An Giang 2026" --category "Xúc tiến thương mại"
      htx post "Hỏi đáp về Luật Hợp tác xã" --category "chinh sach"
    """
    from .scaffold import CATEGORIES, new_post
    from ..data.text import fold

    choices = ", ".join(f"“{c}”" for c in CATEGORIES)
    if category is None:
        raise click.UsageError(f"Chọn chuyên mục bằng --category, một trong: {choices}.")
    chosen = next((c for c in CATEGORIES if " ".join(fold(c).split()) == " ".join(fold(category).split())), None)
    if chosen is None:
        raise click.UsageError(f"Không có chuyên mục “{category}”. Chọn một trong: {choices}.")
    root = root or find_root()
    try:
        when = date.fromisoformat(day) if day else date.today()
    except ValueError:
        raise click.UsageError(f"Ngày “{day}” không đúng dạng yyyy-mm-dd (ví dụ 2026-11-20).") from None
    try:
        path = new_post(root / "content" / "tin-tuc" / "posts", title, when, chosen)
    except FileExistsError as exc:
        raise click.ClickException(f"Đã có bài {exc.args[0]}.") from None
    click.echo(f"Đã tạo {os.path.relpath(path, Path.cwd())} (chuyên mục “{chosen}”; bản nháp: viết mô tả và nội dung, "
               "rồi xóa dòng `draft: true` để đăng).")


@cli.command("nhan-ho-so")
@click.argument("package", metavar="TỆP", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--ghi-de", "overwrite", is_flag=True, help="Thay hồ sơ đã có của hợp tác xã cùng mã (profile.yml và các ảnh cùng tên).")
@root_option
@click.pass_context
def nhan_ho_so(ctx: click.Context, package: Path, overwrite: bool, root: Path | None) -> None:
    """Nhận hồ sơ gửi qua thư điện tử hoặc Zalo vào đúng thư mục, rồi kiểm tra (dành cho ban biên tập).

    TỆP là profile.yml (tải về từ trang tạo hồ sơ), hoặc một tệp .zip gồm profile.yml và thư mục
    images/ chứa ảnh (JPEG, PNG, WebP). Hồ sơ được đặt vào cooperatives/<ma>/ theo dòng `ma:` trong tệp.
    Gói bị từ chối, không chép gì, nếu có tên tệp trỏ ra ngoài thư mục, liên kết tượng trưng, tệp nén
    lồng nhau, tệp không phải ảnh, quá 100 mục hoặc quá dung lượng. Hồ sơ đã có: cần --ghi-de.

    \b
    Ví dụ:
      htx nhan-ho-so ~/Downloads/profile.yml
      htx nhan-ho-so ~/Downloads/ho-so-htx-binh-minh.zip
      htx nhan-ho-so ~/Downloads/profile.yml --ghi-de    # bản cập nhật của hồ sơ đã đăng
    """
    from .intake import IntakeError, receive

    root = root or find_root()
    try:
        received = receive(package, root / "cooperatives", overwrite=overwrite)
    except IntakeError as exc:
        _print_problems(exc.problems, "text")
        click.echo(f"Lỗi: {exc.message}" + (f"\n    → {exc.hint}" if exc.hint else ""), err=True)
        sys.exit(1)
    click.echo(M.text("intake_done", slug=received.slug, photos=len(received.photos),
                      replaced=M.text("intake_done_replaced") if received.replaced else ""))
    try:
        ctx.invoke(validate, paths=(received.folder,), fmt="text", no_images=False, root=root)
    except SystemExit as exc:
        if exc.code:
            click.echo(M.text("intake_next_errors", slug=received.slug), err=True)
            sys.exit(1)
        raise
    click.echo(M.text("intake_next_ok"))


@cli.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, metavar="THƯ_MỤC", help="Thư mục ghi các trang.")
@root_option
def render(out: Path, root: Path | None) -> None:
    """Ghi các trang Markdown được tạo ra vào một thư mục để xem (không dựng trang web)."""
    from ..pipeline import build

    root = root or find_root()
    result = build(root / "cooperatives", base=root, with_images=False)
    _print_problems(result.problems, "text")
    if not result.ok:
        sys.exit(1)
    for page in result.rendered.pages:
        target = out / page.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.markdown(), encoding="utf-8")
    click.echo(f"{len(result.rendered.pages)} trang → {out}")


@cli.command()
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), default=None, help="Ghi thêm các bản ảnh đã xử lý vào thư mục này.")
@click.option("--workers", type=int, default=None, help="Số tiến trình (mặc định: mọi nhân CPU).")
@root_option
def images(site_dir: Path | None, workers: int | None, root: Path | None) -> None:
    """Xử lý ảnh (kiểm tra, xoay, xóa EXIF, tạo WebP) vào bộ nhớ đệm, không dựng trang."""
    import tempfile

    from ..publish.images import write_variants
    from ..pipeline import build

    root = root or find_root()
    result = build(root / "cooperatives", base=root)
    _print_problems(result.problems, "text")
    if not result.ok:
        sys.exit(1)

    def progress(done: int, total: int) -> None:
        if sys.stderr.isatty() or done == total or done % 100 == 0:
            click.echo(f"\rẢnh: {done}/{total}", nl=done == total, err=True)

    with tempfile.TemporaryDirectory() as tmp:
        counts = write_variants(result.rendered.images, site_dir or Path(tmp), workers=workers, progress=progress)
    click.echo(f"{len(result.rendered.images)} ảnh nguồn; mã hóa mới {counts['encoded']} tệp từ {counts['sources_encoded']} ảnh.")


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["text", "github", "markdown"]), default="text",
              help="text: cho người đọc; github hoặc markdown: bảng Markdown cho phần tóm tắt của CI ($GITHUB_STEP_SUMMARY).")
@root_option
def status(fmt: str, root: Path | None) -> None:
    """Danh sách cho ban biên tập: hồ sơ theo ngày xác nhận (cũ nhất trước), đồng ý công khai, hạn OCOP.

    Hồ sơ xác nhận quá 12 tháng ghi “cần cập nhật”; quá 24 tháng thì giá và nút liên hệ đang bị ẩn.
    Liệt kê hồ sơ có dữ liệu cá nhân chưa có đồng ý công khai, và xếp hạng OCOP, chứng nhận đã hết hạn
    hoặc hết hạn trong 90 ngày tới, để gọi hợp tác xã trước khi hết hạn. Luôn thoát với mã 0.

    \b
    Ví dụ:
      htx status
      htx status --format github >> "$GITHUB_STEP_SUMMARY"
    """
    from ..data.dates import build_date
    from ..site.freshness import format_markdown, format_text, status_rows
    from ..data.load import read_profiles
    from ..data.validate import validate_all

    root = root or find_root()
    docs, problems = read_profiles(root / "cooperatives", base=root)
    entries, found = validate_all(docs, check_images=False)
    problems += found
    invalid = len({p.file for p in problems if p.severity == "error"})
    today = build_date()
    rows = status_rows(entries, today)
    click.echo((format_text if fmt == "text" else format_markdown)(rows, today, invalid), nl=False)


@cli.command("go-ca-nhan")
@click.argument("slug", metavar="MÃ")
@click.option("--thu", "dry_run", is_flag=True, help="Chỉ in những gì sẽ gỡ, không ghi tệp.")
@root_option
def go_ca_nhan(slug: str, dry_run: bool, root: Path | None) -> None:
    """Gỡ dữ liệu cá nhân khỏi hồ sơ một hợp tác xã (khi người đó yêu cầu); hợp tác xã vẫn giữ nguyên.

    Gỡ họ tên, số điện thoại, Zalo, thư riêng của người đại diện, nhóm đồng ý công khai
    (dong_y_cong_khai) và các ảnh ghi `co_nguoi: có` (cả tệp ảnh nếu không còn dùng). Chức vụ và mọi
    dòng khác, kể cả ghi chú, giữ nguyên từng ký tự. Hồ sơ được kiểm tra lại trước khi ghi.

    \b
    Ví dụ:
      htx go-ca-nhan htx-mam-chau-doc --thu   # xem trước
      htx go-ca-nhan htx-mam-chau-doc
    """
    from .withdraw import WithdrawError, find_profile, withdraw

    root = root or find_root()
    coops = root / "cooperatives"
    try:
        path = find_profile(coops, slug)
        display = os.path.relpath(path, root)
        result = withdraw(path, display, dry_run=dry_run)
    except WithdrawError as exc:
        raise click.ClickException(str(exc)) from None
    if not result.cuts:
        click.echo(f"{display}: không có dữ liệu cá nhân nào để gỡ (họ tên, số, Zalo, thư riêng, đồng ý công khai, ảnh có người).")
        return
    click.echo(("Sẽ gỡ khỏi " if dry_run else "Đã gỡ khỏi ") + f"{display}:")
    for cut in result.cuts:
        lines = f"dòng {cut.first_line}" if cut.first_line == cut.last_line else f"dòng {cut.first_line}–{cut.last_line}"
        click.echo(f"  - {cut.label} ({lines})")
    for photo in result.photos_deleted:
        click.echo(f"  - tệp ảnh {photo} (đã xóa, không còn dùng)")
    for problem in result.problems:
        click.echo(problem.format_text())
    if dry_run:
        click.echo("Chưa ghi gì (--thu). Chạy lại không có --thu để gỡ.")
    else:
        click.echo(f"Hồ sơ vẫn hợp lệ. Xem lại: git diff {os.path.relpath(path.parent, root)}; rồi commit và dựng lại trang. "
                   "Bản cũ vẫn còn trong lịch sử git: nếu người yêu cầu muốn xóa cả ở đó, báo quản trị kho.")


cli.add_command(go_ca_nhan, "go-du-lieu-ca-nhan")  # the longer name reads as what it does


@cli.command()
@click.option("--check", is_flag=True, help="Thoát với mã 1 nếu schema trong kho khác mô hình dữ liệu.")
@root_option
def schema(check: bool, root: Path | None) -> None:
    """Ghi JSON Schema của hồ sơ (cooperatives/profile.schema.json) từ mô hình dữ liệu."""
    from ..data.model import profile_json_schema

    root = root or find_root()
    path = root / "cooperatives" / "profile.schema.json"
    text = json.dumps(profile_json_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if check:
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            click.echo(f"{path} đã cũ: chạy `htx schema` để cập nhật.", err=True)
            sys.exit(1)
        click.echo("Schema khớp mô hình.")
        return
    path.write_text(text, encoding="utf-8")
    click.echo(f"Đã ghi {os.path.relpath(path, Path.cwd())}")


@cli.command()
@click.argument("slug", metavar="MÃ")
@click.option("--port", default=8000, show_default=True, metavar="CỔNG", help="Cổng máy chủ xem trước.")
@click.option("--build-only", is_flag=True, help="Chỉ dựng vào --site-dir rồi dừng (để kiểm thử, đo thời gian).")
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), default=None, help="Thư mục ghi trang đã dựng (với --build-only).")
@root_option
def preview(slug: str, port: int, build_only: bool, site_dir: Path | None, root: Path | None) -> None:
    """Xem trước nhanh một hợp tác xã (chỉ dựng trang của hợp tác xã đó).

    Chỉ đọc và kiểm tra thư mục của hợp tác xã này, nên KHÔNG phát hiện được lỗi liên quan đến
    hồ sơ khác (trùng mã hợp tác xã, trùng mã sản phẩm): chạy `htx validate` trước khi gửi.
    (Preview reads one folder only: cross-file checks such as duplicate ids cannot run.)

    \b
    Ví dụ:
      htx preview htx-mam-chau-doc     # rồi mở http://127.0.0.1:8000/
    """
    from ..site.catalog import coop_url
    from ..data.load import is_ignored_folder

    root = root or find_root()
    if is_ignored_folder(slug):
        raise click.ClickException(M.text("validate_ignored_folder", folder=slug) + " " + M.text("validate_ignored_folder_hint", folder=slug))
    if not (root / "cooperatives" / slug).is_dir():
        raise click.ClickException(f"Không có thư mục cooperatives/{slug}.")
    os.environ["HTX_ONLY"] = slug
    # Material prints an English end-of-life notice when run as `mkdocs`; never under htx, but a
    # subprocess or plugin that runs mkdocs inherits this.
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    os.chdir(root)
    if build_only:
        from mkdocs.commands.build import build as mk_build
        from mkdocs.config import load_config

        config = load_config(str(root / "mkdocs.yml"), site_dir=str(site_dir) if site_dir else None)
        config.plugins.on_startup(command="build", dirty=False)
        mk_build(config)
        config.plugins.on_shutdown()
        return
    from mkdocs.commands.serve import serve

    url = f"http://127.0.0.1:{port}{_site_path(root)}{coop_url(slug)}"
    click.echo(f"Đang dựng trang xem trước của {slug}…")
    click.echo(f"Mở {url} trong trình duyệt (trang tự tải lại khi bạn lưu hồ sơ). Nhấn Ctrl+C để dừng.")
    serve(str(root / "mkdocs.yml"), open_in_browser=False, dev_addr=f"127.0.0.1:{port}", livereload=True)


def _site_url(root: Path) -> str:
    """Return mkdocs.yml's site_url, the base of the page addresses in exported rows."""
    try:
        text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    except OSError:
        return "/"
    m = re.search(r"(?m)^site_url:\s*['\"]?([^'\"\s#]+)", text)
    return m.group(1) if m else "/"


@cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "json"]), default="csv", help="Định dạng tệp.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("du-lieu-xuat"), help="Thư mục ghi tệp.")
@click.option("--ca-nhan", "personal", is_flag=True, help="Ghi cả dữ liệu cá nhân (họ tên, số riêng… của người đại diện) của mọi hồ sơ, kể cả hồ sơ chưa đồng ý công khai: chỉ để ban biên tập dùng nội bộ, không đăng.")
@root_option
def export_cmd(fmt: str, out: Path, personal: bool, root: Path | None) -> None:
    """Xuất danh sách hợp tác xã và sản phẩm ra CSV, XLSX hoặc JSON (cùng cột với bảng nhập và dữ liệu mở).

    Mặc định không có dữ liệu cá nhân của hồ sơ chưa đồng ý công khai, giống tệp tải về trên trang.

    \b
    Ví dụ:
      htx export --format xlsx --out ~/xuat
      htx export --ca-nhan --format xlsx     # bản nội bộ, đủ trường cá nhân
    """
    from .spreadsheet import export, load_tree

    root = root or find_root()
    entries, errors = load_tree(root / "cooperatives", root)
    if errors:
        _print_problems(errors, "text")
        click.echo(M.text("summary_errors", errors=len(errors), warnings=0, files=len({p.file for p in errors})), err=True)
        sys.exit(1)
    for path in export(entries, out, fmt, _site_url(root), personal=personal):
        click.echo(f"Đã ghi {path}")
    if personal:
        click.echo("Lưu ý: tệp có dữ liệu cá nhân chưa được đồng ý công khai; không đăng, không gửi ra ngoài.", err=True)


@cli.command("mau-bang-tinh")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path), default=Path("mau-nhap-hop-tac-xa.xlsx"), metavar="[TỆP.xlsx]")
def mau_bang_tinh(out: Path) -> None:
    """Ghi bảng tính mẫu để nhập nhiều hợp tác xã: hai trang “Hợp tác xã” và “Sản phẩm”, có gợi ý ở mỗi
    cột và danh sách chọn (xã, phường; loại hình; danh mục; số sao OCOP). Điền xong thì chạy `htx import`."""
    from .spreadsheet import template_bytes

    out.write_bytes(template_bytes())
    click.echo(f"Đã ghi {out}")


@cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path), metavar="TỆP.xlsx|TỆP.csv")
@click.option("--dry-run", "--thu", "dry_run", is_flag=True, help="Chỉ in những gì sẽ tạo và thay đổi, không ghi tệp.")
@click.option("--cap-nhat", "update", is_flag=True, help="Cập nhật cả hồ sơ đã có (chỉ các trường có cột trong bảng; hồ sơ có ghi chú # thì không ghi lại).")
@root_option
def import_cmd(file: Path, dry_run: bool, update: bool, root: Path | None) -> None:
    """Nhập hợp tác xã và sản phẩm từ bảng tính (.xlsx theo bảng mẫu, hoặc .csv xuất từ `htx export`).

    Mỗi ô được kiểm tra như `htx validate`; lỗi ghi theo ô (ví dụ `Hợp tác xã!C14`) kèm gợi ý.
    Không ghi gì nếu còn một lỗi. Hồ sơ mới được tạo trong cooperatives/<mã>/profile.yml; hồ sơ đã có
    chỉ được in phần khác nhau, và chỉ thay đổi khi có --cap-nhat.

    \b
    Ví dụ:
      htx mau-bang-tinh mau.xlsx      # lấy bảng mẫu, điền vào
      htx import mau.xlsx --thu       # xem trước
      htx import mau.xlsx
    """
    from .spreadsheet import apply, plan_import

    root = root or find_root()
    coops = root / "cooperatives"
    plan = plan_import(file, coops, update=update)
    for issue in plan.issues:
        click.echo(issue.show())
    if plan.errors:
        click.echo(f"{len(plan.errors)} lỗi: chưa ghi tệp nào. Sửa bảng tính rồi chạy lại.", err=True)
        sys.exit(1)
    for slug in plan.created:
        click.echo(f"{'Sẽ tạo' if dry_run else 'Tạo'} cooperatives/{slug}/profile.yml")
    for slug, lines in plan.diffs.items():
        state = "sẽ cập nhật" if slug in plan.changed and dry_run else "cập nhật" if slug in plan.changed else "khác bảng tính, giữ nguyên (thêm --cap-nhat để cập nhật)"
        click.echo(f"cooperatives/{slug}/profile.yml: {state}")
        for line in lines:
            click.echo(f"  {line}")
    if dry_run:
        click.echo("Chưa ghi gì (--thu).")
        return
    written = apply(plan, coops)
    click.echo(f"Đã ghi {len(written)} hồ sơ. Chạy `htx validate` rồi xem lại bằng `git diff` trước khi commit.")


def _site_path(root: Path) -> str:
    """Return the path part of mkdocs.yml's site_url ("/" or "/htx/"), where `mkdocs serve` mounts the site."""
    from urllib.parse import urlsplit

    path = urlsplit(_site_url(root)).path
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


def _register_contrib_commands() -> None:
    from ..bench.run import bench
    from .issue_form import from_issue
    from .reference import reference

    cli.add_command(reference)
    cli.add_command(from_issue)
    cli.add_command(bench)
    for command in cli.commands.values():  # Vietnamese help for commands defined elsewhere too
        command.context_class = HtxContext


_register_contrib_commands()


def main() -> None:
    cli(prog_name="htx")


if __name__ == "__main__":
    main()
