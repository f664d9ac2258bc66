import type { Announcement } from '../use-announcer';

/**
 * Polite live region for connects and drops. It is always in the page (a region added together with its
 * text is often not read); each announcement gets a fresh node so a repeated sentence is read again.
 */
export function LiveRegion({ announcement }: { announcement: Announcement | null }) {
  return (
    <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
      {announcement && <span key={announcement.key}>{announcement.text}</span>}
    </div>
  );
}
