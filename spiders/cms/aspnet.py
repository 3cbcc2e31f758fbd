"""ASP.NET WebForms sites: 考试院 portals and 新点 (Epoint) publishing, often table layouts."""

from __future__ import annotations

from spiders.cms.profile import CmsProfile, container

PROFILE = CmsProfile(
    name="aspnet",
    label="ASP.NET WebForms (考试院 portals, 新点 Epoint)",
    markers=(r"__VIEWSTATE", r"<!--\s*EpointContent\s*-->"),
    # 考试院 NewsInfo.aspx: td#ReportIDtext; Epoint: <!--EpointContent--><div id="ivs_content">
    containers=(container(ids="ReportIDtext ivs_content"),),
)
