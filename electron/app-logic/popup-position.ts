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
  /**
   * The anchor when the tray bounds are unknown, taken as given here: placePopup decides whether the cursor
   * can be trusted (Linux) before it comes to this.
   */
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
  const anchor = anchorPoint(input.trayBounds, input.cursor);
  return positionAgainst(input.display, trayEdge(input.display, anchor), anchor, input.size, input.platform);
}

/** The popup's top-left corner against `edge` of `display`, centred on `anchor` along that edge, clamped. */
function positionAgainst(display: DisplayArea, edge: TrayEdge, anchor: Point, size: { width: number; height: number }, platform: string): Point {
  const gap = popupGap(platform);
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

/** The strip a panel (taskbar, top bar, Dock) takes out of a display: the display less its work area, on one edge. */
export function panelStrip(display: DisplayArea, edge: TrayEdge): Rect | null {
  const { bounds, workArea } = display;
  const strips: Record<TrayEdge, Rect> = {
    top: { x: bounds.x, y: bounds.y, width: bounds.width, height: workArea.y - bounds.y },
    bottom: { x: bounds.x, y: workArea.y + workArea.height, width: bounds.width, height: bounds.y + bounds.height - (workArea.y + workArea.height) },
    left: { x: bounds.x, y: bounds.y, width: workArea.x - bounds.x, height: bounds.height },
    right: { x: workArea.x + workArea.width, y: bounds.y, width: bounds.x + bounds.width - (workArea.x + workArea.width), height: bounds.height },
  };
  const strip = strips[edge];
  return hasArea(strip) ? strip : null;
}

const EDGES: readonly TrayEdge[] = ['top', 'bottom', 'right', 'left'];

export interface PlacementRequest {
  /** The tray icon's bounds from the click or `Tray.getBounds()`: all zeros on Linux (tray_icon_linux.cc). */
  trayBounds: Rect;
  /** `screen.getCursorScreenPoint()`: stale under X11/XWayland while the pointer is over the panel (electron 42519). */
  cursor: Point;
  /** `screen.getAllDisplays()`. */
  displays: readonly DisplayArea[];
  /** `screen.getPrimaryDisplay()`. */
  primary: DisplayArea;
  size: { width: number; height: number };
  platform: string;
}

/**
 * What the popup was placed from, most reliable first: the tray's own bounds; the cursor, where it lies inside a
 * panel's strip (it was clicked there: not stale); else the primary display's panel, at the end where panels
 * keep their status icons.
 */
export type PlacementBasis = 'tray' | 'cursor-in-panel' | 'panel-end';

export interface Placement extends Point {
  basis: PlacementBasis;
  edge: TrayEdge;
}

/**
 * Where the popup opens, from what is reliable on each platform. Windows and macOS give the tray's bounds.
 * Linux gives none (the StatusNotifierItem host does not say where it draws the icon), and the cursor is a
 * trustworthy anchor only inside a panel strip: under X11/XWayland it keeps the last position the pointer had
 * over an X window while it is over the compositor's panel, so a stale point lies anywhere on the desktop.
 * Then the panel itself is the anchor: the edge where the work area is shorter than the display (top bar
 * preferred where several edges are reserved: GNOME's top bar beside Ubuntu's dock, whose icons are launchers),
 * at its end, where GNOME, KDE Plasma, Cinnamon, Xfce and MATE put the tray (status area right, or bottom).
 */
export function placePopup(request: PlacementRequest): Placement {
  const { trayBounds, cursor, displays, primary, size, platform } = request;
  if (hasArea(trayBounds)) {
    const anchor = anchorPoint(trayBounds, cursor);
    const display = pickDisplay(displays, anchor) ?? primary;
    return { ...popupPosition({ trayBounds, cursor, display, size, platform }), basis: 'tray', edge: trayEdge(display, anchor) };
  }
  for (const display of displays) {
    for (const edge of EDGES) {
      const strip = panelStrip(display, edge);
      if (strip && contains(strip, cursor)) {
        return { ...positionAgainst(display, edge, { x: Math.round(cursor.x), y: Math.round(cursor.y) }, size, platform), basis: 'cursor-in-panel', edge };
      }
    }
  }
  const edge = EDGES.find((candidate) => panelStrip(primary, candidate) !== null) ?? 'top';
  const { workArea } = primary;
  const end: Point =
    edge === 'top' || edge === 'bottom'
      ? { x: workArea.x + workArea.width, y: edge === 'top' ? workArea.y : workArea.y + workArea.height }
      : { x: edge === 'left' ? workArea.x : workArea.x + workArea.width, y: workArea.y + workArea.height };
  return { ...positionAgainst(primary, edge, end, size, platform), basis: 'panel-end', edge };
}
