"""Where the per-article work runs, behind one call: ``engine.map(task, items)``.

A stage describes its per-item work as a :class:`Task` (a pure, picklable function, what
shapes its result, and where it is worth running) and hands it with its items to the
engine. The engine looks the items up in the result cache, runs the rest (in this
process, in worker processes on every core, or on a Ray cluster) and stores what it
computed. No stage knows which engine runs it; every engine returns the same results in
the same order.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from enum import Enum
from functools import partial
from multiprocessing import get_context
from typing import Any

from pipeline import __version__
from pipeline.core.cache import ResultCache
from pipeline.core.ids import content_id
from pipeline.core.progress import progress
from pipeline.errors import describe

log = logging.getLogger(__name__)


def worker_setup(setup: Callable[[], Any] | None) -> None:
    """A worker process's start: it dies with its parent (Linux: a parent-death signal),
    leaves Ctrl-C to the parent (which stops it), then runs the task's ``setup``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() == 1:  # the parent died before the signal was asked for
            os._exit(1)
    if setup is not None:
        setup()


_PR_SET_PDEATHSIG = 1  # prctl(2)


class Where(Enum):
    """Where a task is worth running."""

    #: Heavy work with per-worker state (a model): spread over worker processes or actors.
    WORKERS = "workers"
    #: Light, stateless work: in this process locally, as stateless tasks on a cluster.
    TASKS = "tasks"
    #: Work that reads whole documents by reference: always in this process.
    HERE = "here"


@dataclass(frozen=True)
class Failure:
    """An item whose function raised: its error code and message (never cached)."""

    code: str
    message: str


@dataclass(frozen=True)
class Task:
    """Per-item work for :meth:`Engine.map`.

    Attributes:
        name: names the task in logs, progress bars and cache keys.
        fn: pure function of one item (or of a list of items when ``batched``) whose
            results are plain JSON data; module-level or a ``functools.partial`` of one,
            so that it pickles.
        key: what identifies an item's result besides ``settings`` and the project's
            version (e.g. the article's text); None: the results are not cached.
        settings: everything else that shapes the results (versions, configuration).
        setup: run once per worker before any item (e.g. load the model).
        where: where the work is worth running.
        batched: ``fn`` takes a list of items and returns their results in order.
        size: an item's cost, for balancing batches across workers.
        may_fail: an item whose function raises gives a :class:`Failure` in its place
            (the stage turns it into an error row); otherwise the task raises.
    """

    name: str
    fn: Callable[[Any], Any]
    key: Callable[[Any], tuple] | None = None
    settings: tuple = ()
    setup: Callable[[], Any] | None = None
    where: Where = Where.HERE
    batched: bool = False
    size: Callable[[Any], int] = len
    may_fail: bool = False


def run_items(fn: Callable[[Any], Any], batched: bool, items: list) -> list:
    """``fn`` over ``items`` in order; an item whose function raises becomes a
    :class:`Failure` (a batched function fails as a whole)."""
    if batched:
        return fn(items)
    out: list = []
    for item in items:
        try:
            out.append(fn(item))
        except Exception as exc:
            out.append(Failure(*describe(exc)))
    return out


