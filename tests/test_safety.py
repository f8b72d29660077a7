"""Hostile text in every field must come out as text, never as markup."""

import re
from html.parser import HTMLParser
from pathlib import Path

from tests.helpers import cli_build, write_project

PAYLOAD = """<script>alert('x')</script><img src=x onerror=alert(1)>"'><svg onload=alert(2)>"""
LINK = "[click](javascript:alert(3))"
# YAML-safe single-quoted form of the payload
Q = "'" + PAYLOAD.replace("'", "''") + "'"

CONFIG = f"""\
title: {Q}
organization: {Q}
extra: {{motto: {Q}}}
perspectives:
  - {{id: financial, title: {Q}}}
  - {{id: customer, title: {Q}}}
"""

OBJECTIVES = {
    "f1.md": f"---\nid: F1\ntitle: {Q}\nperspective: financial\nowner: {Q}\n---\n{PAYLOAD}\n\n{LINK}\n",
    "c1.md": f"---\nid: C1\ntitle: {Q}\nperspective: customer\nowner: {Q}\nsupports: [F1]\n---\n# {PAYLOAD}\n",
}

KPIS = f"""\
kpis:
  - id: cost
    name: {Q}
    objective: F1
    unit: {Q}
    direction: down
    baseline: 10
    target: 5
    source: {Q}
    description: {Q}
  - id: csat
    name: {Q}
    objective: C1
    target: 90
    targets: {{2026: 80}}
"""

NOTE = PAYLOAD.replace('"', '""')
CSV = f'kpi,period,value,note\ncost,2026-01,7,"{NOTE}"\ncsat,2026-02,85,"{NOTE}"\ncost,2025-12,8,\n'


class TagCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.bad: list[str] = []

    def handle_starttag(self, tag, attrs):
        src = dict(attrs).get("src") or ""
        if tag == "script" and re.fullmatch(r"(\.\./)*(static/(switcher|search)\.[0-9a-f]{10}\.js|pagefind/pagefind-ui\.js)", src):
            return  # the theme's own scripts
        if tag in ("script", "iframe", "object", "embed", "style", "form") and not (tag == "form" and dict(attrs).get("id") == "quarter-switcher"):
            self.bad.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.bad.append(f"{tag} {name}=")
            if value and value.strip().lower().replace("\x00", "").startswith("javascript:"):
                self.bad.append(f"{tag} {name}={value}")

    handle_startendtag = handle_starttag


def hostile_project(root: Path) -> Path:
    write_project(root, KPIS, {"a.csv": CSV}, config=CONFIG, objectives=OBJECTIVES)
    (root / "content" / "index.md").write_text(f"{PAYLOAD}\n\n{LINK}\n")
    (root / "content" / "perspectives").mkdir()
    (root / "content" / "perspectives" / "financial.md").write_text(PAYLOAD)
    for quarter in ("2026-Q1",):
        folder = root / "content" / "commentary" / quarter
        folder.mkdir(parents=True)
        (folder / "index.md").write_text(f"---\ntitle: {Q}\n---\n{PAYLOAD}\n")
        (folder / "F1.md").write_text(f"{PAYLOAD}\n{LINK}\n")
    (root / "content" / "initiatives").mkdir()
    (root / "content" / "initiatives" / "x.md").write_text(
        f"---\nid: INI-1\ntitle: {Q}\nobjectives: [F1]\nowner: {Q}\nstatus: late\n---\n{PAYLOAD}\n{LINK}\n"
    )
    return root


def test_no_payload_survives_as_markup(tmp_path):
    project = hostile_project(tmp_path / "hostile")
    result = cli_build(project)
    assert result.exit_code == 0, result.output
    pages = sorted((project / "site").rglob("*.html"))
    assert len(pages) >= 10
    for page in pages:
        collector = TagCollector()
        collector.feed(page.read_text(encoding="utf-8"))
        assert collector.bad == [], page
    # The text is still shown, escaped, where it was written.
    home = (project / "site" / "index.html").read_text()
    assert "&lt;script&gt;alert(" in home
    kpi = (project / "site" / "kpis" / "cost" / "index.html").read_text()
    assert kpi.count("&lt;script&gt;") >= 3  # name, unit, source, note
