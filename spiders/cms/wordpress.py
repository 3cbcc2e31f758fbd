"""WordPress: school blogs, articles under date permalinks ``/YYYY/MM/DD/<slug>/``."""

from __future__ import annotations

from spiders.cms.profile import DATED_PATH, CmsProfile, container

PROFILE = CmsProfile(
    name="wordpress",
    label="WordPress",
    markers=(r"<meta name=[\"']generator[\"'] content=[\"']WordPress", r"/wp-content/"),
    containers=(container(classes="entry-content"),),
    url_dates=(DATED_PATH,),  # /2022/03/21/post-5/
)
