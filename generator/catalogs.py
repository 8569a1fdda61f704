"""Gettext catalogs on disk: create, update safely, report status, compile, read."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import polib
from babel.messages.plurals import DEFAULT_PLURAL, get_plural

from . import textfile
from .errors import KyrError, Problem, display_path
from .extract import DOMAINS, write_templates
from .files import write_atomic
from .languages import cldr_knows, is_code, validate


def po_path(root: Path, lang: str, domain: str) -> Path:
    return Path(root) / "locales" / lang / "LC_MESSAGES" / f"{domain}.po"


def pot_path(root: Path, domain: str) -> Path:
    return Path(root) / "locales" / f"{domain}.pot"


def languages(root: Path) -> list[str]:
    """Languages that have catalogs under locales/."""
    folder = Path(root) / "locales"
    return sorted(p.name for p in folder.iterdir() if (p / "LC_MESSAGES").is_dir() and is_code(p.name)) if folder.is_dir() else []


# A keyword line or a continuation line must hold one complete C string. polib reads an
# unterminated string by dropping its last character, so lines are checked before parsing.
_STRING = r'"(?:[^"\\]|\\.)*"\s*$'
_PO_LINE = re.compile(rf"^(?:#[~|] ?)?(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?{_STRING}")
_PLURAL_FORMS = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=.+$")


def _lint(text: str, shown: str) -> list[Problem]:
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or (stripped.startswith("#") and not stripped.startswith(("#~ ", "#| "))):
            continue
        if not _PO_LINE.match(stripped):
            problems.append(Problem(shown, number, "not valid gettext syntax (an unclosed quote or an unknown keyword?)"))
    return problems


def _check_plurals(po: polib.POFile, shown: str) -> list[Problem]:
    header = po.metadata.get("Plural-Forms", "")
    match = _PLURAL_FORMS.match(header)
    if not match:
        return [Problem(shown, 1, f"the header's Plural-Forms is missing or malformed: {header!r}")] if any(e.msgid_plural for e in po) else []
    expected = int(match.group(1))
    return [
        Problem(shown, e.linenum, f"{e.msgctxt or e.msgid!r} has {len(e.msgstr_plural)} plural forms; the header says nplurals={expected}")
        for e in po
        if e.msgid_plural and e.msgstr_plural and len(e.msgstr_plural) != expected
    ]


def read(path: Path, root: Path) -> polib.POFile:
    """Parse a .po/.pot file; a syntax error names the file and line."""
    shown = display_path(path, root)
    if not path.is_file():
        raise KyrError(Problem(shown, None, "not found: run 'kyr i18n init LANG' or 'kyr i18n update'"))
    text = textfile.read(path, root, how="save the catalog as UTF-8 (Poedit and Weblate do)")
    problems = _lint(text, shown)
    if problems:
        raise KyrError(problems)
    try:
        po = polib.pofile(text, wrapwidth=0)
    except (OSError, ValueError) as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise KyrError(Problem(shown, int(line.group(1)) if line else None, f"cannot read this catalog: {exc}")) from None
    problems = _check_plurals(po, shown)
    if problems:
        raise KyrError(problems)
    return po


def fuzzy_flag(lines: list[str], entry: polib.POEntry) -> tuple[int, list[str]]:
    """The line of an entry's '#, fuzzy' flag and every flag on it (polib knows only the line its comments start on)."""
    for number in range(entry.linenum, len(lines) + 1):
        line = lines[number - 1]
        if line.startswith("#,") and "fuzzy" in line:
            return number, [flag.strip() for flag in line[2:].split(",")]
        if line.startswith(("msgctxt", "msgid")):
            break
    return entry.linenum, list(entry.flags)


def _header(lang: str) -> dict[str, str]:
    # A language CLDR has no data for gets gettext's usual rule; content units have no plurals.
    num_plurals, plural_expr = get_plural(lang) if cldr_knows(lang) else DEFAULT_PLURAL
    return {
        "Project-Id-Version": "kyr",
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": f"nplurals={num_plurals}; plural={plural_expr};",
    }


def save(po: polib.POFile, path: Path) -> None:
    """Write a catalog with the one serializer every command uses (polib, wrapwidth=0)."""
    write_atomic(path, str(po).encode("utf-8"))


