"""The house rules of the code: no import cycle anywhere in ``pipeline/``; stage
packages reach each other only through ``core``, ``tables`` and ``config``; the tables'
documentation is the one generated from ``pipeline/tables.py``; the tables keep the
output contract."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from pipeline.config import NerConfig
from pipeline.entities.layers.registry import LAYERS, selected
from pipeline.tables import TABLES, markdown

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "pipeline"
STAGES = ("ingest", "segment", "entities", "dates", "stories", "outputs")
SHARED = ("pipeline.core", "pipeline.tables", "pipeline.config", "pipeline.errors")


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Module name to the ``pipeline`` modules it imports (any depth in the file)."""
    modules = {_module(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                base = node.module
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    found.add(sub if sub in modules else base)
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names}
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def _package_inits(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """The graph without the edge from a package to its own modules that its
    ``__init__`` imports to register them (a package importing its own parts is no
    cycle between modules)."""
    return {name: {m for m in deps if not m.startswith(name + ".")} for name, deps in graph.items()}


def test_no_import_cycle_in_pipeline():
    assert _cycle(_package_inits(_imports())) is None


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


def test_stage_packages_import_each_other_only_through_shared_modules():
    crossings = [
        (name, dep)
        for name, deps in _imports().items()
        for dep in deps
        if _stage(name) and _stage(dep) and _stage(dep) != _stage(name)
    ]
    assert crossings == []
    core = [(n, d) for n, deps in _imports().items() if n.startswith("pipeline.core") for d in deps]
    # core reaches only itself, the shared modules and the package's version
    assert all(d == "pipeline" or d.startswith(SHARED) for _, d in core), core


def test_few_modules_at_the_top_and_a_package_per_stage():
    top = [p for p in PACKAGE.glob("*.py")]
    assert len(top) <= 10
    for stage in (*STAGES, "core"):
        init = PACKAGE / stage / "__init__.py"
        assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), stage


def test_table_docs_are_generated_from_tables_py():
    docs = (ROOT / "docs" / "tables.md").read_text(encoding="utf-8")
    assert docs == markdown(), "run: python -m pipeline.tables > docs/tables.md"


# The output contract (SCHEMA.md, shared with the scorer): columns that must stay.
CONTRACT = {
    "documents": {"doc_id": "string", "path": "string", "text": "large_string"},
    "articles": {
        "article_id": "string",
        "doc_id": "string",
        "path": "string",
        "doc_start": "int64",
        "doc_end": "int64",
        "title": "string",
        "published": "date32[day]",
        "source": "string",
    },
    "mentions": {
        "mention_id": "string",
        "article_id": "string",
        "path": "string",
        "doc_start": "int64",
        "doc_end": "int64",
        "text": "string",
        "label": "string",
        "entity_id": "string",
    },
    "entities": {
        "entity_id": "string",
        "label": "string",
        "name": "string",
        "aliases": "list<item: string>",
    },
    "dates": {
        "article_id": "string",
        "path": "string",
        "doc_start": "int64",
        "doc_end": "int64",
        "text": "string",
        "value": "string",
        "end_value": "string",
        "grain": "string",
    },
    "duplicates": {"article_id": "string", "cluster_id": "string", "kind": "string"},
}


@pytest.mark.parametrize("name", sorted(CONTRACT))
def test_tables_keep_the_output_contract(name):
    schema = TABLES[name].schema
    assert {c: str(schema.field(c).type) for c in CONTRACT[name]} == CONTRACT[name]


def test_every_layer_is_registered_with_a_config_section_that_exists():
    assert set(LAYERS) == {
        "cleanup",
        "demonyms",
        "cues",
        "gazetteer",
        "acronyms",
        "sources",
        "consistency",
    }
    for layer in LAYERS.values():
        assert layer.section is None or hasattr(NerConfig(), layer.section), layer.name


def test_layers_run_in_registered_order_whatever_order_the_config_names():
    assert [x.name for x in selected(("consistency", "cleanup"))] == ["cleanup", "consistency"]
    assert [x.name for x in selected(None)] == [
        x.name for x in sorted(LAYERS.values(), key=lambda x: x.order) if x.default
    ]
    with pytest.raises(ValueError, match="unknown NER layer"):
        selected(("cleanup", "nonesuch"))
