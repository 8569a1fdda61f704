"""The layout check: a logo of any shape never covers text, and an output past its page budget
fails build and check alike, naming the cause when it can."""

from __future__ import annotations

import re
import struct
import zlib

import pytest
from helpers import edit

from generator.build import build


def png(width: int, height: int, alpha: bool = False) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    pixel = b"\x20\x60\xa0\x80" if alpha else b"\x20\x60\xa0"
    raw = b"".join(b"\x00" + pixel * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 6 if alpha else 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


LOGOS = {
    "square.png": png(300, 300),
    "wide-transparent.png": png(600, 120, alpha=True),
    "tall.svg": b'<svg xmlns="http://www.w3.org/2000/svg" width="100" height="300"><rect width="100" height="300" fill="#1f4e79"/></svg>',
}


def with_logo(root, name: str) -> None:
    (root / "content" / name).write_bytes(LOGOS[name])
    edit(root / "content/pack.yaml", '  address: "100', f'  logo: "{name}"\n  address: "100')


@pytest.mark.parametrize("name", sorted(LOGOS))
def test_a_logo_of_any_shape_covers_no_text_and_fits(mini, name):
    with_logo(mini, name)
    report = build(mini, langs=["en", "pseudo"], jobs=2)
    assert len(report.built) == 10
    assert report.problems == [], [str(p) for p in report.problems]


def test_the_check_sees_text_covered_by_an_image(mini):
    with_logo(mini, "square.png")
    with (mini / "templates/css/base.css").open("a") as css:
        css.write("\n.org-logo { position: absolute; top: 0.5in; left: 0.6in; width: 3in; max-width: none; max-height: none; }\n")
    report = build(mini, docs=["notice"], jobs=1)
    assert any("is covered by Example Help Group" in str(p) for p in report.problems), report.problems


def test_an_output_past_its_budget_fails_build_and_check_and_names_the_logo(mini, run):
    with_logo(mini, "square.png")
    with (mini / "templates/css/base.css").open("a") as css:
        css.write("\n.org-logo { max-height: none; height: 8in; max-width: none; }\n")
    result = run("build", "--project", str(mini), "--doc", "notice")
    assert result.exit_code == 1
    assert re.search(r"en/notices/example-pulaski.pdf: \d pages; its budget is 1: it fits without the organization's logo", result.output)
    again = run("build", "--project", str(mini), "--doc", "notice")  # unchanged, still reported
    assert again.exit_code == 1 and "its budget is 1" in again.output
    check = run("check", "--project", str(mini))
    assert check.exit_code == 1 and re.search(r"notice in en: \d pages; its budget is 1: it fits without the organization's logo", check.output)
