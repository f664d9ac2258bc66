import { useRef, type KeyboardEvent } from 'react';

export type PopupView = 'connections' | 'history';

const VIEWS: { view: PopupView; label: string }[] = [
  { view: 'connections', label: 'Connections' },
  { view: 'history', label: 'History' },
];

export function panelId(view: PopupView): string {
  return `panel-${view}`;
}

export function tabId(view: PopupView): string {
  return `tab-${view}`;
}

/** The popup's two views as tabs (WAI-ARIA tabs pattern: one tab stop, ←/→ and Home/End move and select). */
export function ViewTabs({ view, onSelect }: { view: PopupView; onSelect(view: PopupView): void }) {
  const listRef = useRef<HTMLDivElement>(null);
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const index = VIEWS.findIndex((item) => item.view === view);
    let target: number;
    if (event.key === 'ArrowRight') target = (index + 1) % VIEWS.length;
    else if (event.key === 'ArrowLeft') target = (index - 1 + VIEWS.length) % VIEWS.length;
    else if (event.key === 'Home') target = 0;
    else if (event.key === 'End') target = VIEWS.length - 1;
    else return;
    event.preventDefault();
    const next = VIEWS[target] as (typeof VIEWS)[number];
    onSelect(next.view);
    listRef.current?.querySelector<HTMLButtonElement>(`#${tabId(next.view)}`)?.focus();
  };
  return (
    <div ref={listRef} className="tabs" role="tablist" aria-label="View" onKeyDown={onKeyDown}>
      {VIEWS.map((item) => (
        <button
          key={item.view}
          id={tabId(item.view)}
          type="button"
          role="tab"
          className="tab"
          aria-selected={item.view === view}
          aria-controls={panelId(item.view)}
          tabIndex={item.view === view ? 0 : -1}
          onClick={() => onSelect(item.view)}
        >
          {item.label}
        </button>
      ))}
    </div>
  );
}
