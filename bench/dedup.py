"""Repeat detection at scale: time, peak memory, and precision/recall on planted copies,
per corpus size, each size in a fresh process so peak memory is its own."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from itertools import pairwise
from pathlib import Path

from bench.synthetic import build, sentence_pool
from pipeline.config import DedupConfig
from pipeline.stories.duplicates import near_copies
from pipeline.stories.eventgroups import event_groups
from pipeline.stories.eventmodel import load_event_model
from pipeline.stories.events import EventEvidence
from pipeline.stories.nearcopies import exact_links
from pipeline.stories.shingles import exact_key, signature


def measure(raw: Path, n: int) -> dict:
    """Build a synthetic corpus of ``n`` texts and find its repeats."""
    cfg = DedupConfig()
    syn = build(sentence_pool(raw), n)
    t0 = time.perf_counter()
    links = exact_links([exact_key(t) for t in syn.texts])
    done = {(link.a, link.b) for link in links}
    t1 = time.perf_counter()
    sigs = [signature(t, cfg.shingle_words, cfg.num_perm, cfg.seed) for t in syn.texts]
    t2 = time.perf_counter()
    links += near_copies(syn.texts, sigs, cfg, done)
    t3 = time.perf_counter()
    evidence = [EventEvidence(t, (), frozenset(), frozenset()) for t in syn.texts]
    found_groups = event_groups(evidence, cfg, load_event_model())
    t4 = time.perf_counter()
    found = {(link.a, link.b) for link in links}
    planted = {(a, b) for a, b, _ in syn.planted}
    tp = len(found & planted)
    by_kind = {
        k: sum((a, b) in found for a, b, how in syn.planted if how == k)
        / max(1, sum(how == k for *_, how in syn.planted))
        for k in ("exact", "near", "contained")
    }
    return {
        "articles": n,
        "planted": len(planted),
        "found": len(found),
        "precision": tp / len(found) if found else 0.0,
        "recall": tp / len(planted),
        "recall_by_kind": by_kind,
        "seconds_exact": t1 - t0,
        "seconds_minhash": t2 - t1,
        "seconds_lsh": t3 - t2,
        "seconds_events": t4 - t3,
        "event_groups": len(found_groups.events),
        "threads": len(found_groups.threads),
        "seconds_total": t4 - t0,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run(raw: str, sizes: list[int]) -> None:
    """Measure each size in a child process and print a table with growth ratios."""
    results = []
    for n in sizes:
        out = subprocess.run(
            [
                sys.executable,
                "-c",
                f"import json; from bench.dedup import measure; from pathlib import Path; "
                f"print(json.dumps(measure(Path({raw!r}), {n})))",
            ],
            check=True,
            capture_output=True,
            text=True,
            cwd=Path(__file__).parents[1],
        )
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
        r = results[-1]
        print(
            f"{r['articles']:>8} articles: {r['seconds_total']:7.1f} s "
            f"(exact {r['seconds_exact']:.1f}, minhash {r['seconds_minhash']:.1f}, "
            f"lsh {r['seconds_lsh']:.1f}, events {r['seconds_events']:.1f}), "
            f"peak {r['peak_rss_mb']:.0f} MB, "
            f"precision {r['precision']:.3f}, recall {r['recall']:.3f} "
            f"(exact {r['recall_by_kind']['exact']:.3f}, near {r['recall_by_kind']['near']:.3f}, "
            f"contained {r['recall_by_kind']['contained']:.3f})",
            flush=True,
        )
    for a, b in pairwise(results):
        print(
            f"  {a['articles']} -> {b['articles']}: size x{b['articles'] / a['articles']:.0f}, "
            f"time x{b['seconds_total'] / a['seconds_total']:.1f}"
        )
