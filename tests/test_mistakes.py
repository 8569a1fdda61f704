"""Mistakes volunteers make, each answered by one line that says what it is, where, and what to do."""

from __future__ import annotations

import pytest
from helpers import edit
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import yamlfile
from generator.errors import KyrError


def one_error(run, root) -> str:
    result = run("build", "--project", str(root), "--doc", "handout")
    assert result.exit_code == 1
    [line] = result.output.strip().splitlines()
    return line


def test_a_tab_says_it_is_a_tab_and_where(mini, run):
    edit(mini / "content/pack.yaml", '  phone: "(501) 555-0100"', '\tphone: "(501) 555-0100"')
    assert one_error(run, mini) == "content/pack.yaml:12: YAML: a tab at column 1: YAML indents with spaces only; replace the tab with spaces (2 for each level)"


def test_a_missing_closing_quote_points_at_the_line_where_it_opened(mini, run):
    edit(mini / "content/pack.yaml", 'title: "Test pack title"', 'title: "Test pack title')
    assert one_error(run, mini) == 'content/pack.yaml:3: YAML: the quote " that opens on this line is not closed on it, so YAML reads on to line 4: add " at the end of its text'


def test_a_missing_closing_quote_in_a_question_points_at_its_line(mini, run):
    edit(mini / "content/questions/q02-help.md", 'question: "Where can I get help?"', 'question: "Where can I get help?')
    result = run("build", "--project", str(mini), "--doc", "handout")
    assert 'content/questions/q02-help.md:3: YAML: the quote " that opens on this line is not closed on it' in result.output


def test_a_three_space_indent_says_what_the_indentation_should_be(mini, run):
    edit(mini / "content/rights.yaml", '    text: "Facts you give', '   text: "Facts you give')
    # Only the mistake: the rights pack.yaml names are not also reported as unknown.
    edit(mini / "content/pack.yaml", "    questions: [q01]\n", "    questions: [q01]\n    rights: [r01, r02]\n")
    assert one_error(run, mini) == (
        "content/rights.yaml:9: YAML: this line is indented 3 spaces, which matches no line above it: "
        "indent it by 4 spaces like 'title' on line 8, or indent it by 2 spaces like the '-' on line 6"
    )


def test_a_key_indented_deeper_than_its_sibling_says_to_line_it_up(mini, run):
    edit(mini / "content/pack.yaml", '  email: "help@example.org"', '   email: "help@example.org"')
    assert one_error(run, mini) == (
        "content/pack.yaml:14: YAML: this line is indented 3 spaces, deeper than 'website' on line 13, which has its value, "
        "so YAML cannot tell where it belongs: indent it by 2 spaces like 'website' on line 13"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\ntitle: 'abc\n", "f.yaml:2: YAML: the quote ' that opens on this line is never closed: add ' at the end of its text"),
        ("rights:\n  - id: r01\n\t title: x\n", "f.yaml:3: YAML: a tab at column 1: YAML indents with spaces only; replace the tab with spaces (2 for each level)"),
        (
            "organization:\n   name: x\n  phone: y\n",
            "f.yaml:3: YAML: this line is indented 2 spaces, which matches no line above it: indent it by 3 spaces like 'name' on line 2, "
            "or start it at the left edge like 'organization' on line 1",
        ),
        # A text block and a quoted value over two lines are not mistakes; the indent after them is.
        (
            'a: |\n  text\n     more\nb: "one\n  two"\nc:\n  d: 1\n e: 2\n',
            "f.yaml:8: YAML: this line is indented 1 space, which matches no line above it: indent it by 2 spaces like 'd' on line 7, "
            "or start it at the left edge like 'c' on line 6",
        ),
        ("title: Note: this\n", "f.yaml:1: YAML: mapping values are not allowed in this context"),
    ],
)
def test_yaml_mistakes_in_plain_words(text, expected):
    with pytest.raises(KyrError) as info:
        yamlfile.load(text, "f.yaml")
    assert str(info.value) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(" \t\n-:'\"#|>[],ab1")), max_size=80))
def test_any_yaml_gives_data_or_one_problem_on_one_of_its_lines(text):
    try:
        yamlfile.load(text, "f.yaml")
    except KyrError as exc:
        [problem] = exc.problems
        assert problem.path == "f.yaml" and 1 <= problem.line <= text.count("\n") + 2
        assert problem.message.startswith("YAML: ")


def test_a_question_saved_as_txt_is_named_beside_the_unknown_id_it_causes(mini, run):
    source = (mini / "content/questions/q02-help.md").read_text().replace("id: q02", "id: q03")
    (mini / "content/questions/q03-new.txt").write_text(source)
    edit(mini / "content/pack.yaml", "questions: [q01]", "questions: [q01, q03]")
    result = run("build", "--project", str(mini), "--doc", "handout")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "content/questions/q03-new.txt: warning: not read: question files end in .md; rename it q03-new.md",
        "content/pack.yaml:18: documents.handout.questions uses unknown id 'q03'",
    ]


def test_files_in_questions_that_will_not_be_read_are_warned_about_by_name(mini, run):
    folder = mini / "content/questions"
    (folder / "q03-new.markdown").write_text("---\nid: q03\n---\n")
    (folder / "q04-draft.md.txt").write_text("---\nid: q04\n---\n")
    (folder / ".q01-data.md.swp").write_bytes(b"editor swap file")
    (folder / "Thumbs.db").write_bytes(b"")
    result = run("build", "--project", str(mini), "--doc", "handout")
    assert result.exit_code == 0, result.output
    warned = [line for line in result.output.splitlines() if "not read" in line]
    assert warned == [
        "content/questions/q03-new.markdown: warning: not read: question files end in .md; rename it q03-new.md",
        "content/questions/q04-draft.md.txt: warning: not read: question files end in .md; rename it q04-draft.md",
    ]


def test_a_fuzzy_unit_names_its_flag_line_and_says_to_delete_it(mini, run):
    from test_i18n import translate_all

    from generator import catalogs

    assert run("i18n", "init", "es", "--project", str(mini)).exit_code == 0
    translate_all(mini)
    edit(mini / "content/questions/q01-data.md", "It can share your address.", "It can share your home address.")
    assert run("i18n", "update", "--project", str(mini)).exit_code == 0
    lines = catalogs.po_path(mini, "es", "content").read_text(encoding="utf-8").split("\n")
    flag = next(n for n, line in enumerate(lines, start=1) if line == "#, fuzzy")
    assert lines[flag - 3].startswith("#.")  # the unit's comments start above the flag
    result = run("build", "--project", str(mini), "--lang", "es", "--doc", "handout")
    assert result.exit_code == 1
    assert (
        f"locales/es/LC_MESSAGES/content.po:{flag}: q01.body.2 is fuzzy: the English changed since it was translated; "
        "check the translation against the new English (the '#|' lines show the old English), then delete this '#, fuzzy' line (in Poedit: turn off 'Needs work')"
    ) in result.output.splitlines()
