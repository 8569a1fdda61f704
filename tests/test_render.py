"""Rendering to HTML: content is data, never markup or template code."""

from __future__ import annotations

import pytest
from helpers import edit, write

from generator import render
from generator.build import COMPILED, MESSAGES
from generator.build import build as build_
from generator.content import load_pack
from generator.errors import KyrError
from generator.i18n import localize
from generator.render import Renderer


def html_of(root, doc="booklet") -> str:
    document, _ = Renderer(root).render([localize(load_pack(root), "en")], doc)
    return document.html


def test_template_code_in_content_prints_as_written(mini):
    edit(mini / "content/questions/q02-help.md", "before you apply.", "before you apply. {{ 7*7 }} {% if 1 %}x{% endif %}")
    html = html_of(mini)
    assert "{{ 7*7 }} {% if 1 %}x{% endif %}" in html
    assert "49" not in html


def test_raw_html_in_content_is_escaped(mini):
    edit(mini / "content/questions/q02-help.md", "before you apply.", 'before <img src="file:///etc/passwd"> you apply.')
    edit(mini / "content/questions/q01-data.md", 'short: "Your name', 'short: "<b>Bold</b> Your name')
    html = html_of(mini)
    assert "<img" not in html and "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html
    assert "&lt;b&gt;Bold&lt;/b&gt;" in html


def test_only_web_mail_and_phone_links_survive(mini):
    edit(mini / "content/questions/q02-help.md", "(https://example.org/help)", "(javascript:alert(1)) [f](file:///etc/passwd) [m](mailto:a@b.org)")
    html = html_of(mini)
    assert 'href="javascript' not in html and 'href="file:' not in html
    assert 'href="mailto:a@b.org"' in html


def test_handout_has_rights_help_and_facts(mini):
    html = html_of(mini, "handout")
    for expected in ("Only the person applying gives status", "1-800-555-0199", "Accurate as of November 28, 2026.", "not legal advice", "Example Help Group"):
        assert expected in html
    assert '<html lang="en" dir="ltr">' in html


def test_template_syntax_error_names_template_and_line(mini):
    write(mini / "templates/handout.html.j2", '<header>\n<h1>x</h1>\n{% if %}\n')
    with pytest.raises(KyrError) as info:
        html_of(mini, "handout")
    assert str(info.value).startswith("templates/handout.html.j2:3: template syntax error")


def test_undefined_variable_in_template_is_an_error_with_its_line(mini):
    write(mini / "templates/handout.html.j2", '<header>\n<h1>x</h1>\n<p>{{ c.no_such_field }}</p>\n')
    with pytest.raises(KyrError) as info:
        html_of(mini, "handout")
    assert str(info.value).startswith("templates/handout.html.j2:3: template error:")
    assert "no_such_field" in str(info.value)


def test_two_copies_of_a_project_with_different_templates_render_their_own(mini, tmp_path):
    """One process keeps compiled templates for every copy of a project, by name and source: an
    edited copy gets its own code, and a runtime error names the template as the user would."""
    import shutil

    other = tmp_path / "other"
    shutil.copytree(mini, other)
    assert "Mini edition" not in html_of(mini, "handout")
    edit(other / "templates/handout.html.j2", '<header class="masthead">', '<header class="masthead"><p>Mini edition</p>')
    assert "Mini edition" in html_of(other, "handout")
    assert "Mini edition" not in html_of(mini, "handout")
    edit(other / "templates/handout.html.j2", "<p>Mini edition</p>", "<p>{{ c.no_such_field }}</p>")
    with pytest.raises(KyrError) as info:
        html_of(other, "handout")
    assert str(info.value.problems[0]).startswith("templates/handout.html.j2:1: template error")


@pytest.fixture
def compiles(monkeypatch) -> list[str]:
    """The templates Jinja2 compiles from source, in a process that has compiled none yet."""
    import jinja2

    from generator import render

    monkeypatch.setattr(render._CompiledTemplates, "_memory", {})
    compiled: list[str] = []
    original = jinja2.Environment.compile

    def compile_(self, source, name=None, filename=None, *args, **kwargs):
        compiled.append(filename)
        return original(self, source, name, filename, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", compile_)
    return compiled


def notice_html(root) -> str:
    """One office's English notice, rendered as the build does (compiled templates kept in output/)."""
    from generator.build import load, make_renderer

    project = load(root)
    document, _ = make_renderer(project).render([localize(project.pack, "en")], "notice", project.pack.offices[0])
    return document.html


def test_a_process_after_a_build_compiles_no_template_and_an_edited_one_again(mini, compiles):
    build_(mini, docs=["notice"], langs=["en"], jobs=1)
    assert "templates/notice.html.j2" in compiles
    render._CompiledTemplates._memory.clear()  # as a new process: only the output folder keeps them
    compiles.clear()
    notice_html(mini)
    assert compiles == []
    edit(mini / "templates/notice.html.j2", '<div class="body">', '<div class="body"><p>Edited after the build.</p>')
    render._CompiledTemplates._memory.clear()
    assert "Edited after the build." in notice_html(mini)
    assert compiles == ["templates/notice.html.j2"]


def test_a_torn_compiled_template_is_compiled_again(mini, compiles):
    build_(mini, docs=["notice"], langs=["en"], jobs=1)
    for kept in (mini / "output" / COMPILED).iterdir():
        kept.write_bytes(kept.read_bytes()[:20])
    render._CompiledTemplates._memory.clear()
    compiles.clear()
    assert "How information you give this office may be shared" in notice_html(mini)
    assert "templates/notice.html.j2" in compiles


def test_compiled_templates_another_user_could_write_are_compiled_again(mini, compiles):
    """They are run as code: only files this user alone can write are trusted, whatever the umask."""
    import os

    old = os.umask(0o002)
    try:
        build_(mini, docs=["notice"], langs=["en"], jobs=1)
    finally:
        os.umask(old)
    kept = list((mini / "output" / COMPILED).iterdir())
    assert kept and all(path.stat().st_mode & 0o777 == 0o644 for path in kept)
    for path in kept:
        path.chmod(0o666)
    render._CompiledTemplates._memory.clear()
    compiles.clear()
    notice_html(mini)
    assert "templates/notice.html.j2" in compiles


def test_a_dry_run_keeps_nothing_for_the_next_process(mini):
    build_(mini, dry_run=True)
    assert not (mini / "output" / ".cache").exists()


def test_a_process_after_a_build_extracts_no_template_message_and_an_edited_template_again(mini, monkeypatch):
    from generator import extract

    build_(mini, docs=["notice"], langs=["en"], jobs=1)
    monkeypatch.setattr(extract, "_extracted", {})  # as a new process: only the output folder keeps them
    calls = []
    original = extract.extract
    monkeypatch.setattr(extract, "extract", lambda *args, **kwargs: calls.append(args) or original(*args, **kwargs))
    kept = extract.template_messages(mini, mini / "output" / MESSAGES)
    assert calls == [] and ("notice", "What to know before you apply") in kept
    edit(mini / "templates/notice.html.j2", "'What to know before you apply'", "'What to know first'")
    monkeypatch.setattr(extract, "_extracted", {})
    again = extract.template_messages(mini, mini / "output" / MESSAGES)
    assert len(calls) == 1 and ("notice", "What to know first") in again
