import { useRef, type KeyboardEvent } from 'react';
import { translate } from '../../shared/i18n';

export type PopupView = 'connections' | 'history';

const VIEWS: PopupView[] = ['connections', 'history'];

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
    const index = VIEWS.indexOf(view);
    let target: number;
    if (event.key === 'ArrowRight') target = (index + 1) % VIEWS.length;
    else if (event.key === 'ArrowLeft') target = (index - 1 + VIEWS.length) % VIEWS.length;
    else if (event.key === 'Home') target = 0;
    else if (event.key === 'End') target = VIEWS.length - 1;
    else return;
    event.preventDefault();
    const next = VIEWS[target] as PopupView;
    onSelect(next);
    listRef.current?.querySelector<HTMLButtonElement>(`#${tabId(next)}`)?.focus();
  };
  return (
    <div ref={listRef} className="tabs" role="tablist" aria-label={translate('popup', 'tabs.label')} onKeyDown={onKeyDown}>
      {VIEWS.map((item) => (
        <button
          key={item}
          id={tabId(item)}
          type="button"
          role="tab"
          className="tab"
          aria-selected={item === view}
          aria-controls={panelId(item)}
          tabIndex={item === view ? 0 : -1}
          onClick={() => onSelect(item)}
        >
          {translate('popup', item === 'connections' ? 'tabs.connections' : 'tabs.history')}
        </button>
      ))}
    </div>
  );
}
