"""The built example site: every page type, links, charts, accessibility basics."""

import html
import json
import re
from pathlib import Path

import pytest

from bscgen import site
from tests.helpers import REPO, write_project
from tests.linkcheck import check_site, parse

PAGE_TYPES = [
    "index.html",
    "perspectives/customer/index.html",
    "objectives/C1/index.html",
    "kpis/tier1-availability/index.html",
    "strategy-map/index.html",
    "initiatives/index.html",
    "quarters/index.html",
    "briefing/index.html",
    "attention/index.html",
    "alignment/index.html",
    "cascade/index.html",
    "changes/index.html",
    "data-status/index.html",
    "perspectives/index.html",
    "objectives/index.html",
    "kpis/index.html",
]


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def test_every_page_exists(example_site):
    data = json.loads(read(example_site, "scorecard.json"))
    expected = set(PAGE_TYPES)
    for perspective in data["perspectives"]:
        expected.add(f"perspectives/{perspective['id']}/index.html")
        for objective in perspective["objectives"]:
            expected.add(f"objectives/{objective['id']}/index.html")
            expected.update(f"kpis/{k['id']}/index.html" for k in objective["kpis"])
    built = {p.relative_to(example_site).as_posix() for p in example_site.rglob("*.html")}
    at_root = {path for path in built if not re.match(r"\d{4}-Q\d/|scorecards/", path)}
    assert at_root == expected
    for quarter in data["periods"]:  # and the same pages again in every quarter's folder (data status: root only)
        assert {f"{quarter}/{path}" for path in expected - {"data-status/index.html"}} <= built


def test_link_checker_passes(example_site):
    assert check_site(example_site) == []


def test_link_checker_catches_problems(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<link rel="stylesheet" href="https://cdn.example.com/x.css">'
        '<a href="a/missing.html">x</a><a href="a/">folder</a><a href="/abs.html">abs</a>'
        '<a href="#nowhere">frag</a><img src="//cdn.example.com/i.png"><a href="https://example.com">ok</a>'
    )
    problems = check_site(tmp_path)
    assert len(problems) == 6, problems


@pytest.mark.parametrize("path", PAGE_TYPES)
def test_every_page_has_the_common_parts(example_site, path):
    html = read(example_site, path)
    assert "<title>" in html and "IT Balanced Scorecard" in html
    assert "2026 Q3" in html  # the quarter it describes
    assert 'href="' + "../" * path.count("/") + 'quarters/index.html"' in html  # quarter switcher without JS
    assert 'aria-label="Main"' in html
    # scripts only from files (no inline script, CSP-friendly): the switcher and the search
    scripts = re.findall(r"<script[^>]*>", html)
    prefix = "../" * path.count("/")
    assert scripts == [
        f'<script src="{prefix}static/{(example_site / "static").glob("switcher.*.js").__next__().name}" defer>',
        f'<script src="{prefix}pagefind/pagefind-ui.js" defer>',
        f'<script src="{prefix}static/{(example_site / "static").glob("search.*.js").__next__().name}" defer>',
    ]
    assert html.count("</script>") == 3
    assert 'id="search"' in html  # the search box


def test_home_page(example_site):
    html = read(example_site, "index.html")
    data = json.loads(read(example_site, "scorecard.json"))
    assert f"{data['score']:.1f}" in html
    assert html.count('class="card card-') == 4 + 2  # four perspectives, two unit scorecards
    for perspective in data["perspectives"]:
        assert perspective["title"] in html
    # status as text and icon, not colour alone
    assert re.search(r'<span class="status status-amber"><span class="icon" aria-hidden="true">▲</span> At risk</span>', html)
    # trend arrow and delta for the overall score
    delta = data["score"] - data["previous_score"]
    assert f"{delta:+.1f}" in html
    # the strategy map with a link per objective
    objectives = [o["id"] for p in data["perspectives"] for o in p["objectives"]]
    for oid in objectives:
        assert f'href="objectives/{oid}/index.html"' in html
    # needs attention: every red and every no-data KPI
    attention, projected = html.split('id="attention-heading"')[1].split("</section>")[0].split('id="projected-heading"')
    # and, apart, every green KPI with less than an even chance at year end (SPEC 13)
    for p in data["perspectives"]:
        for o in p["objectives"]:
            for k in o["kpis"]:
                link = f'href="kpis/{k["id"]}/index.html"'
                assert (link in attention) == (k["status"] in ("red", "none")), k["id"]
                assert (link in projected) == (k["status"] == "green" and k["projection"]["probability"] < 0.5), k["id"]
    assert "Executive summary, 2026 Q3" in html
    assert "Example Corp" in html  # home text from content/index.md


