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
MODULES = ["registry", "policy", "techmarket", "events", "pledge"]
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


def render(results: dict) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Measured by `make bench` on {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, "
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}.",
        "The targets each figure answers are in the issues and in the per-module notes in `docs/`.",
        "",
    ]
    for name, outcome in results.items():
        lines += [f"## {name}", ""]
        if not outcome["ok"]:
            lines += ["Failed to run:", "", "```", outcome["error"], "```", ""]
            continue
        rows: list = []
        flatten("", outcome["figures"], rows)
        lines += ["| figure | value |", "|---|---|"]
        lines += [f"| {key} | {value} |" for key, value in rows]
        lines += ["", f"(module ran in {outcome['seconds']} s)", ""]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    names = [n for n in (argv or MODULES) if (ROOT / "bench" / f"{n}.py").exists()]
    results = {}
    for name in names:
        print(f"== bench {name}", flush=True)
        results[name] = run_module(name)
        print(json.dumps(results[name], ensure_ascii=False, indent=2)[:4000], flush=True)
    (ROOT / "docs" / "benchmarks.md").write_text(render(results), encoding="utf-8")
    print("wrote docs/benchmarks.md")
    return 0 if all(r["ok"] for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
