/**
 * Kernel events (PF_SYSTEM / SYSPROTO_EVENT sockets), decoded as pure functions. This is what configd's
 * IPMonitor listens to, and why the macOS backend does too: XNU posts KEV_INET_NEW_ADDR for every IPv4
 * address set through SIOCAIFADDR (bsd/netinet/in.c, in_aifaddr_ioctl: posted when in_ifinit returns 0 or
 * EEXIST), while the routing socket's RTM_NEWADDR comes from in_ifinit's route add, which returns early for a
 * point-to-point interface without a destination address and whose EEXIST is swallowed: such an address
 * reaches no routing socket at all.
 *
 * Layouts (xnu-11417, identical on x86-64 and arm64):
 *   struct kern_event_msg (bsd/sys/kern_event.h): u_int32_t total_size, vendor_code, kev_class, kev_subclass,
 *     id, event_code; event data from KEV_MSG_HEADER_SIZE = 24. One message per read (PR_ATOMIC).
 *   struct net_event_data (bsd/net/if_var.h): u_int32_t if_family, if_unit; char if_name[IFNAMSIZ = 16]:
 *     every KEV_NETWORK_CLASS event of the INET, DL and INET6 subclasses starts with it (dlil_post_msg in
 *     bsd/net/dlil.c fills it: "a net event always starts with a net_event_data structure"); if_name is the
 *     family's name ("utun") and if_unit the unit (4): the interface is utun4. struct kev_in_data
 *     (bsd/netinet/in_var.h) and struct kev_in6_data (bsd/netinet6/in6_var.h) begin with it as link_data.
 *   struct kev_request (kern_event.h): vendor_code, kev_class, kev_subclass (SIOCSKEVFILT's argument).
 * Codes: bsd/net/net_kev.h.
 */

export const DARWIN_PF_SYSTEM = 32;
export const DARWIN_SYSPROTO_EVENT = 1;
/** _IOW('e', 2, struct kev_request): IOC_IN | (12 << 16) | ('e' << 8) | 2 (bsd/sys/ioccom.h). */
export const SIOCSKEVFILT = (0x80000000 | (12 << 16) | (0x65 << 8) | 2) >>> 0;
export const KEV_REQUEST_SIZE = 12;
export const KEV_VENDOR_APPLE = 1;
export const KEV_NETWORK_CLASS = 1;
export const KEV_ANY_SUBCLASS = 0;
/** The socket's receive buffer when nobody sets one (kern_event.h KEV_RECVSPACE). */
export const KEV_RECVSPACE = 32 * 1024;

export const KERN_EVENT_MSG = { headerSize: 24, totalSize: 0, vendor: 4, kevClass: 8, subclass: 12, id: 16, code: 20 } as const;
export const NET_EVENT_DATA = { size: 24, family: 0, unit: 4, name: 8, nameSize: 16 } as const;

/** bsd/net/net_kev.h subclasses of KEV_NETWORK_CLASS whose events start with net_event_data. */
export const KEV_SUBCLASS = { INET: 1, DL: 2, INET6: 6 } as const;
export const KEV_INET = { NEW_ADDR: 1, CHANGED_ADDR: 2, ADDR_DELETED: 3, SIFDSTADDR: 4, SIFBRDADDR: 5, SIFNETMASK: 6 } as const;
export const KEV_DL = {
  SIFFLAGS: 1,
  SIFMTU: 3,
  IF_ATTACHED: 9,
  IF_DETACHING: 10,
  IF_DETACHED: 11,
  LINK_OFF: 12,
  LINK_ON: 13,
} as const;
export const KEV_INET6 = { NEW_USER_ADDR: 1, CHANGED_ADDR: 2, ADDR_DELETED: 3, NEW_LL_ADDR: 4, NEW_RTADV_ADDR: 5 } as const;

/**
 * The events that can change what the list shows, per subclass: addresses, flags, MTU, link state, an
 * interface coming or going. Multicast joins, link quality, NAT64 requests and the like change nothing.
 */
