import { connectionCount } from '../format';

export function Header({ count }: { count: number | null }) {
  return (
    <header className="header">
      <h1 className="title">Linkwatch</h1>
      {count !== null && <span className="count">{connectionCount(count)}</span>}
    </header>
  );
}
