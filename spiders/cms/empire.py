"""EmpireCMS (帝国CMS): city bureau and school sites published as static pages.

Lists ``/<class>/index.html`` then ``index_2.html`` … behind a plain 下一页 link (the
generic pager follows it); articles ``/<class>/YYYY-MM-DD/<id>.html``, their files under
``/d/file/``; the default article template puts the body in ``td#text``.
"""

from __future__ import annotations

from spiders.cms.profile import DATED_PATH, CmsProfile, container

PROFILE = CmsProfile(
    name="empire",
    label="EmpireCMS (帝国CMS)",
    markers=(r"Powered by EmpireCMS", r"/e/(?:data/js|public|search|extend)/", r"/d/file/"),
    containers=(container(ids="text", tag="td"),),
    url_dates=(DATED_PATH,),  # /news/tzgg/2024-03-01/2318.html
)
