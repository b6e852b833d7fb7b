"""Which columns carry notices, as data: names and URL path tokens seen on real portals.

A column's rank orders discovery: columns named or pathed like the inspection columns of
discipline-inspection sites (巡视巡察 > 巡视整改 …) are read before generic ones (通知公告).
"""

import re
from urllib.parse import urlsplit

# Column names of the inspection columns (巡视巡察, 上级/本级巡视巡察情况 …), strongest first.
INSPECTION_COLUMN_NAMES = re.compile(
    r"巡视整改|巡察整改|上级巡视巡察情况|本级巡视巡察情况|巡视巡察|巡视工作|巡察工作"
)
# Path tokens of those columns: /xsxc/, /xunshixuncha/, /xszg/ (巡视整改), /xsgz/, /xunshixc/ …
INSPECTION_PATH_TOKENS = re.compile(
    r"(?:^|[/_.-])(xsxc|xunshixuncha|xszg|xsgz|xunshixc|xunshi|xuncha|xcgz|sjxsxcqk|bjxsxcqk)"
    r"(?=$|[/_.\d-])",
    re.I,
)
# Generic columns where units post notices (政务公开 > 通知公告 / 要事公告).
NOTICE_COLUMN_NAMES = re.compile(r"通知公告|要事公告|公示公告|公告公示|通知通告|党务公开")


def column_rank(label: str, url: str) -> int:
    """How likely a column carries notices: 2 inspection column, 1 notice column, 0 other."""
    path = urlsplit(url).path
    if INSPECTION_COLUMN_NAMES.search(label) or INSPECTION_PATH_TOKENS.search(path):
        return 2
    if NOTICE_COLUMN_NAMES.search(label):
        return 1
    return 0