def test_every_page_has_one_h1(example_site):
    for page in sorted(example_site.glob("**/index.html")):
        if "pagefind" not in page.parts:
            assert page.read_text().count("<h1") == 1, page


def test_perspective_page(example_site):
    html = read(example_site, "perspectives/customer/index.html")
    data = json.loads(read(example_site, "scorecard.json"))
    customer = next(p for p in data["perspectives"] if p["id"] == "customer")
    for objective in customer["objectives"]:
        assert f'href="../../objectives/{objective["id"]}/index.html"' in html
        assert f"{objective['score']:.1f}" in html
    assert html.count('<figure class="chart"') == 2
    assert "Customer: objective scores" in html and "Customer: score by quarter" in html


def test_objective_page(example_site):
    html = read(example_site, "objectives/C1/index.html")
    assert "Head of Infrastructure and Operations" in html  # owner
    assert '<table>' in html and "<th>Service tier</th>" in html  # Markdown table in the description
    assert 'href="../../objectives/F3/index.html"' in html  # supports
    for supporter in ("P1", "P2", "P3", "P4"):  # supported by
        assert f'href="../../objectives/{supporter}/index.html"' in html
    for kpi in ("tier1-availability", "erp-availability-worst-month", "p1-incidents"):
        assert f'href="../../kpis/{kpi}/index.html"' in html
    assert "Commentary, 2026 Q3" in html
    assert html.count('<figure class="chart"') == 2


def test_objective_page_lists_initiatives_and_stale_values(example_site):
    f1 = read(example_site, "objectives/F1/index.html")
    assert 'href="../../initiatives/index.html#INI-01"' in f1
    l2 = read(example_site, "objectives/L2/index.html")
    assert 'class="stale"' in l2  # the engagement survey is carried forward


def test_kpi_page(example_site):
    html = read(example_site, "kpis/it-cost-per-user/index.html")
    assert "down (lower is better)" in html
    assert "€4,665" in html and "€4,500" in html and "€5,200" in html
    assert "2026: €4,500" in html  # per-year targets listed
    history = html.split("Every quarter")[1]
    assert history.count('<th scope="row">20') == 9  # one row per quarter, 2024 Q3 to 2026 Q3
    assert html.count('<figure class="chart"') == 1


def test_range_kpi_page_formats_bounds(example_site):
    html = read(example_site, "kpis/budget-variance/index.html")
    assert "-2.0 to 2.0%" in html or "-2 to 2%" in html


@pytest.mark.parametrize("path", ["perspectives/financial/index.html", "objectives/F1/index.html", "kpis/cloud-cost/index.html"])
def test_charts_are_accessible_svg(example_site, path):
    html = read(example_site, path)
    figures = re.findall(r'<figure class="chart" id="([^"]+)"[^>]*>(.*?)</figure>', html, re.S)
    assert figures
    for chart_id, body in figures:
        assert f'<svg role="img" aria-labelledby="{chart_id}-title {chart_id}-desc"' in body
        assert re.search(rf'<title id="{chart_id}-title">[^<]+</title><desc id="{chart_id}-desc">[^<]+</desc>', body)
        assert "<details>" in body and "<table>" in body  # the numbers without the picture
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "element ids must be unique within a page"


def test_kpi_chart_data_table_matches_history(example_site):
    html = read(example_site, "kpis/cloud-cost/index.html")
    table = html.split("Data table:")[1].split("</table>")[0]
    assert "€316,500" in table and "€290,000" in table
    assert table.count("<tr>") == 1 + 9 + 1  # header, 9 quarters, the projected quarter
    assert "2026 Q4 (projected)" in table and "80% interval" in table


def test_strategy_map_page(example_site):
    html = read(example_site, "strategy-map/index.html")
    data = json.loads(read(example_site, "scorecard.json"))
    links = sum(len(o["supports"]) for p in data["perspectives"] for o in p["objectives"])
    assert html.count('class="map-arrow"') == links
    assert html.count('class="map-objective map-') == 14
    for p in data["perspectives"]:
        assert re.search(rf'class="map-band-title map-band-title-[01]"[^>]*>{re.escape(p["title"])}</text>', html)


