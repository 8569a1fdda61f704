"""Benchmark: `make bench`. Builds the shipped pack in a temporary copy and prints a table.

Figures are ratios measured in the same run, so they hold on a noisy machine.
Not part of `make test`.
"""

from __future__ import annotations

import csv
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KYR = [sys.executable, "-m", "generator"]
ROUNDS = 5


def run(project: Path, *args: str, ok: bool = True) -> tuple[float, str]:
    """Seconds and output of one kyr command; ``ok``: it must succeed (a pack whose dates have
    passed still exits 0; one with layout problems would not)."""
    started = time.perf_counter()
    result = subprocess.run([*KYR, *args, "--project", str(project)], capture_output=True, text=True)
    if ok and result.returncode != 0:
        sys.exit(f"kyr {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return time.perf_counter() - started, result.stdout + result.stderr


def peak_rss(command: list[str]) -> tuple[float, float]:
    """Seconds, and the peak of the summed RSS (MiB) of the process and its children."""

    def rss(pid: int) -> int:
        total = 0
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{pid}/task").iterdir():
                for child in (task / "children").read_text().split():
                    total += rss(int(child))
        except (OSError, ValueError):
            pass
        return total

    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, rss(process.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    process.wait()
    done.set()
    sampler.join()
    return time.perf_counter() - started, peak / 1024


def median_seconds(command: list[str], times: int = 7) -> float:
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def copy_pack(target: Path) -> Path:
    for folder in ("content", "templates", "locales"):
        shutil.copytree(ROOT / folder, target / folder)
    return target


REFERENCE = (
    "A benefits office uses what you tell it to decide if you qualify. Staff may ask for your name, "
    "address, income and who lives with you. You can ask why each question is asked and who will see "
    "the answer. Keep a copy of what you sign and write down who you spoke with."
)


def reference_document():
    """A plain page of text in the project's font and PDF options: the engine's own cost of a page."""
    from generator.render import RenderedDocument

    paragraphs = "\n".join(f"<p>{REFERENCE}</p>" for _ in range(9))
    html = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Reference</title>'
        "<style>@page { size: letter; margin: 0.5in 0.6in 0.6in; } "
        'html { font-family: "DejaVu Sans", sans-serif; font-size: 11pt; line-height: 1.4; } p { margin: 0 0 6pt; }</style>'
        f"</head><body><main>{paragraphs}</main></body></html>"
    )
    return RenderedDocument("reference", "en", "Reference", html, ())


def page_costs(project: Path, runs: int = 15) -> list[tuple[str, str, str]]:
    """Warm, in one process: a notice page and a booklet page against the reference page."""
    from generator.build import load, localize_jobs, plan, render
    from generator.pdf import PdfWriter

    loaded = load(project)
    jobs = [job for job in plan(loaded.pack, ["en"], ["notice", "booklet"]) if job.office in (None, loaded.pack.offices[0])]
    localized = localize_jobs(loaded, jobs, False).packs
    documents = {item.job.doc: item.document for item in render(loaded, jobs, localized)}
    writer = PdfWriter(project)
    measured = {"reference": reference_document(), **documents}
    pages = {name: writer.write(document).pages for name, document in measured.items()}  # and warm
    # In turns, so that a slow minute of this machine weighs on the reference as on the pages.
    samples: dict[str, list[float]] = {name: [] for name in measured}
    for _ in range(runs):
        for name, document in measured.items():
            started = time.perf_counter()
            writer.write(document)
            samples[name].append(time.perf_counter() - started)
    reference = statistics.median(samples["reference"])
    rows = [("reference page (plain text, same fonts, tagged)", f"{reference * 1000:.0f} ms", f"the engine's own cost of a page; median of {runs}, in turns with the pages below")]
    for doc, target in (("notice", 1.5), ("booklet", 1.3)):
        per_page = statistics.median(samples[doc]) / pages[doc]
        rows.append((f"{doc} page ({pages[doc]} page(s), warm)", f"{per_page * 1000:.0f} ms", f"{per_page / reference:.2f} x reference page (target <= {target})"))
    return rows


def preview_refresh(project: Path, times: int = 5) -> list[tuple[str, str, str]]:
    """`kyr serve` with two pages open in Chromium: a handout answer (q05's short answer) is edited
    and saved; the seconds until the open site page shows it, and until the dashboard shows the
    rebuilt handout's new page thumbnail. Medians of ``times`` edits, after the server warmed up."""
    from playwright.sync_api import sync_playwright
    from serving import serving, until

    answer = sorted((project / "content/questions").glob("q05-*.md"))[0]
    site, dashboard_ = [], []
    with serving(project) as (base, preview), sync_playwright() as playwright:
        until(preview.warmed.is_set, 120, "warming up")
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"])
        page, dashboard = browser.new_page(), browser.new_page()
        page.goto(f"{base}/site/en/q05.html")
        dashboard.goto(f"{base}/")
        dashboard.wait_for_function("[...document.images].every(i => i.complete)", timeout=60_000)  # an editor looks, then edits
        for n in range(times):
            until(lambda: not preview.state.building and len(preview.listeners) >= 2, 120, "an idle preview")
            card = "li[data-path='en/handout.pdf']"
            version = dashboard.get_attribute(card, "data-version")
            marker = f"Benchmark edit {n}."
            text = answer.read_text()
            started = time.perf_counter()
            answer.write_text(re.sub(r'^short: "(Benchmark edit \d+\. )?', f'short: "{marker} ', text, count=1, flags=re.M))
            page.wait_for_function(f"document.body.innerText.includes({marker!r})", timeout=60_000)
            site.append(time.perf_counter() - started)
            dashboard.wait_for_function(
                f"(() => {{ const li = document.querySelector(\"{card}\"); const img = li && li.querySelector('img');"
                f" return li.dataset.version !== {version!r} && img && img.complete && img.naturalWidth > 0; }})()",
                timeout=60_000,
            )
            dashboard_.append(time.perf_counter() - started)
        browser.close()
    return [
        ("preview: handout answer edited -> open site page shows it", f"{statistics.median(site):.2f} s", f"median of {times} (target <= 1 s); all: {', '.join(f'{s:.2f}' for s in site)}"),
        ("preview: same edit -> dashboard shows the new handout", f"{statistics.median(dashboard_):.2f} s", f"median of {times}; all: {', '.join(f'{s:.2f}' for s in dashboard_)}"),
    ]


def main() -> None:
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="kyr-bench-") as tmp:
        # Five rounds of a cold build and two checks in a fresh copy: one round varies by 10-20% here,
        # and this machine has slow spells of a minute or more, so each check is set against the
        # cold build of its own round, and the ratios' median is the figure.
        rounds, peaks = [], []
        for n in range(ROUNDS):
            project = copy_pack(Path(tmp) / f"pack-{n}")
            cold, peak = peak_rss([*KYR, "build", "--force", "--project", str(project)])
            rounds.append((cold, run(project, "check", ok=False)[0], run(project, "check", ok=False)[0]))
            peaks.append(peak)
            if n < ROUNDS - 1:
                shutil.rmtree(project)
        cold, checked, again = (statistics.median(column) for column in zip(*rounds, strict=True))
        first_ratio, again_ratio = (statistics.median(r[i] / r[0] for r in rounds) for i in (1, 2))
        peak = max(peaks)
        outputs = len([p for p in (project / "output").rglob("*.pdf") if p.relative_to(project / "output").parts[0] not in ("site", ".check")])
        rows.append(("cold full build", f"{cold:.2f} s", f"{outputs} PDFs; median of {ROUNDS} (all: {', '.join(f'{r[0]:.2f}' for r in rounds)})"))
        rows.append(("kyr check right after it", f"{checked:.2f} s", f"{first_ratio:.0%} of its round's cold build, median (target <= 25%); all: {', '.join(f'{r[1]:.2f} ({r[1] / r[0]:.0%})' for r in rounds)}"))
        rows.append(("kyr check again", f"{again:.2f} s", f"{again_ratio:.0%} of its round's cold build, median; all: {', '.join(f'{r[2]:.2f}' for r in rounds)}"))
        noops = [run(project, "build", ok=False)[0] for _ in range(5)]
        noop = statistics.median(noops)
        rows.append(("no-op rebuild", f"{noop:.2f} s", f"{noop / cold:.1%} of cold (target <= 5%); median of 5 (all: {', '.join(f'{n:.2f}' for n in noops)})"))
        rows += page_costs(project)

        answer = sorted((project / "content/questions").glob("q05-*.md"))[0]
        answer.write_text(answer.read_text().replace("\n---\n", "\n---\nThis sentence was added for the benchmark.\n\n", 1))
        edit, text = run(project, "build", "--jobs", "2", ok=False)
        rebuilt = [str(Path(line.split()[1]).relative_to(project / "output")) for line in text.splitlines() if line.startswith("wrote ")]
        refused = sorted({line.split(":")[0] for line in text.splitlines() if "older English" in line})
        stale = f"{sum('older English' in line for line in text.splitlines())} stale unit(s) in {', '.join(refused)}, refused" if refused else "none stale"
        rows.append(("one English answer edited", f"{edit:.2f} s", f"rebuilt {', '.join(rebuilt) or 'nothing'}; translations: {stale}"))
        shutil.rmtree(project)
        project = copy_pack(Path(tmp) / "pack")
        run(project, "build")
        rows += preview_refresh(project)
        shutil.rmtree(project)
        project = copy_pack(Path(tmp) / "pack")

        one, _ = run(project, "build", "--force", "--jobs", "1")
        two, _ = run(project, "build", "--force", "--jobs", "2")
        rows.append(("full build --jobs 1", f"{one:.2f} s", ""))
        rows.append(("full build --jobs 2", f"{two:.2f} s", f"{two / one:.2f} x jobs 1 (target <= 0.65)"))

        with (project / "content/offices.csv").open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "name", "address", "phone", "hours"])
            for n in range(100):
                writer.writerow([f"example-{n:03d}", f"EXAMPLE Office {n}", f"EXAMPLE - {n} Sample Road, Little Rock, AR", f"(501) 555-{n:04d}", "Mon-Fri 08:00-16:30"])
        from generator.content import load_pack

        languages = list(load_pack(project).languages)
        lang_args = [arg for lang in languages for arg in ("--lang", lang)]
        single, _ = run(project, "build", "--doc", "notice", "--office", "example-000", "--lang", "en", "--force")
        batches = [run(project, "build", "--doc", "notice", *lang_args, "--force", "--jobs", "2")[0] for _ in range(3)]
        batch = statistics.median(batches)
        count = 100 * len(languages)
        rows.append(("one notice in its own process", f"{single:.2f} s", ""))
        rows.append((f"{count} notices in one build, 2 workers", f"{batch:.2f} s", f"{batch / count * 1000:.1f} ms per notice (target <= 40), median of 3 (all: {', '.join(f'{b:.2f}' for b in batches)})"))

        rows.append(("peak memory, full build", f"{peak:.0f} MiB", "process and workers, summed (target < 600 MB)"))
        bare = median_seconds([sys.executable, "-c", "pass"])
        helped = median_seconds([*KYR, "--help"])
        rows.append(("python -c pass", f"{bare * 1000:.0f} ms", ""))
        rows.append(("kyr --help", f"{helped * 1000:.0f} ms", f"{helped / bare:.1f} x bare Python (target <= 3)"))

    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'value':>10}  note")
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>10}  {note}")


if __name__ == "__main__":
    main()
