"""Arrow keys in composite widgets that are one Tab stop (roving tabindex), for every page.

- `[data-roving-radios]`: a group of `role=radio` buttons (the family record switcher). Only the
  chosen one is in the Tab order; the arrow keys, Home and End move focus between them; Space or
  Enter chooses (choosing a record reloads the page's data, so moving does not choose by itself).
- `[data-roving-grid]`: the booking calendar. The grid's box is the one Tab stop; from it an arrow
  key enters the grid (where focus last was, or its first free cell). Up and Down move through a
  lane's free cells and appointments in time order, PageUp and PageDown four stops at a time
  (an hour of the day view), Home and End to the lane's first and last, Left and Right to the
  nearest time in the next lane (the next practitioner, or the next day); Enter opens what has
  focus.

One compiled listener on the document (part of the bundle: nothing is eval'd under the CSP), so
it works for widgets that appear after the page has loaded.
"""

from __future__ import annotations

import reflex as rx
from reflex.utils.imports import ImportDict, ImportVar
from reflex.vars.base import Var

_EFFECT = """useEffect(() => {
  const top = (node) => node.getBoundingClientRect().top;
  const focus = (node) => { if (node) { node.focus(); node.scrollIntoView({ block: 'nearest', inline: 'nearest' }); } };
  const radios = (event, group) => {
    const items = [...group.querySelectorAll('[role=radio]')].filter((item) => !item.disabled);
    const at = items.indexOf(event.target);
    const to = { ArrowRight: at + 1, ArrowDown: at + 1, ArrowLeft: at - 1, ArrowUp: at - 1, Home: 0,
      End: items.length - 1 }[event.key];
    if (at < 0 || to === undefined) { return; }
    event.preventDefault();
    const next = items[(to + items.length) % items.length];
    items.forEach((item) => { item.tabIndex = item === next ? 0 : -1; });
    next.focus();
  };
  const stops = (lane) => [...lane.querySelectorAll('button')].filter((button) => !button.disabled)
    .sort((a, b) => top(a) - top(b));
  const nearest = (buttons, y) => buttons.reduce((best, button) =>
    best === null || Math.abs(top(button) - y) < Math.abs(top(best) - y) ? button : best, null);
  const grid = (event, box) => {
    const keys = ['ArrowDown', 'ArrowUp', 'ArrowLeft', 'ArrowRight', 'PageDown', 'PageUp', 'Home', 'End'];
    if (!keys.includes(event.key)) { return; }
    const lanes = [...box.querySelectorAll('.cal-lane')];
    if (event.target === box) {
      event.preventDefault();
      const last = box.__praxisLast;
      focus(last && last.isConnected && !last.disabled ? last : lanes.map(stops).find((s) => s.length > 0)?.[0]);
      return;
    }
    const lane = event.target.closest('.cal-lane');
    if (!lane) { return; }
    const here = stops(lane);
    const at = here.indexOf(event.target);
    let next = null;
    if (event.key === 'ArrowDown') { next = here[at + 1]; }
    if (event.key === 'ArrowUp') { next = here[at - 1]; }
    if (event.key === 'PageDown') { next = here[Math.min(at + 4, here.length - 1)]; }
    if (event.key === 'PageUp') { next = here[Math.max(at - 4, 0)]; }
    if (event.key === 'Home') { next = here[0]; }
    if (event.key === 'End') { next = here[here.length - 1]; }
    if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
      const step = event.key === 'ArrowRight' ? 1 : -1;
      for (let i = lanes.indexOf(lane) + step; i >= 0 && i < lanes.length && !next; i += step) {
        next = nearest(stops(lanes[i]), top(event.target));
      }
    }
    event.preventDefault();
    if (next) { box.__praxisLast = next; focus(next); }
  };
  const onKey = (event) => {
    if (!(event.target instanceof Element) || event.altKey || event.ctrlKey || event.metaKey) { return; }
    const group = event.target.closest('[data-roving-radios]');
    if (group) { radios(event, group); return; }
    const box = event.target.closest('[data-roving-grid]');
    if (box) { grid(event, box); }
  };
  // Whatever takes focus inside the grid (a click, a dialog handing focus back) is where an
  // arrow key from the grid's box comes back to.
  const onFocus = (event) => {
    const box = event.target instanceof Element ? event.target.closest('[data-roving-grid]') : null;
    if (box && event.target !== box && event.target.matches('button')) { box.__praxisLast = event.target; }
  };
  document.addEventListener('keydown', onKey);
  document.addEventListener('focusin', onFocus);
  return () => { document.removeEventListener('keydown', onKey); document.removeEventListener('focusin', onFocus); };
}, []);"""


class _ArrowKeys(rx.Fragment):
    def add_imports(self) -> ImportDict:
        return {"react": [ImportVar(tag="useEffect")]}

    def add_hooks(self) -> list[str | Var]:
        return [Var(_EFFECT)]


@rx.memo
def arrow_keys_listener() -> rx.Component:
    return rx.fragment(_ArrowKeys.create())


def arrow_keys() -> rx.Component:
    """For `rx.App(extra_app_wraps=...)`: memoized, once per page."""
    return rx.fragment(arrow_keys_listener())
