"""Loading and validating a content pack: typed objects out, located errors for mistakes."""

from __future__ import annotations

from datetime import date

import pytest
from helpers import edit, write

from generator.content import load_pack, units_of
from generator.errors import KyrError


def problems_of(root) -> list[str]:
    with pytest.raises(KyrError) as info:
        load_pack(root)
    return [str(p) for p in info.value.problems]


def test_loads_typed_pack(mini):
    pack = load_pack(mini)
    assert pack.title.source == "Test pack title"
    assert pack.as_of == date(2026, 11, 28)
    assert [s.id for s in pack.question("q01").sources] == ["example-source"]
    assert pack.sources[0].published == date(2026, 11, 20) and pack.sources[0].publisher == "Example Publisher"
    assert [(r.id, r.risk, r.short is not None) for r in pack.rights] == [("r01", False, False), ("r02", True, True)]
    assert [q.id for q in pack.questions_for("booklet")] == ["q01", "q02"]
    assert pack.offices[0].id == "example-pulaski"


def test_markdown_blocks_become_units_with_stable_contexts_and_lines(mini):
    question = load_pack(mini).question("q01")
    assert [block.kind for block in question.body] == ["p", "ul"]
    units = list(units_of(question))
    assert [u.context for u in units] == ["q01.question", "q01.short", "q01.body.1", "q01.body.2", "q01.body.3"]
    assert units[3].source == "It can share your address."
    assert (units[3].path, units[3].line) == ("content/questions/q01-data.md", 9)


def test_every_translatable_field_is_found_once_from_the_dataclasses(mini):
    contexts = [u.context for u in load_pack(mini).units()]
    assert len(contexts) == len(set(contexts))
    assert {"pack.title", "r02.short", "h01.name", "w01.text", "source.example-source"} <= set(contexts)


def test_a_hand_set_review_status_is_refused(mini):
    edit(mini / "content/pack.yaml", "as_of:", "status: reviewed\nas_of:")
    assert problems_of(mini) == ["content/pack.yaml:7: 'status' is no longer set by hand: a PDF says 'Reviewed by' only when 'kyr review approve' recorded a sign-off for every unit it prints; remove this line"]


def test_sources_are_cited_by_id_and_need_a_publication_date(mini):
    edit(mini / "content/questions/q02-help.md", "sources: [another-source]", "sources: [another-source, no-such-source]")
    assert problems_of(mini) == ["content/questions/q02-help.md:5: unknown source 'no-such-source': sources are listed by id, as written in content/sources.yaml"]
    edit(mini / "content/sources.yaml", "    published: 2026-10-01\n", "")
    # Ids are checked only against a registry that loaded, so one mistake is reported once.
    assert problems_of(mini) == ["content/sources.yaml:8: 'published' is missing"]


def test_yaml_syntax_error_names_file_and_line(mini):
    edit(mini / "content/pack.yaml", "languages: [en]", "languages: [en\n")
    [problem] = problems_of(mini)
    assert problem.startswith("content/pack.yaml:8: YAML")


def test_front_matter_error_is_located_in_the_question_file(mini):
    edit(mini / "content/questions/q02-help.md", "sources: [another-source]\n", "sources: [\n")
    [problem] = problems_of(mini)
    assert problem.startswith("content/questions/q02-help.md:")
    assert "YAML" in problem


def test_sources_must_be_a_list(mini):
    path = mini / "content/questions/q02-help.md"
    body = path.read_text()
    path.write_text(body.replace("sources: [another-source]", "sources: just a string"))
    assert problems_of(mini) == ["content/questions/q02-help.md:5: 'sources' must be a list, got text"]


def test_every_problem_is_reported_at_once(mini):
    edit(mini / "content/pack.yaml", "page_size: letter", "page_size: legal")
    edit(mini / "content/pack.yaml", "as_of: 2026-11-28", "as_of: soon")
    edit(mini / "content/questions/q01-data.md", 'question: "What data can be shared?"\n', "")
    found = problems_of(mini)
    assert "content/pack.yaml:9: 'page_size' must be one of letter, a4, got 'legal'" in found
    assert "content/pack.yaml:7: 'as_of' must be a date written as YYYY-MM-DD, got 'soon'" in found
    assert "content/questions/q01-data.md:2: 'question' is missing" in found


def test_duplicate_question_id(mini):
    write(mini / "content/questions/q99-copy.md", (mini / "content/questions/q01-data.md").read_text())
    assert problems_of(mini) == ["content/questions/q99-copy.md:2: question id 'q01' is also used by content/questions/q01-data.md"]


def test_document_using_unknown_question(mini):
    edit(mini / "content/pack.yaml", "questions: [q01]", "questions: [q01, q42]")
    assert problems_of(mini) == ["content/pack.yaml:18: documents.handout.questions uses unknown id 'q42'"]


def test_headings_and_nested_lists_are_refused_with_their_line(mini):
    edit(mini / "content/questions/q02-help.md", "Call a legal aid group before", "## A heading\n\n- one\n  - nested\n\nCall a legal aid group before")
    found = problems_of(mini)
    assert any(p.startswith("content/questions/q02-help.md:7: headings are not allowed") for p in found)
    assert any(p.startswith("content/questions/q02-help.md:10: lists inside lists") for p in found)


def test_missing_pack_file(tmp_path):
    assert problems_of(tmp_path) == ["content/pack.yaml: not found: is --project the folder that holds content/pack.yaml?"]


def test_unclosed_front_matter(mini):
    write(mini / "content/questions/q03-open.md", "---\nid: q03\n")
    assert problems_of(mini) == ["content/questions/q03-open.md:1: the front matter that starts on line 1 never ends: add a line '---'"]
