"""The search core without the model: tokenisers, BM25, fusion, vector stores and the engine."""

import numpy as np
import pytest

from kechuang.techmarket.search.bm25 import BM25Index
from kechuang.techmarket.search.dense import Centering
from kechuang.techmarket.search.engine import HybridSearcher
from kechuang.techmarket.search.fusion import rrf
from kechuang.techmarket.search.tokenize import detect_language, tokenize
from kechuang.techmarket.search.vectors import AnnVectors, VectorStore


def test_tokenisers_per_language():
    assert {"木薯", "乙醇"} <= set(tokenize("木薯燃料乙醇高效发酵技术", "zh-hans"))
    assert "ทุเรียน" in tokenize("เทคโนโลยีการถนอมทุเรียนสด", "th")
    assert "ເຂົ້າ" in tokenize("ເຕັກໂນໂລຊີການປູກເຂົ້າ", "lo")
    assert "sắn" in tokenize("Công nghệ chế biến sắn", "vi") and "chế_biến" in tokenize(
        "Công nghệ chế biến sắn", "vi"
    )
    assert tokenize("We need cassava processing", "en") == ["cassava", "process"]
    my = tokenize("ရော်ဘာစိုက်ပျိုးရေး", "my")
    assert "စိုက်" in my and "စိုက်ပျိုး" in my  # syllables and syllable bigrams


def test_mixed_and_empty_text():
    tokens = tokenize("木薯 ethanol ทุเรียน", "zh-hans")
    assert {"木薯", "ethanol", "ทุเรียน"} <= set(tokens)
    assert tokenize("", "en") == [] and tokenize("   \n", None) == []


def test_language_detection():
    assert detect_language("木薯燃料乙醇") == "zh-hans"
    assert detect_language("Công nghệ chế biến sắn thành cồn") == "vi"
    assert detect_language("ບໍລິສັດຕ້ອງການເຄື່ອງຈັກ") == "lo"
    assert detect_language("Kailangan namin ng teknolohiya para sa tubo") == "fil"


def test_bm25_ranks_and_covers():
    idx = BM25Index()
    idx.add(1, tokenize("cassava ethanol fermentation", "en"))
    idx.add(2, tokenize("durian freezing packaging", "en"))
    idx.add(3, tokenize("cassava starch", "en"))
    hits = idx.search(tokenize("cassava ethanol", "en"))
    assert [h[0] for h in hits][:2] == [1, 3]
    assert hits[0][2] == 1.0 and 0 < hits[1][2] < 1
    idx.remove(1)
    assert [h[0] for h in idx.search(tokenize("cassava ethanol", "en"))] == [3]
    assert idx.matched_terms(3, ["cassava", "ethanol"]) == ["cassava"]


def test_rrf():
    fused = rrf([[1, 2, 3], [3, 1]])
    assert [k for k, _ in fused] == [1, 3, 2]


