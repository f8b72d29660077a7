"""CONTRIBUTING.md's module table matches bscgen/, and the docs' relative links resolve."""

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CONTRIBUTING = REPO / "CONTRIBUTING.md"
NOT_LISTED = {"__init__.py", "__main__.py"}

# the Markdown files whose links are checked: the front door, the manual, the developer docs
DOCUMENTS = sorted(
    [REPO / "README.md", CONTRIBUTING, REPO / "bench" / "README.md", *(REPO / "docs").glob("*.md")]
)


# --- the module table ------------------------------------------------------------------------


def module_rows() -> dict[str, str]:
    """`| `name.py` | what it does |` rows of CONTRIBUTING.md: module name -> description."""
    rows = re.findall(r"^\| `([\w.]+\.py)` \| *(.*?) *\|\s*$", CONTRIBUTING.read_text(), re.MULTILINE)
    return dict(rows)


def modules() -> set[str]:
    return {path.name for path in (REPO / "bscgen").glob("*.py")} - NOT_LISTED


def test_every_module_has_a_row():
    missing = sorted(modules() - module_rows().keys())
    assert not missing, f"CONTRIBUTING.md's module table has no row for {', '.join(missing)}"


def test_every_row_names_a_module():
    stale = sorted(module_rows().keys() - modules())
    assert not stale, f"CONTRIBUTING.md's module table names modules bscgen/ does not have: {', '.join(stale)}"


def test_every_row_says_what_the_module_does():
    empty = sorted(name for name, text in module_rows().items() if not text)
    assert not empty, f"CONTRIBUTING.md's module table does not say what {', '.join(empty)} does"


# --- links between the documents -------------------------------------------------------------

FENCE = re.compile(r"^\s*(```|~~~)")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def prose_lines(text: str) -> list[str]:
    """The lines outside fenced code blocks, with inline code spans removed."""
    lines, fenced = [], False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            lines.append(re.sub(r"`[^`]*`", "", line))
    return lines


def anchors(path: Path) -> set[str]:
    """The heading anchors GitHub makes for a Markdown file."""
    seen: dict[str, int] = {}
    result = set()
    fenced = False
    for line in path.read_text().splitlines():
        if FENCE.match(line):
            fenced = not fenced
            continue
        heading = re.match(r"#{1,6} +(.*?) *#* *$", line)
        if fenced or not heading:
            continue
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading.group(1))
        slug = re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        result.add(slug if count == 0 else f"{slug}-{count}")
    return result


def links(path: Path) -> list[str]:
    return [target for line in prose_lines(path.read_text()) for target in LINK.findall(line)]


def relative_links(path: Path) -> list[str]:
    return [t for t in links(path) if not re.match(r"^([a-z][a-z0-9+.-]*:|//)", t, re.IGNORECASE)]


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(REPO)))
def test_relative_links_point_at_existing_files_and_headings(document):
    broken = []
    for target in relative_links(document):
        file_part, _, anchor = target.partition("#")
        linked = (document.parent / file_part).resolve() if file_part else document
        if not linked.exists():
            broken.append(f"{target} (no such file)")
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
            broken.append(f"{target} (no such heading)")
    assert not broken, f"{document.relative_to(REPO)}: broken links: {', '.join(broken)}"


def linked_files(document: Path) -> set[Path]:
    return {(document.parent / t.partition("#")[0]).resolve() for t in relative_links(document) if t.partition("#")[0]}


@pytest.mark.parametrize("document", ["README.md", "docs/index.md"])
def test_every_manual_page_is_linked(document):
    path = REPO / document
    pages = {page.resolve() for page in (REPO / "docs").glob("*.md")} - {path.resolve()}
    unlinked = sorted(str(page.relative_to(REPO)) for page in pages - linked_files(path))
    assert not unlinked, f"{document} does not link {', '.join(unlinked)}"


def test_readme_links_contributing_and_the_benchmarks():
    linked = linked_files(REPO / "README.md")
    assert CONTRIBUTING.resolve() in linked
    assert (REPO / "bench" / "README.md").resolve() in linked
