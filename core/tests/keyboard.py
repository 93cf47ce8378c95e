"""The keyboard and what it shows, in Chromium: the helpers the keyboard-only browser tests share.

A keyboard-only test moves with Tab, Shift+Tab, the arrow keys, Space and Enter, and types only
into the element the keyboard has reached: no clicks, no fill().
"""

from collections.abc import Callable

from playwright.sync_api import Locator, Page

# Whether the focused element shows a focus ring a person can see (WCAG 2.4.7, 2.4.13): a solid
# outline at least 2px wide with at least 3:1 contrast against the colour beside it: the
# control's own face for a ring drawn inside it, else the first opaque background behind it.
FOCUS_RING = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return {shown: false, why: 'focus is on <body>'};
    const style = getComputedStyle(el);
    const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
    const luminance = c => {
        const [r, g, b] = rgb(c).slice(0, 3).map(v => {
            v /= 255;
            return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const opaque = c => { const v = rgb(c); return v.length === 3 || v[3] > 0.5; };
    let beside = parseFloat(style.outlineOffset) < 0 ? el : el.parentElement;
    while (beside && !opaque(getComputedStyle(beside).backgroundColor)) {
        beside = beside.parentElement;
    }
    const background = beside ? getComputedStyle(beside).backgroundColor : 'rgb(255, 255, 255)';
    const [a, b] = [luminance(style.outlineColor), luminance(background)];
    const contrast = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const text = el.innerText || el.value || el.getAttribute('aria-label') || '';
    const name = `${el.outerHTML.slice(0, 60)}… "${text.trim().slice(0, 40)}"`;
    const width = parseFloat(style.outlineWidth);
    const shown = style.outlineStyle !== 'none' && width >= 2 && contrast >= 3;
    const ring = `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`;
    return {shown, name, why: `outline ${ring} on ${background}: ${contrast.toFixed(2)}:1`};
}"""


def focus_ring(page: Page) -> dict[str, str | bool]:
    """{shown, name, why} for the element that has the keyboard's focus."""
    return page.evaluate(FOCUS_RING)


def focus_is_on(page: Page, locator: Locator) -> bool:
    """Whether one of the elements `locator` finds has the keyboard's focus."""
    return locator.evaluate_all("els => els.includes(document.activeElement)")


def press_until(
    page: Page, reached: Callable[[], bool], *, key: str = "Tab", most: int = 150
) -> int:
    """Press `key` until `reached()` says so; how many presses it took. Fails after `most`."""
    for presses in range(1, most + 1):
        page.keyboard.press(key)
        if reached():
            return presses
    raise AssertionError(f"{most} presses of {key} did not get there")
