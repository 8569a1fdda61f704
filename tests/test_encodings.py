"""Files as Windows editors and Excel save them: a byte-order mark, CRLF line ends, Windows-1252."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import catalogs, textfile
from generator.content import load_pack
from generator.errors import KyrError


def resave(path, bom: bool = True, crlf: bool = True, encoding: str = "utf-8") -> None:
    """Save ``path`` again as a Windows editor would."""
    text = path.read_text(encoding="utf-8")
    if crlf:
        text = text.replace("\n", "\r\n")
    path.write_bytes((codecs.BOM_UTF8 if bom else b"") + text.encode(encoding))


def test_a_pack_saved_with_a_byte_order_mark_and_crlf_loads_the_same(mini):
    before = load_pack(mini)
    for path in [*(mini / "content").rglob("*.yaml"), *(mini / "content").rglob("*.md"), mini / "content/offices.csv"]:
        resave(path)
    after = load_pack(mini)
    assert after.questions == before.questions and after.rights == before.rights
    assert after.offices == before.offices and after.title == before.title


def test_a_catalog_with_a_byte_order_mark_is_read(mini, run):
    assert run("i18n", "init", "es", "--project", str(mini)).exit_code == 0
    path = catalogs.po_path(mini, "es", "content")
    resave(path)
    assert len(catalogs.read(path, mini)) > 0
    status = run("i18n", "status", "--project", str(mini))
    assert status.exit_code == 0, status.output


def test_a_file_that_is_not_utf8_names_the_line_and_how_to_save_it(mini):
    path = mini / "content/questions/q02-help.md"
    text = path.read_text(encoding="utf-8").replace("before you apply.", "before you apply, señor.")
    path.write_bytes(text.encode("cp1252"))
    line = text[: text.index("señor")].count("\n") + 1
    with pytest.raises(KyrError) as info:
        load_pack(mini)
    [problem] = [str(p) for p in info.value.problems]
    assert problem == (
        f"content/questions/q02-help.md:{line}: not UTF-8 text: byte 0xf1 ('ñ' in Windows-1252) cannot be read; "
        "save the file as UTF-8 (in Notepad: File > Save as > Encoding: UTF-8)"
    )


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200), st.sampled_from(["\n", "\r\n", "\r"]), st.booleans())
def test_decode_removes_only_the_mark_and_the_line_ends(text, newline, bom):
    text = text.replace("\r", "").lstrip("\ufeff")
    data = (codecs.BOM_UTF8 if bom else b"") + text.replace("\n", newline).encode("utf-8")
    assert textfile.decode(data) == text


def test_adding_a_language_keeps_the_packs_line_ends_and_mark(mini, run):
    path = mini / "content/pack.yaml"
    resave(path)
    assert run("i18n", "init", "fr", "--project", str(mini)).exit_code == 0
    data = path.read_bytes()
    assert data.startswith(codecs.BOM_UTF8) and b"languages: [en, fr]\r\n" in data
    assert data.count(b"\n") == data.count(b"\r\n")
