"""Cross-language search core: tokenisation, BM25, dense embeddings, ANN index, rank fusion.

Nothing here touches the database; `kechuang.techmarket.indexing` feeds it from the models, and the evaluation
harness and the benchmark feed it directly.
"""
