/**
 * The fake `scutil` (test/fixtures/fake-scutil.ts) as a program: bundled with esbuild into
 * test/fixtures/build/fake-scutil/scutil, an executable whose first line is this Node, so that the macOS
 * backend can run it as it runs /usr/sbin/scutil (LINKWATCH_SCUTIL=<path>), from the test's process or from a
 * core or CLI child. Its system is the JSON file named by FAKE_SCUTIL_STATE (writeFakeScutilState).
 *
 *     const scutil = fakeScutilPath();
 *     writeFakeScutilState(state, { services: [{ id: 'A1…', name: 'Office VPN', display: 'L2TP', type: 'PPP', subtype: 'L2TP', status: 'Connected', interface: 'ppp0' }] });
 *     process.env.FAKE_SCUTIL_STATE = state;   // the program reads it from its environment
 *     const source = createDarwinSource(fakeLibSystem.path, scutil);
 */
import { chmodSync, existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildSync } from 'esbuild';
import type { FakeScutilState } from '../fixtures/fake-scutil';
import { BUILD_DIR, FIXTURES_DIR } from './fake-ras';

export type { FakeScutilState, FakeService } from '../fixtures/fake-scutil';

export function fakeScutilPath(): string {
  const source = join(FIXTURES_DIR, 'fake-scutil.ts');
  const output = join(BUILD_DIR, 'fake-scutil', 'scutil');
  if (existsSync(output) && statSync(output).mtimeMs >= statSync(source).mtimeMs) return output;
  mkdirSync(dirname(output), { recursive: true });
  const temporary = `${output}.${process.pid}.tmp`;
  buildSync({
    stdin: { contents: "import { main } from './fake-scutil';\nmain(process.argv.slice(2));\n", resolveDir: FIXTURES_DIR, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    banner: { js: `#!${process.execPath}` },
    outfile: temporary,
    logLevel: 'error',
  });
  chmodSync(temporary, 0o755);
  renameSync(temporary, output);
  return output;
}

/** Write a FAKE_SCUTIL_STATE file atomically. */
export function writeFakeScutilState(path: string, state: FakeScutilState): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(state));
  renameSync(temporary, path);
}
