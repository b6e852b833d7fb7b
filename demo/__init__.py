"""The offline demo, run from the checkout (not installed with the package): sample portals
built like real ones (server.py renders the data in site/, sample/ builds more in code), served on
127.0.0.1, crawled twice into an archive (run.py). `python -m demo` runs it; the bench and the
tests use its server and crawl command line (crawl.py)."""
