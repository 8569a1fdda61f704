"""The review packet a lawyer (English) or a second translator (other languages) reads, and the
sign-off that records what they approved.

The packet lists every unit the documents print whose text changed since its last sign-off,
old and new side by side with the changed words marked, with its sources and the documents
that print it; units already signed off are listed by id only. Approval records exactly the
units the last packet showed, so nobody approves text they did not read.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from markupsafe import Markup, escape

from . import dates
from .build import editions, plan
from .content import ContentPack, Source, Unit, load_pack
from .errors import KyrError, Problem
from .files import write_atomic
from .i18n import LocalizedPack, localize
from .review import SignOff, load, save, text_hash


@dataclass(frozen=True)
class Item:
    """One printed unit, as the reviewer sees it."""

    unit: Unit
    text: str  # the text printed in the packet's language
    before: SignOff | None  # the last sign-off, whatever text it approved
    documents: tuple[str, ...]
    sources: tuple[Source, ...]
    lang: str
    source_language: str

    @property
    def translation(self) -> str | None:
        return None if self.lang == self.source_language else self.text

    @property
    def hash(self) -> str:
        return text_hash(self.unit.source, self.translation)

    @property
    def awaiting(self) -> bool:
        return self.before is None or self.before.hash != self.hash

    @property
    def old_text(self) -> str:
        if self.before is None:
            return ""
        return self.before.english if self.translation is None else self.before.translation or ""


@dataclass(frozen=True)
class Packet:
    lang: str
    items: tuple[Item, ...]  # every unit the documents print, in the pack's order
    untranslated: tuple[str, ...]  # units that cannot be reviewed yet

    @property
    def awaiting(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.awaiting)

    @property
    def signed(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if not item.awaiting)

    def shown(self) -> dict[str, str]:
        """What approval will record: each awaiting unit and the hash of its text."""
        return {item.unit.context: item.hash for item in self.awaiting}


def printed_by(pack: ContentPack, localized: dict[str, LocalizedPack], lang: str) -> dict[str, list[str]]:
    """Unit context -> the outputs of the pack that print it in ``lang``."""
    from .render import Renderer

    renderer = Renderer(pack.root)
    where: dict[str, list[str]] = {}
    for edition in editions(pack):
        if lang not in edition.split("-"):
            continue
        for job in plan(pack, [edition]):
            document, used = renderer.render([localized[code] for code in job.langs], job.doc, job.office)
            label = f"{job.edition}/notices" if job.office else job.label
            for context in used:
                if label not in where.setdefault(context, []):
                    where[context].append(label)
    return where


def collect(root: Path, lang: str | None = None) -> Packet:
    """The packet for ``lang`` (default: the pack's source language) from the pack at ``root``."""
    from .extract import template_messages

    pack = load_pack(Path(root))
    lang = lang or pack.source_language
    if lang not in pack.languages:
        raise KyrError(Problem("command line", None, f"--lang {lang!r} is not a language of this pack; it has: {', '.join(pack.languages)}"))
    messages = template_messages(pack.root)
    localized = {code: localize(pack, code, messages, allow_incomplete=True) for code in dict.fromkeys(code for e in editions(pack) for code in e.split("-"))}
    where = printed_by(pack, localized, lang)
    cited = {owner.id: owner.sources for owner in (*pack.questions, *pack.rights, *pack.help, *pack.warnings)}
    by_id = {f"source.{source.id}": (source,) for source in pack.sources}
    signoffs = load(pack.root, lang)
    current = localized[lang]
    items, untranslated = [], []
    for unit in pack.units():
        if unit.context not in where:
            continue
        if unit.context in current.pending:
            untranslated.append(unit.context)
            continue
        sources = by_id.get(unit.context) or cited.get(unit.context.split(".", 1)[0], ())
        items.append(Item(unit, current.text(unit), signoffs.get(unit.context), tuple(where[unit.context]), sources, lang, pack.source_language))
    return Packet(lang, tuple(items), tuple(untranslated))


def marked_diff(old: str, new: str) -> tuple[Markup, Markup]:
    """``old`` with removed words in <del>, ``new`` with added words in <ins>."""
    a, b = re.findall(r"\S+|\s+", old), re.findall(r"\S+|\s+", new)
    before, after = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        removed, added = escape("".join(a[i1:i2])), escape("".join(b[j1:j2]))
        if op == "equal":
            before.append(removed)
            after.append(added)
            continue
        if removed:
            before.append(Markup("<del>{}</del>").format(removed))
        if added:
            after.append(Markup("<ins>{}</ins>").format(added))
    return Markup("").join(before), Markup("").join(after)


def _sidecar(output: Path, lang: str) -> Path:
    return output / "review" / f"{lang}.json"


def write(root: Path, lang: str | None = None, output: Path | None = None, today: date | None = None) -> tuple[Path, Packet, int]:
    """Write output/review/<lang>.pdf and what it showed; returns the path, the packet and its pages."""
    from . import workers
    from .render import render_review

    root = Path(root)
    output = Path(output) if output else root / "output"
    packet = collect(root, lang)
    pack = load_pack(root)
    document = render_review(root, pack, packet, marked_diff, today or dates.today())
    target = output / "review" / f"{packet.lang}.pdf"
    batch = workers.Batch(root, jobs=1)
    batch.submit(workers.Task(0, document, None))
    (_, pdf), = batch.results()
    try:
        write_atomic(target, pdf.data)
        write_atomic(_sidecar(output, packet.lang), (json.dumps({"lang": packet.lang, "units": packet.shown()}, indent=1, sort_keys=True) + "\n").encode())
    except OSError as exc:
        raise KyrError(Problem(str(target), None, f"cannot write: {exc.strerror or exc}")) from None
    return target, packet, pdf.pages


def approve(root: Path, by: str, lang: str | None = None, output: Path | None = None, today: date | None = None) -> tuple[Path, int]:
    """Record a sign-off of every unit the last packet showed; refuse if the text changed since."""
    root = Path(root)
    output = Path(output) if output else root / "output"
    by = " ".join(by.split())
    if not re.fullmatch(r"[^,]+,\s*\S.*", by):
        raise KyrError(Problem("command line", None, f"--by must be 'NAME, ROLE', e.g. 'Ana Ruiz, attorney'; got {by!r}"))
    packet = collect(root, lang)
    sidecar = _sidecar(output, packet.lang)
    try:
        shown = json.loads(sidecar.read_text(encoding="utf-8"))["units"]
    except (OSError, ValueError, KeyError):
        raise KyrError(Problem(str(sidecar), None, f"no review packet to approve: run 'kyr review --lang {packet.lang}' and read it first")) from None
    if shown != packet.shown():
        changed = sorted(set(shown.items()) ^ set(packet.shown().items()))
        contexts = ", ".join(dict.fromkeys(context for context, _ in changed))
        raise KyrError(Problem(str(sidecar), None, f"the text changed since the packet was made ({contexts}): run 'kyr review --lang {packet.lang}' again and read the new packet"))
    if not packet.awaiting:
        raise KyrError(Problem("command line", None, f"nothing awaits review in {packet.lang!r}: every printed unit is signed off in its current text"))
    signoffs = load(root, packet.lang)
    on = today or dates.today()
    for item in packet.awaiting:
        signoffs[item.unit.context] = SignOff(item.unit.context, by, on, item.unit.source, item.translation)
    return save(root, packet.lang, signoffs), len(packet.awaiting)


def awaiting(root: Path) -> dict[str, Packet]:
    """Per language of the pack, what awaits review and what is not translated yet (what 'kyr status' lists)."""
    pack = load_pack(Path(root))
    return {lang: collect(root, lang) for lang in pack.languages}
