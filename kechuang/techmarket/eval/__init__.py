"""Evaluation of cross-language search: a bundled set of achievement/demand pairs and a harness."""
