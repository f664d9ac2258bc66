/**
 * The 64-bit byte counters of one interface: sysctl net.link.generic.ifdata.<index>.general, i.e.
 * { CTL_NET, PF_LINK, NETLINK_GENERIC, IFMIB_IFDATA, index, IFDATA_GENERAL } answering a struct ifmibdata
 * (xnu bsd/net/if_mib.h; served by sysctl_ifdata / make_ifmibdata in bsd/net/if_mib.c). Unlike the if_data
 * that getifaddrs hands out, its if_data64 counters are neither 32-bit nor rounded to 1 KiB (rtsock.c rounds
 * only what sysctl_iflist / sysctl_iflist2 return). An index that names no interface answers ENOENT; an
 * interface being detached answers a zeroed struct (ifnet_is_attached), so an empty name means "gone" too.
 */

/** bsd/sys/socket.h CTL_NET, PF_LINK; bsd/net/if_mib.h NETLINK_GENERIC, IFMIB_IFDATA, IFDATA_GENERAL. */
export const CTL_NET = 4;
export const PF_LINK = 18;
export const NETLINK_GENERIC = 0;
export const IFMIB_IFDATA = 2;
export const IFDATA_GENERAL = 1;

/**
 * struct ifmibdata: char ifmd_name[IFNAMSIZ = 16]; five unsigned int (pcount, flags at 20, snd_len, snd_maxlen,
 * snd_drops); unsigned int ifmd_filler[4]; struct if_data64 ifmd_data at 52. struct if_data64 (bsd/net/if_var.h,
 * `#pragma pack(4)`, so its u_int64_t fields sit on 4-byte boundaries): eight u_char, ifi_mtu at 8, ifi_metric 12,
 * u_int64_t ifi_baudrate 16 and the eleven 64-bit statistics from 24 (ifi_ibytes at 64, ifi_obytes at 72),
 * ifi_recvtiming/ifi_xmittiming, timeval32 ifi_lastchange at 120: 128 bytes. Whole struct: 180 bytes.
 */
export const IFMIBDATA = { size: 180, name: 0, nameSize: 16, flags: 20, data: 52 } as const;
export const IF_DATA64 = { size: 128, mtu: 8, ibytes: 64, obytes: 72, lastchange: 120 } as const;

/** The mib for sysctl(3), as 32-bit ints. */
export function ifMibName(index: number): Int32Array {
  return Int32Array.of(CTL_NET, PF_LINK, NETLINK_GENERIC, IFMIB_IFDATA, index, IFDATA_GENERAL);
}

export interface IfMibData {
  name: string;
  flags: number;
  mtu: number;
  /** Exact up to 2^53 bytes (8 PiB), the range of a JS number. */
  bytesIn: number;
  bytesOut: number;
}

/** A struct ifmibdata → what we use; null when too short or zeroed (the interface is being detached). Pure. */
export function decodeIfMibData(bytes: Buffer): IfMibData | null {
  if (bytes.length < IFMIBDATA.size) return null;
  const nameBytes = bytes.subarray(IFMIBDATA.name, IFMIBDATA.name + IFMIBDATA.nameSize);
  const nul = nameBytes.indexOf(0);
  const name = nameBytes.subarray(0, nul < 0 ? nameBytes.length : nul).toString('utf8');
  if (name === '') return null;
  const d = IFMIBDATA.data;
  return {
    name,
    flags: bytes.readUInt32LE(IFMIBDATA.flags),
    mtu: bytes.readUInt32LE(d + IF_DATA64.mtu),
    bytesIn: Number(bytes.readBigUInt64LE(d + IF_DATA64.ibytes)),
    bytesOut: Number(bytes.readBigUInt64LE(d + IF_DATA64.obytes)),
  };
}
