"""The ``ocm`` root command, and how every run ends: exit code and ``Error:`` line.

    >>> from click.testing import CliRunner
    >>> result = CliRunner().invoke(cli, ["no-such-command"])
    >>> result.exit_code, result.stderr
    (1, 'Error: unknown command "no-such-command" for "ocm"\\n')

As with the Go CLI: results go to stdout, logs to stderr (or ``--logoutput stdout``); a run exits
0 on success (``--help`` included) and 1 on any failure, after printing one line
``Error: <message>`` to stderr and no usage text.  Usage errors use the Go CLI's wording
(``unknown flag: --x``, ``accepts 1 arg(s), received 0``).  An error of the operating system
names the file and the reason (``Error: cannot access /x: permission denied``); another
unexpected exception is reported as ``Error: <type>: <message>``; the traceback is printed only
with ``--loglevel debug``.

SIGINT (Ctrl-C) and SIGTERM (what ``timeout`` and CI systems send) stop a run alike: the signal
raises :class:`Interrupted` in the main thread, so every ``with`` and ``finally`` on the way out
removes its temporary files and work directories (a transfer also stops its workers) and no
archive is packed; the run then says ``Error: interrupted by SIGTERM`` and exits with 128 plus
the signal number, as shells expect (130, 143).  A second signal while that cleanup runs ends
the process at once; what it leaves is swept when the CTF is next written.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import FrameType
from typing import Any

import click

from pyocm.cli import globalflags
from pyocm.cli.aliases import CommandSummary, LazyCommand, OcmGroup

PROG_NAME = "ocm"
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(KeyboardInterrupt):
    """The run was stopped by the signal ``signum`` (raised in the main thread)."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(signal.Signals(signum).name)

    @property
    def exit_code(self) -> int:
        """128 plus the signal number, as a shell reports a process ended by the signal."""
        return 128 + self.signum


