"""Benchmarks, run on demand: ``python -m bench
[stages|dedup|throughput|filesize|quality|stability|report]``,
and the commands that train the same-event model (``train-events``), the NER
(``train-ner``) and the label model (``train-labels``).

They print figures; nothing here asserts a target.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from pathlib import Path


def stages(args: argparse.Namespace) -> None:
    """Seconds per stage on a folder (default raw/), best of ``--repeat`` runs."""
    from pipeline.config import load_config
    from pipeline.entities.model import load_model
    from pipeline.run import run_pipeline

    cfg = load_config()
    load_model(cfg.ner.model)  # model loading is not a stage cost
    best: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.repeat):
            result = run_pipeline(Path(args.raw), Path(tmp) / "out", cfg)
            for stage, secs in result.seconds.items():
                best[stage] = min(best.get(stage, secs), secs)
    total = best.pop("total")
    print(f"stage timings on {args.raw} (best of {args.repeat}; stages overlap, so their")
    print("seconds add up to more than the run's):")
    for stage, secs in best.items():
        print(f"  {stage:<14} {secs:8.3f} s  {100 * secs / total:5.1f}% of the run")
    print(f"  {'run':<14} {total:8.3f} s")
    model = best.get("annotate", 0) + best.get("ner", 0)
    if model:
        print(f"  dates / NER (model pass and layers) = {best.get('dates', 0) / model:.3f}")


def dedup(args: argparse.Namespace) -> None:
    """Repeat detection on synthetic corpora of growing size."""
    from bench.dedup import run

    run(args.raw, [int(n) for n in args.sizes.split(",")])


def throughput(args: argparse.Namespace) -> None:
    """Words per second: spaCy baseline, NER stage, whole pipeline, rerun."""
    from bench.throughput import run

    run(args.raw, args.articles)


def filesize(args: argparse.Namespace) -> None:
    """Seconds per MB and cores used on one long article and one compilation."""
    from bench.filesize import run

    run(args.raw, [float(n) for n in args.sizes.split(",")], args.kinds.split(","))


def quality(args: argparse.Namespace) -> None:
    """Entity quality with each layer on and off, on the dev sets that are built."""
    from bench.quality import run

    run(args.raw, args.shared, args.devsets)


def report(args: argparse.Namespace) -> None:
    """The HTML report built for 10k and 100k articles."""
    from bench.report import run

    run(args.raw, [int(n) for n in args.sizes.split(",")])


def webpages(args: argparse.Namespace) -> None:
    """Title, date and paragraphs on htmldate's evaluation pages."""
    from bench.webpages import run

    run(args.gitdir)


def train_events(args: argparse.Namespace) -> None:
    """Fit the same-event pair model on the dev sets; write its weights and card."""
    from bench.train_events import run

    run(args.devsets)


def train_ner(args: argparse.Namespace) -> None:
    """Fine-tune the NER on conll-train and GUM; write the bundled model and its card."""
    from bench.train_ner import run

    run(args.devsets, args.epochs)


def train_labels(args: argparse.Namespace) -> None:
    """Fit the label model on the names found in conll-train and GUM."""
    from bench.train_labels import run

    run(args.devsets, args.folds, args.epochs)


