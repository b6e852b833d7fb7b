"""What every explore portal's pages share: the chrome around the main block (header, menu,
footer, with each portal's own wording and class names), and article pages."""

import html
from dataclasses import dataclass

from .texts import Item

esc = html.escape


@dataclass(frozen=True)
class Skin:
    """How one portal's pages look: its name, menu, generator and footer."""

    name: str
    nav: tuple[tuple[str, str], ...]  # (label, href)
    css: str = "gov"
    generator: str = ""
    footer: str = "主办单位：本网  技术支持：某某信息技术有限公司"

    def page(self, title: str, main: str, head: str = "", body_attrs: str = "") -> str:
        menu = "".join(
            f'<li><a href="{esc(h, True)}">{esc(label)}</a></li>' for label, h in self.nav
        )
        meta = (
            f'<meta name="Generator" content="{esc(self.generator, True)}">'
            if self.generator
            else ""
        )
        suffix = "" if title == self.name else f"_{self.name}"
        return (
            '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta name="SiteName" content="{esc(self.name, True)}">{meta}'
            f"<title>{esc(title)}{esc(suffix)}</title>"
            f'<link rel="stylesheet" href="/static/{self.css}.css">{head}</head>'
            f'<body class="{self.css}"{body_attrs}><div class="{self.css}-top"><div class="logo">{esc(self.name)}</div>'
            '<div class="tools">无障碍浏览 | 长者模式 | 简 / 繁</div></div>'
            f'<ul class="{self.css}-nav">{menu}</ul>\n{main}\n'
            f'<div class="{self.css}-foot"><p>{esc(self.footer)}</p>'
            "<p>网站标识码：0000000000  ICP备00000000号  公网安备00000000000000号</p>"
            "<p>建议使用1280×768分辨率浏览本网站</p></div></body></html>"
        )


def crumb(*parts: tuple[str, str]) -> str:
    links = " &gt; ".join(f'<a href="{esc(h, True)}">{esc(label)}</a>' for label, h in parts)
    return f'<div class="crumb">您当前的位置：{links}</div>'


def paragraphs(lines: list[str]) -> str:
    return "\n".join(f"<p>\u3000\u3000{esc(line)}</p>" for line in lines)


def info_bar(item: Item, source: str) -> str:
    return (
        f'<div class="info">发布时间：{item.datetime}\u3000来源：{esc(source)}\u3000'
        '浏览次数：<span id="hits">128</span>\u3000【字号：<a href="javascript:fontZoom(18)">大</a> '
        '<a href="javascript:fontZoom(16)">中</a> <a href="javascript:fontZoom(14)">小</a>】</div>'
    )


def article(item: Item, where: str, source: str, body: str | None = None, after: str = "") -> str:
    """The main block of an article page: breadcrumb text, title, info bar, body, tools."""
    text = paragraphs(item.paragraphs) if body is None else body
    return (
        f'<div class="position">当前位置：首页 &gt; {esc(where)} &gt; 正文</div>'
        f'<div class="article"><h1 class="title">{esc(item.title)}</h1>{info_bar(item, source)}'
        f'<div class="content" id="zoom">{text}</div>{after}'
        '<div class="article-tools"><a href="javascript:window.print()">【打印本页】</a>'
        '<a href="javascript:window.close()">【关闭窗口】</a></div>'
        '<div class="qr">扫一扫在手机上查看当前页面</div></div>'
    )


SHELL = (
    '<div class="position">当前位置：首页 &gt; {where} &gt; 正文</div>'
    '<div class="article" id="article"><h1 class="title" id="title"></h1>'
    '<div class="info">发布时间：<span id="pubTime"></span>\u3000来源：<span id="source"></span></div>'
    '<div class="content" id="content"><p class="loading">正在加载……</p></div></div>'
)


def shell(where: str) -> str:
    """The main block of an article page whose title and body a script fills."""
    return SHELL.format(where=esc(where))


# fills #title, #pubTime, #source and #content from a reply {title, publishTime, source, paragraphs}
FILL_SCRIPT = """
function fillArticle(a) {
  document.getElementById('title').textContent = a.title;
  document.title = a.title + '_' + document.title;
  document.getElementById('pubTime').textContent = a.publishTime;
  document.getElementById('source').textContent = a.source;
  var box = document.getElementById('content');
  box.innerHTML = '';
  a.paragraphs.forEach(function (text) {
    var p = document.createElement('p');
    p.textContent = '\\u3000\\u3000' + text;
    box.appendChild(p);
  });
}
"""


def record(item: Item, url: str, source: str) -> dict:
    """An item as list and detail APIs give it."""
    return {
        "title": item.title,
        "publishTime": item.datetime,
        "source": source,
        "url": url,
        "paragraphs": item.paragraphs,
    }