# Set by 'kyr i18n update' on a catalog that was complete before the merge. A language whose
# catalogs have never been complete is in progress: a plain build waits for it without failing.
# Once complete, a change in the English that leaves it behind fails the build again. The mark
# lives in the catalog, so it travels with it through git, Poedit and Weblate.
WAS_COMPLETE = "X-Kyr-Was-Complete"


def _complete(po: polib.POFile) -> bool:
    live = [e for e in po if not e.obsolete]
    return bool(live) and all(e.msgstr and not e.fuzzy for e in live)


def was_complete(root: Path, lang: str) -> bool:
    """Whether each of the language's catalogs is complete now or was before an update."""
    for domain in DOMAINS:
        po = read(po_path(root, lang, domain), root)
        if po.metadata.get(WAS_COMPLETE) != "yes" and not _complete(po):
            return False
    return True


@dataclass
class MergeStats:
    kept: int = 0
    new: int = 0
    fuzzy: int = 0  # English changed: translation kept for reference, marked fuzzy
    obsolete: int = 0


def _owner(context: str | None) -> str | None:
    """The question or right a content unit belongs to: "q07" for "q07.body.3"."""
    return context.split(".", 1)[0] if context else None


def _match(old: polib.POFile, template: polib.POFile, by_context: bool) -> dict[int, polib.POEntry]:
    """For each template entry (by index), the old entry whose translation it inherits.

    In order: the same context and English; then, for content, the same English moved
    within the same question (a paragraph inserted above renumbers the ones below); then
    the same context with changed English, which becomes fuzzy. No old entry is used twice.
    """
    live = [e for e in old if not e.obsolete]
    exact = {(e.msgctxt, e.msgid): e for e in live}
    chosen: dict[int, polib.POEntry] = {}
    for index, entry in enumerate(template):
        if (found := exact.get((entry.msgctxt, entry.msgid))) is not None:
            chosen[index] = found
    if not by_context:
        return chosen
    used = {id(e) for e in chosen.values()}
    moved: dict[tuple, polib.POEntry] = {}
    for e in live:
        if e.msgstr and id(e) not in used:
            moved.setdefault((_owner(e.msgctxt), e.msgid), e)
    same_context = {e.msgctxt: e for e in live if e.msgstr}
    for index, entry in enumerate(template):
        if index not in chosen and (found := moved.pop((_owner(entry.msgctxt), entry.msgid), None)) is not None:
            chosen[index] = found
            used.add(id(found))
    for index, entry in enumerate(template):
        found = same_context.get(entry.msgctxt)
        if index not in chosen and found is not None and id(found) not in used:
            chosen[index] = found
            used.add(id(found))
    return chosen


def merge(old: polib.POFile, template: polib.POFile, by_context: bool) -> tuple[polib.POFile, MergeStats]:
    """The template's entries with the old translations carried over safely.

    An entry keeps its translation as current only if its English is unchanged. When
    ``by_context`` (content units, whose contexts are unique), an entry whose English changed
    keeps the old translation as fuzzy with the previous English. Babel's own fuzzy
    matcher ignores msgctxt and can attach another question's translation, so it is not used.
    """
    chosen = _match(old, template, by_context)
    merged = polib.POFile(wrapwidth=0)
    merged.metadata = dict(old.metadata)
    stats = MergeStats()
    for index, entry in enumerate(template):
        new = polib.POEntry(msgctxt=entry.msgctxt, msgid=entry.msgid, msgstr="", occurrences=entry.occurrences, comment=entry.comment, flags=[f for f in entry.flags if f != "fuzzy"])
        previous = chosen.get(index)
        if previous is None:
            stats.new += 1
        else:
            new.msgstr = previous.msgstr
            new.tcomment = previous.tcomment
            if previous.msgid == entry.msgid:
                stats.kept += 1 if previous.msgstr else 0
                if previous.fuzzy:
                    new.flags.append("fuzzy")
                    new.previous_msgid = previous.previous_msgid
                    new.previous_msgctxt = previous.previous_msgctxt
            else:
                stats.fuzzy += 1
                new.flags.append("fuzzy")
                # Keep the English the translation was made for, not an intermediate draft.
                new.previous_msgid = previous.previous_msgid if previous.fuzzy and previous.previous_msgid else previous.msgid
                new.previous_msgctxt = previous.msgctxt
        merged.append(new)
    used = {id(e) for e in chosen.values()}
    for entry in old:
        if id(entry) not in used and entry.msgstr and not entry.obsolete:
            entry.obsolete = True
            merged.append(entry)
            stats.obsolete += 1
    return merged, stats


