import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { panelStrip, pickDisplay, placePopup, popupPosition, trayEdge, type DisplayArea, type PlacementBasis, type Point, type Rect, type TrayEdge } from '../../../electron/app-logic/popup-position';

const size = { width: 360, height: 480 };
const noTray: Rect = { x: 0, y: 0, width: 0, height: 0 };

/** A 1920×1080 display at (x, y) with the taskbar (48 px) on one edge. */
function display(edge: 'top' | 'bottom' | 'left' | 'right' | 'none', x = 0, y = 0, bar = 48): DisplayArea {
  const bounds = { x, y, width: 1920, height: 1080 };
  const workArea = { ...bounds };
  if (edge === 'top') Object.assign(workArea, { y: y + bar, height: 1080 - bar });
  if (edge === 'bottom') Object.assign(workArea, { height: 1080 - bar });
  if (edge === 'left') Object.assign(workArea, { x: x + bar, width: 1920 - bar });
  if (edge === 'right') Object.assign(workArea, { width: 1920 - bar });
  return { bounds, workArea };
}

function inside(position: { x: number; y: number }, area: Rect): boolean {
  return position.x >= area.x && position.y >= area.y && position.x + size.width <= area.x + area.width && position.y + size.height <= area.y + area.height;
}

describe('popup position: next to the tray icon, inside the work area', () => {
  it('Windows taskbar at the bottom: above the taskbar, centred on the icon', () => {
    const d = display('bottom');
    const tray = { x: 1700, y: 1040, width: 24, height: 40 };
    const p = popupPosition({ trayBounds: tray, cursor: { x: 1710, y: 1050 }, display: d, size, platform: 'win32' });
    assert.deepEqual(p, { x: 1712 - 180, y: 1032 - 480 - 8 });
    assert.ok(inside(p, d.workArea));
  });

  it('icon near the right corner: pushed left to stay on screen', () => {
    const d = display('bottom');
    const p = popupPosition({ trayBounds: { x: 1880, y: 1040, width: 24, height: 40 }, cursor: { x: 0, y: 0 }, display: d, size, platform: 'win32' });
    assert.equal(p.x, 1920 - 360 - 8);
    assert.ok(inside(p, d.workArea));
  });

  it('taskbar at the top: below it', () => {
    const d = display('top');
    const p = popupPosition({ trayBounds: { x: 1700, y: 4, width: 24, height: 40 }, cursor: { x: 0, y: 0 }, display: d, size, platform: 'win32' });
    assert.deepEqual(p, { x: 1712 - 180, y: 48 + 8 });
  });

  it('taskbar on the left: beside it, centred vertically on the icon, clamped to the bottom', () => {
    const d = display('left');
    const p = popupPosition({ trayBounds: { x: 12, y: 1000, width: 24, height: 24 }, cursor: { x: 0, y: 0 }, display: d, size, platform: 'win32' });
    assert.deepEqual(p, { x: 48 + 8, y: 1080 - 480 - 8 });
  });

  it('taskbar on the right: beside it', () => {
    const d = display('right');
    const p = popupPosition({ trayBounds: { x: 1884, y: 500, width: 24, height: 24 }, cursor: { x: 0, y: 0 }, display: d, size, platform: 'win32' });
    assert.deepEqual(p, { x: 1920 - 48 - 360 - 8, y: 512 - 240 });
  });

  it('macOS menu bar (and a Dock at the bottom): hangs under the menu bar', () => {
    const d: DisplayArea = { bounds: { x: 0, y: 0, width: 1512, height: 982 }, workArea: { x: 0, y: 37, width: 1512, height: 870 } };
    const p = popupPosition({ trayBounds: { x: 1300, y: 0, width: 30, height: 37 }, cursor: { x: 0, y: 0 }, display: d, size, platform: 'darwin' });
    assert.deepEqual(p, { x: 1315 - 180, y: 37 + 4 });
  });

  it('a second display left of and above the primary (negative coordinates)', () => {
    const left = display('bottom', -1920, -200);
    const tray = { x: -300, y: 840, width: 24, height: 40 };
    const p = popupPosition({ trayBounds: tray, cursor: { x: 0, y: 0 }, display: left, size, platform: 'win32' });
    assert.deepEqual(p, { x: -288 - 180, y: -200 + 1032 - 480 - 8 });
    assert.ok(inside(p, left.workArea));
  });

  it('picks the display holding the tray, negative coordinates included, or the nearest', () => {
    const primary = { id: 1, ...display('bottom') };
    const left = { id: 2, ...display('bottom', -1920, -200) };
    assert.equal(pickDisplay([primary, left], { x: -300, y: 860 })?.id, 2);
    assert.equal(pickDisplay([primary, left], { x: 1700, y: 1060 })?.id, 1);
    // Just below the left display (no display contains the point): the nearest wins.
    assert.equal(pickDisplay([primary, left], { x: -500, y: 950 })?.id, 2);
    assert.equal(pickDisplay([], { x: 0, y: 0 }), undefined);
  });

  it('Linux with no tray bounds: anchored at the cursor, edge guessed from it', () => {
    const d = display('top', 0, 0, 32);
    const p = popupPosition({ trayBounds: noTray, cursor: { x: 1800, y: 10 }, display: d, size, platform: 'linux' });
    assert.deepEqual(p, { x: 1920 - 360 - 8, y: 32 + 8 });
  });

  it('auto-hidden taskbar (work area = display): the edge nearest the icon', () => {
    const d = display('none');
    assert.equal(trayEdge(d, { x: 1700, y: 1070 }), 'bottom');
    assert.equal(trayEdge(d, { x: 5, y: 500 }), 'left');
    const p = popupPosition({ trayBounds: { x: 1700, y: 1040, width: 24, height: 40 }, cursor: { x: 0, y: 0 }, display: d, size, platform: 'win32' });
    assert.ok(inside(p, d.workArea));
    assert.equal(p.y, 1080 - 480 - 8);
  });

  it('a window larger than the work area is pinned to its top-left, not pushed off screen', () => {
    const small: DisplayArea = { bounds: { x: 0, y: 0, width: 320, height: 400 }, workArea: { x: 0, y: 0, width: 320, height: 360 } };
    const p = popupPosition({ trayBounds: { x: 300, y: 370, width: 16, height: 24 }, cursor: { x: 0, y: 0 }, display: small, size, platform: 'win32' });
    assert.deepEqual(p, { x: 0, y: 0 });
  });

  it('fractional DIP bounds (125 % scaling) give whole-pixel positions', () => {
    const d = display('bottom');
    const p = popupPosition({ trayBounds: { x: 1700.4, y: 1040.8, width: 19.2, height: 38.4 }, cursor: { x: 0, y: 0 }, display: d, size, platform: 'win32' });
    assert.ok(Number.isInteger(p.x) && Number.isInteger(p.y));
  });
});

