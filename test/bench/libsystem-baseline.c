/*
 * The C baseline for test/bench/darwin-snapshot.ts: dlopens the fake libSystem (argv[1]) and makes the calls
 * the macOS backend makes for one snapshot: getifaddrs, a walk of the list that reads each entry's name,
 * flags, address family and bytes, netmask and if_data, then freeifaddrs; with "counters", also the
 * ifmibdata sysctl for each interface. It builds no strings and no objects: the floor any binding can reach.
 *
 * usage: libsystem-baseline <library> <counters 0|1> <count>...   prints "<count> <median ns per snapshot>"
 * The interfaces are added through the fake's control API as the TS side adds them: utun<i> with an IPv4
 * /24 and a link-local IPv6 address.
 */
#include "../fixtures/fake-libsystem.h"
#include "baseline-dl.h"
#include "baseline-timing.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef int (*GetifaddrsFn)(DarwinIfaddrs **);
typedef void (*FreeifaddrsFn)(DarwinIfaddrs *);
typedef int (*SysctlFn)(int *, unsigned int, void *, size_t *, void *, size_t);
typedef void (*ResetFn)(void);
typedef int (*AddIfFn)(const char *, uint32_t, uint32_t, uint32_t, uint32_t);
typedef int (*AddAddrFn)(const char *, uint32_t, const uint8_t *, uint32_t, const uint8_t *, uint32_t);

static GetifaddrsFn getifaddrs_fn;
static FreeifaddrsFn freeifaddrs_fn;
static SysctlFn sysctl_fn;
static volatile uint64_t sink;

static int snapshot(int counters) {
  DarwinIfaddrs *list;
  if (getifaddrs_fn(&list) != 0) return -1;
  uint64_t acc = 0;
  int interfaces = 0;
  for (DarwinIfaddrs *e = list; e; e = e->ifa_next) {
    acc += (uint64_t)strlen(e->ifa_name) + e->ifa_flags;
    if (e->ifa_addr) acc += e->ifa_addr->sa_family + (uint8_t)e->ifa_addr->sa_data[2];
    if (e->ifa_netmask) acc += (uint8_t)e->ifa_netmask->sa_data[2];
    if (e->ifa_data) {
      const DarwinIfData *d = e->ifa_data;
      acc += d->ifi_mtu + d->ifi_ibytes + d->ifi_obytes;
      if (counters) {
        const DarwinSockaddrDl *dl = (const DarwinSockaddrDl *)e->ifa_addr;
        int mib[6] = {DARWIN_CTL_NET, DARWIN_PF_LINK, DARWIN_NETLINK_GENERIC, DARWIN_IFMIB_IFDATA, dl->sdl_index, DARWIN_IFDATA_GENERAL};
        DarwinIfMibData m;
        size_t len = sizeof m;
        if (sysctl_fn(mib, 6, &m, &len, NULL, 0) == 0) acc += m.ifmd_data.ifi_ibytes + m.ifmd_data.ifi_obytes;
      }
      interfaces++;
    }
  }
  freeifaddrs_fn(list);
  sink += acc;
  return interfaces;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: %s <library> <counters 0|1> <count>...\n", argv[0]);
    return 2;
  }
  void *lib = must_open("libsystem-baseline", argv[1]);
  getifaddrs_fn = (GetifaddrsFn)must_sym("libsystem-baseline", lib, "getifaddrs");
  freeifaddrs_fn = (FreeifaddrsFn)must_sym("libsystem-baseline", lib, "freeifaddrs");
  sysctl_fn = (SysctlFn)must_sym("libsystem-baseline", lib, "sysctl");
  ResetFn reset = (ResetFn)must_sym("libsystem-baseline", lib, "fake_reset");
  AddIfFn add_if = (AddIfFn)must_sym("libsystem-baseline", lib, "fake_add_interface");
  AddAddrFn add_addr = (AddAddrFn)must_sym("libsystem-baseline", lib, "fake_add_address");
  int counters = atoi(argv[2]);
  for (int a = 3; a < argc; a++) {
    int n = atoi(argv[a]);
    reset();
    for (int i = 0; i < n; i++) {
      char name[16];
      snprintf(name, sizeof name, "utun%d", i);
      add_if(name, (uint32_t)(100 + i), DARWIN_IFF_UP | DARWIN_IFF_POINTOPOINT | DARWIN_IFF_RUNNING | DARWIN_IFF_MULTICAST, DARWIN_IFT_OTHER, 1380);
      uint8_t v4[4] = {10, (uint8_t)(i >> 8), (uint8_t)i, 2};
      uint8_t ll[16] = {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (uint8_t)(i >> 8), (uint8_t)i};
      add_addr(name, DARWIN_AF_INET, v4, 24, NULL, 0);
      add_addr(name, DARWIN_AF_INET6, ll, 64, NULL, 0);
    }
    double ns = median_snapshot_ns(snapshot, counters, n, n >= 64 ? 200 : 2000);
    if (ns < 0) return 3;
    printf("%d %.1f\n", n, ns);
  }
  return 0;
}
