"""The booking calendar's free times, in the browser: one button placed on a row (components/calendar/grid.py).

A week has ~1,700 free times; as elements they were most of what a week switch cost the browser
(style, layout and paint of 1,700 buttons). Now a lane draws its rows as a background and says
which rows are taken (`data-busy`) or outside work (`data-off`), and the grid's one free-time
button (`#cal-slot`) is placed on a row:

- under the mouse pointer, on a free row (it is the hover highlight, showing the row's time; a
  click on it books; `mousemove`, not `pointermove`, so a finger scrolling the grid does not drag
  it along);
- on a click or a tap on a free row where it was not yet (touch has no hover): placed, then clicked;
- by the arrow keys (components/keyboard.py), with its name ("Book Ana, Tue 8 Dec 09:00") set
  from the grid's hidden words, so a screen reader hears the same as before.

Where the keyboard put it, the pointer does not move it. It leaves its row when focus goes
elsewhere on the page (not into the dialog it opened: focus comes back to it, or to the new
appointment on its row, components/focus_return.py), when the pointer leaves the free rows, and
when its lane moves under it (practitioners shown or hidden, the window resized).

JavaScript for the one compiled document listener of components/keyboard.py (nothing is eval'd
under the CSP). Functions only; keyboard.py wires the events.
"""

from __future__ import annotations

SLOT_ID = "cal-slot"

