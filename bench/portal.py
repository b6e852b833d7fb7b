"""A synthetic TRS-style portal of N notice pages, generated from the clauses of the demo's
sample notices (demo/site/items), with ETags (so recrawls can be answered 304). bench.server
serves it."""

import hashlib
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

from demo.server import SITE_DIR

ITEMS = SITE_DIR / "items"
PER_PAGE = 20
LIST = "/bench/xxgk/tzgg/"
_CN = "一二三四五六七八九十"
DISTRICTS = ["思明", "湖里", "集美", "海沧", "同安", "翔安", "鼓浪屿", "芗城", "龙文", "长泰"]
TITLES = [
    "中共厦门市{d}区委关于巡视整改进展情况的通报",
    "中共厦门市{d}区委关于十一届省委第{n}轮巡视集中整改进展情况的通报",
    "中共厦门市{d}区委关于区委第{n}轮巡察整改情况的通报",
    "厦门市{d}区财政局党组关于市委第{n}轮巡察整改进展情况的通报",
    "中共厦门市{d}区{d}街道工作委员会关于区委第{n}巡察组巡察反馈意见整改落实情况的通报",
]


def _clauses() -> list[str]:
    """The clauses of the sample notices: the vocabulary of the synthetic ones."""
    text = "".join(
        path.read_text("utf-8").partition("\n---\n")[2]
        for path in sorted(ITEMS.glob("*notice.txt"))
    )
    parts = re.split(r"(?<=[，。；：])", re.sub(r"\s+", "", text))
    return sorted({p for p in parts if 6 <= len(p) <= 80})


@cache
def _words(clauses: tuple[str, ...]) -> tuple[str, ...]:
    """The corpus's two-character words (every aligned pair of Chinese characters)."""
    pairs = {c[i : i + 2] for c in clauses for i in range(0, len(c) - 1, 2)}
    return tuple(sorted(p for p in pairs if _is_word(p)))


NEWS = [
    f'<li><a href="/bench/xw/t{100000 + n * 37}.htm">厦门市{DISTRICTS[n % 10]}区召开第{n % 97}次'
    f"{('工作会议', '专题会议', '推进会', '座谈会')[n % 4]}</a>"
    f"<span>{2018 + n % 8}-{1 + n % 12:02d}</span></li>"
    for n in range(600)
]


def _chrome(rng: random.Random, size: int) -> tuple[str, str]:
    """Header (navigation, styles, scripts) and footer adding up to about `size` bytes."""
    nav = "".join(
        f'<li><a href="/bench/col/col{i}/index.html">栏目{i:03d}</a></li>' for i in range(80)
    )
    style = "".join(f".c{i}{{margin:{i % 7}px;color:#{i * 37 % 4096:03x};}}\n" for i in range(60))
    script_lines = [f"var cfg{i} = {{id: {i}, name: 'item{i}', on: {i % 2}}};" for i in range(40)]
    header = (
        f"<style>{style}</style><script>{''.join(script_lines)}</script>"
        f'<div class="top">无障碍 | 长者模式 | 登录 | 注册</div><ul class="nav">{nav}</ul>'
        '<div class="dqwz">当前位置：<a href="/bench/">首页</a> &gt; '
        '<a href="/bench/xxgk/">政务公开</a> &gt; 通知公告</div>'
    )
    # the column's latest news, as real pages show it: a window on one list, at some date
    start = rng.randrange(len(NEWS))
    related: list[str] = []
    while len(header) + sum(map(len, related)) * 1.2 < size:
        related.append(NEWS[(start + len(related)) % len(NEWS)])
    footer = (
        f'<div class="side"><h3>相关新闻</h3><ul>{"".join(related)}</ul></div>'
        '<div class="foot">主办：厦门市人民政府办公厅 网站标识码：3502000001 闽ICP备05012345号 '
        "闽公网安备35020302000001号 您是本站第 1 位访问者</div>"
    )
    return header, footer


def _vary(clauses: list[str], rng: random.Random, words: tuple[str, ...]) -> str:
    """Clauses with about a third of their two-character words swapped for other words of the
    corpus: notices share a vocabulary, as real ones do, but not whole sentences (which would
    make every notice a near-copy of every other)."""
    out = []
    for clause in clauses:
        chunks = [clause[i : i + 2] for i in range(0, len(clause), 2)]
        out += [rng.choice(words) if rng.random() < 0.3 and _is_word(c) else c for c in chunks]
    return "".join(out)


def _is_word(chunk: str) -> bool:
    return len(chunk) == 2 and all("\u4e00" <= c <= "\u9fff" for c in chunk)


@dataclass
class Notice:
    path: str
    title: str
    date: str
    paragraphs: list[str]
    chrome: int