@contextmanager
def signals_interrupt() -> Iterator[None]:
    """While in the block, SIGINT and SIGTERM raise :class:`Interrupted` in the main thread.

    A signal the process was started ignoring stays ignored; the previous handlers come back
    at the end.  Outside the main thread (where handlers cannot be set) this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        if stopping:  # a second signal during the cleanup: end now
            os._exit(128 + signum)
        stopping = True
        raise Interrupted(signum)

    previous = {}
    for signum in STOP_SIGNALS:
        if signal.getsignal(signum) is not signal.SIG_IGN:
            previous[signum] = signal.signal(signum, stop)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def interrupt_of(error: BaseException) -> KeyboardInterrupt | None:
    """The interrupt behind ``error`` (click turns one into :class:`click.Abort`), if any."""
    if isinstance(error, KeyboardInterrupt):
        return error
    if isinstance(error, click.Abort) and isinstance(error.__cause__, KeyboardInterrupt):
        return error.__cause__
    return None


def usage_message(error: click.UsageError) -> str:
    """The message of a command-line usage error, worded as the Go CLI words it."""
    if isinstance(error, click.NoSuchOption):
        name = error.option_name
        if name.startswith("--"):
            return f"unknown flag: {name}"
        return f"unknown shorthand flag: '{name.lstrip('-')}' in {name}"
    if isinstance(error, click.BadOptionUsage) and "requires" in error.message:
        name = error.option_name
        if name.startswith("--"):
            return f"flag needs an argument: {name}"
        return f"flag needs an argument: '{name.lstrip('-')}' in {name}"
    if isinstance(error, click.MissingParameter) and isinstance(error.param, click.Option):
        longest = max(error.param.opts, key=len).lstrip("-")
        return f'required flag(s) "{longest}" not set'
    return error.format_message()


def error_message(error: BaseException) -> str:
    """The text after ``Error:`` for ``error``."""
    from pyocm.errors import OCMError

    if isinstance(error, click.UsageError):
        return usage_message(error)
    if isinstance(error, click.ClickException):
        return error.format_message()
    if isinstance(error, click.Abort):
        return "aborted"
    if isinstance(error, OCMError):
        return str(error)
    if isinstance(error, OSError) and error.strerror:
        reason = error.strerror[:1].lower() + error.strerror[1:]
        return f"cannot access {error.filename}: {reason}" if error.filename else reason
    return f"{type(error).__name__}: {error}"


def one_line(text: str) -> str:
    """``text`` with its lines joined by ``"; "`` (an error must be one line)."""
    return "; ".join(line.strip() for line in text.splitlines() if line.strip())


def report(error: BaseException) -> int:
    """Print ``error`` as the ``Error:`` line (traceback first at debug level); return 1."""
    flags = globalflags.current()
    if flags is not None and flags.loglevel == "debug" and not isinstance(error, click.UsageError):
        import traceback

        from pyocm.errors import OCMError

        traceback.print_exception(error, file=sys.stderr)
        if isinstance(error, OCMError) and error.diagnostics() != str(error):
            click.echo(error.diagnostics(), err=True)
    click.echo(f"Error: {one_line(error_message(error))}", err=True)
    return 1


def _report_interrupt(interrupt: KeyboardInterrupt) -> int:
    """Say which signal stopped the run; return its exit code (130 for Ctrl-C)."""
    signum = interrupt.signum if isinstance(interrupt, Interrupted) else signal.SIGINT
    click.echo(f"Error: interrupted by {signal.Signals(signum).name}", err=True)
    return 128 + signum


def _silence_stdout() -> None:
    import os

    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        return


class RootGroup(OcmGroup):
    """The ``ocm`` command; :meth:`main` turns every outcome into the Go CLI's exit code."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """Run ``ocm``; exit with the code (or return it when ``standalone_mode`` is false)."""
        globalflags.forget()
        try:
            with signals_interrupt():
                rv = super().main(
                    args,
                    prog_name or PROG_NAME,
                    complete_var,
                    standalone_mode=False,
                    windows_expand_args=windows_expand_args,
                    **extra,
                )
            code = rv if isinstance(rv, int) else 0
        except BrokenPipeError:  # the reader of stdout went away; say nothing more
            _silence_stdout()
            code = 1
        except (Exception, KeyboardInterrupt) as error:  # "Error: ..." and exit code 1
            interrupt = interrupt_of(error)
            code = report(error) if interrupt is None else _report_interrupt(interrupt)
        if standalone_mode:
            sys.exit(code)
        return code


def _command(name: str, short_help: str, attribute: str | None = None) -> LazyCommand:
    module = f"pyocm.cli.commands.{name}"
    return LazyCommand(CommandSummary(name, short_help), module, attribute or name)


COMMANDS = (
    _command("add", "Add anything to OCM"),
    _command("completion", "Generate the autocompletion script for the specified shell"),
    _command("describe", "Describe OCM entities or metadata"),
    _command("download", "Download anything from OCM"),
    _command("generate", "Generate documentation for the OCM CLI"),
    _command("get", "Get anything from OCM"),
    _command("hash", "Hash and normalization operations", "hash_group"),
    _command("help", "Help about any command", "help_command"),
    _command("plugin", "Manage OCM plugins"),
    _command("sign", "create signatures for component versions in OCM"),
    _command("transfer", "Transfer anything in OCM"),
    _command("verify", "verify digests and signatures of component versions in OCM"),
    _command("version", "Retrieve the build version of the OCM CLI"),
)
"""The subcommands of ``ocm``, each imported from its module only when it runs (so a command
pays for its own imports alone); ``ocm --help`` lists them from these summaries, which a test
compares with the commands themselves."""

cli = RootGroup(
    PROG_NAME,
    lazy=COMMANDS,
    short_help="The official Open Component Model (OCM) CLI",
    help="The Open Component Model command line client (pyocm) works with OCM component\n"
    "versions in OCI registries and CTF archives: it adds, gets, signs, verifies, transfers\n"
    "and downloads them.",
    subcommand_metavar="[sub-command]",
)


def main(argv: Sequence[str] | None = None) -> None:
    """Run ``ocm`` with ``argv`` (default: the process arguments) and exit with its code."""
    cli.main(argv, PROG_NAME)