def test_initiatives_page(example_site):
    html = read(example_site, "initiatives/index.html")
    assert html.count('<article class="initiative"') == 6
    assert '<table class="scores portfolio">' in html and "<tfoot>" in html
    assert 'id="INI-01"' in html
    assert '<a href="../initiatives.csv">initiatives.csv</a>' in html


def test_pages_are_well_formed_enough_to_parse(example_site):
    for page in example_site.rglob("*.html"):
        collector = parse(page)
        assert collector.urls, page


def test_home_page_is_small(example_site):
    assert (example_site / "index.html").stat().st_size < 200_000


def _css_text(literal: str) -> str:
    """What a CSS string literal reads as (its hex escapes decoded)."""
    assert literal[0] == literal[-1] == '"'
    return re.sub(r"\\([0-9a-f]{1,6}) ?", lambda m: chr(int(m.group(1), 16)), literal[1:-1])


@pytest.mark.parametrize("title", ['IT "Score"} card; @import url(x)', "Line\nbreak \\ back", "Ünïcode · <b>"])
def test_running_header_text_cannot_escape_its_css_string(title):
    from bscgen.render import css_string

    literal = css_string(title)
    assert not re.search(r'["{};<>\n]', literal[1:-1])
    assert _css_text(literal) == title


def test_every_quarter_prints_its_own_running_header(example_site):
    for folder, quarter in ((example_site, "2026 Q3"), (example_site / "2025-Q2", "2025 Q2")):
        html = (folder / "briefing" / "index.html").read_text()
        href = re.search(r'<link rel="stylesheet" href="([^"]+running-header\.[0-9a-f]{10}\.css)" media="print">', html).group(1)
        css = (folder / "briefing" / href).read_text()
        literal = re.search(r'@top-left \{ content: ("[^"]*"); \}', css).group(1)
        assert _css_text(literal) == f"IT Balanced Scorecard · Example Corp IT · {quarter}"


def test_every_page_has_its_own_short_meta_description(example_site):
    found = {}
    for path in PAGE_TYPES:
        content = re.search(r'<meta name="description" content="([^"]*)">', read(example_site, path))
        assert content, path
        found[path] = html.unescape(content[1])
        assert 20 <= len(found[path]) <= 160, (path, found[path])
    assert len(set(found.values())) == len(found)  # each page says what it is about
    # the home text's first paragraph speaks for the home page
    home_text = (REPO / "content" / "index.md").read_text(encoding="utf-8")
    assert found["index.html"][:40] in " ".join(home_text.split())


def test_the_home_page_lists_the_worst_ten_and_links_the_full_attention_page(tmp_path):
    kpis = "kpis:\n" + "".join(
        f"  - {{id: k{i:02d}, name: KPI {i}, objective: F1, target: 100}}\n" for i in range(25))
    csv = "kpi,period,value\n" + "".join(f"k{i:02d},2026-Q1,{i}\n" for i in range(24))  # k24: no data
    project = write_project(tmp_path / "p", kpis, {"actuals.csv": csv})
    site.build(project, project / "site", use_cache=False)
    home = read(project / "site", "index.html")
    attention = read(project / "site", "attention/index.html")
    listed = re.findall(r'href="kpis/(k\d\d)/index.html"', home)
    assert listed == [f"k{i:02d}" for i in range(10)]  # lowest score first
    assert 'href="attention/index.html">All 25 KPIs that need attention' in home
    everything = re.findall(r'href="../kpis/(k\d\d)/index.html"', attention)
    assert everything == [f"k{i:02d}" for i in range(25)]  # k24, without data, last


# --- the catalogues: every folder of the site has its page (SPEC 22) ---------------------


