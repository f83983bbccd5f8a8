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
from typing import TYPE_CHECKING, Protocol

from pyocm._internal.sandbox import resolve_input_path
from pyocm.blob import Blob
from pyocm.constructor._fields import Fields

if TYPE_CHECKING:
    from pyocm.access.context import AccessContext


@dataclass(frozen=True)
class InputContext:
    """Where inputs may read (``working_directory``) and put scratch files (``temp_directory``),
    and the credentials for inputs that download (``access``; anonymous when None)."""

    working_directory: Path
    temp_directory: Path
    access: AccessContext | None = None

    def access_context(self) -> AccessContext:
        """The context for downloads: the one given, or the shared anonymous one."""
        from pyocm.access.context import default_context

        return self.access if self.access is not None else default_context()

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
