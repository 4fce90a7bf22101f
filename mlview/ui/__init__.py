"""The Textual app. Only cli.py imports this package."""
