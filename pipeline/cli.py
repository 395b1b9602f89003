"""Command line: a thin layer over the library.

newsextract run [RAW] [--out OUT]      process a folder (or one file) into Parquet tables
newsextract mentions QUERY             an entity's mentions in context
newsextract verify                     check every offset against the input files
newsextract compare A B                compare two output folders table by table

Exit codes: 0 all went well; 1 done, but some input failed (see the errors table), a
check found a mismatch, or a search found nothing; 2 the command could not start (bad
arguments, configuration, input or output folder); 3 an unexpected error (``-v`` shows
the traceback).
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import multiprocessing
import os
import signal
import sys
import traceback
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import pyarrow.parquet as pq

from pipeline import __version__
from pipeline.config import load_config
from pipeline.core.progress import set_progress
from pipeline.errors import OutputFolderError
from pipeline.tables import ENTITIES

log = logging.getLogger("pipeline")

OK, SOME_FAILED, CANNOT_START, UNEXPECTED = 0, 1, 2, 3

_EXIT_CODES = """exit codes:
  0  all went well
  1  done, but some input failed (see the errors table), a check found a
     mismatch, or a search found nothing
  2  the command could not start: bad arguments, configuration, input or
     output folder
  3  an unexpected error (-v shows the traceback)
"""

_EPILOG_RUN = """examples:
  newsextract run                         # raw/ -> outputs/
  newsextract run ~/news --out ~/tables   # any folder, recursively
  newsextract run report.txt --out t      # one file
  newsextract run raw --config my.toml    # override defaults (see pipeline/config.py)
  newsextract run --full                  # ignore cached per-article results
  newsextract run --engine ray --ray-address ray://head:10001

The output folder is replaced whole on every run: the pipeline writes only into a
new or empty folder, or one it wrote before, never into or around the input.
"""

# C0 and C1 control characters and DEL, but for tab and newline.
_CONTROLS = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))}
del _CONTROLS[0x09], _CONTROLS[0x0A]


_C1_JSON = {c: f"\\u{c:04x}" for c in range(0x80, 0xA0)}


def printable(text: str) -> str:
    """``text`` with control characters escaped (``\\x1b``), so that what a document
    holds cannot move the cursor, clear the screen or retitle the terminal."""
    return text.translate(_CONTROLS)


class _PrintableFormatter(logging.Formatter):
    """Log lines with control characters escaped; a newline inside a message (a file
    name may hold one) is escaped too, so one record is one line."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        return super().formatMessage(record).replace("\n", "\\n").replace("\r", "\\r")

    def format(self, record: logging.LogRecord) -> str:
        return printable(super().format(record))


