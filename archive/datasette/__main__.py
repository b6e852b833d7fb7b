"""`python -m archive.datasette serve …`: Datasette's own command line, with the archive's
plugin registered: by Datasette, through the package's entry point, when the package is
installed; by hand here when it is not (run from the checkout)."""

from datasette.cli import cli
from datasette.plugins import pm

from archive import datasette as plugin

if not pm.is_registered(plugin):
    pm.register(plugin, name="archive.datasette")
cli(prog_name="datasette")