GRID_FUNCTIONS = (
    f"""
  const SLOT = '{SLOT_ID}';"""
    + """
  const lanesOf = (box) => [...box.querySelectorAll('.cal-lane')];
  const cellPx = (box) =>
    parseFloat(getComputedStyle(box.querySelector('.cal-grid')).getPropertyValue('--cal-cell')) || 24;
  const isFree = (lane, row) => row >= 0 && row < (lane.dataset.busy || '').length && lane.dataset.busy[row] !== '1';
  // A lane's keyboard stops, top to bottom: its free rows and its appointments (a free row first
  // where both start at the same height, as the old cells came before the blocks).
  const stops = (lane, px) => {
    const busy = lane.dataset.busy || '';
    const list = [];
    for (let row = 0; row < busy.length; row += 1) {
      if (busy[row] !== '1') { list.push({ lane, row, top: row * px }); }
    }
    lane.querySelectorAll('.cal-appt').forEach((block) => {
      list.push({ lane, block, top: parseFloat(block.style.top) || 0 });
    });
    return list.sort((a, b) => a.top - b.top);
  };
  const placed = (slot) => slot.dataset.lane !== undefined;
  // A grid with the button on it is watched for lanes shown or gone and new column widths (its own
  // children and style only: a watch on the whole page would record every node of a week switch).
  const watched = new WeakSet();
  const watchGrid = (box) => {
    const grid = box.querySelector('.cal-grid');
    if (!grid || watched.has(grid)) { return; }
    watched.add(grid);
    new MutationObserver(() => onLanesChanged()).observe(grid, {
      childList: true, attributes: true, attributeFilter: ['style'],
    });
  };
  // Set even where the lane and row are the same: the lanes move under a resting button when the
  // practitioners shown change or the window is resized.
  const place = (box, lane, row) => {
    const slot = document.getElementById(SLOT);
    const index = lanesOf(box).indexOf(lane);
    if (!slot || index < 0) { return null; }
    watchGrid(box);
    delete slot.dataset.taken;
    const px = cellPx(box);
    const style = { left: lane.offsetLeft + 'px', top: lane.offsetTop + row * px + 'px',
      width: lane.offsetWidth + 'px', height: px + 'px' };
    Object.entries(style).forEach(([key, value]) => { if (slot.style[key] !== value) { slot.style[key] = value; } });
    const off = (lane.dataset.off || '')[row] === '1';
    const names = 'cal-name-book cal-name-lane-' + index + ' cal-name-time-' + row + (off ? ' cal-name-off' : '');
    if (slot.getAttribute('aria-labelledby') !== names) {
      slot.dataset.lane = String(index);
      slot.dataset.row = String(row);
      slot.setAttribute('aria-labelledby', names);
      // Its time in the highlighted row: the hour labels are far away in a wide week.
      slot.textContent = document.getElementById('cal-name-time-' + row)?.textContent || '';
    }
    return slot;
  };
  const unplace = (slot) => {
    if (!placed(slot)) { return; }
    delete slot.dataset.lane;
    delete slot.dataset.row;
    delete slot.dataset.taken;
    slot.removeAttribute('aria-labelledby');
    slot.textContent = '';
  };
  const slotLane = (slot) => {
    const box = slot.closest('[data-roving-grid]');
    return box && placed(slot) ? lanesOf(box)[Number(slot.dataset.lane)] : undefined;
  };
  // The free row under a pointer event, as [box, lane, row], or null (an appointment, a taken row,
  // anything outside the lanes).
  const freeRowAt = (event) => {
    const target = event.target;
    if (target.closest('.cal-appt')) { return null; }
    // Over the button, the lane is the one under the pointer, not the one it was placed on: the
    // lanes may have moved under it since.
    const lane = target.id === SLOT
      ? document.elementsFromPoint(event.clientX, event.clientY).find((el) => el.classList.contains('cal-lane'))
      : target.closest('.cal-lane');
    const box = lane ? lane.closest('[data-roving-grid]') : null;
    if (!lane || !box) { return null; }
    const row = Math.floor((event.clientY - lane.getBoundingClientRect().top) / cellPx(box));
    return isFree(lane, row) ? [box, lane, row] : null;
  };
  const dialogOpen = () => document.querySelector('[role=dialog], [role=alertdialog]') !== null;
  const onPointer = (event) => {
    const slot = document.getElementById(SLOT);
    if (!slot || !(event.target instanceof Element) || slot.matches(':focus-visible')) { return; }
    const at = freeRowAt(event);
    if (at) { place(...at); } else if (placed(slot) && !dialogOpen()) { unplace(slot); }
  };
  // The appointment covering a lane's row, if any.
  const blockAt = (lane, row) => {
    const px = lane.clientHeight / Math.max(1, (lane.dataset.busy || '').length);
    const y = row * px + 1;
    return [...lane.querySelectorAll('.cal-appt')].find((block) => {
      const top = parseFloat(block.style.top) || 0;
      return top <= y && y < top + (parseFloat(block.style.height) || 0);
    });
  };
  // A row taken under the button (a booking here or on another screen, pushed live): the button is
  // hidden where it stands, so focus_return.py still finds the new appointment by its row; focus on
  // it goes to that appointment.
  const onLanesChanged = () => {
    const slot = document.getElementById(SLOT);
    if (!slot || !placed(slot) || slot.dataset.taken !== undefined) { return; }
    const lane = slotLane(slot);
    const row = Number(slot.dataset.row);
    const inUse = document.activeElement === slot || dialogOpen();
    const moved = !lane || slot.style.left !== lane.offsetLeft + 'px' || slot.style.width !== lane.offsetWidth + 'px';
    if (moved && !inUse) { unplace(slot); return; }  // lanes shown or gone: the pointer places it again
    if (lane && isFree(lane, row)) {
      if (moved) { place(lane.closest('[data-roving-grid]'), lane, row); }
      return;
    }
    const block = lane && document.activeElement === slot ? blockAt(lane, row) : undefined;
    slot.dataset.taken = '';
    if (block) { block.focus(); }
  };
  const onLaneClick = (event) => {
    const target = event.target;
    if (!(target instanceof Element) || target.id === SLOT || !target.closest('.cal-lane')) { return; }
    const at = freeRowAt(event);
    const slot = at ? place(...at) : null;
    if (slot) { slot.focus({ preventScroll: true }); slot.click(); }
  };
"""
)
