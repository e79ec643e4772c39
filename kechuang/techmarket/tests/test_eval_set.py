from kechuang.techmarket.eval import dataset
from kechuang.techmarket.search.tokenize import script_language


def test_eval_set_has_thirty_pairs_per_language_in_the_right_script():
    queries = dataset.queries()
    for lang in dataset.QUERY_LANGUAGES:
        mine = [q for q in queries if q["language"] == lang]
        assert len(mine) >= 30
        for q in mine:
            expected = lang if lang in ("zh-hans", "th", "lo", "km", "my") else None
            assert script_language(q["text"]) == expected, (lang, q["text"])
    pool = dataset.achievements()
    assert len({p["id"] for p in pool}) == len(pool) >= 50
    assert all("zh-hans" in p["rows"] for p in pool)
