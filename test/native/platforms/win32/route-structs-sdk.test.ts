/**
 * The Windows SDK's own headers check the routing structures of issue 25 (route-table.ts): _Static_assert of
 * every size and offset of MIB_IPFORWARD_ROW2, MIB_IPFORWARD_TABLE2, IP_ADDRESS_PREFIX and SOCKADDR_INET,
 * compiled (compile only) with mingw-w64's x86_64 and i686 compilers against <netioapi.h> at Vista.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { IP_ADDRESS_PREFIX, MIB_IPFORWARD_ROW2, MIB_IPFORWARD_TABLE2, SOCKADDR_INET } from '../../../../electron/core/platforms/win32/route-table';
import { skipUnless } from '../../../support/skip';

const COMPILERS = { x64: 'x86_64-w64-mingw32-gcc', x86: 'i686-w64-mingw32-gcc' } as const;

function assertions(): string[] {
  const lines: string[] = [];
  const check = (type: string, layout: Record<string, number>, skip: string[] = []): void => {
    for (const [field, value] of Object.entries(layout)) {
      if (skip.includes(field)) continue;
      if (field === 'size') lines.push(`_Static_assert(sizeof(${type}) == ${value}, "${type} size: ours is ${value}");`);
      else lines.push(`_Static_assert(offsetof(${type}, ${field}) == ${value}, "${type}.${field}: ours is ${value}");`);
    }
  };
  check('MIB_IPFORWARD_ROW2', MIB_IPFORWARD_ROW2);
  check('MIB_IPFORWARD_TABLE2', MIB_IPFORWARD_TABLE2);
  check('IP_ADDRESS_PREFIX', IP_ADDRESS_PREFIX);
  lines.push(`_Static_assert(sizeof(SOCKADDR_INET) == ${SOCKADDR_INET.size}, "SOCKADDR_INET size");`);
  lines.push(`_Static_assert(offsetof(SOCKADDR_INET, si_family) == ${SOCKADDR_INET.family}, "si_family");`);
  lines.push(`_Static_assert(offsetof(SOCKADDR_INET, Ipv4.sin_addr) == ${SOCKADDR_INET.v4Addr}, "sin_addr");`);
  lines.push(`_Static_assert(offsetof(SOCKADDR_INET, Ipv6.sin6_addr) == ${SOCKADDR_INET.v6Addr}, "sin6_addr");`);
  lines.push(`_Static_assert(offsetof(SOCKADDR_INET, Ipv6.sin6_scope_id) == ${SOCKADDR_INET.v6ScopeId}, "sin6_scope_id");`);
  return lines;
}

function compile(compiler: string, body: string[]): { ok: boolean; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'linkwatch-route-sdk-'));
  try {
    const file = join(dir, 'check.c');
    writeFileSync(file, ['#define _WIN32_WINNT 0x0600', '#include <winsock2.h>', '#include <ws2ipdef.h>', '#include <iphlpapi.h>', '#include <netioapi.h>', '#include <stddef.h>', ...body, ''].join('\n'));
    execFileSync(compiler, ['-std=c11', '-c', file, '-o', join(dir, 'check.o')], { stdio: 'pipe' });
    return { ok: true, output: '' };
  } catch (error) {
    return { ok: false, output: String((error as { stderr?: Buffer }).stderr ?? error) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('route-table.ts against the Windows SDK headers (mingw-w64, compile-time asserts)', () => {
  for (const [arch, compiler] of Object.entries(COMPILERS)) {
    it(`${arch} (${compiler}): MIB_IPFORWARD_ROW2, its table, IP_ADDRESS_PREFIX and SOCKADDR_INET match; a wrong offset fails`, (t) => {
      if (!skipUnless(t, spawnSync(compiler, ['--version'], { stdio: 'ignore' }).status === 0, `${compiler} not installed (apt-get install gcc-mingw-w64)`)) return;
      const result = compile(compiler, assertions());
      assert.ok(result.ok, result.output);
      const wrong = compile(compiler, [`_Static_assert(offsetof(MIB_IPFORWARD_ROW2, Metric) == ${MIB_IPFORWARD_ROW2.Metric + 4}, "teeth");`]);
      assert.equal(wrong.ok, false);
      assert.match(wrong.output, /teeth/);
    });
  }
});
