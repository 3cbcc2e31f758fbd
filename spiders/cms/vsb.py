"""VSB 博达站群 (Visual SiteBuilder): the usual university 教务处 and school site."""

from __future__ import annotations

from spiders.cms.profile import CmsProfile, container

PROFILE = CmsProfile(
    name="vsb",
    label="VSB (博达 Visual SiteBuilder)",
    markers=(
        r"Visual SiteBuilder",
        r"/system/resource/js/",
        r"_sitegray",
        r"\bv_news_content\b",
        r"\bvsb_content\b",
    ),
    # newer templates wrap the body in .v_news_content inside #vsb_content; older ones
    # (2017-2021 college sites) put the paragraphs straight into #vsb_content
    containers=(container(ids="vsb_content", classes="v_news_content"),),
    # /system/_content/download.jsp?…&wbfileid=…: the link text names the file
    download_endpoints=("download", "wbfileid"),
)
