import type { Connection, ConnectionEvent } from './connection';

/** Applies events to a list (what a subscriber does): stable order, new connections at the end. */
export function applyEvents(list: readonly Connection[], events: readonly ConnectionEvent[]): Connection[] {
  let result = [...list];
  for (const event of events) {
    if (event.type === 'removed') result = result.filter((connection) => connection.id !== event.connection.id);
    else if (event.type === 'changed') result = result.map((connection) => (connection.id === event.connection.id ? event.connection : connection));
    else if (!result.some((connection) => connection.id === event.connection.id)) result.push(event.connection);
  }
  return result;
}
