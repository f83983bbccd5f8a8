"""Environment-variable substitution in constructor files, exactly as Go's ``os.Expand``.

    >>> from pyocm.constructor.substitution import expand
    >>> expand("name: ${NAME}/$KIND, cost: 5$", {"NAME": "acme.org/app", "KIND": "web"})
    'name: acme.org/app/web, cost: 5$'
    >>> expand("unset: [$MISSING] eaten: [${}] kept: [$ ]", {})
    'unset: [] eaten: [] kept: [$ ]'

The Go v2 CLI expands the whole constructor text before parsing it, so every ``$word`` and
``${word}`` is replaced, even inside literal text; unset variables become the empty string and
``$$`` is not an escape (it names the variable ``$``).  The rules, character by character:

* ``${name}`` is replaced by the variable ``name`` (any characters up to the first ``}``);
  ``${}`` is dropped, and an unterminated ``${`` drops the ``${``;
* ``$`` followed by one of ``*#$@!?-`` or a digit names that one-character variable;
* ``$`` followed by letters, digits and underscores names the variable spelled by them;
* any other ``$`` (before a space, punctuation, or at the very end) is kept as it is.
"""

from __future__ import annotations

from collections.abc import Mapping

_SPECIAL = frozenset("*#$@!?-0123456789")


def _is_name_char(c: str) -> bool:
    return c == "_" or ("0" <= c <= "9") or ("a" <= c <= "z") or ("A" <= c <= "Z")


def _shell_name(s: str, start: int) -> tuple[str, int]:
    """The variable name starting at ``s[start]`` (just after a ``$``) and its width."""
    first = s[start]
    if first == "{":
        if len(s) - start > 2 and s[start + 1] in _SPECIAL and s[start + 2] == "}":
            return s[start + 1], 3
        end = s.find("}", start + 1)
        if end == -1:
            return "", 1
        if end == start + 1:
            return "", 2
        return s[start + 1 : end], end - start + 1
    if first in _SPECIAL:
        return first, 1
    end = start
    while end < len(s) and _is_name_char(s[end]):
        end += 1
    return s[start:end], end - start


def expand(text: str, env: Mapping[str, str]) -> str:
    """Replace ``$name`` and ``${name}`` in ``text`` by ``env[name]`` (``""`` when unset)."""
    out: list[str] = []
    done = 0
    i = 0
    while i < len(text):
        if text[i] == "$" and i + 1 < len(text):
            out.append(text[done:i])
            name, width = _shell_name(text, i + 1)
            if name:
                out.append(env.get(name, ""))
            elif width == 0:
                out.append("$")
            i += width
            done = i + 1
        i += 1
    if not out:
        return text
    out.append(text[done:])
    return "".join(out)
