"""Challenge and block pages as anti-bot vendors send them: status, headers and body (after
public captures and field notes), for the blocking tests and the test servers."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Challenge:
    rule: str
    vendor: str | None
    passable: bool  # a JavaScript challenge a browser passes with no input
    status: int
    body: str
    headers: dict[str, str] = field(default_factory=dict)


def _chars(text: str) -> str:
    """`('_')+('_')+('j')…`: a string assembled from single characters, as 加速乐 writes the
    name of the cookie its script sets."""
    return "+".join(f"('{c}')" for c in text)


RUISHU = (
    '<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; '
    'charset=utf-8"><meta content="3bL8QnkY2WJcYwE.Mn_FwC4" r="m"><script type="text/javascript"'
    " r='m'>$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=60317;$_ts.cd=\"qEcrrpAlq3GWr\";"
    '</script><script type="text/javascript" charset="utf-8" src="/5xKLVmmqgJjV/'
    "c.FxJzG50F.dfe1675.js\" r='m'></script></head><body></body></html>"
    "<script type=\"text/javascript\" r='m'>$_ts.lcd();</script>"
)
JIASULE = (
    "<script>document.cookie="
    + _chars("__jsl_clearance_s=")
    + "+(-~[]+'7'+(-~[]+[]+[[]][0])+(3+[])+[[]][0]+(1+[]+[]))+"
    + "('.')+(+!+[]+[]+[])+('|')+('-')+(+!+[]+[])+('|')+('w')+('%')+('2')+('B')+('T')"
    + ";location.href=location.pathname+location.search</script>"
)
WZWS_493 = (
    "<html><head><title>493</title></head><body><div class='wrap'><img src='/wzws-waf-cgi/"
    "wzws-493.png'><p>您的访问请求可能对网站造成安全威胁，请求已被拦截</p></div></body></html>"
)
SAFEDOG = (
    "<html><head><title>网站防火墙</title></head><body><img src='http://404.safedog.cn/"
    "images/safedogsite/head.png'><p>您的请求带有不合法参数，已被网站管理员设置拦截！</p>"
    "</body></html>"
)
CYD = (
    "<html><head><title>访问被拦截</title></head><body><img src='/ks-waf-error.png'><p>"
    "您的访问被创宇盾拦截</p><a href='https://www.365cyd.com'>创宇盾</a></body></html>"
)
YUNSUO = (
    "<html><head><script>function stringToHex(str){var val='';for(var i=0;i<str.length;i++)"
    "{val+=str.charCodeAt(i).toString(16);}return val;}function YunSuoAutoJump(){var width="
    "screen.width;var height=screen.height;var screendate=width+','+height;"
    "document.cookie='srcurl='+stringToHex(window.location.href)+';path=/;';location='/?"
    "security_verify_data='+stringToHex(screendate);}</script></head>"
    "<body onload='YunSuoAutoJump()'></body></html>"
)

VENDORS = {
    "瑞数": Challenge(
        "ruishu",
        "瑞数",
        True,
        412,
        RUISHU,
        {
            "Set-Cookie": "FSSBBIl1UgzbN7N80S=Vv0cm7Sdn.3pQ; Path=/; expires=Fri, 01 Jan 2027 "
            "00:00:00 GMT; HttpOnly",
            "Server": "nginx",
        },
    ),
    "加速乐": Challenge(
        "jiasule",
        "加速乐",
        True,
        521,
        JIASULE,
        {"Set-Cookie": "__jsluid_h=8c1d5a7f1bb3a2e6c2b5e0d4; max-age=31536000; path=/; HttpOnly"},
    ),
    "360网站卫士": Challenge(
        "360wzws", "360网站卫士", False, 493, WZWS_493, {"WZWS-Ray": "1134-1700000000.1-wzws"}
    ),
    "安全狗": Challenge(
        "safedog",
        "安全狗",
        False,
        403,
        SAFEDOG,
        {"Server": "Safedog/4.0", "Set-Cookie": "safedog-flow-item=7A7B8C; path=/"},
    ),
    "知道创宇": Challenge("365cyd", "知道创宇", False, 403, CYD),
    "云锁": Challenge(
        "yunsuo",
        "云锁",
        True,
        200,
        YUNSUO,
        {"Set-Cookie": "security_session_verify=0f5d8c3e; path=/; HttpOnly"},
    ),
    "captcha": Challenge(
        "captcha",
        None,
        False,
        200,
        "<html><body><h3>请输入验证码后继续访问</h3><img src='/captcha.jpg'>"
        "<form><input name='code'></form></body></html>",
    ),
}
