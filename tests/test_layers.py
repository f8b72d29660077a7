"""The import layers of pyproject.toml hold (import-linter): no module imports a later stage."""

import shutil
import subprocess

import pytest

from tests.conftest import REPO


def test_no_module_imports_a_layer_above_its_own():
    lint = shutil.which("lint-imports")
    if lint is None:
        pytest.fail("lint-imports is missing: install the test extras (pip install -e '.[test]')")
    result = subprocess.run([lint, "--no-cache"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
