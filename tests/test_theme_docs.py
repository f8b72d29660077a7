"""docs/themes.md lists exactly the variables the code gives each template."""

import dataclasses
import re

import pytest

from bscgen.contexts import PAGE_CONTEXTS
from bscgen.render import CommonContext
from tests.helpers import REPO

DOCS = (REPO / "docs" / "themes.md").read_text()


def _row(first_cell: str) -> str:
    match = re.search(rf"^\| `{re.escape(first_cell)}` \|.*$", DOCS, re.MULTILINE)
    assert match, f"docs/themes.md has no row for {first_cell}"
    return match.group(0)


@pytest.mark.parametrize("context", PAGE_CONTEXTS, ids=lambda c: c.__name__)
def test_each_page_kinds_variables_are_documented(context):
    template = context.template
    row = _row(template)
    for field in dataclasses.fields(context):
        assert f"`{field.name}`" in row, f"{template}: {field.name} is not in docs/themes.md"


def test_the_common_variables_are_documented():
    for field in dataclasses.fields(CommonContext):
        _row(field.name)
