import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from bscgen.cli import main

REPO = Path(__file__).resolve().parent.parent


def copy_example(destination: Path) -> Path:
    """A copy of the example project in the repository root."""
    destination.mkdir(parents=True, exist_ok=True)
    for name in ("bscgen.yaml", "content", "data", "themes", "scorecards", "vendor"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, destination / name)
        else:
            shutil.copy(source, destination / name)
    return destination


@pytest.fixture(scope="session")
def example_site(tmp_path_factory) -> Path:
    """The example scorecard, built once for the whole test session."""
    project = copy_example(tmp_path_factory.mktemp("example"))
    result = CliRunner().invoke(main, ["build", "-s", str(project), "--strict"])
    assert result.exit_code == 0, result.output
    return project / "site"
