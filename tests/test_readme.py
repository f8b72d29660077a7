"""The README's quickstart is what CI runs."""

import re

from tests.helpers import REPO


def quickstart_commands() -> list[str]:
    readme = (REPO / "README.md").read_text()
    section = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_quickstart_has_two_commands():
    build, test = quickstart_commands()
    assert "pip install" in build and "bscgen build" in build
    assert "[test]" in test and "pytest" in test


def test_ci_runs_exactly_the_readme_test_command():
    _, test = quickstart_commands()
    ci = (REPO / ".ci" / "run").read_text().splitlines()
    assert test in ci
