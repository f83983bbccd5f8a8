"""The ``ocm`` command line (console script ``ocm = "pyocm.cli:main"``).

    >>> from click.testing import CliRunner
    >>> from pyocm.cli import cli
    >>> CliRunner().invoke(cli, ["--help"]).exit_code
    0

Importing this package loads click and the command declarations only; each command imports the
library parts it needs when it runs.
"""

from pyocm.cli.app import cli, main

__all__ = ["cli", "main"]
