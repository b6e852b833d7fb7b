"""`python -m archive.datasette serve …`: Datasette's own command line, with the archive's
plugin registered (it is part of this package, not an installed distribution)."""

from datasette.cli import cli
from datasette.plugins import pm

from archive import datasette as plugin

if not pm.is_registered(plugin):
    pm.register(plugin, name="archive.datasette")
cli(prog_name="datasette")
