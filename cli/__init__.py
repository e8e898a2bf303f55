"""`tb`, the one command-line entry point."""

from cli.main import main

__all__ = ["main"]
