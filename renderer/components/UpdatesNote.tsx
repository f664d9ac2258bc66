import type { UpdateMode } from '../../shared/connection';

const TEXT: Record<UpdateMode, { label: string; title: string }> = {
  push: { label: 'Live updates', title: 'The system tells Linkwatch about every change.' },
  poll: {
    label: 'Checked every ¼ s',
    title: 'This system sends no change notifications: Linkwatch reads the list every quarter second while this is open, every second otherwise.',
  },
};

/** A quiet line saying how the list is kept current (Snapshot.updates). */
export function UpdatesNote({ updates }: { updates: UpdateMode | null }) {
  if (updates === null) return null;
  const { label, title } = TEXT[updates];
  return (
    <footer className="updates-note" title={title}>
      {label}
    </footer>
  );
}
