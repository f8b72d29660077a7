"""The repository offers `bscgen check` as a pre-commit hook (SPEC 22), and the docs'
.pre-commit-config.yaml names it."""

from __future__ import annotations

import re
import shlex

import yaml

from tests.helpers import REPO, cli, copy_fixture

HOOKS = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


def test_the_hook_runs_bscgen_check_once_per_commit():
    (hook,) = HOOKS
    assert hook["id"] == "bscgen-check" and hook["name"]
    assert hook["entry"] == "bscgen check" and hook["language"] == "python"
    assert hook["pass_filenames"] is False  # the whole project, not the files staged
    # a manifest entry has no keys pre-commit does not know (its manifest schema's)
    assert set(hook) <= {"id", "name", "entry", "language", "files", "exclude", "types", "types_or",
                         "exclude_types", "always_run", "fail_fast", "verbose", "pass_filenames",
                         "require_serial", "description", "language_version", "minimum_pre_commit_version",
                         "args", "stages", "additional_dependencies"}


def test_the_hook_runs_for_every_file_the_check_reads_and_no_other():
    files = re.compile(HOOKS[0]["files"])
    for path in ("bscgen.yaml", "content/objectives/f1.md", "data/kpis.yaml", "data/actuals/a.csv",
                 "themes/corp/templates/kpi.html", "scorecards/infra/data/kpis.yaml"):
        assert files.search(path), path
    for path in ("README.md", "site/index.html", ".gitignore", "docs/content/x.md", "it/bscgen.yaml"):
        assert not files.search(path), path


def test_its_entry_checks_a_project_from_the_project_root(tmp_path, monkeypatch):
    project = copy_fixture("small", tmp_path / "p")
    monkeypatch.chdir(project)  # pre-commit runs hooks at the repository's root
    command, *args = shlex.split(HOOKS[0]["entry"])
    assert command == "bscgen"
    assert cli(*args).exit_code == 0
    (project / "data" / "kpis.yaml").write_text("kpis:\n  - id: x\n    nmae: X\n")
    result = cli(*args)
    assert result.exit_code == 1 and "data/kpis.yaml:3: error: unknown key" in result.stderr


def test_the_docs_config_names_the_hook():
    docs = (REPO / "docs" / "commands.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(repos:.*?)```", docs, re.S)[1]
    config = yaml.safe_load(block)
    (repo,) = config["repos"]
    assert set(repo) == {"repo", "rev", "hooks"} and repo["hooks"] == [{"id": HOOKS[0]["id"]}]
    assert len(block.strip().splitlines()) == 4  # repos: and its three lines
