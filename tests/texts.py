"""Made-up notice texts for the copy-matching tests: paragraphs of rectification words drawn
at random (seeded), each ending in a count, so that two seeds give two different notices."""

import random

WORDS = (
    "整改",
    "措施",
    "制度",
    "问题",
    "督导",
    "落实",
    "责任",
    "清单",
    "基层",
    "党建",
    "资金",
    "项目",
    "监督",
    "干部",
    "群众",
    "服务",
    "管理",
    "机制",
    "专项",
    "检查",
    "推进",
    "完成",
)


def paragraphs(seed: int, count: int, words: int, vocabulary: int = len(WORDS)) -> str:
    """`count` paragraphs of `words` words each from the first `vocabulary` of WORDS."""
    rng = random.Random(seed)
    chosen = WORDS[:vocabulary]
    return "\n".join(
        "".join(rng.choice(chosen) for _ in range(words)) + f"，共{rng.randint(1, 300)}项。"
        for _ in range(count)
    )