/** Two panels at once: GNOME's top bar (32 px) and Ubuntu's dock on the left (64 px). */
function gnomeWithDock(x = 0, y = 0): DisplayArea {
  return { bounds: { x, y, width: 1920, height: 1080 }, workArea: { x: x + 64, y: y + 32, width: 1920 - 64, height: 1080 - 32 } };
}

describe('popup placement from what each platform reliably gives (zero tray bounds, stale cursor)', () => {
  const gap = 8;
  interface Row {
    what: string;
    trayBounds: Rect;
    cursor: Point;
    displays: DisplayArea[];
    primary?: number;
    platform?: string;
    expect: { x: number; y: number; basis: PlacementBasis; edge: TrayEdge };
  }
  const bottom = display('bottom');
  const top = display('top', 0, 0, 32);
  const right = display('right', 0, 0, 40);
  const second = display('bottom', 1920, 0);
  const table: Row[] = [
    {
      what: 'Windows: the click gives the icon; the cursor is ignored even when elsewhere',
      trayBounds: { x: 1700, y: 1040, width: 24, height: 40 },
      cursor: { x: 10, y: 10 },
      displays: [bottom],
      platform: 'win32',
      expect: { x: 1712 - 180, y: 1032 - 480 - gap, basis: 'tray', edge: 'bottom' },
    },
    {
      what: 'Linux, X11 panel at the bottom, the cursor on it (fresh): under the cursor',
      trayBounds: noTray,
      cursor: { x: 1500, y: 1060 },
      displays: [bottom],
      expect: { x: 1500 - 180, y: 1032 - 480 - gap, basis: 'cursor-in-panel', edge: 'bottom' },
    },
    {
      what: 'Linux, XWayland, top bar: a stale cursor mid-screen is not used; the top bar\'s right end is',
      trayBounds: noTray,
      cursor: { x: 700, y: 500 },
      displays: [top],
      expect: { x: 1920 - 360 - gap, y: 32 + gap, basis: 'panel-end', edge: 'top' },
    },
    {
      what: 'Linux, a cursor that lies inside the top bar is taken as the click (even a stale one there): under the bar, at that spot',
      trayBounds: noTray,
      cursor: { x: 0, y: 0 },
      displays: [top],
      expect: { x: gap, y: 32 + gap, basis: 'cursor-in-panel', edge: 'top' },
    },
    {
      what: 'Linux, GNOME top bar and Ubuntu dock, stale cursor: the top bar, not the dock (launchers, no tray)',
      trayBounds: noTray,
      cursor: { x: 900, y: 600 },
      displays: [gnomeWithDock()],
      expect: { x: 1920 - 360 - gap, y: 32 + gap, basis: 'panel-end', edge: 'top' },
    },
    {
      what: 'Linux, cursor on the dock (clicked there): the dock is the panel, beside it',
      trayBounds: noTray,
      cursor: { x: 30, y: 700 },
      displays: [gnomeWithDock()],
      expect: { x: 64 + gap, y: 700 - 240, basis: 'cursor-in-panel', edge: 'left' },
    },
    {
      what: 'Linux, vertical panel on the right, stale cursor: its bottom end',
      trayBounds: noTray,
      cursor: { x: 800, y: 400 },
      displays: [right],
      expect: { x: 1920 - 40 - 360 - gap, y: 1080 - 480 - gap, basis: 'panel-end', edge: 'right' },
    },
    {
      what: 'Linux, two displays, the cursor in the second one\'s panel: on the second display',
      trayBounds: noTray,
      cursor: { x: 1920 + 1800, y: 1050 },
      displays: [bottom, second],
      expect: { x: 1920 + 1920 - 360 - gap, y: 1032 - 480 - gap, basis: 'cursor-in-panel', edge: 'bottom' },
    },
    {
      what: 'Linux, two displays, stale cursor on the second one\'s desktop: the primary\'s panel, not the cursor\'s display',
      trayBounds: noTray,
      cursor: { x: 1920 + 500, y: 500 },
      displays: [bottom, second],
      expect: { x: 1920 - 360 - gap, y: 1032 - 480 - gap, basis: 'panel-end', edge: 'bottom' },
    },
    {
      what: 'Linux, second display primary (panel there), stale cursor on the first',
      trayBounds: noTray,
      cursor: { x: 300, y: 300 },
      displays: [bottom, second],
      primary: 1,
      expect: { x: 1920 + 1920 - 360 - gap, y: 1032 - 480 - gap, basis: 'panel-end', edge: 'bottom' },
    },
    {
      what: 'Linux, auto-hidden panel (nothing reserved), stale cursor: top-right of the primary, where GNOME keeps its status area',
      trayBounds: noTray,
      cursor: { x: 960, y: 540 },
      displays: [display('none')],
      expect: { x: 1920 - 360 - gap, y: gap, basis: 'panel-end', edge: 'top' },
    },
  ];

  for (const row of table) {
    it(row.what, () => {
      const placed = placePopup({
        trayBounds: row.trayBounds,
        cursor: row.cursor,
        displays: row.displays,
        primary: row.displays[row.primary ?? 0] as DisplayArea,
        size,
        platform: row.platform ?? 'linux',
      });
      assert.deepEqual(placed, row.expect);
      const on = row.displays.find((d) => inside(placed, d.workArea));
      assert.ok(on, `${JSON.stringify(placed)} lies inside a work area`);
    });
  }

  it('a panel strip is the display less its work area on that edge; an unreserved edge has none', () => {
    assert.deepEqual(panelStrip(top, 'top'), { x: 0, y: 0, width: 1920, height: 32 });
    assert.equal(panelStrip(top, 'bottom'), null);
    assert.deepEqual(panelStrip(gnomeWithDock(100, 50), 'left'), { x: 100, y: 50, width: 64, height: 1080 });
    assert.deepEqual(panelStrip(bottom, 'bottom'), { x: 0, y: 1032, width: 1920, height: 48 });
  });
});
