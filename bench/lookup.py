"""Server time of a type-ahead lookup on the towns list (what the `lookup` event runs).

    .venv/bin/python bench/lookup.py [--rounds 5] [--list uk-towns] [--language en]

Times Lookups.search on realistic queries, built from the list's own labels with a fixed seed:
every 1- to 3-letter prefix that occurs, longer prefixes, whole names, a later word, and typos
(a letter dropped, doubled, swapped or replaced). Prints wall-clock p50, p95 and max per kind of
query and overall, the same for CPU time (which leaves out time spent waiting for a busy core),
and the memory the loaded lists take once every cache is filled.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.lookups import Lookups  # noqa: E402


def typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    return rng.choice(
        [
            word[:i] + word[i + 1 :],  # dropped
            word[:i] + word[i] + word[i:],  # doubled
            word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :],  # swapped
            word[:i] + rng.choice("aeiourstnl") + word[i + 1 :],  # replaced
        ]
    )


def queries(labels: list[str], rng: random.Random) -> dict[str, list[str]]:
    long = [label for label in labels if len(label) >= 6]
    words = [w for label in labels for w in label.split()[1:] if len(w) >= 4]
    return {
        "1-3 letters": sorted({label[:n] for label in labels for n in (1, 2, 3)}),
        "4-8 letters": [label[: rng.randint(4, 8)] for label in rng.sample(long, min(300, len(long)))],
        "whole name": rng.sample(labels, min(300, len(labels))),
        "later word": rng.sample(words, min(300, len(words))),
        "typo": [typo(label, rng) for label in rng.sample(long, min(300, len(long)))],
        "no match": ["".join(rng.choice("qxzjv") for _ in range(rng.randint(4, 10))) for _ in range(100)],
    }


def figures(times: list[float]) -> str:
    ms = sorted(t * 1000 for t in times)
    p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    middle = len(ms) // 2  # the median, by hand: this folder's statistics.py hides the standard module's
    p50 = ms[middle] if len(ms) % 2 else (ms[middle - 1] + ms[middle]) / 2
    return f"n={len(ms):5}  p50 {p50:.2f} ms  p95 {p95:.2f} ms  max {ms[-1]:.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--list", default="uk-towns")
    parser.add_argument("--language", default="en", help="the worker's language (countries and nationalities)")
    args = parser.parse_args()
    tracemalloc.start()
    lookups = Lookups(ROOT / "flows" / "lists")
    for width in range(1, 20):  # fill the caches of fuzzy keys kept per query length
        lookups.search(args.list, "q" * width, args.language)
    size, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    labels = [e.label for e in lookups.entries(args.list, args.language)]
    kinds = queries(labels, random.Random(16))
    timings: dict[str, list[float]] = {kind: [] for kind in kinds}
    cpu: list[float] = []
    for _ in range(args.rounds):
        for kind, texts in kinds.items():
            for text in texts:
                started, started_cpu = time.perf_counter(), time.thread_time()
                lookups.search(args.list, text, args.language)
                timings[kind].append(time.perf_counter() - started)
                cpu.append(time.thread_time() - started_cpu)
    print(f"{args.list}: {len(labels)} entries; every list loaded, indexed and warmed: {size / 2**20:.1f} MiB")
    for kind, times in timings.items():
        print(f"  {kind:12} {figures(times)}")
    print(f"  {'all':12} {figures([t for times in timings.values() for t in times])}")
    print(f"  {'all, CPU':12} {figures(cpu)}  (this thread's CPU time: without waits for a core)")


if __name__ == "__main__":
    main()
