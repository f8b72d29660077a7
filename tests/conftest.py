from pathlib import Path

import pytest

from tests.helpers import cli_build, copy_example

@pytest.fixture(scope="session")
def example_site(tmp_path_factory) -> Path:
    """The example scorecard, built once for the whole test session."""
    project = copy_example(tmp_path_factory.mktemp("example"))
    result = cli_build(project, "--strict")
    assert result.exit_code == 0, result.output
    return project / "site"
