"""One MockSite subclass per CMS style.

A style's key (its ``style``) is the name of the CMS profile in ``spiders.cms`` that it
mimics, except ``big5``: a 繁體 portal of no recognised CMS (profile ``generic``);
``hanweb_proxy``: a Hanweb column fed only by ``dataproxy.jsp`` (profile ``hanweb``);
``jsonapi``: a single-page portal with a JSON API of its own (profile ``generic``).
The styles whose list comes from a data endpoint (``nfcms`` gkmlpt, ``sudy``
``generalQuery``, ``hanweb_proxy``, ``jsonapi``) and ``aspnet`` (PostBack paging) are
served on their own, for the list API tests.
"""

from monitor.demo.styles.aspnet import AspNetSite
from monitor.demo.styles.big5 import Big5Site
from monitor.demo.styles.dede import DedeSite
from monitor.demo.styles.discuz import DiscuzSite
from monitor.demo.styles.empire import EmpireSite
from monitor.demo.styles.hanweb import HanwebSite
from monitor.demo.styles.hanweb_proxy import HanwebProxySite
from monitor.demo.styles.jsonapi import JsonApiSite
from monitor.demo.styles.nfcms import GkmlptSite
from monitor.demo.styles.portal import BureauPortal, ColumnSite
from monitor.demo.styles.sudy import SudyApiSite
from monitor.demo.styles.trs import TrsSite
from monitor.demo.styles.trs_script import ScriptTrsSite
from monitor.demo.styles.vsb import VsbSite
from monitor.demo.styles.vsb_412 import ChallengeVsbSite
from monitor.demo.styles.xhr_table import XhrTableSite

STYLES = {cls.style: cls for cls in (TrsSite, VsbSite, DiscuzSite, Big5Site, DedeSite, HanwebSite)}
"""The styles of the shared site set (``build_all_sites``), by key."""

EXTRA_STYLES = {
    cls.style: cls
    for cls in (
        EmpireSite,
        GkmlptSite,
        SudyApiSite,
        HanwebProxySite,
        AspNetSite,
        JsonApiSite,
        BureauPortal,
    )
}
"""Styles served on their own, each by its builder in ``monitor.demo.build``."""

BROWSER_STYLES = {cls.style: cls for cls in (ScriptTrsSite, XhrTableSite, ChallengeVsbSite)}
"""Styles that need a browser (``render``): lists built by script, a JS cookie challenge.
Served on their own (builders in ``monitor.demo.build``), never in ``make demo``."""

__all__ = [
    "BROWSER_STYLES",
    "EXTRA_STYLES",
    "STYLES",
    "AspNetSite",
    "Big5Site",
    "BureauPortal",
    "ColumnSite",
    "ChallengeVsbSite",
    "DedeSite",
    "DiscuzSite",
    "EmpireSite",
    "GkmlptSite",
    "HanwebProxySite",
    "HanwebSite",
    "JsonApiSite",
    "SudyApiSite",
    "ScriptTrsSite",
    "TrsSite",
    "VsbSite",
    "XhrTableSite",
]