def _unit(rng, n, d=384):
    x = rng.standard_normal((n, d)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_vector_store_incremental_and_persistent(tmp_path):
    rng = np.random.default_rng(1)
    vecs = _unit(rng, 50)
    store = VectorStore()
    store.add(range(50), vecs)
    assert store.search(vecs[7], 1)[0][0] == 7
    assert store.search(vecs[7], 1, force="ann")[0][0] == 7
    store.remove([7])
    assert store.search(vecs[7], 1)[0][0] != 7
    store.save(tmp_path / "idx", {"generation": 3})
    loaded, manifest = VectorStore.load(tmp_path / "idx")
    assert manifest["generation"] == 3 and len(loaded) == 49
    assert loaded.search(vecs[8], 1, force="ann")[0][0] == 8
    loaded.add([100], vecs[7:8])
    assert loaded.search(vecs[7], 1)[0][0] == 100


def test_ann_replaces_updated_keys():
    rng = np.random.default_rng(2)
    vecs = _unit(rng, 3)
    ann = AnnVectors()
    ann.add([1, 2], vecs[:2])
    ann.add([1], vecs[2:3])
    assert len(ann) == 2 and ann.search(vecs[2], 1)[0][0] == 1


def test_engine_groups_rows_and_fuses():
    rng = np.random.default_rng(3)
    vecs = _unit(rng, 3)
    s = HybridSearcher(centering=Centering())
    s.add_text(1, 10, "zh-hans", "木薯燃料乙醇发酵")
    s.add_text(2, 10, "en", "cassava ethanol fermentation")
    s.add_text(3, 20, "zh-hans", "榴莲速冻保鲜")
    s.add_vectors([1, 2, 3], vecs, titles=vecs)
    hits = s.search("cassava ethanol", language="en", query_vector=vecs[2], mode="hybrid")
    assert {h.listing_id for h in hits} == {10, 20}
    assert next(h for h in hits if h.listing_id == 10).terms == ["cassava", "ethanol"]
    assert s.search("cassava", language="en", mode="keyword")[0].listing_id == 10
    assert s.search("x", language="en", query_vector=vecs[2], mode="dense")[0].listing_id == 20
    assert s.search("cassava", language="en", query_vector=vecs[2], allowed={20})[0].listing_id == 20
    assert s.search("   ", language="en") == []
    s.remove_listing(10)
    assert [h.listing_id for h in s.search("cassava", language="en", query_vector=vecs[1])] == [20]


def test_ivf_index_builds_adds_removes_and_survives_reload(tmp_path):
    from kechuang.techmarket.search.vectors import IvfVectors

    rng = np.random.default_rng(4)
    vecs = _unit(rng, 400)
    store = VectorStore(exact_limit=100, nlist=16, nprobe=16)
    store.add(range(300), vecs[:300])
    assert store.search(vecs[5], 1)[0][0] == 5  # beyond exact_limit: the IVF index is built on first use
    assert isinstance(store.ann, IvfVectors) and len(store.ann) == 300
    store.add(range(300, 400), vecs[300:])
    store.remove([5])
    assert store.search(vecs[350], 1)[0][0] == 350 and store.search(vecs[5], 1)[0][0] != 5
    store.save(tmp_path / "ivf")
    loaded, _ = VectorStore.load(tmp_path / "ivf", exact_limit=100)
    assert isinstance(loaded.ann, IvfVectors) and len(loaded.ann) == 399
    assert loaded.search(vecs[399], 1)[0][0] == 399


def test_searcher_saves_loads_and_applies_journal_entries(tmp_path):
    rng = np.random.default_rng(8)
    vecs = _unit(rng, 4)
    s = HybridSearcher(centering=Centering())
    s.add_text(1, 10, "zh-hans", "木薯燃料乙醇发酵", kind="achievement")
    s.add_text(2, 20, "en", "need cassava ethanol", kind="demand")
    s.add_vectors([1, 2], vecs[:2], titles=vecs[:2])
    s.add_sparse([1, 2], [(np.array([3, 5]), np.array([0.5, 0.2])), (np.array([5]), np.array([0.4]))])
    s.save(tmp_path / "base")
    cold = HybridSearcher.load(tmp_path / "base", centering=Centering())
    assert cold.by_kind == {"achievement": {10}, "demand": {20}}
    hit = cold.search("木薯乙醇", language="zh-hans", query_vector=vecs[0], kind="achievement")[0]
    assert hit.listing_id == 10 and hit.terms  # keyword postings came back without re-tokenising
    assert cold.search("x", language="en", query_vector=vecs[0], kind="demand")[0].listing_id == 20
    # a journal entry: listing 10 changed (new row 3), listing 30 is new; nothing else is touched
    row = {"language": "en", "kind": "achievement", "sparse": (np.array([7]), np.array([1.0]))}
    cold.apply(
        [10],
        [
            {
                **row,
                "key": 3,
                "listing_id": 10,
                "tokens": ["durian"],
                "vector": vecs[2],
                "title_vector": vecs[2],
            },
            {
                **row,
                "key": 4,
                "listing_id": 30,
                "tokens": ["mango"],
                "vector": vecs[3],
                "title_vector": vecs[3],
            },
        ],
    )
    assert cold.rows_of[10] == {3} and 1 not in cold.docs
    assert cold.search("durian", language="en", mode="keyword")[0].listing_id == 10
    assert (
        cold.search("x", language="en", query_vector=vecs[3], mode="dense", kind="achievement")[0].listing_id
        == 30
    )


def test_exact_store_removes_by_tombstone_and_grows_in_place(tmp_path):
    from kechuang.techmarket.search.vectors import ExactVectors

    rng = np.random.default_rng(9)
    vecs = _unit(rng, 6)
    store = ExactVectors()
    store.add([1, 2, 3], vecs[:3])
    store.remove([2])
    assert len(store) == 2 and 2 not in dict(store.search(vecs[1], 3))
    store.add([2], vecs[3:4])  # re-added with a new vector
    assert store.search(vecs[3], 1)[0][0] == 2 and set(store.get([1, 2, 9])) == {1, 2}
    store.save(tmp_path)
    loaded = ExactVectors.load(tmp_path)
    assert len(loaded) == 3 and len(loaded._keys) > 3  # spare capacity after a load
    buffer = loaded._mat
    loaded.add([7], vecs[4:5])
    assert loaded._mat is buffer and loaded.search(vecs[4], 1)[0][0] == 7  # no copy for the first approval
    assert loaded.search(vecs[4], 1, allowed=np.array([1, 3]))[0][0] in (1, 3)


def test_glossary_names_concepts_across_languages():
    from kechuang.techmarket.search.glossary import bundled

    g = bundled()
    assert "mango" in g.concepts_in("Chúng tôi cần công nghệ chế biến xoài", "vi")
    assert "mango" in g.concepts_in("ត្រូវការបច្ចេកវិទ្យាកែច្នៃស្វាយ", "km")
    assert "mango" in g.concepts_in("芒果浆无菌灌装技术", "zh-hans")
    # the longest term at a position wins: Thai maize is not also rice
    assert g.concepts_in("ข้าวโพด", "th") == {"maize"}
    # capitalised terms keep their case: Vietnamese "ai" (who) is not AI
    assert g.concepts_in("ai cần", "vi") == set() and "ai_vision" in g.concepts_in("cần AI", "vi")
    # two-letter terms in text without spaces are left out (Thai ชา "tea" inside ชาวนา "farmers")
    assert "tea" not in g.concepts_in("ชาวนาต้องการ", "th")
    # nor may a match cut a syllable: Khmer ចេក "banana" inside បច្ចេកវិទ្យា "technology"
    assert g.concepts_in("បច្ចេកវិទ្យា", "km") == set() and g.concepts_in("ដើមចេក", "km") == {"banana"}
    # Malay baja is fertiliser, Indonesian baja is steel: the query's language decides
    assert "fertiliser" in g.concepts_in("baja organik", "ms")


def test_glossary_bonus_lifts_the_listing_naming_the_query_concepts(tmp_path):
    rng = np.random.default_rng(5)
    vecs = _unit(rng, 3)
    s = HybridSearcher(centering=Centering())
    s.add_text(1, 10, "zh-hans", "芒果干燥技术", kind="achievement")
    s.add_text(2, 20, "zh-hans", "荔枝干燥技术", kind="achievement")
    s.add_text(3, 30, "lo", "ຕ້ອງການອົບແຫ້ງໝາກມ່ວງ", kind="demand")
    s.add_vectors([1, 2, 3], vecs, titles=vecs)
    query = "ຕ້ອງການເຕັກໂນໂລຊີອົບແຫ້ງໝາກມ່ວງ"  # Lao: drying mango
    # the query vector is closer to the lychee listing; the glossary knows the query names mango and drying
    qv = (0.6 * vecs[0] + vecs[1]) / np.linalg.norm(0.6 * vecs[0] + vecs[1])
    plain = {"full": 1.0, "title": 0.0, "keyword": 0.0, "glossary": 0.0}
    assert s.search(query, query_vector=qv, kind="achievement", weights=plain)[0].listing_id == 20
    scores = s.glossary_scores(query, "lo", s.by_kind["achievement"])
    assert scores[10] == pytest.approx(1.0) and 0 < scores[20] < 0.9 and 30 not in scores
    hits = s.search(query, query_vector=qv, kind="achievement", weights={**plain, "glossary": 1.0})
    assert hits[0].listing_id == 10
    # concepts survive save/load and leave with their listing
    s.save(tmp_path / "base")
    cold = HybridSearcher.load(tmp_path / "base", centering=Centering())
    assert cold.glossary_scores(query, "lo")[10] == pytest.approx(1.0)
    cold.remove_listing(10)
    assert 10 not in cold.glossary_scores(query, "lo") and cold.concept_listings["mango"] == {30: 1}
    cold.remove_listing(30)
    assert "mango" not in cold.concept_listings


def test_query_expanded_with_its_concepts_chinese_and_english_terms():
    s = HybridSearcher(centering=Centering(), params={"expand": True})
    query = "ត្រូវការបច្ចេកវិទ្យាកែច្នៃស្វាយ"  # Khmer: processing technology for mango
    expanded = s.expanded(query, "km")
    assert expanded.startswith(query) and "芒果" in expanded and "mango" in expanded and "加工" in expanded
    assert "香蕉" not in expanded  # "banana" is not read inside "technology"
    assert HybridSearcher(centering=Centering(), params={"expand": False}).expanded(query, "km") == query
    assert s.expanded("nothing the glossary knows", "en") == "nothing the glossary knows"
