"""Benchmarks run on local scratch data: without SECRET_KEY they use the development key in the data directory."""

import os

os.environ.setdefault("KECHUANG_DEV_KEY", "1")
