"""The registry of correction layers: each layer module registers its function with a
name, its place in the order, whether it runs by default, and the section of
``[ner]`` that configures it. ``[ner] layers`` selects from it; an ablation is a
configuration change."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pipeline.entities.layers.base import Context
from pipeline.entities.mention import Mention

LayerFn = Callable[[list[Mention], Context], list[Mention]]


@dataclass(frozen=True)
class Layer:
    """A registered layer."""

    name: str
    order: int
    default: bool
    section: str | None
    fn: LayerFn


LAYERS: dict[str, Layer] = {}


def layer(
    name: str, order: int, default: bool = True, section: str | None = None
) -> Callable[[LayerFn], LayerFn]:
    """Register the decorated function as the layer ``name``, run at ``order`` (lower
    first), on by default or not, configured by ``[ner.SECTION]``."""

    def register(fn: LayerFn) -> LayerFn:
        if name in LAYERS or any(x.order == order for x in LAYERS.values()):
            raise ValueError(f"layer '{name}' or order {order} is registered twice")
        LAYERS[name] = Layer(name, order, default, section, fn)
        return fn

    return register


def selected(names: tuple[str, ...] | None) -> list[Layer]:
    """The layers to run, in their order: ``names``, or the default ones when None.

    Raises:
        ValueError: a name that is not registered.
    """
    if names is None:
        chosen = [x for x in LAYERS.values() if x.default]
    else:
        unknown = [n for n in names if n not in LAYERS]
        if unknown:
            raise ValueError(
                f"unknown NER layer(s) {unknown} in [ner] layers; choose from {sorted(LAYERS)}"
            )
        chosen = [LAYERS[n] for n in dict.fromkeys(names)]
    return sorted(chosen, key=lambda x: x.order)
