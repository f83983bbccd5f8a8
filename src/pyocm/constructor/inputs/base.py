"""What every input type provides: a parsed spec that turns into a blob.

    >>> from pathlib import Path
    >>> from pyocm.constructor.inputs.base import InputContext, type_names
    >>> type_names("File", "file")
    ('File/v1', 'File', 'file/v1', 'file')
    >>> ctx = InputContext(Path("."), Path("/tmp"))
    >>> ctx.working_directory
    PosixPath('.')

An input type is one module under :mod:`pyocm.constructor.inputs` with a ``parse`` function
(constructor-file object to :class:`InputSpec`) and an :class:`InputType` naming it; the
registry in ``inputs/__init__.py`` lists the types.  A spec's :meth:`InputSpec.blob` produces
the content to store as a local blob: streamed, never read whole into memory.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from pyocm.blob import Blob
from pyocm.constructor._fields import Fields
from pyocm.constructor._sandbox import resolve_input_path


@dataclass(frozen=True)
class InputContext:
    """Where inputs may read (``working_directory``) and put scratch files (``temp_directory``)."""

    working_directory: Path
    temp_directory: Path

    def path(self, path: str, where: str) -> Path:
        """The real path of ``path``, which must lie inside the working directory."""
        return resolve_input_path(self.working_directory, path, where)


class InputSpec(Protocol):
    """A parsed ``input`` of a resource or source.

    ``type`` is the type name as written in the file; ``where`` its path in the file, which
    every error the spec raises names.
    """

    @property
    def type(self) -> str:
        """The type name as written in the constructor file."""
        ...

    @property
    def where(self) -> str:
        """The path of the input in the constructor file."""
        ...

    def blob(self, context: InputContext) -> Blob:
        """The content to store as a local blob (raises :class:`pyocm.errors.OCMError`)."""
        ...


@dataclass(frozen=True)
class InputType:
    """An input type: the names it answers to and how its specs are read."""

    names: tuple[str, ...]
    parse: Callable[[Fields, str], InputSpec]


def type_names(name: str, legacy: str) -> tuple[str, ...]:
    """The spellings the Go v2 CLI accepts for a type: ``Name/v1``, ``Name``, legacy forms."""
    return (f"{name}/v1", name, f"{legacy}/v1", legacy)
