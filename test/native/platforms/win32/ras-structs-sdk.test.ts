/**
 * The Windows SDK's own ras.h checks our declarations: a C file of _Static_assert(sizeof / offsetof) generated
 * from ras-structs.ts is compiled (compile only, nothing runs) with mingw-w64's x86_64 and i686 compilers.
 *
 * mingw-w64 (10.x, Debian 12) declares RASCONNW up to `luid` and RASCONNSTATUSW up to `szPhoneNumber`, without
 * WINVER gates. So: the 0x501 RASCONNW and the 0x401 RASCONNSTATUSW are checked field by field against the
 * SDK structs; the 0x500 RASCONNW must end where the SDK's `dwFlags` starts; the newest versions are checked
 * as the SDK struct followed, under the SDK's pshpack4.h, by the SDK's own GUID / RASTUNNELENDPOINT types.
 * RAS_STATS, RASPPPIPW (both versions) and RASPPPIPV6 are in mingw's ras.h and are checked against it.
 * RAS_PROJECTION_INFO and its PPP and IKEv2 parts (Windows 7's ras.h) are not: they are checked as the
 * Windows SDK declares them, typed with the SDK's own DWORD / BOOL / BYTE / RASIPV4ADDR / RASIPV6ADDR and
 * pointers, under its pshpack4.h.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { rasDialDlgLayout, rasDialParamsLayouts, rasEntryNameLayouts } from '../../../../electron/core/platforms/win32/ras-phonebook-structs';
import {
  rasConnLayouts,
  rasConnStatusLayouts,
  rasIkev2ProjectionLayout,
  rasPppIpLayouts,
  rasPppIpv6Layout,
  rasPppProjectionLayout,
  rasProjectionInfoLayout,
  rasStatsLayout,
  type RasArch,
  type RasLayout,
} from '../../../../electron/core/platforms/win32/ras-structs';
import { skipUnless } from '../../../support/skip';

const COMPILERS: Record<RasArch, string> = { x64: 'x86_64-w64-mingw32-gcc', x86: 'i686-w64-mingw32-gcc' };

function available(compiler: string): boolean {
  return spawnSync(compiler, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** The _Static_asserts for `arch`, built from our declarations. Only checks that hold under `winver`. */
