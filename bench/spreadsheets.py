"""Benchmark of reading an uploaded workbook within limits (issue 9): what measuring a sheet before parsing costs
next to the parse itself, and how fast a crafted file that declares a cell at XFD1048576 is refused.

A 100,000-row × 8-column indicator workbook (the registry import's size), written once to a temporary folder.

Run: python -m bench.spreadsheets
"""

import os
import statistics
import tempfile
import time
import zipfile
from pathlib import Path

N_ROWS = int(os.environ.get("BENCH_SPREADSHEET_ROWS", "100000"))


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def best_of(func, repeat=3) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return min(times), statistics.median(times)


def run() -> dict:
    setup_django()
    from openpyxl import Workbook

    from kechuang.errors import DomainError
    from kechuang.spreadsheets import measure_xlsx, read_rows

    folder = Path(tempfile.mkdtemp(prefix="kc-bench-sheets-"))
    path = folder / "indicators.xlsx"
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("年度指标")
    sheet.append(
        ["统一社会信用代码", "年度", "营业收入", "研发经费支出", "加计扣除", "从业人员", "研发人员", "来源"]
    )
    for i in range(N_ROWS):
        sheet.append([f"91450103MA5L{i:06d}", 2024, 1_000_000 + i, 50_000 + i, 40_000, 80, 12, "统计局"])
    workbook.save(path)
    with zipfile.ZipFile(path) as archive:
        xml_bytes = archive.getinfo("xl/worksheets/sheet1.xml").file_size

    def measure():
        with zipfile.ZipFile(path) as archive:
            measure_xlsx(archive)

    measure_best, measure_median = best_of(measure)
    read_best, read_median = best_of(lambda: read_rows(path, path.name), repeat=2)

    bomb = folder / "bomb.xlsx"
    crafted = Workbook()
    crafted.active["XFD1048576"] = 1
    crafted.save(bomb)

    def refuse():
        try:
            read_rows(bomb, bomb.name)
        except DomainError:
            return
        raise AssertionError("the crafted workbook was read")

    refuse_best, _ = best_of(refuse, repeat=5)
    return {
        "workbook": {
            "rows": N_ROWS,
            "columns": 8,
            "file_kb": round(path.stat().st_size / 1024),
            "sheet_xml_mb": round(xml_bytes / 1048576, 1),
        },
        "measure_s": {"best": round(measure_best, 3), "median": round(measure_median, 3)},
        "read_rows_incl_measure_s": {"best": round(read_best, 3), "median": round(read_median, 3)},
        "measure_share_of_read": f"{measure_best / read_best:.0%}",
        "xfd1048576_workbook": {
            "file_bytes": bomb.stat().st_size,
            "refused_in_ms": round(refuse_best * 1000, 1),
        },
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(), ensure_ascii=False, indent=2))
