"""The ``ocm`` commands, one module per command group (``add``, ``get``, ``sign`` …).

    >>> from pyocm.cli.commands.get import get
    >>> sorted(get.commands)
    ['component-version', 'config', 'types']

Each module declares its commands' names, aliases, flags and help exactly as the Go CLI has them,
and imports the library (YAML, cryptography, the descriptor model …) only inside the command
bodies, so ``ocm --help`` and ``ocm version`` start fast.
"""
