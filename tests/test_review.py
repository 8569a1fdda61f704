"""Recorded review: the packet, the sign-off, and what each PDF may claim from it."""

from __future__ import annotations

from datetime import date

import pytest
import yaml
from helpers import edit, pages, text, translate_all
from test_i18n import mini_es  # noqa: F401 - fixture

from generator import packet, review
from generator.build import build
from generator.errors import KyrError

TODAY = date(2026, 11, 28)
REVIEWED = "Reviewed by Ana Ruiz, attorney on November 28, 2026."
DRAFT = "DRAFT: not yet reviewed by a lawyer."


def outputs(report) -> list[str]:
    return sorted(str(b.job.output) for b in report.built)


def reviewed_outputs(root) -> dict[str, bool]:
    return {str(p.relative_to(root / "output")): REVIEWED in text(p) for p in sorted((root / "output").glob("en/**/*.pdf"))}


def test_the_first_packet_shows_every_printed_unit(mini, run):
    result = run("review", "--project", str(mini))
    assert result.exit_code == 0, result.output
    assert "unit(s) awaiting review, 0 signed off" in result.output
    body = text(mini / "output/review/en.pdf")
    for context in ("pack.title", "q01.short", "q02.body.1", "r02.short", "h01.name", "source.example-source"):
        assert context in body, context
    assert "Printed in: en/booklet" in body and "Example Publisher" in body and "never signed off" in body


def test_round_trip_edit_turns_exactly_the_outputs_that_print_it_back_to_draft(mini, run):
    build(mini, jobs=1, today=TODAY)
    assert not any(reviewed_outputs(mini).values())
    assert run("review", "--project", str(mini)).exit_code == 0
    result = run("review", "approve", "--project", str(mini), "--by", "Ana Ruiz, attorney")
    assert result.exit_code == 0, result.output
    recorded = yaml.safe_load((mini / "content/reviews/en.yaml").read_text())
    assert recorded["q01.short"]["by"] == "Ana Ruiz, attorney" and len(recorded["q01.short"]["hash"]) == 16
    build(mini, jobs=1, today=TODAY)
    assert all(reviewed_outputs(mini).values()), reviewed_outputs(mini)

    edit(mini / "content/questions/q02-help.md", "before you apply.", "before you sign anything.")
    report = build(mini, jobs=1, today=TODAY)
    assert outputs(report) == ["en/booklet.pdf"]
    assert reviewed_outputs(mini) == {"en/booklet.pdf": False, "en/card.pdf": True, "en/handout.pdf": True, "en/notices/example-pulaski.pdf": True, "en/poster.pdf": True}
    assert DRAFT in text(mini / "output/en/booklet.pdf")
    status = run("status", "--project", str(mini))
    assert "review en: 1 unit(s) await review: q02.body.1" in status.output

    assert run("review", "--project", str(mini)).exit_code == 0
    body = text(mini / "output/review/en.pdf")
    assert "1 awaiting review" in body and "Signed off November 28, 2026 by Ana Ruiz, attorney" in body
    assert "before you apply." in body and "before you sign anything." in body


def test_changed_words_are_marked_old_and_new():
    old, new = packet.marked_diff("Call us before you apply.", "Call us before you sign anything.")
    assert str(old) == "Call us before you <del>apply.</del>"
    assert str(new) == "Call us before you <ins>sign</ins> <ins>anything.</ins>" or "<ins>" in str(new)
    assert "sign" in str(new) and "<del>" not in str(new)


def test_approval_records_only_what_the_packet_showed(mini, run):
    refused = run("review", "approve", "--project", str(mini), "--by", "Ana Ruiz, attorney")
    assert refused.exit_code == 1 and "run 'kyr review --lang en' and read it first" in refused.output
    assert run("review", "--project", str(mini)).exit_code == 0
    edit(mini / "content/questions/q01-data.md", "Ask for help first.", "Ask for free help first.")
    changed = run("review", "approve", "--project", str(mini), "--by", "Ana Ruiz, attorney")
    assert changed.exit_code == 1 and "the text changed since the packet was made (q01.short)" in changed.output
    assert not (mini / "content/reviews/en.yaml").exists()
    assert run("review", "approve", "--project", str(mini), "--by", "Ana Ruiz").exit_code == 1  # no role


def test_a_sign_off_edited_by_hand_is_refused(mini, run):
    run("review", "--project", str(mini))
    run("review", "approve", "--project", str(mini), "--by", "Ana Ruiz, attorney")
    edit(mini / "content/reviews/en.yaml", "The office keeps your name and address.", "The office keeps nothing.")
    with pytest.raises(KyrError, match="does not match the text it records"):
        review.load(mini, "en")


def test_a_translation_is_reviewed_only_with_its_english(mini_es, run):  # noqa: F811
    project = str(mini_es)
    build(mini_es, langs=["es"], jobs=1, today=TODAY)
    assert "ES DRAFT: not yet reviewed by a lawyer." in text(mini_es / "output/es/handout.pdf")
    for lang, who in (("es", "Luis Vega, translator"), ("en", "Ana Ruiz, attorney")):
        assert run("review", "--project", project, "--lang", lang).exit_code == 0
        assert run("review", "approve", "--project", project, "--lang", lang, "--by", who).exit_code == 0
        if lang == "es":
            build(mini_es, langs=["es"], jobs=1, today=TODAY)
            assert "ES DRAFT: not yet reviewed by a lawyer." in text(mini_es / "output/es/handout.pdf")
    build(mini_es, langs=["es", "en-es"], jobs=1, today=TODAY)
    assert "Ana Ruiz, attorney; Luis Vega, translator" in text(mini_es / "output/es/handout.pdf")
    # The translation changes: the English sign-off still holds, the Spanish one does not.
    translate_all(mini_es, prefix="ES2 ")
    build(mini_es, langs=["es"], jobs=1, today=TODAY)
    assert "ES2 DRAFT: this translation is not yet reviewed." in text(mini_es / "output/es/handout.pdf")


def test_the_packet_is_a_readable_pdf(mini, run):
    run("review", "--project", str(mini))
    assert pages(mini / "output/review/en.pdf") >= 2
