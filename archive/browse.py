"""Datasette over an archive: the bundled metadata, keyed by the archive file's name."""

import json
from pathlib import Path

METADATA = Path(__file__).parent / "datasette" / "metadata.json"
_KEY = "archive"  # the database name the bundled metadata is written for
# Datasette settings changed from its defaults: no suggested facets (Datasette tries a facet on
# every column of the notices table for them, seconds on a large archive; the configured
# facets stay)
SETTINGS = {"suggest_facets": False}


def metadata_for(db: Path) -> dict:
    """The bundled metadata, for an archive file of any name (Datasette keys it by stem)."""
    metadata = json.loads(METADATA.read_text("utf-8"))
    metadata["databases"] = {db.stem: metadata["databases"][_KEY]}
    return metadata


def datasette_command(db: Path, metadata_path: Path, extra: tuple[str, ...]) -> list[str]:
    """The `datasette serve` command line (run as `python -m …`) for an archive and its
    metadata file, with the archive's plugin (archive/datasette) loaded."""
    settings = [
        arg for key, value in SETTINGS.items() for arg in ("--setting", key, str(value).lower())
    ]
    return ["archive.datasette", "serve", str(db), "-m", str(metadata_path), *settings, *extra]
