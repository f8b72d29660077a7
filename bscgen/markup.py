"""Markdown to safe HTML: python-markdown, then sanitised with nh3.

Content is written by many people and reviewed in pull requests, not
trusted: raw HTML in Markdown keeps its harmless formatting but loses
scripts, styles, frames, event handlers, `javascript:` URLs and images from
other hosts (intranet pages must not load anything from elsewhere).
"""

from __future__ import annotations

import re
from functools import lru_cache

import markdown
import nh3
from markupsafe import Markup

EXTENSIONS = ["tables", "fenced_code", "footnotes", "toc", "sane_lists"]
# Every text sits in a page that has its own <h1>: "# Heading" becomes <h2>.
EXTENSION_CONFIGS = {"toc": {"baselevel": 2}}
TAGS = nh3.ALLOWED_TAGS
ATTRIBUTES = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    **{f"h{level}": {"id"} for level in range(1, 7)},
    "li": {"id"},
    "sup": {"id"},
    "div": {"class"},
    "code": {"class"},
    "a": {"href", "hreflang", "title", "class"},
    "img": {"src", "alt", "title", "width", "height"},
}
EXTERNAL = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*:|//)")


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    # Images load by themselves: only ones that live in the site may stay.
    if tag == "img" and attribute == "src" and EXTERNAL.match(value):
        return None
    return value


@lru_cache(maxsize=4096)
def render_markdown(text: str) -> Markup:
    """HTML for a Markdown text, safe to put in a page. Cached: texts repeat across quarters."""
    html = markdown.markdown(text, extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS, output_format="html")
    clean = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        attribute_filter=_keep_attribute,
        url_schemes={"http", "https", "mailto"},
        clean_content_tags={"script", "style"},
    )
    return Markup(clean)
