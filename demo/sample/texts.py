"""Texts of the code-built sample portals: notices written from a few facts, and the near
misses that share their words (inspection news, audit and inspection-of-environment reports,
plans, other 情况通报) that a crawl must never archive."""

from dataclasses import dataclass

from ..server import Item

CN = "〇一二三四五六七八九"


@dataclass(frozen=True)
class Notice:
    """The facts a notice is written from."""

    issuer: str  # 中共某县委
    round: str  # 十一届省委第三轮巡视
    team: str  # 省委第五巡视组
    visit: tuple[str, str, str]  # start, end, feedback dates (M月D日)
    year: int
    problems: int
    measures: int
    phone: str
    kind: str = "巡视"  # 巡视 | 巡察


def notice_paragraphs(n: Notice) -> list[str]:
    """An opening, four sections of measures, a closing with contacts, the issuer and date."""
    start, end, feedback = n.visit
    k = n.kind
    return [
        f"根据{n.round}统一部署，{n.year}年{start}至{end}，{n.team}对{n.issuer[2:]}开展了{k}，"
        f"并于{n.year}年{feedback}反馈了{k}意见。按照党务公开原则和{k}工作有关要求，"
        f"现将{k}整改进展情况予以公布。",
        "一、提高政治站位，扛牢整改主体责任",
        f"{n.issuer}把{k}整改作为重大政治任务，成立整改工作领导小组，书记担任组长，"
        f"召开专题会议研究部署，对照反馈意见梳理出{n.problems}个具体问题，"
        f"逐项制定{n.measures}条整改措施，明确责任领导、责任单位和完成时限，实行清单化管理、"
        "销号式推进。",
        "二、坚持问题导向，推动反馈问题逐项整改",
        "（一）关于贯彻落实党中央决策部署不够到位的问题。健全学习贯彻机制，完善第一议题制度，"
        "建立重点任务台账，定期调度推进落实情况，对落实不力的单位开展督促检查。",
        "（二）关于全面从严治党压力传导不够的问题。制定主体责任清单，开展廉政风险排查，"
        "梳理风险点并逐一制定防控措施，严肃查处群众身边的不正之风和腐败问题。",
        "（三）关于基层党组织建设薄弱的问题。开展软弱涣散基层党组织整顿，选派第一书记驻村，"
        "规范三会一课制度，完善党员教育管理，提升基层治理能力。",
        "三、注重标本兼治，建立健全长效机制",
        "坚持当下改与长久立相结合，新制定和修订完善制度文件，从源头上堵塞管理漏洞。"
        "加强整改成果运用，把整改情况纳入年度综合考核，推动整改常态长效。",
        "四、持续深化整改，巩固拓展整改成果",
        "目前，已完成大部分整改任务，其余问题正在按时序推进。下一步，将继续保持整改力度不减、"
        "标准不降，对已完成的整改事项适时开展回头看，坚决防止问题反弹回潮。",
        "欢迎广大干部群众对整改落实情况进行监督。如有意见建议，请及时向我们反映。"
        f"联系电话：{n.phone}；邮政信箱：某县某路1号；电子邮箱：xczg@example.gov.cn。",
        n.issuer,
        f"{n.year}年{feedback}",
    ]


def notice_item(path: str, title: str, n: Notice, date: str, **kwargs) -> Item:
    return Item(
        path=path,
        title=title,
        datetime=date,
        source=n.issuer + "办公室",
        paragraphs=notice_paragraphs(n),
        notice=True,
        **kwargs,
    )


def news_item(path: str, title: str, date: str, *paragraphs: str, **kwargs) -> Item:
    """A page that shares the notices' words and is not one."""
    body = list(paragraphs) or [
        f"{title}。会议强调，要以高度的政治自觉抓好各项工作，确保取得实效。",
        "会议要求，各级各部门要压实责任，细化措施，按时完成各项任务。",
    ]
    return Item(path=path, title=title, datetime=date, source="本网", paragraphs=body, **kwargs)
