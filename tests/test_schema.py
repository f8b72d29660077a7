"""schema.py: typed, positioned reading of one YAML mapping."""

from __future__ import annotations

from datetime import date

from bscgen.files import load_yaml
from bscgen.problems import Problems, Source
from bscgen.schema import Fields, check_markdown, describe

SOURCE = Source("data/kpis.yaml")


def fields(text: str, known=("id", "name", "weight", "when", "tags", "extra", "description")) -> tuple[Fields, Problems]:
    problems = Problems()
    mapping = load_yaml(text, SOURCE, problems)
    return Fields(mapping, SOURCE, problems, "the KPI", known), problems


def messages(problems: Problems) -> list[str]:
    return [str(p) for p in problems.sorted()]


def test_clean_values_come_back_typed():
    f, problems = fields("id: cost\nname: 12\nweight: 2\nwhen: 2026-03-31\ntags: [A1, B2]\nextra: {a: 1}\n")
    assert f.identifier("id", required=True) == "cost"
    assert f.text("name") == "12"
    assert f.number("weight", minimum=0) == 2
    assert f.date("when") == date(2026, 3, 31)
    assert f.id_list("tags") == [("A1", SOURCE.at(5)), ("B2", SOURCE.at(5))]
    assert dict(f.mapping_of("extra")) == {"a": 1}
    assert problems.items == []


def test_unknown_key_is_reported_at_its_line_with_a_suggestion():
    _, problems = fields("id: cost\nnmae: Cost\n")
    assert messages(problems) == [
        'data/kpis.yaml:2: error: unknown key "nmae" in the KPI (did you mean "name"?); put fields of your own under extra:'
    ]


def test_a_wrong_value_is_reported_at_its_line_and_the_default_stands_in():
    f, problems = fields("id: bad id\nweight: -1\nwhen: soon\n")
    assert f.identifier("id") is None
    assert f.number("weight", default=1, minimum=0) == 1
    assert f.date("when") is None
    assert [(p.source.line, p.severity) for p in problems.sorted()] == [(1, "error"), (2, "error"), (3, "error")]


def test_missing_required_key_points_at_the_mapping():
    f, problems = fields("\n\nname: x\n")
    assert f.text("id", required=True) is None
    assert messages(problems) == ['data/kpis.yaml:3: error: the KPI is missing the required key "id"']


def test_describe_names_wrong_values_in_plain_words():
    problems = Problems()
    assert describe(load_yaml("[1]", SOURCE, problems)) == "a list"
    assert describe(load_yaml("{a: 1}", SOURCE, problems)) == "a mapping"
    assert describe(True) == "true (a yes/no value)"
    assert describe("x") == '"x"'


# --- Markdown texts -----------------------------------------------------------------


def test_check_markdown_points_at_the_file_line_of_the_deep_spot():
    problems = Problems()
    check_markdown("Intro.\n\n" + ">" * 51 + " deep\n", Source("content/index.md"), 5, problems)
    assert [str(p.source) for p in problems.items] == ["content/index.md:7"]
    assert "nested more than 50 levels" in problems.items[0].message


def test_a_literal_description_is_checked_line_by_line():
    deep = "".join(f"      {'  ' * i}- item\n" for i in range(120))
    f, problems = fields("id: cost\ndescription: |\n      Intro.\n" + deep)
    assert f.markdown("description").startswith("Intro.")
    # python-markdown nests a list one level per 4 spaces: item i (indent 2i) is 2i // 4 + 1
    # levels deep, so item 100 is the first past 50; it is line 102 of the text, which starts on line 3
    assert [p.source.line for p in problems.errors] == [3 + 101]


def test_a_one_line_description_is_reported_at_its_key():
    f, problems = fields('id: cost\ndescription: "' + "[" * 60 + '"\n')
    f.markdown("description")
    assert [p.source.line for p in problems.errors] == [2]


def test_ordinary_descriptions_pass():
    f, problems = fields("description: |\n  **Bold**, a [link](x) and\n\n  - a\n    - list\n      - nested\n")
    assert f.markdown("description") is not None
    assert problems.items == []
