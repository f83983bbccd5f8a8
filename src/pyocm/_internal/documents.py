"""Plain YAML/JSON documents read and written the way the Go tools do it.

    >>> from pyocm._internal.documents import dump_data, parse_document
    >>> parse_document('{"a": 1e3, "b": true}', "example")
    {'a': 1000.0, 'b': True}
    >>> print(dump_data({"b": "y", "a": 1}), end="")
    a: 1
    b: 'y'


JSON text (starting with ``{``) is read with the same number rules
(:mod:`pyocm._internal.gonumbers`, without loading YAML); YAML with the sigs.k8s.io/yaml rules
of :mod:`pyocm._internal.goyaml`.  Writing sorts keys and quotes every
string Go would read back as something else.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pyocm._internal.gonumbers import YamlDocument, read_json
from pyocm.errors import OCMError

Format = Literal["yaml", "json"]


def parse(text: str | bytes, source: str) -> YamlDocument:
    """The first document of ``text`` with what :mod:`goyaml` noted while reading it."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as e:
            raise OCMError(f"{source}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    if text.lstrip().startswith("{"):
        try:
            return YamlDocument(read_json(text))
        except ValueError:
            pass  # not JSON after all; YAML flow syntax is tried next
    import yaml

    from pyocm._internal.goyaml import read_yaml

    try:
        return read_yaml(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(e, "problem", None) or str(e)
        raise OCMError(f"{source}: invalid YAML{where}: {problem}") from None
    except RecursionError:
        raise OCMError(
            f"{source}: YAML nested too deeply (or a merge that contains itself)"
        ) from None


def parse_document(text: str | bytes, source: str = "input") -> Any:
    """Parse YAML or JSON text into plain Python data, as the Go tools read it.

    Only the first YAML document counts.  ``.inf``/``.nan`` come back as floats.
    """
    return parse(text, source).data


def dump_data(data: Any, fmt: Format = "yaml") -> str:
    """Serialise plain data as YAML (keys sorted, as the Go tools write) or indented JSON."""
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    import yaml

    from pyocm._internal.goyaml_write import GoDumper

    return str(
        yaml.dump(
            data, Dumper=GoDumper, sort_keys=True, allow_unicode=True, default_flow_style=False
        )
    )
