"""axe-core in Chromium: the accessibility check the browser tests share.

axe-core is vendored under core/tests/vendor (a test asset, never served): no network needed.
"""

from pathlib import Path
from weakref import WeakSet

from playwright.sync_api import Page, Route

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
# The site's Content-Security-Policy (script-src 'self') refuses an inline script, so axe comes
# as a same-origin script from this address, which the browser answers itself (never the server).
AXE_URL = "/__axe__/axe.min.js"
_routed: WeakSet[Page] = WeakSet()


def _serve_axe(route: Route) -> None:
    route.fulfill(path=str(AXE), content_type="text/javascript")


BLOCKING = {"serious", "critical"}

RUN_AXE = """async () => {
    const results = await axe.run(document, {resultTypes: ['violations']});
    return results.violations.map(v => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.map(n => n.target.join(' ')),
    }));
}"""


def violations(page: Page, name: str) -> list[str]:
    page.wait_for_load_state("networkidle")
    if page not in _routed:
        page.route(f"**{AXE_URL}", _serve_axe)
        _routed.add(page)
    page.add_script_tag(url=AXE_URL)
    found = page.evaluate(RUN_AXE)
    return [
        f"{name} ({page.url}): {v['id']} [{v['impact']}] {v['help']} – "
        f"{len(v['targets'])} element(s), e.g. {v['targets'][:3]}"
        for v in found
        if v["impact"] in BLOCKING
    ]
