"""Subcommands of the `mlview` CLI. Each module exposes `register(subparsers)`."""
