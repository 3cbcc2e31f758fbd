"""Guangdong 集约化 NFCMS and its 政府信息公开 directory (gkmlpt): city and county bureaus."""

from __future__ import annotations

from spiders.cms.profile import CmsProfile, container

PROFILE = CmsProfile(
    name="nfcms",
    label="NFCMS / gkmlpt (广东政务集约化平台)",
    markers=(r"NFCMS_", r"\bnews_cont_d_wrap\b", r"/gkmlpt/"),
    containers=(container(classes="news_cont_d_wrap"),),
)