def _notice(index: int, clauses: tuple[str, ...], rng: random.Random) -> Notice:
    words = _words(clauses)
    d = rng.choice(DISTRICTS)
    title = rng.choice(TITLES).format(d=d, n=_CN[index % 9])
    year, month, day = 2018 + index % 8, 1 + index % 12, 1 + index % 28
    date = f"{year}-{month:02d}-{day:02d}"
    paragraphs = [
        f"根据省委统一部署，{year - 1}年{month}月{day}日至{month}月{min(day + 30, 28)}日，"
        f"省委第{_CN[index % 9]}巡视组对{d}区开展了巡视，并于{year}年{month}月{day}日反馈了"
        "巡视意见。现将整改进展情况予以公布。"
    ]
    target = rng.randint(2500, 9000)
    size, section = 0, 0
    while size < target and section < 9:
        paragraphs.append(f"{_CN[section]}、" + rng.choice(clauses).rstrip("，。；："))
        for sub in range(rng.randint(2, 4)):
            paragraphs.append(f"（{_CN[sub]}）" + _vary(rng.sample(clauses, 2), rng, words))
            for k in range(rng.randint(2, 5)):
                text = f"{_CN[k]}是" + _vary(rng.sample(clauses, rng.randint(3, 8)), rng, words)
                text += f"完成整改{rng.randint(1, 300)}项。"
                paragraphs.append(text)
                size += len(text)
        section += 1
    paragraphs += [
        "欢迎广大干部群众对巡视整改落实情况进行监督。"
        f"联系电话：0592-{rng.randint(1000000, 9999999)}。",
        f"中共厦门市{d}区委",
        f"{year}年{month}月{day}日",
    ]
    path = f"{LIST}{year}{month:02d}/t{year}{month:02d}{day:02d}_{100000 + index}.htm"
    return Notice(path, title, date, paragraphs, rng.randint(6000, 40000))


def _detail(notice: Notice, rng: random.Random) -> bytes:
    header, footer = _chrome(rng, notice.chrome)
    body = "\n".join(f"<p>\u3000\u3000{p}</p>" for p in notice.paragraphs)
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f'<meta name="ArticleTitle" content="{notice.title}"><meta name="PubDate" '
        f'content="{notice.date} 09:00"><title>{notice.title}_厦门市人民政府</title></head><body>'
        f'{header}<div class="xl-main"><div class="xl-tit">{notice.title}</div>'
        '<div class="xl-info">'
        f'来源：区委办　发布时间：{notice.date} 09:00</div><div class="TRS_Editor">{body}</div>'
        f'<div class="xl-tools"><a href="javascript:window.print()">【打印】</a></div></div>'
        f"{footer}</body></html>"
    ).encode()


def _list_page(notices: list[Notice], index: int, count: int) -> bytes:
    items = "".join(
        f'<li><a href="./{n.path.removeprefix(LIST)}" title="{n.title}">{n.title[:18]}...</a>'
        f"<span>[{n.date}]</span></li>"
        for n in notices
    )
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>通知公告_厦门市人民政府</title>'
        f'</head><body><div class="list"><ul>{items}</ul></div><script>'
        f'createPageHTML({count}, {index}, "index", "htm");</script></body></html>'
    ).encode()


@dataclass
class BenchSite:
    """All pages, pre-rendered; `edit` changes pages as a portal editor would."""

    size: int
    seed: int = 2026
    pages: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    notices: list[Notice] = field(default_factory=list)
    base_url: str = ""

    def __post_init__(self) -> None:
        rng = random.Random(self.seed)
        clauses = tuple(_clauses())
        self.notices = [_notice(i, clauses, rng) for i in range(self.size)]
        for notice in self.notices:
            self._put(notice.path, _detail(notice, random.Random(notice.path)))
        chunks = [self.notices[i : i + PER_PAGE] for i in range(0, self.size, PER_PAGE)]
        for index, chunk in enumerate(chunks):
            name = "index.htm" if index == 0 else f"index_{index}.htm"
            self._put(LIST + name, _list_page(chunk, index, len(chunks)))
        self._put("/robots.txt", b"User-agent: *\nAllow: /\n")

    def _put(self, path: str, body: bytes) -> None:
        self.pages[path] = (body, '"' + hashlib.sha1(body).hexdigest()[:16] + '"')

    def edit(self, fraction: float) -> int:
        """Change one figure in a fraction of the notices; return how many were changed."""
        rng = random.Random(self.seed + 1)
        chosen = rng.sample(self.notices, max(1, int(len(self.notices) * fraction)))
        for notice in chosen:
            notice.paragraphs[1] += f"（修订{rng.randint(1, 10**6)}）"
            self._put(notice.path, _detail(notice, random.Random(notice.path)))
        return len(chosen)

    def detail_bodies(self) -> Iterator[tuple[str, bytes]]:
        for notice in self.notices:
            yield self.base_url + notice.path, self.pages[notice.path][0]

    def seeds_toml(self) -> str:
        return (
            '[[portal]]\nid = "bench"\nname = "基准门户"\nregion = "厦门市"\nlevel = "municipal"\n'
            f'start_urls = ["{self.base_url}{LIST}index.htm"]\nallowed_domains = ["127.0.0.1"]\n'
            f"max_pages = {self.size * 2 + 1000}\n"
        )
