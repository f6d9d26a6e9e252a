"""The small Markdown subset profiles may use in long texts, rendered to sanitized HTML.

Profile text is untrusted. We escape `<` and `&` before Markdown sees the text (so typed HTML shows as
text), then let nh3 (the Rust `ammonia` sanitizer) keep only a short list of tags and link schemes.
"""
from __future__ import annotations

import re

import markdown
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h3", "h4", "blockquote", "code"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "tel", "mailto"}
_HEADING = re.compile(r"^(#{1,2})(?=\s)", re.MULTILINE)
_SETEXT_HEADING = re.compile(r"<(/?)h[12]>")
# Python-Markdown's cost is not linear in every construct: each link or image (`[`) found makes it scan its
# whole paragraph again (a field of `[a](b)` took 2.5 s for 8,000 characters, 3,000 times plain text), and
# every inline mark, line break or block costs 10-20 times a plain letter. These bounds keep a field at the
# limit within a few milliseconds (measured in tests/test_limits.py), far above what real stories use.
MAX_LINKS = 10           # `[` per field: a story has a handful of links
MAX_MARKS = 200          # `*` `_` `` ` `` `<` `>` `&` `\` per field: bold and italics, a few URLs with `_`
MAX_LINES = 250          # line breaks per field: paragraphs, list items and headings
MAX_LINKS_PROFILE = 100  # the same, summed over every Markdown field of one profile
MAX_MARKS_PROFILE = 2000
MAX_LINES_PROFILE = 4000
LINK_CHARS = "["
MARK_CHARS = "*_`<>&\\"
LINE_CHARS = "\n"


def markdown_cost(text: str) -> dict[str, int]:
    """Return the counts the bounds above apply to: links, marks and lines of one Markdown text."""
    return {
        "links": text.count("["),
        "marks": sum(text.count(c) for c in MARK_CHARS),
        "lines": text.rstrip("\n").count("\n"),
    }


# One converter, reset between texts: building one per text cost more than converting a product description.
_MARKDOWN = markdown.Markdown(extensions=["sane_lists"], output_format="html")


def render_markdown(text: str) -> Markup:
    """Return the sanitized HTML of a profile's Markdown text (headings start at h3)."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;")
    escaped = _HEADING.sub("###", escaped)
    html = _MARKDOWN.reset().convert(escaped)
    # Underlined headings (`Tiêu đề` over `---` or `===`) come out as h1/h2, which nh3 would strip to bare text.
    html = _SETEXT_HEADING.sub(r"<\1h3>", html)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener ugc",
        strip_comments=True,
    )
    # No blank lines inside the raw HTML block of a page (Python-Markdown would end the block there).
    return Markup(re.sub(r"\n\s*\n", "\n", clean).strip())


def render_plain(text: str) -> Markup:
    """Return plain text as escaped HTML paragraphs (line breaks kept)."""
    from markupsafe import escape

    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return Markup("\n".join(f"<p>{escape(p)}</p>".replace("\n", "<br>") for p in paragraphs))
