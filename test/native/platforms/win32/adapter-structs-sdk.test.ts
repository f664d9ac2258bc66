/**
 * The Windows SDK's own headers check our iphlpapi declarations: a C file of _Static_assert(sizeof /
 * offsetof) generated from iphlpapi-structs.ts is compiled (compile only) with mingw-w64's x86_64 and i686
 * compilers against <iphlpapi.h> (iptypes.h, netioapi.h, ifdef.h, ws2def.h, ws2ipdef.h), at
 * _WIN32_WINNT 0x0600 / NTDDI_VERSION Vista SP1 (where IP_ADAPTER_ADDRESSES_LH gains FirstDnsSuffix).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ipLayouts, type IpArch, type IpLayout } from '../../../../electron/core/platforms/win32/iphlpapi-structs';
import { skipUnless } from '../../../support/skip';

const COMPILERS: Record<IpArch, string> = { x64: 'x86_64-w64-mingw32-gcc', x86: 'i686-w64-mingw32-gcc' };

/** Our layout name → the SDK's type name. */
const SDK_TYPES: Record<string, string> = {
  adapter: 'IP_ADAPTER_ADDRESSES_LH',
  unicast: 'IP_ADAPTER_UNICAST_ADDRESS_LH',
  socketAddress: 'SOCKET_ADDRESS',
  sockaddrIn: 'struct sockaddr_in',
  sockaddrIn6: 'struct sockaddr_in6',
  ifRow2: 'MIB_IF_ROW2',
};

function available(compiler: string): boolean {
  return spawnSync(compiler, ['--version'], { stdio: 'ignore' }).status === 0;
}

function assertions(arch: IpArch): string[] {
  const lines: string[] = [];
  const layouts = ipLayouts(arch) as unknown as Record<string, IpLayout>;
  for (const [key, layout] of Object.entries(layouts)) {
    const sdk = SDK_TYPES[key]!;
    lines.push(`_Static_assert(sizeof(${sdk}) == ${layout.size}, "${layout.name} size: ours is ${layout.size}");`);
    for (const [field, offset] of Object.entries(layout.offsets)) {
      lines.push(`_Static_assert(offsetof(${sdk}, ${field}) == ${offset}, "${layout.name}.${field}: ours is ${offset}");`);
    }
  }
  return lines;
}

function compile(compiler: string, body: string[]): { ok: boolean; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'linkwatch-iphlpapi-sdk-'));
  try {
    const file = join(dir, 'check.c');
    const header = ['#define _WIN32_WINNT 0x0600', '#define NTDDI_VERSION 0x06000100', '#include <winsock2.h>', '#include <ws2ipdef.h>',
      '#include <iphlpapi.h>', '#include <stddef.h>'];
    writeFileSync(file, [...header, ...body, ''].join('\n'));
    try {
      execFileSync(compiler, ['-std=c11', '-c', file, '-o', join(dir, 'check.o')], { stdio: 'pipe' });
      return { ok: true, output: '' };
    } catch (error) {
      return { ok: false, output: String((error as { stderr?: Buffer }).stderr ?? error) };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('iphlpapi-structs.ts against the Windows SDK headers (mingw-w64, compile-time asserts)', () => {
  for (const arch of ['x64', 'x86'] as const) {
    it(`${arch} (${COMPILERS[arch]}): every size and offset of IP_ADAPTER_ADDRESSES_LH, its address lists, SOCKADDRs and MIB_IF_ROW2 matches`, (t) => {
      if (!skipUnless(t, available(COMPILERS[arch]), `${COMPILERS[arch]} not installed (apt-get install gcc-mingw-w64)`)) return;
      const result = compile(COMPILERS[arch], assertions(arch));
      assert.ok(result.ok, result.output);
    });

    it(`${arch}: the check has teeth (a 4-aligned Luid, as the System V i386 ABI would place it, fails)`, (t) => {
      if (!skipUnless(t, available(COMPILERS[arch]), `${COMPILERS[arch]} not installed (apt-get install gcc-mingw-w64)`)) return;
      const luid = ipLayouts(arch).adapter.offsets.Luid!;
      const result = compile(COMPILERS[arch], [`_Static_assert(offsetof(IP_ADAPTER_ADDRESSES_LH, Luid) == ${luid + 4}, "misaligned luid");`]);
      assert.equal(result.ok, false);
      assert.match(result.output, /misaligned luid/);
    });
  }
});
