"""DedeCMS (织梦): county school sites, articles under ``/a/<column>/YYYYMMDD/<id>.html``."""

from __future__ import annotations

from spiders.cms.profile import CmsProfile

PROFILE = CmsProfile(
    name="dede",
    label="DedeCMS (织梦)",
    markers=(r"dedecms", r"/templets/"),
    url_dates=(r"/((?:19|20)\d{2})(\d{2})(\d{2})/",),  # /a/tzgg/20231110/1234.html
)
