"""Central government portal templates: gov.cn (开普 UCAP) and the 教育部 site.

Not one product: the body containers of two national portals whose notices bureaus
repost and link to. The 教育部 site runs on TRS, so its pages are recognised as TRS
first; only its article box is its own.
"""

from __future__ import annotations

from spiders.cms.profile import CmsProfile, container

PROFILE = CmsProfile(
    name="gov",
    label="gov.cn and 教育部 portal templates",
    markers=(r"\bUCAP-CONTENT\b", r"\bmoe-detail-box\b"),
    containers=(
        container(ids="UCAP-CONTENT"),  # www.gov.cn
        container(classes="moe-detail-box"),  # www.moe.gov.cn
    ),
)