function assertions(arch: RasArch, winver: number): string[] {
  const lines: string[] = [];
  const check = (expr: string, value: number, what: string) =>
    lines.push(`_Static_assert(${expr} == ${value}, "${what}: ours is ${value}");`);
  const [conn600, conn501, conn500] = rasConnLayouts(arch);
  const [status601, status401] = rasConnStatusLayouts(arch);

  check('sizeof(RASCONNW)', conn501!.size, `${conn501!.name} size`);
  for (const [field, offset] of Object.entries(conn501!.offsets)) check(`offsetof(RASCONNW, ${field})`, offset, `${conn501!.name}.${field}`);
  check('offsetof(RASCONNW, dwFlags)', conn500!.size, `${conn500!.name} size`);
  check('sizeof(RASCONNSTATUSW)', status401!.size, `${status401!.name} size`);
  for (const [field, offset] of Object.entries(status401!.offsets)) check(`offsetof(RASCONNSTATUSW, ${field})`, offset, `${status401!.name}.${field}`);

  const struct = (cName: string, layout: RasLayout) => {
    check(`sizeof(${cName})`, layout.size, `${layout.name} size`);
    for (const [field, offset] of Object.entries(layout.offsets)) check(`offsetof(${cName}, ${field})`, offset, `${layout.name}.${field}`);
  };
  struct('RAS_STATS', rasStatsLayout(arch));
  const [pppIp500, pppIp400] = rasPppIpLayouts(arch);
  struct('RASPPPIPW', pppIp500!);
  check('offsetof(RASPPPIPW, dwOptions)', pppIp400!.size, `${pppIp400!.name} size`);
  if (winver >= 0x601) {
    struct('RASPPPIPV6', rasPppIpv6Layout(arch));
    // Windows 7's ras.h, field for field (mingw lacks these three).
    lines.push(
      '#include <pshpack4.h>',
      `typedef struct { DWORD dwIPv4NegotiationError; RASIPV4ADDR ipv4Address; RASIPV4ADDR ipv4ServerAddress; DWORD dwIPv4Options;
        DWORD dwIPv4ServerOptions; DWORD dwIPv6NegotiationError; BYTE bInterfaceIdentifier[8]; BYTE bServerInterfaceIdentifier[8];
        BOOL fBundled; BOOL fMultilink; DWORD dwAuthenticationProtocol; DWORD dwAuthenticationData; DWORD dwServerAuthenticationProtocol;
        DWORD dwServerAuthenticationData; DWORD dwEapTypeId; DWORD dwServerEapTypeId; DWORD dwLcpOptions; DWORD dwLcpServerOptions;
        DWORD dwCcpError; DWORD dwCcpCompressionAlgorithm; DWORD dwCcpServerCompressionAlgorithm; DWORD dwCcpOptions;
        DWORD dwCcpServerOptions; } SDK_RASPPP_PROJECTION_INFO;`,
      `typedef struct { DWORD dwIPv4NegotiationError; RASIPV4ADDR ipv4Address; RASIPV4ADDR ipv4ServerAddress;
        DWORD dwIPv6NegotiationError; RASIPV6ADDR ipv6Address; RASIPV6ADDR ipv6ServerAddress; DWORD dwPrefixLength;
        DWORD dwAuthenticationProtocol; DWORD dwEapTypeId; DWORD dwFlags; DWORD dwEncryptionMethod; DWORD numIPv4ServerAddresses;
        RASIPV4ADDR *ipv4ServerAddresses; DWORD numIPv6ServerAddresses; RASIPV6ADDR *ipv6ServerAddresses; } SDK_RASIKEV2_PROJECTION_INFO;`,
      `typedef enum { SDK_PROJECTION_INFO_TYPE_PPP = 1, SDK_PROJECTION_INFO_TYPE_IKEv2 = 2 } SDK_RASPROJECTION_INFO_TYPE;
       typedef struct { RASAPIVERSION version; SDK_RASPROJECTION_INFO_TYPE type;
        union { SDK_RASPPP_PROJECTION_INFO ppp; SDK_RASIKEV2_PROJECTION_INFO ikev2; } u; } SDK_RAS_PROJECTION_INFO;`,
      '#include <poppack.h>',
    );
    struct('SDK_RASPPP_PROJECTION_INFO', rasPppProjectionLayout(arch));
    struct('SDK_RASIKEV2_PROJECTION_INFO', rasIkev2ProjectionLayout(arch));
    const info = rasProjectionInfoLayout(arch);
    check('sizeof(SDK_RAS_PROJECTION_INFO)', info.size, `${info.name} size`);
    check('offsetof(SDK_RAS_PROJECTION_INFO, type)', info.offsets.type!, `${info.name}.type`);
    check('offsetof(SDK_RAS_PROJECTION_INFO, u)', info.offsets.union!, `${info.name}.union`);
  }

  lines.push('#include <pshpack4.h>', 'struct RASCONNW_0x600 { RASCONNW v501; GUID guidCorrelationId; };');
  if (winver >= 0x601) {
    lines.push('struct RASCONNSTATUSW_0x601 { RASCONNSTATUSW v401; RASTUNNELENDPOINT localEndPoint; RASTUNNELENDPOINT remoteEndPoint; DWORD rasconnsubstate; };');
  }
  lines.push('#include <poppack.h>');
  check('sizeof(struct RASCONNW_0x600)', conn600!.size, `${conn600!.name} size`);
  check('offsetof(struct RASCONNW_0x600, guidCorrelationId)', conn600!.offsets.guidCorrelationId!, `${conn600!.name}.guidCorrelationId`);
  if (winver >= 0x601) {
    check('sizeof(struct RASCONNSTATUSW_0x601)', status601!.size, `${status601!.name} size`);
    for (const field of ['localEndPoint', 'remoteEndPoint', 'rasconnsubstate']) {
      check(`offsetof(struct RASCONNSTATUSW_0x601, ${field})`, status601!.offsets[field]!, `${status601!.name}.${field}`);
    }
  }
  return lines;
}

/**
 * The phone-book and dial structures: mingw-w64 declares RASENTRYNAMEW in full (0x500) and RASDIALPARAMSW up to
 * dwCallbackId, plus dwIfIndex from _WIN32_WINNT 0x601; RASDIALDLG (rasdlg.h) has one layout.
 */
