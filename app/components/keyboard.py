"""Arrow keys in composite widgets that are one Tab stop (roving tabindex), for every page.

- `[data-roving-radios]`: a group of `role=radio` buttons (the family record switcher). Only the
  chosen one is in the Tab order; the arrow keys, Home and End move focus between them; Space or
  Enter chooses (choosing a record reloads the page's data, so moving does not choose by itself).
- `[data-roving-grid]`: the booking calendar. The grid's box is the one Tab stop; from it an arrow
  key enters the grid (where focus last was, or its first free time). Up and Down move through a
  lane's free times (the one free-time button, placed on each in turn: calendar/grid_script.py)
  and appointments in time order, PageUp and PageDown four stops at a time
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

from app.components.calendar.grid_script import GRID_FUNCTIONS

_EFFECT = (
    """useEffect(() => {"""
    + GRID_FUNCTIONS
    + """
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
  const grid = (event, box) => {
    const keys = ['ArrowDown', 'ArrowUp', 'ArrowLeft', 'ArrowRight', 'PageDown', 'PageUp', 'Home', 'End'];
    if (!keys.includes(event.key)) { return; }
    event.preventDefault();
    const lanes = lanesOf(box);
    const px = cellPx(box);
    const enter = (stop) => {
      if (!stop) { return; }
      box.__praxisLast = stop.block ? { block: stop.block } : { lane: lanes.indexOf(stop.lane), row: stop.row };
      focus(stop.block || place(box, stop.lane, stop.row));
    };
    if (event.target === box) {
      const last = box.__praxisLast;
      const lane = last && last.block === undefined ? lanes[last.lane] : undefined;
      if (last && last.block && last.block.isConnected) { enter({ block: last.block }); return; }
      if (lane && isFree(lane, last.row)) { enter({ lane, row: last.row }); return; }
      enter(lanes.map((each) => stops(each, px)).find((each) => each.length > 0)?.[0]);
      return;
    }
    const onSlot = event.target.id === SLOT;
    const lane = onSlot ? lanes[Number(event.target.dataset.lane)] : event.target.closest('.cal-lane');
    if (!lane) { return; }
    const here = stops(lane, px);
    let at = here.findIndex((stop) => (onSlot ? !stop.block && stop.row === Number(event.target.dataset.row)
      : stop.block === event.target));
    if (at < 0 && onSlot) {  // its row was taken meanwhile (a live update): go on from the nearest stop
      const y = Number(event.target.dataset.row) * px;
      const gap = (i) => Math.abs(here[i].top - y);
      at = here.reduce((best, stop, i) => (best < 0 || gap(i) < gap(best) ? i : best), -1);
    }
    let next = null;
    if (event.key === 'ArrowDown') { next = here[at + 1]; }
    if (event.key === 'ArrowUp') { next = here[at - 1]; }
    if (event.key === 'PageDown') { next = here[Math.min(at + 4, here.length - 1)]; }
    if (event.key === 'PageUp') { next = here[Math.max(at - 4, 0)]; }
    if (event.key === 'Home') { next = here[0]; }
    if (event.key === 'End') { next = here[here.length - 1]; }
    if ((event.key === 'ArrowRight' || event.key === 'ArrowLeft') && at >= 0) {
      const step = event.key === 'ArrowRight' ? 1 : -1;
      const y = here[at].top;
      for (let i = lanes.indexOf(lane) + step; i >= 0 && i < lanes.length && !next; i += step) {
        next = stops(lanes[i], px).reduce((best, stop) =>
          best === null || Math.abs(stop.top - y) < Math.abs(best.top - y) ? stop : best, null);
      }
    }
    enter(next);
  };
  const onKey = (event) => {
    if (!(event.target instanceof Element) || event.altKey || event.ctrlKey || event.metaKey) { return; }
    const group = event.target.closest('[data-roving-radios]');
    if (group) { radios(event, group); return; }
    const box = event.target.closest('[data-roving-grid]');
    if (box) { grid(event, box); }
  };
  // Whatever takes focus inside the grid (a click, a dialog handing focus back) is where an
  // arrow key from the grid's box comes back to. Focus anywhere else on the page (not a dialog the
  // free time opened) takes the free-time button off its row.
  const onFocus = (event) => {
    if (!(event.target instanceof Element)) { return; }
    const box = event.target.closest('[data-roving-grid]');
    if (box && event.target.id === SLOT) {
      box.__praxisLast = { lane: Number(event.target.dataset.lane), row: Number(event.target.dataset.row) };
    } else if (box && event.target !== box && event.target.matches('button')) {
      box.__praxisLast = { block: event.target };
    }
    const slot = document.getElementById(SLOT);
    const layer = event.target.closest('[role=dialog], [role=alertdialog], [role=menu], [role=listbox]');
    if (slot && event.target !== slot && !layer) { unplace(slot); }
  };
  document.addEventListener('keydown', onKey);
  document.addEventListener('focusin', onFocus);
  document.addEventListener('mousemove', onPointer, { passive: true });
  document.addEventListener('click', onLaneClick);
  window.addEventListener('resize', onLanesChanged, { passive: true });
  const lanesWatcher = new MutationObserver(onLanesChanged);
  lanesWatcher.observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-busy'] });
  return () => {
    lanesWatcher.disconnect();
    window.removeEventListener('resize', onLanesChanged);
    document.removeEventListener('keydown', onKey);
    document.removeEventListener('focusin', onFocus);
    document.removeEventListener('mousemove', onPointer);
    document.removeEventListener('click', onLaneClick);
  };
}, []);"""
)


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