def init(root: Path, lang: str) -> list[Path]:
    """Create empty catalogs for ``lang`` from fresh templates."""
    validate(lang)
    write_templates(root)
    created = []
    for domain in DOMAINS:
        path = po_path(root, lang, domain)
        if path.exists():
            raise KyrError(Problem(display_path(path, root), None, "already exists: use 'kyr i18n update' to bring it up to date"))
        template = read(pot_path(root, domain), root)
        po, _ = merge(polib.POFile(wrapwidth=0), template, by_context=False)
        po.metadata = _header(lang)
        save(po, path)
        created.append(path)
    return created


def update(root: Path) -> dict[str, dict[str, MergeStats]]:
    """Re-extract, then merge the templates into every language's catalogs."""
    write_templates(root)
    report: dict[str, dict[str, MergeStats]] = {}
    for lang in languages(root):
        report[lang] = {}
        for domain in DOMAINS:
            path = po_path(root, lang, domain)
            old = read(path, root) if path.is_file() else polib.POFile(wrapwidth=0)
            if not old.metadata:
                old.metadata = _header(lang)
            if _complete(old):
                old.metadata[WAS_COMPLETE] = "yes"
            merged, stats = merge(old, read(pot_path(root, domain), root), by_context=domain == "content")
            save(merged, path)
            report[lang][domain] = stats
    return report


@dataclass(frozen=True)
class Status:
    lang: str
    domain: str
    translated: int
    fuzzy: int
    untranslated: int


def status(root: Path) -> list[Status]:
    """Translated / fuzzy / untranslated per language and catalog (fuzzy never counts as done)."""
    rows = []
    for lang in languages(root):
        for domain in DOMAINS:
            po = read(po_path(root, lang, domain), root)
            live = [e for e in po if not e.obsolete]
            fuzzy = sum(1 for e in live if e.fuzzy)
            translated = sum(1 for e in live if e.msgstr and not e.fuzzy)
            rows.append(Status(lang, domain, translated, fuzzy, len(live) - translated - fuzzy))
    return rows


def compile_all(root: Path) -> list[Path]:
    """Write a .mo beside each .po (fuzzy entries left out, as msgfmt does)."""
    written = []
    for lang in languages(root):
        for domain in DOMAINS:
            po = read(po_path(root, lang, domain), root)
            target = po_path(root, lang, domain).with_suffix(".mo")
            write_atomic(target, po.to_binary())
            written.append(target)
    return written


def add_language(root: Path, lang: str) -> bool:
    """Add ``lang`` to ``languages`` in pack.yaml, flow (``[en, es]``) or block (``- es``) style,
    keeping everything else as written. False if it is listed already."""
    from . import yamlfile

    path = Path(root) / "content" / "pack.yaml"
    text = textfile.read(path, root)
    data = yamlfile.load(text, "content/pack.yaml")
    listed = data.get("languages") if isinstance(data, dict) else None
    if not isinstance(listed, list):
        raise KyrError(Problem("content/pack.yaml", None, f"no 'languages' list to add {lang!r} to: add it by hand"))
    if lang in listed:
        return False
    lines = text.splitlines(keepends=True)
    key_line = data.line_of("languages")
    flow = re.match(r"^(languages:\s*\[)([^\]\n]*)(\].*)$", lines[key_line - 1], flags=re.S)
    if flow:
        items = [item.strip() for item in flow.group(2).split(",") if item.strip()]
        lines[key_line - 1] = f"{flow.group(1)}{', '.join([*items, lang])}{flow.group(3)}"
    elif listed.lines and all(line > key_line for line in listed.lines):
        last = lines[listed.lines[-1] - 1]
        indent = re.match(r"^(\s*-\s*)", last).group(1)
        if not last.endswith("\n"):
            lines[listed.lines[-1] - 1] = last + "\n"
        lines.insert(listed.lines[-1], f"{indent}{lang}\n")
    else:
        raise KyrError(Problem("content/pack.yaml", key_line, f"cannot add {lang!r} to this 'languages' list: add it by hand"))
    write_atomic(path, textfile.encode_like("".join(lines), path.read_bytes()))
    return True