def rows(page: str) -> list[list[str]]:
    """The body rows of a page's first table, each cell as its words."""
    body = page[page.index("<tbody>"):page.index("</tbody>")]
    return [[" ".join(re.sub(r"<[^>]+>", " ", html.unescape(cell)).split())
             for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def scores_in_order(scores: list[float | None]) -> bool:
    """Highest first, those without a score last."""
    known = [s for s in scores if s is not None]
    return known == sorted(known, reverse=True) and scores == known + [None] * (len(scores) - len(known))


def test_the_kpi_catalogue_lists_every_kpi_by_score(example_site):
    data = json.loads(read(example_site, "scorecard.json"))
    kpis = {k["id"]: (o, k) for p in data["perspectives"] for o in p["objectives"] for k in o["kpis"]}
    page = read(example_site, "kpis/index.html")
    found = re.findall(r'<th scope="row"><a href="../kpis/([^/]+)/index.html">', page)
    assert sorted(found) == sorted(kpis)
    assert scores_in_order([kpis[k][1]["score"] for k in found])
    header = re.findall(r'<th scope="col">([^<]+)</th>', page)
    assert header == ["KPI", "Objective", "Owner", "Unit", "Frequency", "Target", "Score", "Status"]
    for (name, objective, owner, unit, frequency, target, score, status), kpi_id in zip(rows(page), found):
        o, k = kpis[kpi_id]
        assert name == k["name"] and objective == f'{o["id"]} {o["title"]}'
        assert owner != "" and frequency in ("monthly", "quarterly", "annual")
        assert status.split(" ", 1)[1] in ("On track", "At risk", "Off track", "No data")


def test_the_objective_catalogue_lists_every_objective_by_score(example_site):
    data = json.loads(read(example_site, "scorecard.json"))
    objectives = {o["id"]: (p, o) for p in data["perspectives"] for o in p["objectives"]}
    page = read(example_site, "objectives/index.html")
    found = re.findall(r'<th scope="row"><a href="../objectives/([^/]+)/index.html">', page)
    assert sorted(found) == sorted(objectives)
    assert scores_in_order([objectives[o][1]["score"] for o in found])
    for cells, oid in zip(rows(page), found):
        perspective, objective = objectives[oid]
        assert cells[1] == perspective["title"] and cells[3] == str(len(objective["kpis"]))


def test_the_perspective_catalogue_lists_every_perspective_by_score(example_site):
    data = json.loads(read(example_site, "scorecard.json"))
    page = read(example_site, "perspectives/index.html")
    found = re.findall(r'<th scope="row"><a href="../perspectives/([^/]+)/index.html">', page)
    assert sorted(found) == sorted(p["id"] for p in data["perspectives"])
    scores = {p["id"]: p["score"] for p in data["perspectives"]}
    assert scores_in_order([scores[p] for p in found])


def test_the_navigation_links_the_catalogues_on_every_page(example_site):
    for path in ("index.html", "kpis/tier1-availability/index.html", "2025-Q4/index.html"):
        nav = read(example_site, path).split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]
        assert '>Objectives</a>' in nav and '>KPIs</a>' in nav
    nav = read(example_site, "kpis/index.html").split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]
    assert 'href="../kpis/index.html" aria-current="page">KPIs</a>' in nav


def test_no_folder_of_a_quarter_copy_lacks_its_page(example_site):
    """Every folder URL of the site's copies, the child sub-sites' included, answers; only
    assets, search indexes and scorecards/ (the folder of the sub-sites) have no page."""
    skipped = ("static", "pagefind", "pagefind-commentary")
    missing = [folder.relative_to(example_site).as_posix() for folder in example_site.rglob("*")
               if folder.is_dir() and not (folder / "index.html").is_file() and folder.name != "scorecards"
               and not set(folder.relative_to(example_site).parts) & set(skipped)]
    assert missing == []


def test_the_unit_scorecards_page_lists_every_child_and_only_the_root_has_it(example_site):
    """scorecards/ is the folder of the child sub-sites: its own page lists them, so the
    folder URL is no 404 (SPEC 22)."""
    children = json.loads(read(example_site, "scorecard.json"))["scorecards"]
    page = read(example_site, "scorecards/index.html")
    rows = re.findall(r'<th scope="row"><a href="([^"]+)">([^<]+)</a></th>', page)
    assert [title for _, title in rows] == [c["title"] for c in children]
    assert rows[0][0] == "../scorecards/infra/2026-Q3/index.html"  # a built child: its copy of the quarter
    assert rows[1][0].startswith("https://intranet.example/security/")  # a published one: its own site
    assert not list(example_site.glob("*-Q?/scorecards"))
