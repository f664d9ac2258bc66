/**
 * The one list every tier builds the fakes from (test/support/fake-libraries.ts): each fake's list holds every
 * C file of that fake and every local header those files include, so that no tier builds half a fake or
 * misses a header change (issue 20: the Electron tier's DLL lacked fake-rasapi32-dial.c and ignored headers).
 * And a build is redone when a header, not only a source, changes.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { compileC } from '../../support/compile-c';
import { FAKE_LIBRARIES, FIXTURES_DIR, fakeLibraryInputs } from '../../support/fake-libraries';

/** The local headers a C file includes, and theirs, transitively. */
function localIncludes(file: string, seen = new Set<string>()): Set<string> {
  for (const match of readFileSync(file, 'utf8').matchAll(/^#include "([^"]+)"/gm)) {
    const header = join(FIXTURES_DIR, match[1]!);
    if (seen.has(header)) continue;
    seen.add(header);
    localIncludes(header, seen);
  }
  return seen;
}

describe('the fakes\' one source list', () => {
  for (const [name, library] of Object.entries(FAKE_LIBRARIES)) {
    it(`fake ${name}: every fake-${name}*.c of the fixtures, and every local header they include`, () => {
      const cFiles = readdirSync(FIXTURES_DIR).filter((file) => file.startsWith(`fake-${name}`) && file.endsWith('.c'));
      assert.deepEqual(library.sources.map((file) => basename(file)).sort(), cFiles.sort());
      const included = new Set(library.sources.flatMap((source) => [...localIncludes(source)]));
      assert.deepEqual([...included].map((file) => basename(file)).sort(), library.headers.map((file) => basename(file)).sort());
    });
  }

  it('a build is redone when a header it was built with changes, not only a source', () => {
    const dir = mkdtempSync(join(tmpdir(), 'linkwatch-compile-'));
    try {
      const source = join(dir, 'x.c');
      const header = join(dir, 'x.h');
      writeFileSync(header, '#define VALUE 1\n');
      writeFileSync(source, '#include "x.h"\nint value(void) { return VALUE; }\n');
      const output = join(dir, 'x.o');
      compileC('cc', output, [source], ['-c'], [source, header]);
      const built = statSync(output).mtimeMs;
      utimesSync(header, new Date(), new Date(built + 5000));
      compileC('cc', output, [source], ['-c'], [source, header]);
      assert.ok(statSync(output).mtimeMs > built, 'rebuilt for the header');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the inputs of a fake are its sources and its headers', () => {
    const ras = FAKE_LIBRARIES.rasapi32;
    assert.deepEqual(fakeLibraryInputs(ras), [...ras.sources, ...ras.headers]);
  });
});
