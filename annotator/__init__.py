"""Annotator: entities and quotes in news articles, corrected by analysts, exported as training data."""
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("annotator")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.1.0"
