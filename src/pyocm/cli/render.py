"""Component-version lists as ``ocm get cv`` and ``ocm add cv`` print them.

    >>> from pyocm.descriptor import Component, Descriptor, Provider
    >>> from pyocm.cli.render import Node, render
    >>> app = Descriptor(Component("acme.org/app", "1.0.0", Provider("acme")))
    >>> lib = Descriptor(Component("acme.org/lib", "2.0.0", Provider("acme")))
    >>> graph = [Node(app, [Node(lib)])]
    >>> for line in render("table", graph).splitlines():
    ...     print(line.rstrip())  # the real lines end in blanks
     COMPONENT    │ VERSION │ PROVIDER
    ──────────────┼─────────┼──────────
     acme.org/app │ 1.0.0   │ acme
     acme.org/lib │ 2.0.0   │ acme
    >>> for line in render("tree", graph).splitlines():
    ...     print(line.rstrip())
     NESTING  COMPONENT     VERSION  PROVIDER  IDENTITY
     └─ ●     acme.org/app  1.0.0    acme      name=acme.org/app,version=1.0.0
        └─    acme.org/lib  2.0.0    acme      name=acme.org/lib,version=2.0.0

Every function is pure: descriptors (or a graph of them) in, the exact text out, ending with a
newline.  The layouts are those of the Go CLI (``cli/internal/render``, go-pretty v6.8.2):

* ``table``: go-pretty's "light" style without the outer border.  Cells are padded by one
  space on each side (trailing blanks included), columns are joined by ``│`` and ``┼``.  Every
  cell shows its value: the Go CLI leaves a component or provider equal to the one in the row
  above blank (go-pretty's merged cells), which a plain table shows as a missing value.
* ``tree``: go-pretty's default style without borders and separators: columns ``NESTING
  COMPONENT VERSION PROVIDER IDENTITY``, the nesting drawn with ``├─``, ``└─`` and ``│``,
  and `` ●`` after the branch of a node that has children.
* ``yaml``: a YAML sequence of schema ``v2`` descriptors, keys sorted, even for one result.
  The Go CLI prints ``null`` for empty lists it never filled (``resources: null``); pyocm's
  model has no such distinction and prints ``[]``.
* ``json``: a JSON array of the descriptors indented by two spaces; ``ndjson``: one compact
  descriptor per line.  Keys come in pyocm's model order, not in Go's struct order, and
  ``<``, ``>``, ``&`` are not escaped as Go does; the data is the same.

All but ``tree`` print a flat list in *render order*: each root in the given order, each
followed depth first by its children in the order of :attr:`Node.children`.  A component
version reachable on two paths is printed on both.
"""

from __future__ import annotations

import json as _json
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from pyocm.graph import Node

if TYPE_CHECKING:
    from pyocm.descriptor.model import Descriptor

__all__ = ["FORMATS", "Node", "identity", "render", "table", "tree", "walk"]

FORMATS = ("table", "yaml", "json", "ndjson", "tree")
"""The values of ``--output`` for ``get cv`` and ``add cv``; ``table`` is the default."""

_TABLE_HEADER = ("COMPONENT", "VERSION", "PROVIDER")
_TREE_HEADER = ("NESTING", "COMPONENT", "VERSION", "PROVIDER", "IDENTITY")
_TREE_VERTICAL = "│  "
_TREE_MIDDLE = "├─"
_TREE_BOTTOM = "└─"
_TREE_HAS_CHILDREN = " ●"
# The drawing characters used here are one column wide (go-pretty forces box drawing to one
# column; "●" is "ambiguous", one column outside East Asian locales): a fast path for widths.
_ONE_COLUMN_SYMBOLS = str.maketrans(dict.fromkeys("│├└─┼●", "-"))


def identity(descriptor: Descriptor) -> str:
    """The component version's identity as the Go CLI writes it: ``name=<n>,version=<v>``."""
    parts = {"name": descriptor.component.name, "version": descriptor.component.version}
    return ",".join(f"{key}={value}" for key, value in sorted(parts.items()) if value)


def walk(roots: Iterable[Node]) -> Iterator[Node]:
    """Every node in render order: depth first, each node before its children."""
    for node, _ in _walk_with_nesting(roots):
        yield node


def render(output: str, roots: Sequence[Node], *, v2_provider: bool = False) -> str:
    """The graph in the ``--output`` format ``output`` (one of :data:`FORMATS`).

    ``v2_provider`` is passed on to :func:`tree`.
    Raises :class:`ValueError` for an unknown format.
    """
    if output == "tree":
        return tree(roots, v2_provider=v2_provider)
    flat: dict[str, Callable[[Iterable[Descriptor]], str]] = {
        "table": table,
        "yaml": yaml,
        "json": json,
        "ndjson": ndjson,
    }
    if output not in flat:
        raise ValueError(f"invalid output format {output!r}")
    return flat[output](node.descriptor for node in walk(roots))


