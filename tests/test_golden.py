"""Whole sites compared with reviewed copies (Pelican-style golden trees): the
small fixture (tests/golden/small-site) and the group fixture with its child
scorecards (tests/golden/group-site).

Every file the build writes is compared, but for the search bundles (binary
Pagefind output, checked in test_search.py). Chart drawings come from
vl-convert and are checked elsewhere; here each is reduced to its title and
description so a renderer upgrade does not churn the tree, and fingerprinted
asset names lose their hash. The theme's static files are compared with the
theme instead of being kept twice.

After an intended change of the output, regenerate both trees and review the diff:

    BSCGEN_UPDATE_GOLDEN=1 PYTHONPATH=. python3 -m pytest tests/test_golden.py
    git diff --stat tests/golden && git diff tests/golden

(add -k small or -k group for one of them); then run the test again without
the variable: it must pass.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

from bscgen import site, urls
from tests.helpers import REPO, copy_fixture

GOLDEN = Path(__file__).parent / "golden"
# fixture -> its golden tree under tests/golden/
TREES = {"small": "small-site", "group": "group-site"}
SVG = re.compile(r'(<svg role="img" aria-labelledby="[^"]+"[^>]*>)(<title.*?</desc>).*?</svg>', re.S)
FINGERPRINT = re.compile(r"\.[0-9a-f]{10}\.(css|js|svg)\b")
SEARCH = (urls.SEARCH_CATALOGUE + "/", urls.SEARCH_COMMENTARY + "/")


def normalise(text: str) -> str:
    text = FINGERPRINT.sub(r".HASH.\1", text)  # asset hashes change with every stylesheet edit
    return SVG.sub(lambda m: "<svg …>" + m[2] + "…</svg>", text)


THEME_STATIC = REPO / "themes" / "default" / "static"


def built_tree(out: Path) -> dict[str, str]:
    """Every file but the search bundles, normalised; the theme's static files
    are checked against the theme instead of being kept twice."""
    files = {}
    for path in sorted(out.rglob("*")):
        name = path.relative_to(out).as_posix()
        if not path.is_file() or any(part + "/" in SEARCH for part in name.split("/")):
            continue
        theme_file = THEME_STATIC / FINGERPRINT.sub(r".\1", path.name)
        if "/static/" in f"/{name}" and theme_file.is_file():
            assert path.read_bytes() == theme_file.read_bytes(), name
        else:
            files[normalise(name)] = normalise(path.read_text(encoding="utf-8"))
    return files


def golden_tree(golden: Path) -> dict[str, str]:
    return {p.relative_to(golden).as_posix(): p.read_text(encoding="utf-8") for p in sorted(golden.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("fixture", TREES)
def test_the_whole_site_matches_the_golden_tree(tmp_path, monkeypatch, fixture):
    """tests/fixtures/FIXTURE, built clean, equals tests/golden/TREES[FIXTURE]. Regenerate with
    BSCGEN_UPDATE_GOLDEN=1 PYTHONPATH=. python3 -m pytest tests/test_golden.py (see the module's docstring)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")  # the data status's as-of date: 2026-11-17
    golden = GOLDEN / TREES[fixture]
    project = copy_fixture(fixture, tmp_path / "p")
    site.build(project, tmp_path / "out", use_cache=False)
    built = built_tree(tmp_path / "out")
    if os.environ.get("BSCGEN_UPDATE_GOLDEN"):
        shutil.rmtree(golden, ignore_errors=True)
        for name, text in built.items():
            (golden / name).parent.mkdir(parents=True, exist_ok=True)
            (golden / name).write_text(text, encoding="utf-8")
    expected = golden_tree(golden)
    missing, unexpected = sorted(expected.keys() - built.keys()), sorted(built.keys() - expected.keys())
    assert not missing and not unexpected, f"tests/golden/{TREES[fixture]}: not built {missing}, not in the golden tree {unexpected}"
    differing = [name for name in built if built[name] != expected[name]]
    assert not differing, f"differ from tests/golden/{TREES[fixture]}: {differing}"
