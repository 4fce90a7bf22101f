"""The error every layer may raise for a bad option or input, and the exit codes.

A base module (imports nothing of mlview): sources raise UsageError for a kubeconfig or
credential problem, commands for a bad argument, and the CLI prints it as one line.
"""

from __future__ import annotations

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A bad option or input: printed as one line, exit status 2."""
