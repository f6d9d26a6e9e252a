"""The `htx` command: validate profiles, scaffold cooperatives and posts, render, images, preview, bench.

Exit status: 0 clean, 1 content problems, 2 usage errors (click's own).
"""
from __future__ import annotations

import json
import os
import sys
from datetime import date
from pathlib import Path

import click

from . import messages as M
from .problems import Problem

CONTEXT = {"help_option_names": ["-h", "--help"]}


def find_root(start: Path | None = None) -> Path:
    """Return the project folder: the nearest parent holding mkdocs.yml (else the working directory)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").is_file():
            return folder
    return Path.cwd()


root_option = click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=None,
                           help="Project folder (default: the nearest folder with mkdocs.yml).")


def _print_problems(problems: list[Problem], fmt: str) -> None:
    for problem in sorted(problems):
        if fmt == "github":
            click.echo(problem.format_github())
        else:
            click.echo(problem.format_text(), err=False)


@click.group(context_settings=CONTEXT)
def cli() -> None:
    """Công cụ cho trang hợp tác xã An Giang (kiểm tra hồ sơ, tạo hồ sơ, xem trước…)."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "github"]), default="text", help="github: workflow annotations.")
@click.option("--no-images", is_flag=True, help="Skip decoding photos (faster; paths are still checked).")
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
      htx validate --format github                  # chú thích trên pull request
    """
    from .catalog import Catalog
    from .load import is_ignored_folder, read_profile, read_profiles
    from .validate import validate_all

    root = root or find_root()
    coops = root / "cooperatives"
    docs, problems = read_profiles(coops, base=root)
    wanted: set[str] | None = None
    refused: list[Problem] = []
    everything = False
    if paths:
        wanted = set()
        for path in paths:
            shown = os.path.relpath(path.absolute(), root)
            path = path.resolve()
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
    _, found = Catalog.from_entries(entries, prefer=wanted or set())
    problems += found
    if wanted is not None:
        wanted = {Path(w).as_posix() for w in wanted}
        problems = [p for p in problems if p.file in wanted]
        docs = [d for d in docs if d.file in wanted]
    _print_problems(problems, fmt)
    errors = [p for p in problems if p.severity == "error"]
    files = len(docs) + len({p.file for p in errors if p.file not in {d.file for d in docs}})
    if errors:
        click.echo(M.text("summary_errors", errors=len(errors), warnings=len(problems) - len(errors), files=files), err=True)
        sys.exit(1)
    products = sum(len(e.coop.products) for e in entries if wanted is None or e.file in wanted)
    click.echo(M.text("summary_ok", files=len(docs), products=products), err=True)


@cli.command()
@click.argument("name")
@click.option("--slug", help="Folder name (default: derived from the name).")
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
@click.argument("title")
@click.option("--category", default="Hướng dẫn", show_default=True, help="Chính sách, Gương điển hình, Xúc tiến thương mại, Hướng dẫn.")
@click.option("--date", "day", default=None, help="yyyy-mm-dd (default: today).")
@root_option
def post(title: str, category: str, day: str | None, root: Path | None) -> None:
    """Tạo bài tin tức mới (bản nháp) trong content/tin-tuc/posts/.

    \b
    Ví dụ:
      htx post "Hội chợ OCOP An Giang 2026" --category "Xúc tiến thương mại"
    """
    from .scaffold import new_post

    root = root or find_root()
    when = date.fromisoformat(day) if day else date.today()
    try:
        path = new_post(root / "content" / "tin-tuc" / "posts", title, when, category)
    except FileExistsError as exc:
        raise click.ClickException(f"Đã có bài {exc.args[0]}.") from None
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Đã tạo {os.path.relpath(path, Path.cwd())} (bản nháp: xóa dòng `draft: true` để đăng).")


@cli.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Folder to write pages to.")
@root_option
def render(out: Path, root: Path | None) -> None:
    """Ghi các trang Markdown được tạo ra vào một thư mục để xem (không dựng trang web)."""
    from .pipeline import build

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
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), default=None, help="Also publish variants into this folder.")
@click.option("--workers", type=int, default=None, help="Processes (default: all cores).")
@root_option
def images(site_dir: Path | None, workers: int | None, root: Path | None) -> None:
    """Xử lý ảnh (kiểm tra, xoay, xóa EXIF, tạo WebP) vào bộ nhớ đệm, không dựng trang."""
    import tempfile

    from .images import write_variants
    from .pipeline import build

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
@click.option("--check", is_flag=True, help="Exit 1 when the committed schema differs from the model.")
@root_option
def schema(check: bool, root: Path | None) -> None:
    """Ghi JSON Schema của hồ sơ (cooperatives/profile.schema.json) từ mô hình dữ liệu."""
    from .model import profile_json_schema

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
@click.argument("slug")
@click.option("--port", default=8000, show_default=True)
@click.option("--build-only", is_flag=True, help="Build into --site-dir and stop (for tests and timing).")
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), default=None)
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
    from .load import is_ignored_folder

    root = root or find_root()
    if is_ignored_folder(slug):
        raise click.ClickException(M.text("validate_ignored_folder", folder=slug) + " " + M.text("validate_ignored_folder_hint", folder=slug))
    if not (root / "cooperatives" / slug).is_dir():
        raise click.ClickException(f"Không có thư mục cooperatives/{slug}.")
    os.environ["HTX_ONLY"] = slug
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

    serve(str(root / "mkdocs.yml"), open_in_browser=False, dev_addr=f"127.0.0.1:{port}", livereload=True)


def _register_contrib_commands() -> None:
    from .bench import bench
    from .issue_form import from_issue
    from .reference import reference

    cli.add_command(reference)
    cli.add_command(from_issue)
    cli.add_command(bench)


_register_contrib_commands()


def main() -> None:
    cli(prog_name="htx")


if __name__ == "__main__":
    main()
