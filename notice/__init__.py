"""What a rectification notice is and what it says: patterns, extraction, fields, outline,
figures, copy signatures and search tokens. Pure: no Scrapy, SQLite or Redis here."""

__version__ = "0.1.0"
