"""The whole small site compared with a reviewed copy (Pelican-style golden tree).

Every file the build writes is compared, but for the search bundles (binary
Pagefind output, checked in test_search.py). Chart drawings come from
vl-convert and are checked elsewhere; here each is reduced to its title and
description so a renderer upgrade does not churn the tree, and fingerprinted
asset names lose their hash. Regenerate after an intended change with
BSCGEN_UPDATE_GOLDEN=1 python3 -m pytest tests/test_golden.py, and review
the diff (git diff tests/golden).
"""

import os
import re
import shutil
from pathlib import Path

from bscgen import site, urls
from tests.helpers import REPO, copy_fixture

FIXTURE = Path(__file__).parent / "fixtures" / "small"
GOLDEN = Path(__file__).parent / "golden" / "small-site"
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


def golden_tree() -> dict[str, str]:
    return {p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8") for p in sorted(GOLDEN.rglob("*")) if p.is_file()}


def test_the_whole_site_matches_the_golden_tree(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")  # the data status's as-of date: 2026-11-17
    project = copy_fixture("small", tmp_path / "p")
    site.build(project, tmp_path / "out", use_cache=False)
    built = built_tree(tmp_path / "out")
    if os.environ.get("BSCGEN_UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for name, text in built.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_text(text, encoding="utf-8")
    expected = golden_tree()
    assert sorted(built) == sorted(expected)
    differing = [name for name in built if built[name] != expected[name]]
    assert not differing, f"differ from tests/golden/small-site: {differing}"
