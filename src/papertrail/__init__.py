"""papertrail: a command-line reading tracker for research papers."""

__version__ = "0.1.0"
