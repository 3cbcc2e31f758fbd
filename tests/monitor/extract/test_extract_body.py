"""Body extraction: CMS containers, boilerplate, ruby/pinyin, hidden spam, 摘要, spaces."""

from __future__ import annotations

from monitor.extract import extract_notice

PARAGRAPHS = [
    "各中小学、幼儿园：",
    "为进一步加强校园安全管理，切实保障广大师生生命财产安全，经研究，决定在全区范围内开展校园安全隐患排查整治专项行动，现将有关事项通知如下。",
    "一、各校要成立以校长为组长的排查工作领导小组，明确责任分工，对校舍、消防、食堂、校车等重点部位开展拉网式排查，建立问题清单和整改台账。",
    "二、排查中发现的问题要立即整改，不能立即整改的要制定方案、落实措施、限期整改，并于11月30日前将排查整改情况报区教育局安全科。",
    "联系人：王老师，联系电话：0371-12345678。",
]
SIGNATURE = ["某区教育局", "2023年11月9日"]


def _paragraphs(lines: list[str]) -> str:
    return "".join(f"<p>{line}</p>" for line in lines)


def _bare_frame(article: str, title: str = "关于开展校园安全隐患排查整治专项行动的通知") -> bytes:
    """A small-site page without a known CMS container (trafilatura path)."""
    return f"""<html><head><meta charset="utf-8"><title>{title}_通知公告_某区教育局</title></head>
<body>
<div class="top"><a href="/">首页</a> <a href="/xxgk/">信息公开</a> <a href="/tzgg/">通知公告</a></div>
<div class="location">您现在的位置：<a href="/">首页</a> &gt; <a href="/tzgg/">通知公告</a> &gt; 正文</div>
<div class="main">
<h1>{title}</h1>
<div class="info">发布时间：2023-11-10　来源：区教育局　作者：安全科　浏览次数：328次　【字体：大 中 小】 【打印本页】 【关闭窗口】</div>
<div class="article">{article}</div>
<div class="share">分享到：微信 微博 QQ空间</div>
<div class="pages"><p>上一篇：<a href="/tzgg/1.html">关于做好冬季校园消防工作的通知</a></p><p>下一篇：<a href="/tzgg/3.html">关于开展读书月活动的通知</a></p></div>
<div class="xgwz"><h3>相关文章</h3><ul><li><a href="/tzgg/0.html">关于开展安全教育周活动的通知</a> 2023-10-20</li></ul></div>
</div>
<div class="footer"><p>版权所有：某区教育局 主办单位：某区教育局 网站标识码：4101000012</p>
<p>地址：某市某区人民路1号 邮编：450000 电话：0371-88888888 豫ICP备12345678号</p></div>
</body></html>""".encode()


def _trs_page(article: str) -> bytes:
    return f"""<html><head><meta charset="utf-8">
<title>关于开展校园安全隐患排查整治专项行动的通知_通知公告_某省教育厅</title>
<meta name="ArticleTitle" content="关于开展校园安全隐患排查整治专项行动的通知">
<meta name="PubDate" content="2023-11-10 16:32"></head><body>
<div class="position">当前位置：首页 &gt; 政务公开 &gt; 通知公告</div>
<h1>关于开展校园安全隐患排查整治专项行动的通知</h1>
<div class="info">发布时间：2023-11-10　来源：基础教育处　【字号：大 中 小】</div>
<div class="trs_editor_view TRS_UEDITOR">{article}</div>
<div class="footer">主办：某省教育厅　网站标识码：5200000012</div></body></html>""".encode()


def test_bare_frame_keeps_only_the_notice_with_its_signature() -> None:
    notice = extract_notice(
        _bare_frame(_paragraphs(PARAGRAPHS + SIGNATURE)), "https://jyj.example.gov.cn/tzgg/2.html"
    )
    assert notice.text.splitlines() == PARAGRAPHS + SIGNATURE


def test_trs_container_is_used_and_paragraphs_kept() -> None:
    notice = extract_notice(
        _trs_page(_paragraphs(PARAGRAPHS + SIGNATURE)), "https://x.gov.cn/a.html"
    )
    assert notice.text.splitlines() == PARAGRAPHS + SIGNATURE