def _setup_logging(verbose: int, quiet: bool) -> None:
    level = logging.WARNING if quiet else logging.DEBUG if verbose else logging.INFO
    handler = logging.StreamHandler()
    handler.setFormatter(
        _PrintableFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%H:%M:%S")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)


def _say(text: str = "", err: bool = False) -> None:
    print(printable(text), file=sys.stderr if err else sys.stdout)


def default_cache_path(out: Path) -> Path:
    """Where per-article results are cached: beside the output folder, which is
    replaced whole on every run."""
    out = Path(out).resolve()
    return out.parent / f".{out.name}-cache" / "results.sqlite"


def _stop_now(signum: int, _frame: object) -> None:
    """Ctrl-C or SIGTERM during a run: stop its worker processes, say so in one line and
    exit at once (130, or 143 for SIGTERM). Nothing is half-written: the tables are
    swapped in whole or not at all, and the cache's transactions are atomic."""
    for child in multiprocessing.active_children():
        child.kill()
    _say("interrupted; the previous tables are left as they were", err=True)
    os._exit(128 + signum)


def _cmd_run(args: argparse.Namespace) -> int:
    from pipeline.core.cache import ResultCache
    from pipeline.core.engine import Engine, LocalEngine
    from pipeline.outputs.folder import check_output_folder
    from pipeline.outputs.info import notices
    from pipeline.run import run_pipeline

    raw = Path(args.raw)
    if not raw.exists():
        raise OutputFolderError(
            f"input {raw} does not exist; pass the folder (or file) of raw documents as RAW"
        )
    if not raw.is_dir() and not raw.is_file():
        raise OutputFolderError(
            f"input {raw} is not a folder or a regular file (a FIFO, socket or device); "
            "pass a folder of documents or one document"
        )
    cfg = load_config(args.config)
    out = check_output_folder(Path(args.out), raw)
    cache = ResultCache(None if args.no_cache else default_cache_path(out), fresh=args.full)
    engine: Engine
    if args.engine == "ray" or args.ray_address:  # a cluster's address asks for Ray
        from pipeline.core.engine import RayEngine

        engine = RayEngine(args.ray_address, args.workers or 0, cache=cache)
    else:
        engine = LocalEngine(args.workers or 0, cache=cache)
    previous = {sig: signal.signal(sig, _stop_now) for sig in (signal.SIGINT, signal.SIGTERM)}
    # After an interrupt, multiprocessing's resource tracker frees the stopped workers'
    # locks itself; its warning that it does so would be a second, confusing line.
    quiet_tracker = "ignore:resource_tracker:UserWarning"
    os.environ["PYTHONWARNINGS"] = ",".join(
        w for w in (os.environ.get("PYTHONWARNINGS"), quiet_tracker) if w
    )
    try:
        result = run_pipeline(raw, out, cfg, engine)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        cache.close()
    n_docs = result.tables["documents"].num_rows
    n_arts = result.tables["articles"].num_rows
    if not args.quiet:
        _say(
            f"\nnewsextract {__version__}: {result.n_files} file(s), {n_docs} document(s), "
            f"{n_arts} article(s), {len(result.errors)} error(s)"
        )
        for table, t in result.tables.items():
            _say(f"  {table:<16} {t.num_rows:>8} rows")
        for line in notices(result.tables["documents"], result.tables.get("left_out")):
            _say(printable(f"  {line}"))
        _say("  seconds: " + ", ".join(f"{k} {v:.2f}" for k, v in result.seconds.items()))
    if not args.quiet:  # quiet: the log has said each error once already
        for err in result.errors:
            _say(f"  error: {err.path} [{err.stage}] {err.message}")
        _say(f"  tables written to {result.out}/")
    return OK if n_arts and not result.errors else SOME_FAILED


def _cmd_mentions(args: argparse.Namespace) -> int:
    from pipeline.audit import find_entities, select_mentions
    from pipeline.outputs.folder import require_tables

    out = Path(args.out)
    require_tables(out, ("documents", "mentions", "entities"))
    query = args.entity or args.query
    ids = None
    if query:
        found = find_entities(out, query)
        if not found:
            _say(
                f"no entity matches {query!r}; try part of a name, or an entity_id "
                f"from {out}/entities.parquet" + _why_none(out, None),
                err=True,
            )
            return SOME_FAILED
        ids = [e["entity_id"] for e in found]
    rows = select_mentions(out, ids, args.label, args.article, args.context, args.limit or None)
    if not rows:
        _say("no mention matches these filters" + _why_none(out, args.article), err=True)
        return SOME_FAILED
    ents = pq.read_table(out / ENTITIES.file, columns=["entity_id", "name"])
    names = dict(zip(*(ents.column(c).to_pylist() for c in ("entity_id", "name")), strict=True))
    records = [asdict(m) | {"name": names.get(m.entity_id)} for m in rows]
    if args.format == "json":  # C0 controls are JSON escapes already; C1 ones too
        print(json.dumps(records, ensure_ascii=False, indent=1).translate(_C1_JSON))
    elif args.format == "csv":  # CSV has no escapes: control characters written as \x1b
        writer = csv.DictWriter(sys.stdout, fieldnames=list(records[0]))
        writer.writeheader()
        writer.writerows(
            {k: printable(v) if isinstance(v, str) else v for k, v in r.items()} for r in records
        )
    else:
        _mention_table(rows, names, sys.stdout.isatty() and not args.plain)
    return OK


def _why_none(out: Path, article: str | None) -> str:
    """Why a query may find nothing: the article's document, or some documents, were
    skipped (their language); "" when none was."""
    from pipeline.audit import skipped_reasons

    reasons = skipped_reasons(out)
    if article:
        reason = reasons.get(article)
        return printable(f" ({article} was skipped: {reason})") if reason else ""
    if reasons:
        return (
            f" ({len(reasons)} document(s) were skipped for their language: see `newsextract info`)"
        )
    return ""


def _mention_table(rows: list, names: dict[str, str], color: bool) -> None:
    """Mentions grouped by entity, each with its offsets and context, span marked."""
    on, off = ("\033[1;7m", "\033[0m") if color else ("[[", "]]")
    shown = None
    for m in sorted(rows, key=lambda m: (names.get(m.entity_id) or "", m.path, m.doc_start)):
        if m.entity_id != shown:
            shown = m.entity_id
            print(printable(f"{m.entity_id}  {m.label}  {names.get(m.entity_id)}"))
        where = printable(f"  {m.path}:{m.doc_start}-{m.doc_end} {m.label:<6} {m.method:<24}")
        print(f"{where} …{printable(m.left)}{on}{printable(m.span)}{off}{printable(m.right)}…")


def _cmd_info(args: argparse.Namespace) -> int:
    from pipeline.outputs.folder import require_tables
    from pipeline.outputs.info import folder_info

    out = Path(args.out)
    require_tables(out, ("documents",))
    info = folder_info(out)
    if args.format == "json":
        print(json.dumps(info, ensure_ascii=False, indent=1, default=str))
        return OK
    versions = info["versions"]
    _say(f"{info['folder']}: run {info['run_id']} at {info['created']}")
    _say(
        f"  newsextract {versions.get('newsextract', '?')}, "
        + ", ".join(f"{k} {v}" for k, v in versions.items() if k != "newsextract")
    )
    _say(f"  input: {info['input']} ({info['files']} file(s))")
    changed = info["settings_changed"]
    _say("  settings: " + ("defaults" if not changed else "; ".join(changed)))
    for name, n in info["rows"].items():
        _say(f"  {name:<16} {n:>8} rows")
    for line in info["notices"]:
        _say(printable(f"  {line}"))
    for e in info["errors"]:
        _say(printable(f"  error {e['code']} {e['path']} ({e['stage']}): {e['message']}"))
    _say("  seconds: " + ", ".join(f"{k} {v:.2f}" for k, v in info["seconds"].items()))
    return OK


def _cmd_verify(args: argparse.Namespace) -> int:
    from pipeline.audit import verify
    from pipeline.outputs.folder import recorded_input, require_tables

    out = Path(args.out)
    require_tables(out, ("documents",))
    raw = Path(args.raw) if args.raw else recorded_input(out)
    if not raw.exists():
        raise OutputFolderError(f"input {raw} does not exist; pass the input with --raw")
    problems = verify(out, raw)
    for p in problems:
        _say(f"MISMATCH {p}")
    _say(f"verify: {len(problems)} problem(s) in {out} against {raw}")
    return SOME_FAILED if problems else OK


def _cmd_compare(args: argparse.Namespace) -> int:
    from pipeline.outputs.compare import compare

    a, b = (args.a, args.b) if args.b else (args.out, args.a)
    diffs = compare(Path(a), Path(b))
    for d in diffs:
        state = "identical"
        if not d.identical:
            state = f"{d.only_a} row(s) only in A, {d.only_b} only in B"
            state += "" if d.same_schema else ", schemas differ"
        _say(f"  {d.name:<16} {d.rows_a!s:>8} vs {d.rows_b!s:>8} rows  {state}")
    same = all(d.identical for d in diffs)
    _say(f"compare: {a} and {b} {'hold the same tables' if same else 'differ'}")
    return OK if same else SOME_FAILED


def _common() -> argparse.ArgumentParser:
    """Options every command takes."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-v", "--verbose", action="count", default=0, help="more log detail")
    common.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    common.add_argument("--out", default="outputs", help="output folder")
    common.add_argument(
        "--config",
        type=Path,
        help="TOML file overriding default settings (run uses it; every command checks it)",
    )
    return common


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions and examples as written; each option's default shown where it has
    one worth showing."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if action.default not in (None, False, argparse.SUPPRESS) and "default" not in text:
            text += " (default: %(default)s)"
        return text


def _count(least: int) -> Callable[[str], int]:
    """An argument type: a whole number of at least ``least``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < least:
            raise argparse.ArgumentTypeError(f"{value} is less than {least}")
        return value

    return parse


def _command(
    sub: argparse._SubParsersAction, name: str, help: str, description: str, epilog: str
) -> argparse.ArgumentParser:
    return sub.add_parser(
        name,
        help=help,
        description=description,
        epilog=epilog + "\n" + _EXIT_CODES,
        parents=[_common()],
        formatter_class=_Formatter,
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with one sub-command per task."""
    parser = argparse.ArgumentParser(
        prog="newsextract",
        description="Turn a folder of raw news documents into auditable Parquet tables: "
        "documents, articles, entity mentions, entities, dates and repeated reports.",
        epilog=_EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = _command(
        sub,
        "run",
        "process a folder of raw documents into Parquet tables",
        "Read every file under RAW (recursively; or RAW itself, a file), cut it into "
        "articles, extract entities and dates, group repeated reports, and write Parquet "
        "tables to OUT. Files that cannot be processed are listed in the errors table; the "
        "rest go on.",
        _EPILOG_RUN,
    )
    run.add_argument("raw", nargs="?", default="raw", help="input folder or file")
    run.add_argument(
        "--engine",
        choices=("local", "ray"),
        default="local",
        help="local: this machine's cores; ray: a Ray cluster",
    )
    run.add_argument(
        "--workers",
        type=_count(1),
        default=None,
        help="model worker processes or Ray actors (default: one per core)",
    )
    run.add_argument(
        "--ray-address",
        default=None,
        help="address of an existing Ray cluster, e.g. ray://head:10001; implies "
        "--engine ray (default with --engine ray: start a local Ray instance)",
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
    run.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show progress bars (default: only on a terminal)",
    )
    run.set_defaults(func=_cmd_run)

    men = _command(
        sub,
        "mentions",
        "list every mention of an entity with its context",
        "Print mentions with their offsets, label, the layer that produced them and the "
        "surrounding text from documents.text, the span highlighted; filtered by entity "
        "(id, or part of a name or alias, any case), label and article.",
        "examples:\n  newsextract mentions Berg\n"
        "  newsextract mentions --label PLACE --article news/2014/oslo.txt\n"
        "  newsextract mentions --entity 3f2a9c0d1e2b4a5c --format json > berg.json\n",
    )
    men.add_argument("query", nargs="?", help="the same as --entity")
    men.add_argument("--entity", help="entity_id, or part of a name or alias")
    men.add_argument(
        "--label",
        type=str.upper,
        choices=("PERSON", "ORG", "PLACE"),
        help="only this label (any case)",
    )
    men.add_argument("--article", help="only this article: its article_id or its file's path")
    men.add_argument("--limit", type=_count(0), default=100, help="at most this many (0: all)")
    men.add_argument("--format", choices=("table", "json", "csv"), default="table", help="output")
    men.add_argument("--context", type=_count(0), default=60, help="characters each side")
    men.add_argument("--plain", action="store_true", help="mark spans with [[ ]], no colour")
    men.set_defaults(func=_cmd_mentions)

    ver = _command(
        sub,
        "verify",
        "check every offset in every table against the input files",
        "Re-read the input (folder or file) and check that documents.text still matches "
        "each file and that every span of every table lies in its document with "
        "text == documents.text[doc_start:doc_end]. Exits 1 on any mismatch.",
        "examples:\n  newsextract verify\n  newsextract verify --out tables --raw ~/news\n",
    )
    ver.add_argument("--raw", help="input folder or file (default: the one the run recorded)")
    ver.set_defaults(func=_cmd_verify)

    cmp_ = _command(
        sub,
        "compare",
        "compare two output folders table by table",
        "Compare the tables of two output folders row for row (e.g. before and after a "
        "change of version or configuration); with one folder, --out against it. Exits 1 "
        "when they differ.",
        "examples:\n  newsextract compare outputs outputs-new\n  newsextract compare old\n",
    )
    cmp_.add_argument("a", help="an output folder (the second, when B is left out)")
    cmp_.add_argument("b", nargs="?", help="another output folder")
    cmp_.set_defaults(func=_cmd_compare)

    info = _command(
        sub,
        "info",
        "summarise an output folder",
        "Print what an output folder holds: the run that wrote it (id, time, versions), "
        "its input, the settings that differ from the defaults, the rows of every table, "
        "the first errors and the seconds per stage.",
        "examples:\n  newsextract info\n  newsextract info --out tables --format json\n",
    )
    info.add_argument("--format", choices=("text", "json"), default="text", help="output")
    info.set_defaults(func=_cmd_info)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``newsextract`` console script and ``python -m pipeline``."""
    args = build_parser().parse_args(argv)
    _setup_logging(args.verbose, args.quiet)
    set_progress(getattr(args, "progress", None))
    try:
        if args.config is not None:
            load_config(args.config)  # a typo in the settings stops every command
        code = args.func(args)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        # The reader stopped early (`| head`): what it asked for was written. Point
        # stdout at /dev/null so that Python's own flush at exit finds no pipe.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return OK
    except (OutputFolderError, ValueError) as exc:
        if args.verbose:
            traceback.print_exc()
        _say(f"error: {exc}", err=True)
        return CANNOT_START
    except KeyboardInterrupt:
        _say("interrupted; the previous tables are left as they were", err=True)
        return 130
    except Exception as exc:
        if args.verbose:
            traceback.print_exc()
        _say(
            f"error: unexpected {type(exc).__name__}: {exc} (run with -v for the traceback)",
            err=True,
        )
        return UNEXPECTED
