"""mlview: a read-only terminal view of an ML platform on Kubernetes."""

__version__ = "0.1.0"