def test_hanweb_content_between_metas() -> None:
    page = f"""<html><head><meta charset="utf-8"><title>通知_某市教育局</title></head><body>
<div class="main-txt"><h1 class="title">关于开展校园安全隐患排查整治专项行动的通知</h1>
<div class="xxgk_info"><span>发布日期：2023-11-10 10:50</span><span>信息来源：某市教育局</span>
<span>浏览次数：</span><span>字体：[大 中 小]</span></div>
<div id="zoom">页面导读<meta name="ContentStart">{_paragraphs(PARAGRAPHS)}<meta name="ContentEnd">
<p>【打印本页】</p></div></div>
<div class="bt-foot">版权所有：某市教育局　技术支持：某某网络</div></body></html>"""
    notice = extract_notice(page.encode(), "https://jyj.example.gov.cn/art/2023/11/10/art_1_2.html")
    assert notice.text.splitlines() == PARAGRAPHS
    assert notice.issuer == "某市教育局"


def test_vsb_spans_are_joined_into_one_paragraph() -> None:
    page = """<html><head><meta charset="utf-8"><title>关于期末考试安排的通知-某大学教务处</title></head>
<body><form name="_newscontent_fromname"><div class="con_tit"><h2>关于期末考试安排的通知</h2>
<p>作者:教务管理科　　时间：2023-11-10　　点击数：<span id="dyn"></span></p></div>
<div id="vsb_content"><div class="v_news_content"><p><span style="font-family:宋体">各学院：</span></p>
<p><span>现将</span><span>2023-2024学年</span><span>第一学期期末考试安排通知如下。</span></p></div></div>
<div id="div_vote_id"></div></form></body></html>"""
    notice = extract_notice(page.encode(), "https://jwc.example.edu.cn/info/1011/5946.htm")
    assert notice.text.splitlines() == [
        "各学院：",
        "现将2023-2024学年第一学期期末考试安排通知如下。",
    ]


def test_ruby_annotations_never_leak() -> None:
    article = (
        "<p>新密市<ruby>召<rp>(</rp><rt>zhào</rt><rp>)</rp></ruby><ruby>開<rp>(</rp><rt>kāi</rt>"
        "<rp>)</rp></ruby>學校疫情防控模擬演練視頻會議。</p>"
    )
    notice = extract_notice(_trs_page(article), "https://x.gov.cn/a.html")
    assert notice.text == "新密市召開學校疫情防控模擬演練視頻會議。"


def test_pinyin_leftovers_removed_but_other_parentheses_kept() -> None:
    article = _paragraphs(
        [
            "新密市召開(kāi)學(xué)校疫情防控會(huì)議，教體局南三樓會(huì)議室召開(kai)。",
            "请登录教育部(MOE)平台(www.example.cn)下载附件(1)和报名表(PDF版)。",
        ]
    )
    notice = extract_notice(_trs_page(article), "https://x.gov.cn/a.html")
    assert notice.text.splitlines() == [
        "新密市召開學校疫情防控會議，教體局南三樓會議室召開。",
        "请登录教育部(MOE)平台(www.example.cn)下载附件(1)和报名表(PDF版)。",
    ]


def test_hidden_and_injected_spam_is_removed() -> None:
    spam = "精品国产亚洲二区,免费人成在线观看网站,久久久国产99久久国产久"
    article = (
        _paragraphs(PARAGRAPHS)
        + f"<div style='display: none'>{spam}</div>"
        + f"<p style='visibility:hidden'>{spam}</p>"
        + f"<div hidden><a href='http://spam.example/'>{spam}</a></div>"
        + f"<div class='hd8'>{spam}</div>"
        + f"<div style='position:absolute;left:-9999px'>{spam}</div>"
        + "<style>.hd8{display:none}</style>"
    )
    page = _bare_frame(article).replace(
        b"</body>",
        "<div class='links'>在线看片免费人成视久网 | 亚汌国产精品久久久秋霞 | 人妖视频一区二区三区</div>"
        "</body>".encode(),
    )
    notice = extract_notice(page, "https://jyj.example.gov.cn/tzgg/2.html")
    assert notice.text.splitlines() == PARAGRAPHS


