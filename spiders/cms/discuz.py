"""Discuz! X (腾讯云 Comsenz): forum-based city news portals with a 门户 (portal) section."""

from __future__ import annotations

from spiders.cms.profile import CmsProfile, container

PROFILE = CmsProfile(
    name="discuz",
    label="Discuz! X portal",
    markers=(r"<meta name=[\"']generator[\"'] content=[\"']Discuz!", r"Powered by Discuz!"),
    containers=(container(ids="article_content", tag="td"),),  # portal article: td#article_content
    download_endpoints=("attach",),  # forum.php?mod=attachment&aid=…: the link text names the file
)
