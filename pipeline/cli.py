"""Command line: a thin layer over the library.

newsextract run [RAW] [--out OUT]      process a folder into Parquet tables
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from pipeline import __version__
from pipeline.config import load_config
from pipeline.progress import set_progress

log = logging.getLogger("pipeline")

_EPILOG_RUN = """examples:
  newsextract run                         # raw/ -> outputs/
  newsextract run ~/news --out ~/tables   # any folder, recursively
  newsextract run raw --config my.toml    # override defaults (see pipeline/config.py)
"""


def _setup_logging(verbose: int, quiet: bool) -> None:
    level = logging.WARNING if quiet else logging.DEBUG if verbose else logging.INFO
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", datefmt="%H:%M:%S"
    )


def _cmd_run(args: argparse.Namespace) -> int:
    from pipeline.run import run_pipeline

    raw = Path(args.raw)
    if not raw.exists():
        print(
            f"error: input folder {raw} does not exist; pass the folder of raw documents as RAW",
            file=sys.stderr,
        )
        return 2
    cfg = load_config(args.config)
    result = run_pipeline(raw, Path(args.out), cfg)
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
    run.add_argument("-v", "--verbose", action="count", default=0, help="more log detail")
    run.add_argument("-q", "--quiet", action="store_true", help="warnings and errors only")
    run.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show progress bars (default: only on a terminal)",
    )
    run.set_defaults(func=_cmd_run)
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
