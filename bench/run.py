"""`make bench`: run every benchmark module in its own process and write docs/benchmarks.md.

Each module `bench/<name>.py` exposes `run() -> dict` of measured figures.
"""

import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = sorted(p.stem for p in (ROOT / "bench").glob("*.py") if p.stem not in {"run", "__init__"})
MARK = "@@BENCH-RESULT@@"


def run_module(name: str) -> dict:
    code = f"import json, bench.{name} as m; print({MARK!r} + json.dumps(m.run(), ensure_ascii=False, default=str))"
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False)
    elapsed = round(time.perf_counter() - started, 1)
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(MARK):
            return {"ok": True, "seconds": elapsed, "figures": json.loads(line[len(MARK) :])}
    return {"ok": False, "seconds": elapsed, "error": (proc.stderr or proc.stdout)[-2000:]}


def flatten(prefix: str, value, rows: list):
    if isinstance(value, dict):
        for key, inner in value.items():
            flatten(f"{prefix}.{key}" if prefix else str(key), inner, rows)
    else:
        rows.append((prefix, value))


def existing_sections(path: Path) -> dict[str, str]:
    """The sections of the current report, so that running one module keeps the others' figures."""
    if not path.exists():
        return {}
    sections: dict[str, str] = {}
    name = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            name = line[3:].strip()
            sections[name] = ""
        elif name is not None:
            sections[name] += line + "\n"
    return sections


def render(results: dict, kept: dict[str, str] | None = None) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Measured by `make bench` (each section says when it last ran), "
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}.",
        "The targets each figure answers are in the issues and in the per-module notes in `docs/`.",
        "",
    ]
    kept = kept or {}
    order = list(dict.fromkeys([*MODULES, *kept, *results]))
    for name in order:
        if name not in results:
            if name in kept:
                lines += [f"## {name}", *kept[name].rstrip("\n").split("\n"), ""]
            continue
        outcome = results[name]
        lines += [f"## {name}", ""]
        if not outcome["ok"]:
            lines += ["Failed to run:", "", "```", outcome["error"], "```", ""]
            continue
        rows: list = []
        flatten("", outcome["figures"], rows)
        lines += ["| figure | value |", "|---|---|"]
        lines += [f"| {key} | {value} |" for key, value in rows]
        when = f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
        lines += ["", f"(module ran in {outcome['seconds']} s, {when})", ""]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    names = [n for n in (argv or MODULES) if (ROOT / "bench" / f"{n}.py").exists()]
    results = {}
    for name in names:
        print(f"== bench {name}", flush=True)
        results[name] = run_module(name)
        print(json.dumps(results[name], ensure_ascii=False, indent=2)[:4000], flush=True)
    report = ROOT / "docs" / "benchmarks.md"
    report.write_text(render(results, existing_sections(report)), encoding="utf-8")
    print("wrote docs/benchmarks.md")
    return 0 if all(r["ok"] for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
