"""Local mock notice sites (TRS, VSB, Discuz!, 繁體 portal, DedeCMS, Hanweb).

Used by the tests and by the bundled demo; see ``build_demo_sites`` and
``MockSiteServer``. ``python -m monitor.demo.server`` serves them all.
"""

from monitor.demo.build import build_all_sites, build_demo_sites
from monitor.demo.model import MockNotice
from monitor.demo.site import MockSite, Route
from monitor.demo.styles import (
    STYLES,
    Big5Site,
    DedeSite,
    DiscuzSite,
    HanwebSite,
    TrsSite,
    VsbSite,
)

_SERVER_NAMES = ("MockSiteServer", "start_sites", "stop_all")


def __getattr__(name: str) -> object:
    """Import the server lazily, so ``python -m monitor.demo.server`` runs cleanly."""
    if name in _SERVER_NAMES:
        from monitor.demo import server

        return getattr(server, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "STYLES",
    "Big5Site",
    "DedeSite",
    "DiscuzSite",
    "HanwebSite",
    "MockNotice",
    "MockSite",
    "MockSiteServer",
    "Route",
    "TrsSite",
    "VsbSite",
    "build_all_sites",
    "build_demo_sites",
    "start_sites",
    "stop_all",
]