def stability(args: argparse.Namespace) -> None:
    """Mention labels of a folder run together, each file alone, and with other files."""
    from bench.stability import run

    run(args.raw, args.others, args.others_n)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    sub = parser.add_subparsers(dest="bench")
    source = {"default": "raw", "help": "folder of example documents (default: raw)"}
    corpus_sizes = {
        "default": "10000,100000",
        "help": "corpus sizes in articles, comma-separated (%(default)s)",
    }
    st = sub.add_parser("stages", help="seconds per stage on a folder")
    st.add_argument("--raw", **source)
    st.add_argument("--repeat", type=int, default=3, help="runs; the best counts (default: 3)")
    st.set_defaults(func=stages)
    dd = sub.add_parser("dedup", help="repeat detection at 10k and 100k articles")
    dd.add_argument("--raw", **source)
    dd.add_argument("--sizes", **corpus_sizes)
    dd.set_defaults(func=dedup)
    about = "words/s against a plain spaCy baseline (20,000 articles: about 40 min on 2 cores)"
    tp = sub.add_parser("throughput", help=about, description=about)
    tp.add_argument("--raw", **source)
    tp.add_argument(
        "--articles",
        type=int,
        default=20_000,
        help="articles in the perturbed corpus (default: %(default)s)",
    )
    tp.set_defaults(func=throughput)
    about = "one long article and one compilation of 1, 2, 5 and 10 MB: s/MB, cores used"
    fs = sub.add_parser("filesize", help=about, description=about)
    fs.add_argument("--raw", **source)
    fs.add_argument(
        "--sizes", default="1,2,5,10", help="sizes in MB, comma-separated (%(default)s)"
    )
    fs.add_argument("--kinds", default="article,compilation", help="kinds of file (%(default)s)")
    fs.set_defaults(func=filesize)
    about = "entity P/R/F1 per layer on the dev sets; junk and top entities on bbc"
    ql = sub.add_parser("quality", help=about, description=about)
    ql.add_argument("--raw", **source)
    ql.add_argument("--shared", default="../shared", help="the shared folder (%(default)s)")
    devsets = {
        "default": str(Path(tempfile.gettempdir()) / "devsets"),
        "help": "where ../shared/devsets/build.py put the sets (%(default)s)",
    }
    ql.add_argument("--devsets", **devsets)
    ql.set_defaults(func=quality)
    about = "labels of a folder's mentions run together, each file alone, and with other files"
    sb = sub.add_parser("stability", help=about, description=about)
    sb.add_argument("--raw", **source)
    sb.add_argument(
        "--others",
        default=str(Path(tempfile.gettempdir()) / "devsets" / "bbc" / "raw"),
        help="a folder of unrelated files (default: %(default)s)",
    )
    sb.add_argument(
        "--others-n", type=int, default=500, help="how many of them (default: %(default)s)"
    )
    sb.set_defaults(func=stability)
    about = "fit the same-event pair model on ecb and conll; write its weights and card"
    te = sub.add_parser("train-events", help=about, description=about)
    te.add_argument("--devsets", **devsets)
    te.set_defaults(func=train_events)
    about = "fine-tune the NER on conll-train and GUM; write the bundled model and its card"
    tn = sub.add_parser("train-ner", help=about, description=about)
    tn.add_argument("--devsets", **devsets)
    tn.add_argument("--epochs", type=int, default=15, help="passes over the data (%(default)s)")
    tn.set_defaults(func=train_ner)
    about = "fit the label model (a name's label in a document) on conll-train and GUM"
    tl = sub.add_parser("train-labels", help=about, description=about)
    tl.add_argument("--devsets", **devsets)
    tl.add_argument(
        "--folds",
        default=str(Path(tempfile.gettempdir()) / "newsextract-ner-folds"),
        help="where the two fold NER models are trained, or reused (%(default)s)",
    )
    tl.add_argument(
        "--epochs", type=int, default=10, help="passes of each fold model (%(default)s)"
    )
    tl.set_defaults(func=train_labels)
    about = "the HTML report built for 10k and 100k articles: seconds and size"
    rp = sub.add_parser("report", help=about, description=about)
    rp.add_argument("--raw", **source)
    rp.add_argument("--sizes", **corpus_sizes)
    rp.set_defaults(func=report)
    about = "title, published date and paragraphs on real news pages (htmldate's test set)"
    wp = sub.add_parser("webpages", help=about, description=about)
    wp.add_argument("gitdir", help="git dir of a snapshot of adbar/htmldate")
    wp.set_defaults(func=webpages)
    args = parser.parse_args(argv)
    if args.bench is None:
        args = parser.parse_args(["stages"])
    logging.basicConfig(level=logging.WARNING)
    t0 = time.perf_counter()
    args.func(args)
    print(f"(benchmark took {time.perf_counter() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
