"""Crawler for Chinese government inspection rectification notices."""

__version__ = "0.1.0"
