"""htx.mkdocs.html_compact: indentation goes, text that keeps its white space does not."""
from __future__ import annotations

from htx.mkdocs.html_compact import compact_html


def test_leading_spaces_and_blank_lines_go() -> None:
    html = "<nav>\n    <ul>\n\n      <li>\n        <a href='/'>Trang chủ</a>\n      </li>\n    </ul>\n</nav>\n"
    assert compact_html(html) == "<nav>\n<ul>\n<li>\n<a href='/'>Trang chủ</a>\n</li>\n</ul>\n</nav>\n"


def test_pre_textarea_script_style_kept_whole() -> None:
    kept = [
        "<pre><code>def f():\n    return 1\n\n    # x</code></pre>",
        '<textarea name="t">\n  dòng 1\n\n  dòng 2</textarea>',
        '<script type="application/ld+json">\n  {"a":\n    1}\n</script>',
        "<STYLE>\n  a { color: red }\n</STYLE>",
    ]
    for block in kept:
        html = f"<div>\n    <p>x</p>\n    {block}\n    <p>y</p>\n</div>"
        assert compact_html(html) == f"<div>\n<p>x</p>\n{block}\n<p>y</p>\n</div>"


def test_text_inside_lines_untouched() -> None:
    html = "<p>Giá:   120.000 ₫ \t/ kg</p>"
    assert compact_html(html) == html


def test_empty_tabindex_dropped_outside_kept_blocks() -> None:
    html = '<label class="md-nav__link" for="__nav_3" tabindex="">A</label>\n<pre> tabindex=""</pre>'
    assert compact_html(html) == '<label class="md-nav__link" for="__nav_3">A</label>\n<pre> tabindex=""</pre>'
