/**
 * Where the popup opens: next to the tray icon, on the display that shows the tray, inside that display's work
 * area (never under the taskbar, the Dock or the menu bar). A pure function of rectangles in screen DIPs, the
 * coordinates Electron's `Tray.getBounds()` and `screen` use on every platform.
 */

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

export interface DisplayArea {
  /** The whole display. */
  bounds: Rect;
  /** The display less the taskbar, Dock and menu bar. */
  workArea: Rect;
}

/** The screen edge the tray sits on. */
export type TrayEdge = 'top' | 'bottom' | 'left' | 'right';

export interface PopupPlacementInput {
  /** `Tray.getBounds()`: all zeros on Linux, where the StatusNotifier host does not tell. */
  trayBounds: Rect;
  /** `screen.getCursorScreenPoint()` when the tray was clicked: the anchor when the tray bounds are unknown. */
  cursor: Point;
  display: DisplayArea;
  size: { width: number; height: number };
  platform: string;
}

/** Space between the popup and the taskbar or screen edge: macOS menus hang right under the menu bar. */
export function popupGap(platform: string): number {
  return platform === 'darwin' ? 4 : 8;
}

function hasArea(rect: Rect): boolean {
  return rect.width > 0 && rect.height > 0;
}

function contains(rect: Rect, point: Point): boolean {
  return point.x >= rect.x && point.x < rect.x + rect.width && point.y >= rect.y && point.y < rect.y + rect.height;
}

function distanceSquared(rect: Rect, point: Point): number {
  const dx = Math.max(rect.x - point.x, 0, point.x - (rect.x + rect.width - 1));
  const dy = Math.max(rect.y - point.y, 0, point.y - (rect.y + rect.height - 1));
  return dx * dx + dy * dy;
}

/** The point the popup hangs from: the tray icon's centre, or the cursor where the tray has no bounds. */
export function anchorPoint(trayBounds: Rect, cursor: Point): Point {
  if (!hasArea(trayBounds)) return { x: Math.round(cursor.x), y: Math.round(cursor.y) };
  return { x: Math.round(trayBounds.x + trayBounds.width / 2), y: Math.round(trayBounds.y + trayBounds.height / 2) };
}

/** The display showing the anchor: the one containing it, else the nearest (an icon on a display's very edge). */
export function pickDisplay<D extends DisplayArea>(displays: readonly D[], anchor: Point): D | undefined {
  const containing = displays.find((display) => contains(display.bounds, anchor));
  if (containing) return containing;
  let best: D | undefined;
  let bestDistance = Infinity;
  for (const display of displays) {
    const distance = distanceSquared(display.bounds, anchor);
    if (distance < bestDistance) {
      best = display;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * Which edge holds the tray. A taskbar, Dock or menu bar takes its space out of the work area, so the side
 * where the work area is shorter than the display is that edge. With an auto-hiding taskbar (work area ==
 * display) the edge nearest the anchor is taken: the icon sits on the taskbar, wherever that is.
 */
export function trayEdge(display: DisplayArea, anchor: Point): TrayEdge {
  const { bounds, workArea } = display;
  const insets: Record<TrayEdge, number> = {
    top: workArea.y - bounds.y,
    bottom: bounds.y + bounds.height - (workArea.y + workArea.height),
    left: workArea.x - bounds.x,
    right: bounds.x + bounds.width - (workArea.x + workArea.width),
  };
  const reserved = (Object.keys(insets) as TrayEdge[]).filter((edge) => insets[edge] > 0);
  if (reserved.length === 1) return reserved[0] as TrayEdge;
  // None reserved (auto-hide) or several (macOS menu bar + a Dock at the bottom): the nearest of those edges.
  const candidates = reserved.length > 0 ? reserved : (['top', 'bottom', 'left', 'right'] as TrayEdge[]);
  const distance: Record<TrayEdge, number> = {
    top: Math.abs(anchor.y - bounds.y),
    bottom: Math.abs(bounds.y + bounds.height - anchor.y),
    left: Math.abs(anchor.x - bounds.x),
    right: Math.abs(bounds.x + bounds.width - anchor.x),
  };
  return candidates.reduce((nearest, edge) => (distance[edge] < distance[nearest] ? edge : nearest));
}

function clamp(value: number, min: number, max: number): number {
  // A window larger than the area is pinned to its start rather than pushed off the top-left.
  return Math.max(min, Math.min(value, max));
}

/**
 * The popup's top-left corner: against the tray's edge, centred on the icon along it, and clamped so the whole
 * window stays inside the work area (with the gap kept wherever the window fits).
 */
export function popupPosition(input: PopupPlacementInput): Point {
  const { display, size, platform } = input;
  const gap = popupGap(platform);
  const anchor = anchorPoint(input.trayBounds, input.cursor);
  const edge = trayEdge(display, anchor);
  const area = display.workArea;
  const right = area.x + area.width;
  const bottom = area.y + area.height;

  let x: number;
  let y: number;
  switch (edge) {
    case 'top':
      x = anchor.x - size.width / 2;
      y = area.y + gap;
      break;
    case 'bottom':
      x = anchor.x - size.width / 2;
      y = bottom - size.height - gap;
      break;
    case 'left':
      x = area.x + gap;
      y = anchor.y - size.height / 2;
      break;
    case 'right':
      x = right - size.width - gap;
      y = anchor.y - size.height / 2;
      break;
  }

  const fitsX = size.width + 2 * gap <= area.width;
  const fitsY = size.height + 2 * gap <= area.height;
  const marginX = fitsX ? gap : 0;
  const marginY = fitsY ? gap : 0;
  return {
    x: Math.round(clamp(x, area.x + marginX, Math.max(area.x + marginX, right - size.width - marginX))),
    y: Math.round(clamp(y, area.y + marginY, Math.max(area.y + marginY, bottom - size.height - marginY))),
  };
}
