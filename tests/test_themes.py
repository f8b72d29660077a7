from pathlib import Path

from bscgen.themes import builtin_theme
from tests.helpers import cli_build as build
from tests.helpers import copy_fixture


def project_with_theme(tmp_path: Path, theme: str) -> Path:
    """A copy of the small fixture whose bscgen.yaml names `theme` (not created here)."""
    project = copy_fixture("small", tmp_path / "p")
    config = project / "bscgen.yaml"
    config.write_text(config.read_text() + f"theme: {theme}\n")
    return project


def test_a_project_theme_overrides_one_template_and_one_static_file(tmp_path):
    project = project_with_theme(tmp_path, "corporate")
    templates = project / "themes" / "corporate" / "templates"
    templates.mkdir(parents=True)
    (templates / "kpi.html").write_text(
        '{% extends "base.html" %}{% block title %}{{ kpi.kpi.name }}{% endblock %}'
        '{% block main %}<p class="corporate">Corporate view of {{ kpi.kpi.name }}: {{ kpi.score | score }}</p>{% endblock %}'
    )
    static = project / "themes" / "corporate" / "static"
    static.mkdir()
    (static / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")

    result = build(project)
    assert result.exit_code == 0, result.output
    site = project / "site"
    assert '<p class="corporate">Corporate view of IT cost per user: 81.2</p>' in (site / "kpis/cost/index.html").read_text()
    assert "corporate" not in (site / "objectives/F1/index.html").read_text()  # still the built-in template
    assert len(list((site / "static").glob("logo.*.svg"))) == 1
    (style,) = (site / "static").glob("style.*.css")
    assert style.read_bytes() == (builtin_theme() / "static" / "style.css").read_bytes()


def test_a_project_stylesheet_replaces_the_built_in_one(tmp_path):
    project = copy_fixture("small", tmp_path / "p")
    (project / "themes" / "default" / "static").mkdir(parents=True)
    (project / "themes" / "default" / "static" / "style.css").write_text("body { color: teal; }\n")
    assert build(project).exit_code == 0
    (style,) = (project / "site" / "static").glob("style.*.css")
    assert style.read_text() == "body { color: teal; }\n"


def test_unknown_theme_is_an_error(tmp_path):
    project = project_with_theme(tmp_path, "missing")
    result = build(project)
    assert result.exit_code == 1
    assert 'bscgen.yaml:6: error: the theme "missing" does not exist' in result.output


def test_a_broken_template_is_reported_without_a_traceback(tmp_path):
    project = project_with_theme(tmp_path, "broken")
    templates = project / "themes" / "broken" / "templates"
    templates.mkdir(parents=True)
    (templates / "home.html").write_text("{% extends 'base.html' %}\n{% block main %}{{ nope.missing }}{% endblock %}\n")
    result = build(project)
    assert result.exit_code == 1
    assert "themes/broken/templates/home.html" in result.output and "Traceback" not in result.output