const RELEVANT: ReadonlyMap<number, ReadonlySet<number>> = new Map<number, ReadonlySet<number>>([
  [KEV_SUBCLASS.INET, new Set<number>([KEV_INET.NEW_ADDR, KEV_INET.CHANGED_ADDR, KEV_INET.ADDR_DELETED, KEV_INET.SIFDSTADDR, KEV_INET.SIFNETMASK])],
  [KEV_SUBCLASS.DL, new Set<number>(Object.values(KEV_DL))],
  [KEV_SUBCLASS.INET6, new Set<number>([KEV_INET6.NEW_USER_ADDR, KEV_INET6.CHANGED_ADDR, KEV_INET6.ADDR_DELETED, KEV_INET6.NEW_RTADV_ADDR])],
]);

export interface KernelEvent {
  vendor: number;
  kevClass: number;
  subclass: number;
  code: number;
  /** if_name + if_unit ("utun4") for the INET, DL and INET6 subclasses when the message holds them, else null. */
  interfaceName: string | null;
}

export interface DecodedEvents {
  events: KernelEvent[];
  /** False when bytes were left that form no whole message (a truncated or garbled read). */
  complete: boolean;
}

/** The filter for SIOCSKEVFILT: Apple's network events, every subclass. */
export function kevRequest(): Buffer {
  const buf = Buffer.alloc(KEV_REQUEST_SIZE);
  buf.writeUInt32LE(KEV_VENDOR_APPLE, 0);
  buf.writeUInt32LE(KEV_NETWORK_CLASS, 4);
  buf.writeUInt32LE(KEV_ANY_SUBCLASS, 8);
  return buf;
}

function interfaceNameOf(data: Buffer): string | null {
  if (data.length < NET_EVENT_DATA.size) return null;
  const raw = data.subarray(NET_EVENT_DATA.name, NET_EVENT_DATA.name + NET_EVENT_DATA.nameSize);
  const nul = raw.indexOf(0);
  const base = raw.subarray(0, nul < 0 ? raw.length : nul).toString('latin1');
  if (!/^[a-z][a-z0-9]*$/i.test(base)) return null;
  return `${base}${data.readUInt32LE(NET_EVENT_DATA.unit)}`;
}

/**
 * Split what one read returned into kernel events. A message whose total_size is shorter than the header, or
 * runs past the bytes, ends the decoding (what came before is kept). Never throws.
 */
export function decodeKernelEvents(bytes: Buffer): DecodedEvents {
  const events: KernelEvent[] = [];
  let offset = 0;
  while (offset + KERN_EVENT_MSG.headerSize <= bytes.length) {
    const total = bytes.readUInt32LE(offset + KERN_EVENT_MSG.totalSize);
    if (total < KERN_EVENT_MSG.headerSize || offset + total > bytes.length) break;
    const m = bytes.subarray(offset, offset + total);
    const vendor = m.readUInt32LE(KERN_EVENT_MSG.vendor);
    const kevClass = m.readUInt32LE(KERN_EVENT_MSG.kevClass);
    const subclass = m.readUInt32LE(KERN_EVENT_MSG.subclass);
    const network = vendor === KEV_VENDOR_APPLE && kevClass === KEV_NETWORK_CLASS && RELEVANT.has(subclass);
    events.push({
      vendor,
      kevClass,
      subclass,
      code: m.readUInt32LE(KERN_EVENT_MSG.code),
      interfaceName: network ? interfaceNameOf(m.subarray(KERN_EVENT_MSG.headerSize)) : null,
    });
    // Messages are not padded (kev_post_msg_internal: total_size = header + the data lengths).
    offset += total;
  }
  return { events, complete: offset === bytes.length };
}

/**
 * Whether a read can change the list: an event of a relevant kind about an interface `isWatched` accepts (a
 * candidate: the name decides, so awdl0, llw0 and en0's rotating IPv6 addresses cost nothing), a relevant
 * event whose interface could not be decoded, or bytes that could not be decoded at all.
 */
export function eventsAffectInterfaces(read: DecodedEvents, isWatched: (name: string) => boolean): boolean {
  if (!read.complete) return true;
  return read.events.some((e) => {
    if (e.vendor !== KEV_VENDOR_APPLE || e.kevClass !== KEV_NETWORK_CLASS) return false;
    if (!RELEVANT.get(e.subclass)?.has(e.code)) return false;
    return e.interfaceName === null || isWatched(e.interfaceName);
  });
}