def test_discuz_summary_does_not_duplicate_the_first_paragraph() -> None:
    first = PARAGRAPHS[1]
    page = f"""<html><head><meta charset="utf-8">
<title>揭阳市教育系统召开座谈会 - 揭阳教育 - 蓝色河畔 - Powered by Discuz!</title></head><body>
<div id="pt" class="bm cl"><div class="z"><a href="./">首页</a> <em>›</em> <a href="#">揭阳新闻</a>
<em>›</em> 查看内容</div></div>
<div class="bm vw"><div class="h hm"><h1 class="ph">揭阳市教育系统召开座谈会</h1>
<p class="xg1">蓝色河畔 2023-1-20 13:37</p></div>
<div class="s"><div><strong>摘要</strong>: {first[:40]} ...</div></div>
<div class="d">{_paragraphs(PARAGRAPHS[1:])}</div>
<div id="click_div"><table><tr><td>路过</td><td>雷人</td><td>握手</td><td>鲜花</td><td>鸡蛋</td></tr></table></div>
</div><div id="comment" class="bm"><h3>全部评论</h3><p>快速评论</p></div>
<div id="ft">Copyright © 2002-2023, Hepan.com Cloud. Powered by Discuz!X3.4 粤ICP备11103827号</div>
</body></html>"""
    notice = extract_notice(page.encode(), "https://www.example.com/article-1-1.html")
    assert notice.text.splitlines() == PARAGRAPHS[1:]
    assert notice.title == "揭阳市教育系统召开座谈会"


def test_traditional_page_with_summary_counter_editor_and_share() -> None:
    lines = [
        "3月20日，省人力資源和社會保障廳召開疫情防控專題工作視頻會議，學校疫情防控領導小組成員參加會議。",
        "顧潮副廳長指出，當前疫情形勢嚴峻，學校師生流動性大，防控任務艱巨，各地各校要始終堅持人民至上、生命至上。",
    ]
    page = f"""<html><head><meta charset="utf-8"><title>徐州技師學院參加視頻會議_彭城教育網</title></head><body>
<div class="welcome">歡迎進入彭城教育網 徐州校園速遞!</div>
<div class="weizhi">您現在的位置是:彭城教育網 &gt; 校聞速遞 &gt; 徐州技師學院參加視頻會議</div>
<h1>徐州技師學院參加視頻會議</h1>
<div class="xx">信息來自:彭城教育網　　發布時間:2022-03-21 16:32:00　　閱讀量:16768次</div>
<div class="zy">[摘要]:彭城教育:{lines[0][:50]}</div>
<div class="nr">{_paragraphs(lines)}<p>編輯:融媒體中心 李婉婷</p><p>審核:組織宣傳處</p></div>
<div class="fx">掃一掃,分享本頁</div></body></html>"""
    notice = extract_notice(page.encode(), "https://www.example.com/news/1.html")
    assert notice.text.splitlines() == lines
    assert notice.title == "徐州技師學院參加視頻會議"
    assert notice.issuer == "彭城教育網"
    assert str(notice.published_at) == "2022-03-21 16:32:00+08:00"
    assert notice.text_simple.startswith(
        "3月20日，省人力资源和社会保障厅召开疫情防控专题工作视频会议"
    )
    assert notice.title_simple == "徐州技师学院参加视频会议"


def test_full_width_spaces_and_nbsp_are_normalised() -> None:
    article = "<p>　　各学院：</p><p>&nbsp;&nbsp;现将\u3000有关事项&nbsp;通知如下。\u200b</p>"
    notice = extract_notice(_trs_page(article), "https://x.gov.cn/a.html")
    assert notice.text.splitlines() == ["各学院：", "现将 有关事项 通知如下。"]


def test_page_with_xml_declaration_and_no_body_text() -> None:
    page = '<?xml version="1.0" encoding="utf-8"?><html><head><title>某校</title></head><body></body></html>'
    notice = extract_notice(
        page.encode(), "https://school.example.com/n/1.html", list_title="运动会通知"
    )
    assert notice.text == ""
    assert notice.title == "运动会通知"


