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
