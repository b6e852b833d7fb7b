"""A JSON-API portal (placeholder until its pages are written)."""


def install(site) -> None:
    return None
