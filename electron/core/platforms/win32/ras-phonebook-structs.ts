import { MAX_PATH, RAS_MaxEntryName, RAS_MaxPhoneNumber, HOST_ARCH, rasLayout, type RasArch, type RasField, type RasLayout } from './ras-structs';

/**
 * The phone-book and dial structures, declared once as data like RASCONNW (ras-structs.ts builds each
 * version's koffi struct). Source: the Windows SDK's `ras.h` (and `rasdlg.h` for RASDIALDLG), both under
 * `#pragma pack(4)`; `lmcons.h` for UNLEN/PWLEN/DNLEN.
 */

/** lmcons.h: user name, password and domain lengths (the WCHAR arrays are these + 1). */
export const UNLEN = 256;
export const PWLEN = 256;
export const DNLEN = 15;
/** ras.h: RAS_MaxCallbackNumber = RAS_MaxPhoneNumber. */
export const RAS_MaxCallbackNumber = RAS_MaxPhoneNumber;
/** ras.h RASENTRYNAMEW.dwFlags: the entry is in the all-users phone book (REN_User = 0: the user's). */
export const REN_AllUsers = 1;

/** ras.h `struct tagRASENTRYNAMEW`: one phone-book entry, as RasEnumEntriesW writes it. */
export const RASENTRYNAMEW_FIELDS: readonly RasField[] = [
  { name: 'dwSize', type: 'DWORD', winver: 0x400 },
  { name: 'szEntryName', type: 'WCHAR', count: RAS_MaxEntryName + 1, winver: 0x400 },
  { name: 'dwFlags', type: 'DWORD', winver: 0x500 },
  { name: 'szPhonebookPath', type: 'WCHAR', count: MAX_PATH + 1, winver: 0x500 },
];

/** ras.h `struct tagRASDIALPARAMSW`: what RasGetEntryDialParamsW fills and RasDialW dials with. */
export const RASDIALPARAMSW_FIELDS: readonly RasField[] = [
  { name: 'dwSize', type: 'DWORD', winver: 0x400 },
  { name: 'szEntryName', type: 'WCHAR', count: RAS_MaxEntryName + 1, winver: 0x400 },
  { name: 'szPhoneNumber', type: 'WCHAR', count: RAS_MaxPhoneNumber + 1, winver: 0x400 },
  { name: 'szCallbackNumber', type: 'WCHAR', count: RAS_MaxCallbackNumber + 1, winver: 0x400 },
  { name: 'szUserName', type: 'WCHAR', count: UNLEN + 1, winver: 0x400 },
  { name: 'szPassword', type: 'WCHAR', count: PWLEN + 1, winver: 0x400 },
  { name: 'szDomain', type: 'WCHAR', count: DNLEN + 1, winver: 0x400 },
  { name: 'dwSubEntry', type: 'DWORD', winver: 0x401 },
  { name: 'dwCallbackId', type: 'ULONG_PTR', winver: 0x401 },
  { name: 'dwIfIndex', type: 'DWORD', winver: 0x601 },
];

/** rasdlg.h `struct tagRASDIALDLG`: RasDialDlgW's in/out block (no versions: one size per architecture). */
export const RASDIALDLG_FIELDS: readonly RasField[] = [
  { name: 'dwSize', type: 'DWORD', winver: 0x400 },
  { name: 'hwndOwner', type: 'ULONG_PTR', winver: 0x400 },
  { name: 'dwFlags', type: 'DWORD', winver: 0x400 },
  { name: 'xDlg', type: 'LONG', winver: 0x400 },
  { name: 'yDlg', type: 'LONG', winver: 0x400 },
  { name: 'dwSubEntry', type: 'DWORD', winver: 0x400 },
  { name: 'dwError', type: 'DWORD', winver: 0x400 },
  { name: 'reserved', type: 'ULONG_PTR', winver: 0x400 },
  { name: 'reserved2', type: 'ULONG_PTR', winver: 0x400 },
];

/** Newest first, the order of the 632 ERROR_INVALID_SIZE fallback. RASENTRYNAMEW: 0x500 (1048), 0x400 (520). */
export const RASENTRYNAMEW_VERSIONS: readonly number[] = [0x500, 0x400];
/** RASDIALPARAMSW: 0x601 (dwIfIndex; 2112 on x64), 0x401 (dwSubEntry + dwCallbackId; 2108), 0x400 (2096). */
export const RASDIALPARAMSW_VERSIONS: readonly number[] = [0x601, 0x401, 0x400];

export function rasEntryNameLayouts(arch: RasArch = HOST_ARCH): RasLayout[] {
  return RASENTRYNAMEW_VERSIONS.map((winver) => rasLayout('RASENTRYNAMEW', RASENTRYNAMEW_FIELDS, winver, arch));
}

export function rasDialParamsLayouts(arch: RasArch = HOST_ARCH): RasLayout[] {
  return RASDIALPARAMSW_VERSIONS.map((winver) => rasLayout('RASDIALPARAMSW', RASDIALPARAMSW_FIELDS, winver, arch));
}

export function rasDialDlgLayout(arch: RasArch = HOST_ARCH): RasLayout {
  return rasLayout('RASDIALDLG', RASDIALDLG_FIELDS, 0x400, arch);
}
