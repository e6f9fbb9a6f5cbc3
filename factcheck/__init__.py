"""factcheck: a local-first fact-check claim tracker."""

__version__ = "0.1.0"