def _batches(sizes: list[int], n: int, max_size: int) -> list[list[int]]:
    """Consecutive index batches of about equal size: ``n`` per worker at least."""
    total = sum(sizes)
    target = max(1, min(max_size, total // max(1, n)))
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


def _checked(task: Task, results: list) -> list:
    """``results``, unless one failed and ``task`` may not fail: then RuntimeError."""
    if not task.may_fail:
        failed = next((r for r in results if isinstance(r, Failure)), None)
        if failed is not None:
            raise RuntimeError(f"{task.name} failed: {failed.message}")
    return results


class Engine:
    """Runs tasks over items, reusing and filling the result cache; subclasses say
    where the items that are not cached run (:meth:`run`)."""

    def __init__(self, cache: ResultCache | None = None) -> None:
        self.cache = cache or ResultCache(None)

    def map(self, task: Task, items: Sequence) -> list:
        """The results of ``task`` over ``items``, in order: cached ones looked up,
        the others computed by :meth:`run` and cached (failures are not)."""
        items = list(items)
        if task.key is None:
            return _checked(task, self.run(task, items))
        salt = (task.name, __version__)
        keys = [content_id(*salt, *task.key(item), *task.settings, length=32) for item in items]
        known = self.cache.get_many(keys)
        todo = sorted({k: i for i, k in enumerate(keys) if k not in known}.values())
        log.info(
            "%s: %d item(s), %d from the cache, %d to compute",
            task.name,
            len(items),
            len(items) - len(todo),
            len(todo),
        )
        fresh = self.run(task, [items[i] for i in todo]) if todo else []
        new = {keys[i]: value for i, value in zip(todo, fresh, strict=True)}
        self.cache.put_many({k: v for k, v in new.items() if not isinstance(v, Failure)})
        known |= new
        return _checked(task, [known[k] for k in keys])

    def run(self, task: Task, items: list) -> list:
        """Compute ``task`` over ``items`` (none of them cached), in order."""
        raise NotImplementedError


class LocalEngine(Engine):
    """This machine: worker tasks go to a pool of ``workers`` processes (0: one per
    core), each running the task's setup once, when the items hold at least
    ``parallel_min_size`` of work; everything else runs in this process."""

    def __init__(
        self,
        workers: int = 0,
        cache: ResultCache | None = None,
        parallel_min_size: int = 200_000,
        max_batch_size: int = 500_000,
    ) -> None:
        super().__init__(cache)
        self.workers = workers or os.cpu_count() or 1
        self.parallel_min_size = parallel_min_size
        self.max_batch_size = max_batch_size

    def run(self, task: Task, items: list) -> list:
        """See :meth:`Engine.run`."""
        if not items:
            return []  # nothing new: no model load, no pool
        sizes = [task.size(item) for item in items] if task.where is Where.WORKERS else []
        if task.where is not Where.WORKERS or self.workers <= 1:
            return self._here(task, items)
        if sum(sizes) < self.parallel_min_size:
            return self._here(task, items)
        batches = _batches(sizes, self.workers * 4, self.max_batch_size)
        work = partial(run_items, task.fn, task.batched)
        out: list = []
        ctx = get_context("spawn")  # no fork after BLAS threads have started
        init = partial(worker_setup, task.setup)
        pool = ProcessPoolExecutor(self.workers, mp_context=ctx, initializer=init)
        try:
            parts = pool.map(work, [[items[i] for i in b] for b in batches])
            for part in progress(parts, desc=task.name, unit="batch", total=len(batches)):
                out.extend(part)
        except BaseException:  # Ctrl-C, SIGTERM, a failure: stop the workers now
            # the executor has no public way to stop workers mid-batch
            for proc in list((pool._processes or {}).values()):
                proc.kill()
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown()
        return out

    @staticmethod
    def _here(task: Task, items: list) -> list:
        if task.batched:
            return task.fn(items)
        return run_items(task.fn, False, list(progress(items, desc=task.name, unit="item")))


class _Actor:
    """One worker process of a Ray engine (a Ray actor): runs tasks' functions over
    batches of items, each task's setup once (the model stays loaded across batches)."""

    def __init__(self) -> None:
        self.ready: set[str] = set()

    def run(
        self,
        name: str,
        fn: Callable[[Any], Any],
        batched: bool,
        setup: Callable[[], Any] | None,
        items: list,
    ) -> list:
        if setup is not None and name not in self.ready:
            setup()
            self.ready.add(name)
        return run_items(fn, batched, items)


class RayEngine(Engine):
    """A Ray cluster (a local one unless ``address`` names one) and a pool of ``actors``
    worker processes on it (0: one per CPU Ray reports), started once, when the engine
    is made, and kept for every stage: each runs a task's setup once. Light tasks of
    fewer than ``tasks_from`` items run in this process (shipping them costs more), as do
    ``HERE`` tasks. Ray's own logs are silenced unless the pipeline logs at DEBUG
    (``-v``)."""

    def __init__(
        self,
        address: str | None = None,
        actors: int = 0,
        batch_size: int = 64,
        cache: ResultCache | None = None,
        tasks_from: int = 5000,
    ) -> None:
        verbose = logging.getLogger("pipeline").getEffectiveLevel() <= logging.DEBUG
        import ray
        from ray.util import ActorPool

        super().__init__(cache)
        if not ray.is_initialized():
            ray.init(
                address=address,
                include_dashboard=False,
                log_to_driver=False,
                ignore_reinit_error=True,
                logging_level=logging.INFO if verbose else logging.ERROR,
            )
        if not verbose:
            for name in list(logging.root.manager.loggerDict):
                if name == "ray" or name.startswith("ray."):
                    logging.getLogger(name).setLevel(logging.ERROR)
        n = actors or max(1, int(ray.cluster_resources().get("CPU", 1)))
        remote = ray.remote(num_cpus=1, max_restarts=0)(_Actor)
        self.pool = ActorPool([remote.remote() for _ in range(n)])  # they start meanwhile
        self.actors = n
        self.batch_size = batch_size
        self.tasks_from = tasks_from

    def run(self, task: Task, items: list) -> list:
        """See :meth:`Engine.run`."""
        if not items:
            return []
        if task.where is Where.HERE or (task.where is Where.TASKS and len(items) < self.tasks_from):
            return LocalEngine._here(task, items)
        size = max(1, min(self.batch_size, -(-len(items) // (self.actors * 4))))
        batches = [items[i : i + size] for i in range(0, len(items), size)]
        parts = self.pool.map(
            lambda actor, batch: actor.run.remote(
                task.name, task.fn, task.batched, task.setup, batch
            ),
            batches,
        )
        out: list = []
        for part in progress(parts, desc=task.name, unit="batch", total=len(batches)):
            out.extend(part)
        return out
