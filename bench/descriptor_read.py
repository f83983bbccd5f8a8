"""How long reading a large descriptor takes with the Go scalar rules, against plain parsers.

    $ python bench/descriptor_read.py            # 20,000 resources
    $ python bench/descriptor_read.py 2000

Writes a descriptor with N resources (labels with numbers, booleans and nested values) as
YAML, then times ``yaml.load`` with PyYAML's own C safe loader (the floor: same parser,
PyYAML's resolver), ``parse_document`` (the Go rules) and ``loads`` (parse plus the model);
then the same descriptor as JSON, against plain ``json.loads``.  Prints the figures, best of
three, and microseconds per resource.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable

import yaml

from pyocm.descriptor import (
    AccessSpec,
    Component,
    Descriptor,
    Label,
    Provider,
    Resource,
    dumps,
    loads,
    parse_document,
)


def build(n: int) -> str:
    """The YAML text of a descriptor with ``n`` resources."""
    resources = [
        Resource(
            name=f"res-{i}",
            version="1.0.0",
            type="ociImage",
            relation="external",
            access=AccessSpec("ociArtifact", {"imageReference": f"ghcr.io/acme/img:{i}"}),
            labels=[
                Label("index", i, signing=True),
                Label("meta", {"ratio": i / 7, "on": i % 2 == 0, "tags": ["a", "b"]}),
            ],
        )
        for i in range(n)
    ]
    cd = Descriptor(Component("acme.org/app", "1.0.0", Provider("acme"), resources=resources))
    return dumps(cd, "yaml")


def best_of_three(work: Callable[[], object]) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    text = build(n)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    floor = best_of_three(lambda: yaml.load(text, Loader=loader))  # a safe loader
    parse = best_of_three(lambda: parse_document(text))
    full = best_of_three(lambda: loads(text))
    json_text = dumps(loads(text), "json")
    json_floor = best_of_three(lambda: json.loads(json_text))
    json_parse = best_of_three(lambda: parse_document(json_text))
    json_full = best_of_three(lambda: loads(json_text))
    per = 1e6 / n
    print(f"descriptor with {n} resources, {len(text) / 1e6:.1f} MB of YAML")
    print(f"  PyYAML C safe loader : {floor:6.2f} s")
    print(f"  parse_document (Go)  : {parse:6.2f} s  ({parse / floor:.2f}x)")
    print(f"  loads (parse + model): {full:6.2f} s  ({full * per:.0f} us per resource)")
    print(f"the same as JSON, {len(json_text) / 1e6:.1f} MB")
    print(f"  json.loads           : {json_floor:6.3f} s")
    print(f"  parse_document (Go)  : {json_parse:6.3f} s  ({json_parse / json_floor:.2f}x)")
    print(f"  loads (parse + model): {json_full:6.3f} s  ({json_full * per:.0f} us per resource)")


if __name__ == "__main__":
    main()
