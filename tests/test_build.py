"""Incremental, reproducible builds: the manifest decides what is rebuilt, and why."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

from helpers import built_pdfs, edit

from generator.build import build
from generator.manifest import NAME, Manifest


def outputs(report) -> list[str]:
    return sorted(str(b.job.output) for b in report.built)


def test_a_second_build_renders_nothing(mini):
    first = build(mini, jobs=1)
    assert outputs(first) == ["en/booklet.pdf", "en/card.pdf", "en/handout.pdf", "en/notices/example-pulaski.pdf", "en/poster.pdf"]
    again = build(mini, jobs=1)
    assert again.built == [] and len(again.unchanged) == 5


def test_an_answer_edit_rebuilds_only_the_outputs_that_print_it(mini):
    build(mini, jobs=1)
    edit(mini / "content/questions/q02-help.md", "before you apply.", "before you sign anything.")
    assert outputs(build(mini, jobs=1)) == ["en/booklet.pdf"]
    edit(mini / "content/questions/q01-data.md", "Ask for help first.", "Ask for free help first.")
    assert outputs(build(mini, jobs=1)) == ["en/booklet.pdf", "en/handout.pdf"]
    edit(mini / "content/rights.yaml", "Only the person applying gives status", "Only the applicant gives status")
    assert outputs(build(mini, jobs=1)) == ["en/booklet.pdf", "en/card.pdf", "en/handout.pdf", "en/notices/example-pulaski.pdf", "en/poster.pdf"]


def test_an_edit_that_changes_no_printed_text_rebuilds_nothing(mini):
    build(mini, jobs=1)
    edit(mini / "content/questions/q02-help.md", "sources:", "notes: a field no template prints\nsources:")
    report = build(mini, jobs=1)
    assert report.built == [] and len(report.unchanged) == 5


def test_a_stylesheet_change_rebuilds_everything(mini):
    build(mini, jobs=1)
    with (mini / "templates/css/base.css").open("a") as handle:
        handle.write("\nh1 { letter-spacing: 0.01em; }\n")
    assert len(build(mini, jobs=1).built) == 5


def test_a_replaced_logo_or_font_file_rebuilds(mini):
    (mini / "content/logo.jpeg").write_bytes(_png(1))
    edit(mini / "content/pack.yaml", '  address: "100', '  logo: "logo.jpeg"\n  address: "100')
    build(mini, jobs=1)
    (mini / "content/logo.jpeg").write_bytes(_png(2))
    assert len(build(mini, jobs=1).built) == 5
    (mini / "templates/fonts").mkdir()
    (mini / "templates/fonts/extra.woff2").write_bytes(b"not used yet")
    assert len(build(mini, jobs=1).built) == 5


def _png(shade: int) -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + bytes([shade * 60, 80, 120]) * 40 for _ in range(20))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 40, 20, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def test_dry_run_says_what_and_why_and_writes_nothing(mini, run):
    build(mini, jobs=1)
    edit(mini / "content/questions/q02-help.md", "before you apply.", "before you sign anything.")
    before = (mini / "output/en/booklet.pdf").read_bytes()
    result = run("build", "--project", str(mini), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "q02.body.1 changed -> en/booklet" in result.output
    assert (mini / "output/en/booklet.pdf").read_bytes() == before
    assert run("status", "--project", str(mini)).output.startswith(result.output)


def test_outputs_no_longer_in_the_pack_are_removed_and_nothing_else(mini):
    with (mini / "content/offices.csv").open("a") as handle:
        handle.write("example-second,EXAMPLE Second Office,2 Example Rd,(501) 555-0111,Mon-Fri 09:00-16:00\n")
    build(mini, jobs=1)
    keep = mini / "output/en/notes.txt"
    keep.write_text("a file the manifest does not list")
    edit(mini / "content/offices.csv", "example-second,EXAMPLE Second Office,2 Example Rd,(501) 555-0111,Mon-Fri 09:00-16:00\n", "")
    report = build(mini, jobs=1)
    assert [p.name for p in report.removed] == ["example-second.pdf"]
    assert not (mini / "output/en/notices/example-second.pdf").exists()
    assert (mini / "output/en/notices/example-pulaski.pdf").exists() and keep.exists()
    assert "en/notices/example-second.pdf" not in Manifest.load(mini / "output").outputs


def test_force_rebuilds_everything_with_identical_bytes(mini):
    build(mini, jobs=1)
    first = {p: p.read_bytes() for p in built_pdfs(mini / "output")}
    report = build(mini, force=True, jobs=2)
    assert len(report.built) == 5
    assert {p: p.read_bytes() for p in built_pdfs(mini / "output")} == first


def test_builds_in_fresh_processes_are_byte_identical_and_carry_no_paths(mini, tmp_path):
    env = {**os.environ, "PYTHONHASHSEED": "random"}
    command = [sys.executable, "-m", "generator", "build", "--project", str(mini), "--force", "--jobs", "1"]
    subprocess.run(command, check=True, capture_output=True, env=env)
    first = (mini / "output/en/booklet.pdf").read_bytes()
    subprocess.run(command, check=True, capture_output=True, env=env)
    assert (mini / "output/en/booklet.pdf").read_bytes() == first
    assert str(mini).encode() not in first and b"/tmp" not in first


def test_a_broken_manifest_means_a_full_rebuild_not_a_crash(mini):
    build(mini, jobs=1)
    (mini / "output" / NAME).write_text("{not json")
    assert len(build(mini, jobs=1).built) == 5


def test_progress_and_summary_in_plain_lines_when_not_a_terminal(mini, run):
    result = run("build", "--project", str(mini), "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert "[ 20%]" in result.output and "[100%]" in result.output
    assert "built 5, unchanged 0, removed 0 in" in result.output
    again = run("build", "--project", str(mini))
    assert "up to date: 5 output(s) unchanged" in again.output


def test_a_default_build_keeps_the_pseudo_locale_outputs(mini):
    build(mini, langs=["pseudo"], jobs=1)
    report = build(mini, jobs=1)
    assert report.removed == [] and (mini / "output/pseudo/handout.pdf").is_file()


def test_every_file_the_build_writes_is_readable_by_others(mini):
    """A web server or a shared folder must read the PDFs and the site: the umask decides, as for any file."""
    old = os.umask(0o022)
    try:
        build(mini, docs=["handout"], jobs=1)
    finally:
        os.umask(old)
    files = [p for p in (mini / "output").rglob("*") if p.is_file()]
    assert any(p.suffix == ".pdf" for p in files)
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path