function phonebookAssertions(arch: RasArch, winver: number): string[] {
  const lines: string[] = ['#include <rasdlg.h>'];
  const check = (expr: string, value: number, what: string) => lines.push(`_Static_assert(${expr} == ${value}, "${what}: ours is ${value}");`);
  const [entry500, entry400] = rasEntryNameLayouts(arch);
  check('sizeof(RASENTRYNAMEW)', entry500!.size, `${entry500!.name} size`);
  for (const [field, offset] of Object.entries(entry500!.offsets)) check(`offsetof(RASENTRYNAMEW, ${field})`, offset, `${entry500!.name}.${field}`);
  check('offsetof(RASENTRYNAMEW, dwFlags)', entry400!.size, `${entry400!.name} size`);
  const [params601, params401, params400] = rasDialParamsLayouts(arch);
  const params = winver >= 0x601 ? params601! : params401!;
  check('sizeof(RASDIALPARAMSW)', params.size, `${params.name} size`);
  for (const [field, offset] of Object.entries(params.offsets)) check(`offsetof(RASDIALPARAMSW, ${field})`, offset, `${params.name}.${field}`);
  if (winver >= 0x601) check('offsetof(RASDIALPARAMSW, dwIfIndex)', params401!.size, `${params401!.name} size`);
  check('offsetof(RASDIALPARAMSW, dwSubEntry)', params400!.size, `${params400!.name} size`);
  const dlg = rasDialDlgLayout(arch);
  check('sizeof(RASDIALDLG)', dlg.size, `${dlg.name} size`);
  for (const [field, offset] of Object.entries(dlg.offsets)) check(`offsetof(RASDIALDLG, ${field})`, offset, `${dlg.name}.${field}`);
  return lines;
}

function compile(compiler: string, winver: number, body: string[]): { ok: boolean; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'linkwatch-ras-sdk-'));
  try {
    const file = join(dir, 'check.c');
    writeFileSync(file, ['#include <windows.h>', '#include <ras.h>', '#include <stddef.h>', ...body, ''].join('\n'));
    const hex = `0x${winver.toString(16).padStart(4, '0')}`;
    try {
      execFileSync(compiler, [`-DWINVER=${hex}`, `-D_WIN32_WINNT=${hex}`, '-std=c11', '-c', file, '-o', join(dir, 'check.o')], { stdio: 'pipe' });
      return { ok: true, output: '' };
    } catch (error) {
      return { ok: false, output: String((error as { stderr?: Buffer }).stderr ?? error) };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('ras-structs.ts against the Windows SDK ras.h (mingw-w64, compile-time asserts)', () => {
  for (const arch of ['x64', 'x86'] as const) {
    for (const winver of [0x501, 0x601]) {
      it(`${arch} (${COMPILERS[arch]}), WINVER 0x${winver.toString(16)}: every size and offset matches`, (t) => {
        if (!skipUnless(t, available(COMPILERS[arch]), `${COMPILERS[arch]} not installed (apt-get install gcc-mingw-w64)`)) return;
        const result = compile(COMPILERS[arch], winver, assertions(arch, winver));
        assert.ok(result.ok, result.output);
      });
    }

    for (const winver of [0x501, 0x601]) {
      it(`${arch}, WINVER 0x${winver.toString(16)}: RASENTRYNAMEW, RASDIALPARAMSW and RASDIALDLG match ras.h / rasdlg.h`, (t) => {
        if (!skipUnless(t, available(COMPILERS[arch]), `${COMPILERS[arch]} not installed (apt-get install gcc-mingw-w64)`)) return;
        const result = compile(COMPILERS[arch], winver, phonebookAssertions(arch, winver));
        assert.ok(result.ok, result.output);
      });
    }

    it(`${arch}: the check has teeth (a wrong offset fails to compile)`, (t) => {
      if (!skipUnless(t, available(COMPILERS[arch]), `${COMPILERS[arch]} not installed (apt-get install gcc-mingw-w64)`)) return;
      const result = compile(COMPILERS[arch], 0x601, ['_Static_assert(offsetof(RASCONNW, dwSubEntry) == 1342, "natural alignment");']);
      assert.equal(result.ok, false);
      assert.match(result.output, /natural alignment/);
    });
  }
});
