"""Scrapy add-ons: settings derived from our own settings before Scrapy freezes them."""

from scrapy.settings import Settings


class TlsPolicy:
    """DOWNLOAD_VERIFY_CERTIFICATES follows TLS_ALLOW_INVALID (an explicit
    `-s DOWNLOAD_VERIFY_CERTIFICATES=…` still wins: it has the command line's priority)."""

    def update_settings(self, settings: Settings) -> None:
        verify = not settings.getbool("TLS_ALLOW_INVALID")
        settings.set("DOWNLOAD_VERIFY_CERTIFICATES", verify, priority="addon")
