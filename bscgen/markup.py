"""Markdown to safe HTML: python-markdown, then sanitised with nh3.

Content is written by many people and reviewed in pull requests, not
trusted: raw HTML in Markdown keeps its harmless formatting but loses
scripts, styles, frames, event handlers, `javascript:` URLs and images from
other hosts (intranet pages must not load anything from elsewhere).

python-markdown parses nested quotes, lists, links and emphasis by recursion,
and some of them in quadratic time: 5,000 nested quotes took minutes and
gigabytes, then failed with RecursionError. `too_deep` finds text nested
deeper than MAX_NESTING levels, so the loaders can report it at its line and
`render_markdown` never hands such text to python-markdown.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

import markdown
import nh3
from markupsafe import Markup, escape

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
    """HTML for a Markdown text, safe to put in a page. Cached: texts repeat across quarters.

    Text nested too deeply is shown as it is written, escaped: the loaders
    report it as an error, and this keeps any other way in (a theme's
    `markdown` filter on an `extra` field) from running for ever.
    """
    if too_deep(text) is not None:
        return _verbatim(text)
    try:
        html = markdown.markdown(text, extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS, output_format="html")
    except RecursionError:  # a kind of nesting too_deep does not count
        return _verbatim(text)
    clean = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        attribute_filter=_keep_attribute,
        url_schemes={"http", "https", "mailto"},
        clean_content_tags={"script", "style"},
    )
    return Markup(clean)


def _verbatim(text: str) -> Markup:
    return Markup(f"<pre>{escape(text)}</pre>")


# --- how deeply a text nests ------------------------------------------------

MAX_NESTING = 50

# Lines as python-markdown reads them (its fenced_code opening and closing
# fences, its horizontal rules), so the count skips exactly what it skips.
_FENCE_OPEN = re.compile(
    r"(?P<fence>~{3,}|`{3,})[ ]*((\{[^\n]*\})|(\.?[\w#.+-]*[ ]*)?(hl_lines=(?P<q>\"|')(.*?)(?P=q)[ ]*)?)$"
)
_FENCE_CLOSE = re.compile(r"(~{3,}|`{3,})[ ]*$")
_RULE = re.compile(r"[ ]{0,3}(?:(?:-+[ ]{0,2}){3,}|(?:_+[ ]{0,2}){3,}|(?:\*+[ ]{0,2}){3,})$")
_LIST_MARKER = re.compile(r"(?:[*+-]|\d+[.)])(?= |$)")
_INLINE = re.compile(r"\\.|`+|[*_]+|\[|\]")


def too_deep(text: str, limit: int = MAX_NESTING) -> int | None:
    """The line (1-based) where `text` first nests more than `limit` levels, or None.

    Counted generously, so whatever python-markdown would nest deeper is
    caught: on each line every quote marker `>` and list marker (`-`, `1.`)
    at its start, and every 4 spaces of indentation (python-markdown nests a
    list one level per 4 spaces); within a paragraph, open brackets `[` and
    emphasis delimiters `*` `_` not yet closed. Fenced code is skipped.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4).split("\n")
    inline = 0
    for number, line in _outside_fences(lines):
        if not line.strip():
            inline = 0  # emphasis and links do not run across paragraphs
            continue
        inline = _inline_depth(line, inline, limit)
        if inline > limit or _block_depth(line, limit) + inline > limit:
            return number
    return None


def _outside_fences(lines: list[str]):
    """(line number, line) for every line not inside fenced code."""
    closings: dict[str, list[int]] = {}
    for index, line in enumerate(lines):
        if _FENCE_CLOSE.match(line):
            closings.setdefault(line.rstrip(" "), []).append(index)
    index = 0
    while index < len(lines):
        line = lines[index]
        opening = _FENCE_OPEN.match(line)
        if opening:  # a fence counts only once closed by the same fence
            candidates = closings.get(opening["fence"], [])
            position = bisect_right(candidates, index)
            if position < len(candidates):
                index = candidates[position] + 1
                continue
        yield index + 1, line
        index += 1


def _block_depth(line: str, limit: int) -> int:
    """Quotes and list items opened at the start of a line, and its indentation."""
    depth = position = 0
    while depth <= limit:
        start = position
        while position < len(line) and line[position] == " ":
            position += 1
        depth += (position - start) // 4
        if line.startswith(">", position):
            depth, position = depth + 1, position + 1
            continue
        marker = _LIST_MARKER.match(line, position)
        if marker is None or _RULE.match(line, position):
            break
        depth, position = depth + 1, marker.end()
    return depth


def _inline_depth(line: str, depth: int, limit: int) -> int:
    """Brackets and emphasis still open after `line`, given `depth` open before it."""
    position = 0
    while depth <= limit and (token := _INLINE.search(line, position)):
        text, position = token.group(), token.end()
        if text[0] == "`":  # a code span: nothing in it nests
            # closed by a run of exactly as many backticks, as python-markdown reads it
            closing = re.compile(f"(?<!`){text}(?!`)").search(line, position)
            position = closing.end() if closing else position
        elif text == "[":
            depth += 1
        elif text == "]":
            depth = max(depth - 1, 0)
        else:  # a run of emphasis delimiters
            before = line[token.start() - 1] if token.start() else " "
            after = line[position] if position < len(line) else " "
            if not before.isspace() and depth:
                depth = max(depth - len(text), 0)  # closes what is open
            elif not after.isspace():
                depth += len(text)
    return depth
