"""Every "Nguồn tham khảo" entry on the hand-written pages is a linked source (issue 18, point 13).

A reader must be able to open each source: an entry without a link, a plain-http link or a tai-lieu.com
copy fails, and an entry for a legal text names its number and its date. The contributor guide
(content/tham-gia) has no sources section and is left to its owner.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CONTENT = REPO / "content"
SKIP = ("tham-gia",)
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d+[.)])\s+(.*)$")
# [text](url) or [text](url "title"), and <https://…> autolinks.
INLINE_LINK = re.compile(r"\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^\s)>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]*://[^>\s]+)>")
# A legal text: its kind followed by a number such as 17/2023/QH15, 1654/NQ-UBTVQH15, 60-NQ/TW, 148/QĐ-TTg.
LEGAL = re.compile(r"\b(Luật|Nghị quyết|Nghị định|Quyết định|Thông tư|Chỉ thị|Kết luận|Công văn|Kế hoạch|"
                   r"Law|Resolution|Decree|Decision)\b[^\]\n]{0,40}?\b\d+[-/][\w/.-]*[A-ZĐ]", re.UNICODE)
DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b|\bnăm \d{4}\b")
BANNED_HOSTS = ("tai-lieu.com",)


def pages() -> list[Path]:
    found = sorted(p for p in CONTENT.rglob("*.md") if p.relative_to(CONTENT).parts[0] not in SKIP)
    assert found, "no Markdown page under content/"
    return found


def _without_code(lines: list[str]) -> list[str]:
    """Blank out fenced code so a heading or list inside an example is not read as one."""
    out, fence = [], None
    for line in lines:
        marker = re.match(r"^\s*(`{3,}|~{3,})", line)
        if marker and (fence is None or marker.group(1)[0] == fence[0] and len(marker.group(1)) >= len(fence)):
            fence = None if fence else marker.group(1)
            out.append("")
            continue
        out.append("" if fence else line)
    return out


def source_sections(text: str) -> list[tuple[int, list[tuple[int, str]]]]:
    """(line of the heading, [(line, entry text)]) for each "Nguồn tham khảo" section, lines 1-based."""
    lines = _without_code(text.splitlines())
    sections: list[tuple[int, list[tuple[int, str]]]] = []
    index = 0
    while index < len(lines):
        heading = HEADING.match(lines[index])
        if not (heading and heading.group(2).strip().casefold() == "nguồn tham khảo"):
            index += 1
            continue
        level, start, entries = len(heading.group(1)), index + 1, []
        index += 1
        while index < len(lines):
            other = HEADING.match(lines[index])
            if other and len(other.group(1)) <= level:
                break
            item = ITEM.match(lines[index])
            if item:
                entries.append((index + 1, item.group(1)))
            elif entries and lines[index].startswith((" ", "\t")) and lines[index].strip():
                line, body = entries[-1]
                entries[-1] = (line, body + " " + lines[index].strip())   # a wrapped entry
            index += 1
        sections.append((start, entries))
    return sections


def entry_problems(entry: str) -> list[str]:
    """What is wrong with one entry, in words a reviewer can act on; empty when it is fine."""
    links = [(m.group(1), m.group(2)) for m in INLINE_LINK.finditer(entry)]
    links += [(m.group(1), m.group(1)) for m in AUTOLINK.finditer(entry)]
    if not links:
        return ["không có liên kết: mỗi nguồn phải là một liên kết Markdown [tên](https://…)"]
    problems = []
    for label, url in links:
        if not url.lower().startswith("https://"):
            problems.append(f"liên kết không phải https: {url}")
        host = re.sub(r"^[a-z]+://", "", url.lower()).split("/")[0]
        if any(host == banned or host.endswith("." + banned) for banned in BANNED_HOSTS):
            problems.append(f"nguồn không được dùng: {host}")
        if not label.strip():
            problems.append(f"liên kết không có chữ: {url}")
    text = " ".join(label for label, _ in links)
    if LEGAL.search(text) and not DATE.search(text):
        problems.append("văn bản pháp luật thiếu ngày ban hành (dd/mm/yyyy hoặc 'năm yyyy') trong chữ của liên kết")
    return problems


def page_problems(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    where = path.relative_to(REPO) if path.is_relative_to(REPO) else path
    problems = []
    for heading_line, entries in source_sections(text):
        if not entries:
            problems.append(f"{where}:{heading_line}: mục Nguồn tham khảo trống")
        for line, entry in entries:
            problems += [f"{where}:{line}: {problem}" for problem in entry_problems(entry)]
    return problems


@pytest.mark.parametrize("path", pages(), ids=lambda p: str(p.relative_to(CONTENT)))
def test_every_source_entry_is_a_linked_https_source(path: Path) -> None:
    assert page_problems(path) == []


@pytest.mark.parametrize("path", [p for p in pages() if p.relative_to(CONTENT).parts[0] in
                                  ("hop-tac-xa-kieu-moi", "ke-hoach") or "posts" in p.parts],
                         ids=lambda p: str(p.relative_to(CONTENT)))
def test_explainer_plan_and_posts_name_their_sources(path: Path) -> None:
    sections = source_sections(path.read_text(encoding="utf-8"))
    assert len(sections) == 1, f"{path}: expected one 'Nguồn tham khảo' section, found {len(sections)}"
    assert len(sections[0][1]) >= 1


def test_the_national_ocop_system_has_one_address_everywhere() -> None:
    # The system itself is ocopvietnam.gov.vn (Công văn 2044/BNN-VPĐP); ocopvietnam.vn is a news site.
    for path in pages():
        for match in re.finditer(r"\[([^\]]*)\]\((https://(?:www\.)?ocopvietnam\.vn[^)]*)\)", path.read_text("utf-8")):
            assert "ocopvietnam.vn" not in match.group(1) or "trang tin" in match.group(1), (path, match.group(0))


def test_checker_reports_each_kind_of_bad_entry(tmp_path: Path) -> None:
    page = tmp_path / "trang.md"
    page.write_text(
        "# Trang\n\nThân bài.\n\n```md\n## Nguồn tham khảo\n- ví dụ trong khối mã, bỏ qua\n```\n\n"
        "## Nguồn tham khảo\n\n"
        "- Luật Hợp tác xã số 17/2023/QH15 (vbpl.vn)\n"
        "- [Tài liệu hợp tác xã](https://tai-lieu.com/tai-lieu/abc-62450)\n"
        "- [Báo An Giang](http://baoangiang.com.vn/bai-a1.html)\n"
        "- [Luật Hợp tác xã số 17/2023/QH15](https://vbpl.vn/TW/Pages/vbpq-toanvan.aspx?ItemID=166269)\n"
        "- [Luật Hợp tác xã số 17/2023/QH15 ngày 20/6/2023](https://vbpl.vn/TW/Pages/vbpq-toanvan.aspx?ItemID=166269)\n"
        "- [Nghị định 113/2024/NĐ-CP năm 2024,\n  trang tin](https://tuyenquang.dcs.vn/DetailView/148257)\n"
        "\n## Tiếp theo\n\n- không phải nguồn\n",
        encoding="utf-8")
    problems = page_problems(page)
    assert [p.split(": ", 1)[1] for p in problems] == [
        "không có liên kết: mỗi nguồn phải là một liên kết Markdown [tên](https://…)",
        "nguồn không được dùng: tai-lieu.com",
        "liên kết không phải https: http://baoangiang.com.vn/bai-a1.html",
        "văn bản pháp luật thiếu ngày ban hành (dd/mm/yyyy hoặc 'năm yyyy') trong chữ của liên kết",
    ]
    assert [int(p.split(":")[1]) for p in problems] == [12, 13, 14, 15]   # the line of each bad entry
