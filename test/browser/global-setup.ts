import { buildRenderer } from './build-renderer';

/** Always build: a stale out/renderer would test yesterday's popup. The build takes about a second. */
export default async function globalSetup(): Promise<void> {
  await buildRenderer();
}
