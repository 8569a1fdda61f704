"""The README stays in step with the code: every pack.yaml key, every document kind, every command."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import edit

from generator.content import PACK_KEYS, load_pack
from generator.documents import KINDS
from generator.errors import KyrError

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def test_the_pack_yaml_reference_lists_exactly_the_keys_the_loader_reads():
    section = README[README.index("## `pack.yaml` reference") :]
    section = section[: section.index("\n## ", 1)]
    listed = re.findall(r"^\| `([a-zA-Z_.]+)` \|", section, flags=re.M)
    assert listed == [key.name for key in PACK_KEYS]


def test_a_key_the_loader_does_not_know_is_an_error(mini):
    edit(mini / "content/pack.yaml", "page_size: letter", "page_size: letter\nlogo: logo.png")
    edit(mini / "content/pack.yaml", '  phone: "(501) 555-0100"', '  phone: "(501) 555-0100"\n  fax: "(501) 555-0199"')
    with pytest.raises(KyrError) as info:
        load_pack(mini)
    found = [str(p) for p in info.value.problems]
    assert any(p.startswith("content/pack.yaml:10: unknown key 'logo'") for p in found), found
    assert any(p.startswith("content/pack.yaml:14: unknown key 'organization.fax'") for p in found), found


def test_every_document_kind_is_in_the_readme():
    for name in KINDS:
        assert f"`{name}`" in README, name