def table(descriptors: Iterable[Descriptor]) -> str:
    """The ``COMPONENT │ VERSION │ PROVIDER`` table of the descriptors, in the given order."""
    rows = [
        tuple(_cell(v) for v in (d.component.name, d.component.version, d.component.provider.name))
        for d in descriptors
    ]
    widths = _column_widths(_TABLE_HEADER, rows)
    lines = ["│".join(f" {_pad(c, w)} " for c, w in zip(_TABLE_HEADER, widths, strict=True))]
    lines.append("┼".join("─" * (w + 2) for w in widths))
    lines += ["│".join(f" {_pad(c, w)} " for c, w in zip(row, widths, strict=True)) for row in rows]
    return "".join(line + "\n" for line in lines)


def tree(roots: Sequence[Node], *, v2_provider: bool = False) -> str:
    """The graph as a ``NESTING COMPONENT VERSION PROVIDER IDENTITY`` tree.

    With ``v2_provider`` the provider column shows the provider in its schema ``v2`` form
    (a JSON object when it has labels), as ``ocm add cv -o tree`` does; ``ocm get cv -o
    tree`` shows just the name.
    """
    rows: list[tuple[str, ...]] = []
    for node, nesting in _walk_with_nesting(roots):
        component = node.descriptor.component
        provider = component.provider.to_v2() if v2_provider else component.provider.name
        cells = (component.name, component.version, provider, identity(node.descriptor))
        rows.append((nesting, *(_cell(c) for c in cells)))
    widths = _column_widths(_TREE_HEADER, rows)
    lines = [
        "".join(f" {_pad(c, w)} " for c, w in zip(row, widths, strict=True))
        for row in [_TREE_HEADER, *rows]
    ]
    return "".join(line + "\n" for line in lines)


def yaml(descriptors: Iterable[Descriptor]) -> str:
    """The descriptors as a YAML sequence of schema ``v2`` documents, keys sorted."""
    from pyocm.descriptor.codec import dump_data

    documents = [d.to_dict() for d in descriptors]
    # Go marshals the empty (nil) list as null.
    return dump_data(documents, "yaml") if documents else "null\n"


def json(descriptors: Iterable[Descriptor]) -> str:
    """The descriptors as an indented JSON array, with a final newline."""
    documents = [d.to_dict() for d in descriptors]
    if not documents:
        return "null\n"  # Go marshals the empty (nil) list as null
    return _json.dumps(documents, indent=2, ensure_ascii=False) + "\n"


def ndjson(descriptors: Iterable[Descriptor]) -> str:
    """One compact JSON descriptor per line."""
    return "".join(
        _json.dumps(d.to_dict(), separators=(",", ":"), ensure_ascii=False) + "\n"
        for d in descriptors
    )


def _walk_with_nesting(roots: Iterable[Node]) -> Iterator[tuple[Node, str]]:
    """Nodes in render order with the NESTING cell of each (iterative: graphs may be deep)."""
    root_list = list(roots)
    # Each entry: the node, whether each ancestor level still has siblings below, is-last.
    stack: list[tuple[Node, tuple[bool, ...], bool]] = [
        (node, (), i == len(root_list) - 1) for i, node in reversed(list(enumerate(root_list)))
    ]
    while stack:
        node, ancestors_have_more, is_last = stack.pop()
        nesting = "".join(_TREE_VERTICAL if more else " " * 3 for more in ancestors_have_more)
        nesting += _TREE_BOTTOM if is_last else _TREE_MIDDLE
        if node.children:
            nesting += _TREE_HAS_CHILDREN
        yield node, nesting
        below = (*ancestors_have_more, not is_last)
        last = len(node.children) - 1
        stack.extend(
            (child, below, i == last) for i, child in reversed(list(enumerate(node.children)))
        )


def _cell(text: str) -> str:
    return text.replace("\t", "    ")  # as go-pretty does


def _column_widths(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[int]:
    return [max(_width(cell) for cell in column) for column in zip(header, *rows, strict=True)]


def _pad(text: str, width: int) -> str:
    """Left-aligned in ``width`` display columns; trailing blanks are dropped first."""
    text = text.rstrip(" ")
    return text + " " * (width - _width(text))


def _width(text: str) -> int:
    """Display columns of ``text``, as go-runewidth counts them outside East Asian locales."""
    plain = text.translate(_ONE_COLUMN_SYMBOLS)
    if plain.isascii() and plain.isprintable():
        return len(text)
    total = 0
    for ch in text:
        if "\u2500" <= ch <= "\u259f":  # box drawing and block elements: always one column
            total += 1
        elif unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf", "Cc"):
            continue
        else:
            total += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return total
