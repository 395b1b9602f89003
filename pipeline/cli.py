"""Command line: a thin layer over the library.

newsextract run [RAW] [--out OUT]      process a folder into Parquet tables
newsextract mentions QUERY             an entity's mentions in context
newsextract verify                     check every offset against the input files
newsextract compare A B                compare two output folders table by table
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from pipeline import __version__
from pipeline.config import load_config
from pipeline.core.progress import set_progress

log = logging.getLogger("pipeline")

_EPILOG_RUN = """examples:
  newsextract run                         # raw/ -> outputs/
  newsextract run ~/news --out ~/tables   # any folder, recursively
  newsextract run raw --config my.toml    # override defaults (see pipeline/config.py)
  newsextract run --full                  # ignore cached per-article results
  newsextract run --engine ray --ray-address ray://head:10001
"""


def _setup_logging(verbose: int, quiet: bool) -> None:
    level = logging.WARNING if quiet else logging.DEBUG if verbose else logging.INFO
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", datefmt="%H:%M:%S"
    )


def default_cache_path(out: Path) -> Path:
    """Where per-article results are cached: beside the output folder, which is
    replaced whole on every run."""
    out = Path(out).resolve()
    return out.parent / f".{out.name}-cache" / "results.sqlite"


def _cmd_run(args: argparse.Namespace) -> int:
    from pipeline.core.cache import ResultCache
    from pipeline.core.engine import Engine, LocalEngine
    from pipeline.run import run_pipeline

    raw = Path(args.raw)
    if not raw.exists():
        print(
            f"error: input folder {raw} does not exist; pass the folder of raw documents as RAW",
            file=sys.stderr,
        )
        return 2
    cfg = load_config(args.config)
    out = Path(args.out)
    cache_path = None if args.full or args.no_cache else default_cache_path(out)
    if args.full and default_cache_path(out).exists():
        default_cache_path(out).unlink()  # a fresh run starts a fresh cache
        cache_path = default_cache_path(out)
    cache = ResultCache(cache_path)
    engine: Engine
    if args.engine == "ray":
        from pipeline.core.engine import RayEngine

        engine = RayEngine(args.ray_address, args.workers, cache=cache)
    else:
        engine = LocalEngine(args.workers, cache=cache)
    try:
        result = run_pipeline(raw, out, cfg, engine)
    finally:
        cache.close()
    n_docs = result.tables["documents"].num_rows
    n_arts = result.tables["articles"].num_rows
    print(
        f"\nnewsextract {__version__}: {result.n_files} file(s), {n_docs} document(s), "
        f"{n_arts} article(s), {len(result.errors)} error(s)"
    )
    for table, t in result.tables.items():
        print(f"  {table:<12} {t.num_rows:>8} rows")
    print("  seconds: " + ", ".join(f"{k} {v:.2f}" for k, v in result.seconds.items()))
    for err in result.errors:
        print(f"  error: {err.path} [{err.stage}] {err.message}")
    print(f"  tables written to {result.out}/")
    return 0 if n_arts else 1


def _cmd_mentions(args: argparse.Namespace) -> int:
    from pipeline.audit import find_entities, mentions_in_context

    found = find_entities(Path(args.out), args.query)
    if not found:
        print(
            f"no entity matches {args.query!r}; try part of a name, or an entity_id "
            f"from {args.out}/entities.parquet",
            file=sys.stderr,
        )
        return 1
    color = sys.stdout.isatty() and not args.plain
    on, off = ("\033[1;7m", "\033[0m") if color else ("[[", "]]")
    for ent in found[: args.limit]:
        print(
            f"{ent['entity_id']}  {ent['label']}  {ent['name']}  "
            f"({ent['mention_count']} mentions in {ent['article_count']} articles; "
            f"aliases: {', '.join(ent['aliases'])})"
        )
        for m in mentions_in_context(Path(args.out), ent["entity_id"], args.context):
            print(
                f"  {m.path}:{m.doc_start}-{m.doc_end} {m.label:<6} {m.method:<24} "
                f"…{m.left} {on}{m.span}{off} {m.right}…"
            )
    return 0


def _cmd_verify(args: argparse.Namespace) -> int:
    import json

    from pipeline.audit import verify

    out = Path(args.out)
    raw = args.raw
    if raw is None:
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        raw = manifest.get("input", "raw")
    problems = verify(out, Path(raw))
    for p in problems:
        print(f"MISMATCH {p}")
    print(f"verify: {len(problems)} problem(s) in {out} against {raw}")
    return 1 if problems else 0


def _cmd_compare(args: argparse.Namespace) -> int:
    from pipeline.outputs.compare import compare

    diffs = compare(Path(args.a), Path(args.b))
    for d in diffs:
        state = (
            "identical"
            if d.identical
            else (
                f"{d.only_a} row(s) only in A, {d.only_b} only in B"
                + ("" if d.same_schema else ", schemas differ")
            )
        )
        print(f"  {d.name:<12} {d.rows_a!s:>8} vs {d.rows_b!s:>8} rows  {state}")
    same = all(d.identical for d in diffs)
    print(f"compare: {args.a} and {args.b} {'hold the same tables' if same else 'differ'}")
    return 0 if same else 1


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with one sub-command per task."""
    parser = argparse.ArgumentParser(
        prog="newsextract",
        description="Turn a folder of raw news documents into auditable Parquet tables: "
        "documents, articles, entity mentions, entities, dates and repeated reports.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser(
        "run",
        help="process a folder of raw documents into Parquet tables",
        description="Read every file under RAW (recursively), cut it into articles, extract "
        "entities and dates, group repeated reports, and write Parquet tables to OUT. "
        "Files that cannot be processed are listed in the errors table; the rest go on.",
        epilog=_EPILOG_RUN,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument("raw", nargs="?", default="raw", help="input folder (default: raw)")
    run.add_argument("--out", default="outputs", help="output folder (default: outputs)")
    run.add_argument("--config", type=Path, help="TOML file overriding default settings")
    run.add_argument(
        "--engine",
        choices=("local", "ray"),
        default="local",
        help="local: this machine's cores (default); ray: a Ray cluster",
    )
    run.add_argument(
        "--workers",
        type=int,
        default=0,
        help="model worker processes or Ray actors (default 0: one per core)",
    )
    run.add_argument(
        "--ray-address",
        default=None,
        help="address of an existing Ray cluster, e.g. ray://head:10001 "
        "(default: start a local Ray instance)",
    )
    run.add_argument(
        "--full",
        action="store_true",
        help="recompute everything: drop the cache of per-article results",
    )
    run.add_argument(
        "--no-cache",
        action="store_true",
        help="neither read nor write the cache of per-article results",
    )
    run.add_argument("-v", "--verbose", action="count", default=0, help="more log detail")
    run.add_argument("-q", "--quiet", action="store_true", help="warnings and errors only")
    run.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show progress bars (default: only on a terminal)",
    )
    run.set_defaults(func=_cmd_run)

    men = sub.add_parser(
        "mentions",
        help="list every mention of an entity with its context",
        description="Find entities by id, name or alias (case-insensitive substring) and "
        "print each mention with its offsets, label, the layer that produced it, and the "
        "surrounding text from documents.text, the span highlighted.",
        epilog="examples:\n  newsextract mentions Aliyeva\n"
        "  newsextract mentions 3f2a9c0d1e2b4a5c --context 120\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    men.add_argument("query", help="entity_id, or part of a name or alias")
    men.add_argument("--out", default="outputs", help="output folder (default: outputs)")
    men.add_argument("--context", type=int, default=60, help="characters each side")
    men.add_argument("--limit", type=int, default=10, help="at most this many entities")
    men.add_argument("--plain", action="store_true", help="mark spans with [[ ]], no colour")
    men.set_defaults(func=_cmd_mentions)

    ver = sub.add_parser(
        "verify",
        help="check every offset in every table against the input files",
        description="Re-read the input folder and check that documents.text still matches "
        "each file and that every span of every table lies in its document with "
        "text == documents.text[doc_start:doc_end]. Exits 1 on any mismatch.",
        epilog="examples:\n  newsextract verify\n  newsextract verify --out tables --raw ~/news\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ver.add_argument("--out", default="outputs", help="output folder (default: outputs)")
    ver.add_argument("--raw", help="input folder (default: the one recorded in the manifest)")
    ver.set_defaults(func=_cmd_verify)

    cmp_ = sub.add_parser(
        "compare",
        help="compare two output folders table by table",
        description="Compare the tables of two output folders row for row (e.g. before and "
        "after a change of version or configuration). Exits 1 when they differ.",
        epilog="examples:\n  newsextract compare outputs outputs-new\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    cmp_.add_argument("a", help="first output folder")
    cmp_.add_argument("b", help="second output folder")
    cmp_.set_defaults(func=_cmd_compare)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``newsextract`` console script and ``python -m pipeline``."""
    args = build_parser().parse_args(argv)
    _setup_logging(getattr(args, "verbose", 0), getattr(args, "quiet", False))
    set_progress(getattr(args, "progress", None))
    try:
        return args.func(args)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
