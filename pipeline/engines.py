"""Where the per-article work runs: in this process, in worker processes on every core
(each loading the model once), or on a Ray cluster (Ray Data ``map_batches`` over Arrow
batches with an actor pool). Every engine returns the same results in the same order."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from multiprocessing import get_context
from typing import Any, Protocol

import pyarrow as pa

from pipeline.annotate import annotate
from pipeline.fingerprints import FingerprintJob, fingerprint_batch
from pipeline.nlp import load_model
from pipeline.progress import progress

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AnnotateJob:
    """What the model pass needs besides the texts."""

    model: str
    max_chunk_chars: int
    batch_size: int


class Engine(Protocol):
    """Runs the per-article work."""

    def annotate(self, texts: list[str], job: AnnotateJob) -> list[list]: ...

    def fingerprint(self, items: list[tuple[str, bool]], job: FingerprintJob) -> list[dict]: ...


def _batches(sizes: list[int], n: int, max_chars: int) -> list[list[int]]:
    """Consecutive index batches of about equal text size: ``n`` per worker at least."""
    total = sum(sizes)
    target = max(1, min(max_chars, total // max(1, n)))
    out, cur, cur_size = [], [], 0
    for i, size in enumerate(sizes):
        cur.append(i)
        cur_size += size
        if cur_size >= target:
            out.append(cur)
            cur, cur_size = [], 0
    if cur:
        out.append(cur)
    return out


def _annotate_batch(texts: list[str], job: AnnotateJob) -> list[list]:
    return annotate(texts, job.model, job.max_chunk_chars, job.batch_size)


class LocalEngine:
    """This machine: in-process for small inputs, else a pool of ``workers`` processes
    (0: one per core), each loading the model once."""

    def __init__(self, workers: int = 0, parallel_min_chars: int = 200_000) -> None:
        self.workers = workers or os.cpu_count() or 1
        self.parallel_min_chars = parallel_min_chars

    def _map(
        self,
        fn: Callable[[list], list],
        items: list,
        sizes: list[int],
        init: Callable[[], Any] | None,
        desc: str,
    ) -> list:
        if not items:
            return []  # nothing new: no model load, no pool
        if self.workers <= 1 or sum(sizes) < self.parallel_min_chars:
            return fn(items)
        batches = _batches(sizes, self.workers * 4, 500_000)
        out: list = []
        ctx = get_context("spawn")  # no fork after BLAS threads have started
        with ProcessPoolExecutor(self.workers, mp_context=ctx, initializer=init) as pool:
            parts = pool.map(fn, [[items[i] for i in b] for b in batches])
            for part in progress(parts, desc=desc, unit="batch", total=len(batches)):
                out.extend(part)
        return out

    def annotate(self, texts: list[str], job: AnnotateJob) -> list[list]:
        """Model annotations of the texts, in order."""
        return self._map(
            partial(_annotate_batch, job=job),
            texts,
            [len(t) for t in texts],
            partial(load_model, job.model),
            "ner",
        )

    def fingerprint(self, items: list[tuple[str, bool]], job: FingerprintJob) -> list[dict]:
        """Fingerprints of the (text, has_title) items, in order. In this process: MinHash
        is cheap beside the model pass, which has the cores meanwhile."""
        return fingerprint_batch(items, job.k, job.num_perm, job.seed, job.min_words)


class _AnnotateActor:
    """A Ray actor: loads the model once, then annotates Arrow batches."""

    def __init__(self, job: AnnotateJob) -> None:
        self.job = job
        load_model(job.model)

    def __call__(self, batch: pa.Table) -> pa.Table:
        spans = _annotate_batch(batch.column("text").to_pylist(), self.job)
        return pa.table(
            {
                "i": batch.column("i"),
                "spans": pa.array([json.dumps(s) for s in spans], pa.large_string()),
            }
        )


def _fingerprint_arrow(batch: pa.Table, job: FingerprintJob) -> pa.Table:
    items = list(
        zip(batch.column("text").to_pylist(), batch.column("title").to_pylist(), strict=True)
    )
    fps = fingerprint_batch(items, job.k, job.num_perm, job.seed, job.min_words)
    return pa.table(
        {"i": batch.column("i"), "fp": pa.array([json.dumps(f) for f in fps], pa.large_string())}
    )


class RayEngine:
    """A Ray cluster (a local one unless ``address`` names one): ``actors`` model actors
    (0: one per CPU Ray reports)."""

    def __init__(self, address: str | None = None, actors: int = 0, batch_size: int = 64) -> None:
        import ray

        if not ray.is_initialized():
            ray.init(
                address=address,
                include_dashboard=False,
                log_to_driver=False,
                ignore_reinit_error=True,
            )
        self.actors = actors or max(1, int(ray.cluster_resources().get("CPU", 1)))
        self.batch_size = batch_size
        logging.getLogger("ray.data").setLevel(logging.WARNING)

    def _dataset(self, columns: dict[str, list]):
        """An Arrow-backed dataset in enough blocks to keep every actor busy (sliced here,
        so no all-to-all repartition competes with the actors for CPUs)."""
        import ray

        table = pa.table(columns)
        n = max(1, min(table.num_rows, self.actors * 4))
        step = -(-table.num_rows // n)
        return ray.data.from_arrow([table.slice(i, step) for i in range(0, table.num_rows, step)])

    def annotate(self, texts: list[str], job: AnnotateJob) -> list[list]:
        """Model annotations via ``map_batches`` over an actor pool, in order."""
        import ray

        if not texts:
            return []
        ds = self._dataset({"i": list(range(len(texts))), "text": texts}).map_batches(
            _AnnotateActor,
            fn_constructor_kwargs={"job": job},
            batch_size=self.batch_size,
            batch_format="pyarrow",
            compute=ray.data.ActorPoolStrategy(size=self.actors),
            num_cpus=1,
        )
        rows = sorted(ds.take_all(), key=lambda r: r["i"])
        return [json.loads(r["spans"]) for r in rows]

    def fingerprint(self, items: list[tuple[str, bool]], job: FingerprintJob) -> list[dict]:
        """Fingerprints via ``map_batches`` (stateless tasks), in order."""
        if not items:
            return []
        ds = self._dataset(
            {
                "i": list(range(len(items))),
                "text": [t for t, _ in items],
                "title": [b for _, b in items],
            }
        ).map_batches(
            _fingerprint_arrow,
            fn_kwargs={"job": job},
            batch_size=self.batch_size,
            batch_format="pyarrow",
        )
        rows = sorted(ds.take_all(), key=lambda r: r["i"])
        return [json.loads(r["fp"]) for r in rows]
