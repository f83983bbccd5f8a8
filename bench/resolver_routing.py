"""How long routing a component version through a resolver chain takes.

    $ python bench/resolver_routing.py            # 100 configured resolvers, 20,000 lookups
    $ python bench/resolver_routing.py 1000

Builds a chain with N ``resolvers.config`` entries (globs with ``*``, ``{...}`` and ``[...]``,
every other one with a version constraint) before the catch-all, and times ``specs_for`` for
names that match the first entry, the middle one, and only the catch-all (the worst case: every
glob is tried).  Nothing is opened: this is the cost the chain adds to each lookup.  Prints
microseconds per lookup, best of three.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from typing import Any

from pyocm.repository import CTFSpec, open_repository
from pyocm.repository.resolvers import resolver_chain

LOOKUPS = 20_000


@dataclass(frozen=True)
class _Entry:
    repository: dict[str, Any]
    component_name_pattern: str
    version_constraint: str


def chain_of(n: int) -> Any:
    """A chain with ``n`` configured resolvers before the catch-all."""
    entries = [
        _Entry(
            {"type": "CTF", "filePath": f"repo-{i}"},
            f"acme.org/team-{i}/{{app,lib}}-[a-z]*",
            ">= 1.0.0, < 3.0.0" if i % 2 else "",
        )
        for i in range(n)
    ]
    return resolver_chain(
        CTFSpec("base"),
        opener=open_repository,
        component_patterns=["acme.org/root"],
        configured=entries,
    )


def per_lookup(chain: Any, name: str) -> float:
    """Microseconds per ``specs_for`` of ``name:2.1.0``, best of three."""
    times = []
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(LOOKUPS):
            chain.specs_for(name, "2.1.0")
        times.append(time.perf_counter() - start)
    return min(times) / LOOKUPS * 1e6


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    start = time.perf_counter()
    chain = chain_of(n)
    built = (time.perf_counter() - start) * 1e3
    print(f"{n} resolvers: chain built in {built:.1f} ms")
    for label, name in (
        ("first entry", "acme.org/team-0/app-x"),
        ("middle entry", f"acme.org/team-{n // 2}/lib-y"),
        ("catch-all", "other.org/unrouted"),
    ):
        print(f"  {label:13s} {per_lookup(chain, name):8.2f} us/lookup")


if __name__ == "__main__":
    main()