def test_unknown_template_relies_on_text_level_cleaning() -> None:
    """Class names the cleaner does not know: the text-level pass must still trim."""
    page = f"""<html><head><meta charset="utf-8"><title>我校召开疫情防控工作会议-学校动态-某职业学院</title></head>
<body><div class="k1"><a href="/">首页</a> &gt; <a href="/xxkx/">学校快讯</a> &gt; <a href="/xxdt/">学校动态</a></div>
<div class="k2"><div class="k3">我校召开疫情防控工作会议</div><div class="k4">日期:2021-11-10 10:42:36</div>
<div class="k5">{_paragraphs(PARAGRAPHS)}</div>
<div class="k6"><p>分享到:</p></div><div class="k7"><p>相關文章:</p><p><a href="/1.html">我校开展消防演练</a> 2021-10-01</p></div></div>
<div class="k8"><p>地址:河南省郑州市金水区平安大道195号 邮编:450000 服务中心联系人:柏老师 电话:0371-61287328</p>
<p>Copyright 2005-2024 gaokao.example.cn, All Rights Reserved</p></div></body></html>"""
    notice = extract_notice(page.encode(), "https://www.example.edu.cn/xxdt/1.html")
    assert notice.text.splitlines() == PARAGRAPHS
    assert notice.title == "我校召开疫情防控工作会议"
    assert str(notice.published_at) == "2021-11-10 10:42:36+08:00"


def test_attachment_list_lines_leave_the_body_but_sentences_about_them_stay() -> None:
    article = _paragraphs(PARAGRAPHS[:2]) + (
        "<p>请填写<a href='/f/bm.docx'>报名表.docx</a>后于11月30日前报送。</p>"
        "<p>附件：<a href='/f/md.pdf'>1.名单.pdf</a><br><a href='/f/hz.xls'>2.回执.xls</a></p>"
    )
    notice = extract_notice(_trs_page(article), "https://x.gov.cn/a.html")
    assert notice.text.splitlines() == [*PARAGRAPHS[:2], "请填写报名表.docx后于11月30日前报送。"]
    assert [a.name for a in notice.attachments] == ["报名表.docx", "1.名单.pdf", "2.回执.xls"]


def test_short_notice_on_an_unknown_template_drops_menu_lines_before_the_title() -> None:
    article = "<p>各位家长：</p><p>兹定于11月18日召开家长会，请准时参加。</p>"
    page = _bare_frame(article).replace(b'class="location"', b'class="k1"')
    page = page.replace(b'class="top"', b'class="k2"')
    notice = extract_notice(page, "https://jyj.example.gov.cn/tzgg/2.html")
    assert notice.text.splitlines() == ["各位家长：", "兹定于11月18日召开家长会，请准时参加。"]


def test_attachment_only_notice_keeps_its_one_line() -> None:
    article = "<p>详见附件。</p><p>附件：<a href='/f/md.pdf'>名单.pdf</a></p>"
    notice = extract_notice(_bare_frame(article), "https://jyj.example.gov.cn/tzgg/2.html")
    assert notice.text == "详见附件。"
    assert [a.url for a in notice.attachments] == ["https://jyj.example.gov.cn/f/md.pdf"]


def test_meeting_fields_at_the_top_of_the_body_stay() -> None:
    article = _paragraphs(
        ["各学院：", "时间：2024年1月8日上午9:00", "地点：行政楼报告厅", *PARAGRAPHS[1:3]]
    )
    notice = extract_notice(_trs_page(article), "https://x.gov.cn/a.html")
    assert notice.text.splitlines()[:3] == [
        "各学院：",
        "时间：2024年1月8日上午9:00",
        "地点：行政楼报告厅",
    ]


def test_body_lines_that_merely_look_like_boilerplate_stay() -> None:
    lines = [
        "各学校：",
        "现将获奖作品名单公布如下。",
        "一等奖：《我的家乡》 作者：张三 编辑：校报编辑部",
        "参赛作品版权所有归作者本人，主办单位享有展示权。",
        "联系人：王老师，联系电话：0371-12345678。",
        "某区教育局",
        "2023年11月9日",
    ]
    notice = extract_notice(_trs_page(_paragraphs(lines)), "https://x.gov.cn/a.html")
    assert notice.text.splitlines() == lines


def test_ruby_and_pinyin_never_reach_the_title() -> None:
    page = """<html><head><meta charset="utf-8"><title>新密市召開(kāi)會(huì)議_教體局</title></head><body>
<h1>新密市<ruby>召<rt>zhào</rt></ruby><ruby>開<rp>(</rp><rt>kāi</rt><rp>)</rp></ruby>會議</h1>
<div id="zoom"><p>3月16日，新密市學校疫情防控模擬演練視頻會議在教體局召開。</p></div></body></html>"""
    notice = extract_notice(page.encode(), "https://jtj.example.gov.cn/art/2022/3/16/art_1_2.html")
    assert notice.title == "新密市召開會議"
    assert notice.title_simple == "新密市召开会议"
