/**
 * Popup placement over arbitrary display layouts, panels, tray bounds and cursor positions (property): the
 * screen geometry comes from the OS, and on Linux the cursor may be stale anywhere. Whatever it is given,
 * placePopup answers whole-pixel coordinates inside a work area, against the edge it names, and says which
 * basis it used: the tray's bounds when they have an area; else the cursor only when it lies in a panel strip;
 * else the primary display's panel.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { panelStrip, placePopup, popupGap, type DisplayArea, type Point, type Rect, type TrayEdge } from '../../../electron/app-logic/popup-position';
import { check } from '../../support/property';

const size = { width: 360, height: 480 };
const EDGES: readonly TrayEdge[] = ['top', 'bottom', 'left', 'right'];

/** A display of at least 1024×768 with a panel of 0–120 px on any subset of its edges: its work area always fits the popup. */
const displayShape = fc.record({
  width: fc.integer({ min: 1024, max: 3840 }),
  height: fc.integer({ min: 768, max: 2160 }),
  insets: fc.record({ top: fc.integer({ min: 0, max: 120 }), bottom: fc.integer({ min: 0, max: 120 }), left: fc.integer({ min: 0, max: 120 }), right: fc.integer({ min: 0, max: 120 }) }),
  y: fc.integer({ min: -1200, max: 1200 }),
});

/** One to three displays side by side (left to right, no overlap), the first starting at a random x. */
const layout = fc.record({ x: fc.integer({ min: -4000, max: 0 }), shapes: fc.array(displayShape, { minLength: 1, maxLength: 3 }), primary: fc.nat() }).map(({ x, shapes, primary }) => {
  let left = x;
  const displays: DisplayArea[] = shapes.map((shape) => {
    const bounds = { x: left, y: shape.y, width: shape.width, height: shape.height };
    left += shape.width;
    const { top, bottom, left: l, right } = shape.insets;
    return { bounds, workArea: { x: bounds.x + l, y: bounds.y + top, width: bounds.width - l - right, height: bounds.height - top - bottom } };
  });
  return { displays, primary: displays[primary % displays.length] as DisplayArea };
});

const point = fc.record({ x: fc.double({ min: -6000, max: 12000, noNaN: true }), y: fc.double({ min: -3000, max: 4000, noNaN: true }) });
const trayBounds: fc.Arbitrary<Rect> = fc.oneof(
  fc.constant({ x: 0, y: 0, width: 0, height: 0 }),
  fc.record({ x: fc.double({ min: -6000, max: 12000, noNaN: true }), y: fc.double({ min: -3000, max: 4000, noNaN: true }), width: fc.double({ min: 1, max: 48, noNaN: true }), height: fc.double({ min: 1, max: 48, noNaN: true }) }),
);

function contains(rect: Rect, p: Point): boolean {
  return p.x >= rect.x && p.x < rect.x + rect.width && p.y >= rect.y && p.y < rect.y + rect.height;
}
function popupInside(p: Point, area: Rect): boolean {
  return p.x >= area.x && p.y >= area.y && p.x + size.width <= area.x + area.width && p.y + size.height <= area.y + area.height;
}
function inStrip(displays: readonly DisplayArea[], cursor: Point): DisplayArea | undefined {
  return displays.find((d) => EDGES.some((edge) => {
    const strip = panelStrip(d, edge);
    return strip !== null && contains(strip, cursor);
  }));
}

describe('popup placement (property)', () => {
  it('whole pixels, inside a work area, against the edge it names; the basis follows from what was reliable', () => {
    const seen = new Map<string, number>();
    check(
      fc.property(layout, trayBounds, point, fc.constantFrom('linux', 'win32', 'darwin'), ({ displays, primary }, tray, cursor, platform) => {
        const placed = placePopup({ trayBounds: tray, cursor, displays, primary, size, platform });
        seen.set(placed.basis, (seen.get(placed.basis) ?? 0) + 1);
        assert.ok(Number.isInteger(placed.x) && Number.isInteger(placed.y), JSON.stringify(placed));
        const on = displays.find((d) => popupInside(placed, d.workArea));
        assert.ok(on, `${JSON.stringify(placed)} inside no work area`);

        const hasArea = tray.width > 0 && tray.height > 0;
        const panelDisplay = inStrip(displays, cursor);
        if (hasArea) assert.equal(placed.basis, 'tray');
        else if (panelDisplay) {
          assert.equal(placed.basis, 'cursor-in-panel');
          assert.equal(on, panelDisplay, 'on the display whose panel holds the cursor');
        } else {
          assert.equal(placed.basis, 'panel-end');
          assert.equal(on, primary, 'a stale cursor is not followed: the primary display');
        }

        if (placed.basis !== 'tray') {
          // Against its edge, one gap from the work area's side there.
          const gap = popupGap(platform);
          const area = on.workArea;
          const against: Record<TrayEdge, boolean> = {
            top: placed.y === area.y + gap,
            bottom: placed.y + size.height === area.y + area.height - gap,
            left: placed.x === area.x + gap,
            right: placed.x + size.width === area.x + area.width - gap,
          };
          assert.ok(against[placed.edge], `${JSON.stringify(placed)} not against its ${placed.edge} edge of ${JSON.stringify(area)}`);
          // A named edge has a panel, unless the display reserves none at all (auto-hide: top by default).
          const reserved = EDGES.filter((edge) => panelStrip(on, edge) !== null);
          if (reserved.length > 0) assert.ok(reserved.includes(placed.edge), `${placed.edge} is not among ${reserved.join(',')}`);
          else assert.equal(placed.edge, 'top');
        }
      }),
      400,
    );
    // The generators reach every branch, or the property proves less than it says.
    assert.deepEqual([...seen.keys()].sort(), ['cursor-in-panel', 'panel-end', 'tray'], JSON.stringify([...seen]));
  });
});
