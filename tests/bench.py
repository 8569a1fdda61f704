"""Benchmark: `make bench`. Builds the shipped pack in a temporary copy and prints a table.

Figures are ratios measured in the same run, so they hold on a noisy machine.
Not part of `make test`.
"""

from __future__ import annotations

import csv
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


def run(project: Path, *args: str, ok: bool = True) -> tuple[float, str]:
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


def main() -> None:
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="kyr-bench-") as tmp:
        project = copy_pack(Path(tmp) / "pack")

        cold, peak = peak_rss([*KYR, "build", "--force", "--project", str(project)])
        outputs = len(list((project / "output").rglob("*.pdf")))
        rows.append(("cold full build", f"{cold:.2f} s", f"{outputs} PDFs"))
        noop, text = run(project, "build")
        rows.append(("no-op rebuild", f"{noop:.2f} s", f"{noop / cold:.1%} of cold (target <= 5%)"))

        answer = sorted((project / "content/questions").glob("q05-*.md"))[0]
        answer.write_text(answer.read_text().replace("\n---\n", "\n---\nThis sentence was added for the benchmark.\n\n", 1))
        edit, text = run(project, "build", "--jobs", "2", ok=False)
        rebuilt = [str(Path(line.split()[1]).relative_to(project / "output")) for line in text.splitlines() if line.startswith("wrote ")]
        refused = sorted({line.split(":")[0] for line in text.splitlines() if "older English" in line})
        stale = f"{sum('older English' in line for line in text.splitlines())} stale unit(s) in {', '.join(refused)}, refused" if refused else "none stale"
        rows.append(("one English answer edited", f"{edit:.2f} s", f"rebuilt {', '.join(rebuilt) or 'nothing'}; translations: {stale}"))
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
                writer.writerow([f"example-{n:03d}", f"EXAMPLE Office {n}", f"EXAMPLE - {n} Sample Road, Little Rock, AR", f"(501) 555-{n:04d}", "Monday to Friday 8:00 a.m. to 4:30 p.m."])
        from generator.content import load_pack

        languages = list(load_pack(project).languages)
        lang_args = [arg for lang in languages for arg in ("--lang", lang)]
        single, _ = run(project, "build", "--doc", "notice", "--office", "example-000", "--lang", "en", "--force")
        batch, _ = run(project, "build", "--doc", "notice", *lang_args, "--force")
        count = 100 * len(languages)
        rows.append(("one notice in its own process", f"{single:.2f} s", ""))
        rows.append((f"{count} notices in one build", f"{batch:.2f} s", f"{batch / count * 1000:.0f} ms per notice = {batch / count / single:.3f} x single (target <= 0.1)"))

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
