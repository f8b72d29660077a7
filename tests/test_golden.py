"""A whole objective page compared with a reviewed copy (Pelican-style golden file).

Chart drawings come from vl-convert and are checked elsewhere; here each is
reduced to its title and description so a renderer upgrade does not churn
the golden file. Regenerate after an intended change with
BSCGEN_UPDATE_GOLDEN=1 python3 -m pytest tests/test_golden.py, and review the diff.
"""

import os
import re
import shutil
from pathlib import Path

from click.testing import CliRunner

from bscgen.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "small"
GOLDEN = Path(__file__).parent / "golden" / "objective-C1.html"
SVG = re.compile(r'(<svg role="img" aria-labelledby="[^"]+"[^>]*>)(<title.*?</desc>).*?</svg>', re.S)


FINGERPRINT = re.compile(r"\.[0-9a-f]{10}\.(css|js)\b")


def normalise(html: str) -> str:
    html = FINGERPRINT.sub(r".HASH.\1", html)  # asset hashes change with every stylesheet edit
    return SVG.sub(lambda m: "<svg …>" + m[2] + "…</svg>", html)


def test_objective_page_matches_golden_file(tmp_path):
    project = shutil.copytree(FIXTURE, tmp_path / "p", ignore=shutil.ignore_patterns("site"))
    result = CliRunner().invoke(main, ["build", "-s", str(project)])
    assert result.exit_code == 0, result.output
    page = normalise((Path(project) / "site" / "objectives" / "C1" / "index.html").read_text(encoding="utf-8"))
    if os.environ.get("BSCGEN_UPDATE_GOLDEN"):
        GOLDEN.write_text(page, encoding="utf-8")
    assert page == GOLDEN.read_text(encoding="utf-8")
