"""Tiny pytest-benchmark suite used to produce examples/results/pytest-benchmark/bench.json.

Run by scripts/make-examples; kept deliberately quick (a few seconds total).
"""

import json
import random

import pytest

_rng = random.Random(1234)
NUMBERS = [_rng.random() for _ in range(10_000)]
RECORDS = [
    {"prompt_index": i, "model": "gemma3:270m", "ttft_s": 0.03 + i / 1000, "tokens_s": 120.0 + i % 7,
     "error": "", "options": {"temperature": 0.3, "top_p": 0.9}}
    for i in range(500)
]


def test_sorted_10k_floats(benchmark):
    result = benchmark(sorted, NUMBERS)
    assert result[0] <= result[-1]


def test_list_sort_in_place_10k(benchmark):
    # fresh copy per round so every round sorts unsorted data
    benchmark.pedantic(lambda data: data.sort(), setup=lambda: ((list(NUMBERS),), {}), rounds=50)


def test_json_dumps_500_records(benchmark):
    out = benchmark(json.dumps, RECORDS)
    assert out.startswith("[")


def test_json_loads_500_records(benchmark):
    blob = json.dumps(RECORDS)
    out = benchmark(json.loads, blob)
    assert len(out) == 500


@pytest.mark.parametrize("size", [100, 1000])
def test_str_join(benchmark, size):
    parts = [str(i) for i in range(size)]
    out = benchmark(",".join, parts)
    assert out.count(",") == size - 1
