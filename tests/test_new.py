import json
import subprocess
import sys
import zipfile

from tests.helpers import REPO, cli


def test_new_project_builds_without_warnings(tmp_path):
    target = tmp_path / "scorecard"
    result = cli("new", target)
    assert result.exit_code == 0, result.output
    assert (target / ".gitignore").read_text().count("site/") == 1
    assert len(list((target / "content" / "objectives").glob("*.md"))) == 6
    result = cli("build", "-s", target, "--strict")
    assert result.exit_code == 0, result.output
    data = json.loads((target / "site" / "scorecard.json").read_text())
    assert len(data["periods"]) == 4
    assert sum(len(o["kpis"]) for p in data["perspectives"] for o in p["objectives"]) == 12
    assert (target / "site" / "initiatives" / "index.html").read_text().count('class="initiative"') == 1


def test_new_refuses_a_folder_with_files(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    result = cli("new", tmp_path)
    assert result.exit_code == 2 and "not an empty folder" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_new_accepts_an_empty_folder(tmp_path):
    assert cli("new", tmp_path).exit_code == 0
    assert (tmp_path / "bscgen.yaml").is_file()


def test_the_wheel_ships_the_theme_and_the_starter(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(REPO)],
        check=True, capture_output=True,
    )
    (wheel,) = tmp_path.glob("bscgen-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("bscgen/themes/default/templates/base.html", "bscgen/themes/default/static/style.css",
                 "bscgen/starter/bscgen.yaml", "bscgen/starter/gitignore", "bscgen/devserver/reload.js"):
        assert name in names, name
