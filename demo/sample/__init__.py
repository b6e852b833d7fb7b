"""Sample portals built in code, like CMS families the template portals do not imitate:
a Hanweb JCMS county portal (several jpage columns on one proxy, a site search), a JSON-API
portal (JS-only paging, script-filled detail shells, a column reached only through a 更多 link
and paged by page numbers only) and an old GBK JSP/ASP site (onclick links, an iframe column,
query paging, a notice published only as a PDF, a POST site search).

Each module has `install(site)`: it adds its portal, items and pages to a SampleSite, and
may add routes (answers computed from the request, like a dataproxy or a search).
`templated` is not one of the demo's portals: the template model's sample portal (chrome no
rule names, a redesign), with its own server, for tests and the extraction bench.
"""

from . import hanweb_county, json_portal, old_jsp

MODULES = (hanweb_county, json_portal, old_jsp)


def install(site) -> None:
    for module in MODULES:
        module.install(site)
