"""Localize a content pack: pick the text to print for each unit in one language."""

from __future__ import annotations

import gettext
from dataclasses import dataclass, field
from typing import Mapping

from .content import ContentPack, Unit


@dataclass(frozen=True)
class LocalizedPack:
    """A pack in one language: the text to print for every unit, and which are pending."""

    pack: ContentPack
    lang: str
    texts: Mapping[str, str]  # unit context -> text to print
    pending: frozenset[str] = frozenset()  # contexts printed in English, marked as such
    translations: gettext.NullTranslations = field(default_factory=gettext.NullTranslations)

    def text(self, unit: Unit) -> str:
        return self.texts.get(unit.context, unit.source)


def localize(pack: ContentPack, lang: str) -> LocalizedPack:
    """The pack in ``lang``; the source language prints the units as written."""
    return LocalizedPack(pack, lang, {unit.context: unit.source for unit in pack.units()})
