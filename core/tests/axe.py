"""axe-core in Chromium: the accessibility check the browser tests share.

axe-core is vendored under core/tests/vendor (a test asset, never served): no network needed.
"""

from pathlib import Path

from playwright.sync_api import Page

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
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
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(RUN_AXE)
    return [
        f"{name} ({page.url}): {v['id']} [{v['impact']}] {v['help']} – "
        f"{len(v['targets'])} element(s), e.g. {v['targets'][:3]}"
        for v in found
        if v["impact"] in BLOCKING
    ]
