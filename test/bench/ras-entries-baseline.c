/*
 * The C baseline for test/bench/saved-bench.ts: dlopens the fake rasapi32 (argv[1]) and lists its phone book
 * as the backend does (size probe with a NULL buffer, then RasEnumEntriesW with the first dwSize set),
 * touching each entry's flags but decoding no strings: the floor any binding can reach.
 *
 * usage: ras-entries-baseline <library> <count>...   prints "<count> <median ns per listing>" per count
 */
#include "../fixtures/fake-rasapi32-dial.h"
#include "baseline-dl.h"
#include "baseline-timing.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

typedef DWORD (*EnumEntriesFn)(const WCHAR *, const WCHAR *, RASENTRYNAMEW *, DWORD *, DWORD *);
typedef void (*ResetFn)(void);
typedef int (*AddEntryFn)(const WCHAR *, uint32_t, const WCHAR *, const WCHAR *, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t,
                          const WCHAR *, const WCHAR *);

static EnumEntriesFn enum_fn;
static RASENTRYNAMEW *buf;
static size_t buf_bytes;
static volatile uint64_t sink;

static int listing(int unused) {
  (void)unused;
  DWORD cb = 0, count = 0;
  DWORD rc = enum_fn(NULL, NULL, NULL, &cb, &count);
  if (rc == 0) return 0;
  while (rc == ERROR_BUFFER_TOO_SMALL) {
    if (cb > buf_bytes) {
      free(buf);
      buf_bytes = cb;
      buf = malloc(buf_bytes);
    }
    buf->dwSize = sizeof(RASENTRYNAMEW);
    cb = (DWORD)buf_bytes;
    rc = enum_fn(NULL, NULL, buf, &cb, &count);
  }
  if (rc != 0) return -1;
  uint64_t acc = 0;
  for (DWORD i = 0; i < count; i++) acc += buf[i].dwFlags + buf[i].szEntryName[0];
  sink += acc;
  return (int)count;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s <library> <count>...\n", argv[0]);
    return 2;
  }
  void *lib = must_open("ras-entries-baseline", argv[1]);
  enum_fn = (EnumEntriesFn)must_sym("ras-entries-baseline", lib, "RasEnumEntriesW");
  ResetFn reset = (ResetFn)must_sym("ras-entries-baseline", lib, "fake_reset");
  AddEntryFn add = (AddEntryFn)must_sym("ras-entries-baseline", lib, "fake_add_entry");
  WCHAR name[64], user[8], empty[1] = {0}, type[8], device[32];
  widen_ascii(user, "ana");
  widen_ascii(type, "vpn");
  widen_ascii(device, "WAN Miniport (IKEv2)");
  for (int a = 2; a < argc; a++) {
    int n = atoi(argv[a]);
    reset();
    for (int i = 0; i < n; i++) {
      char ascii[64];
      snprintf(ascii, sizeof ascii, "Office VPN %d", i + 1);
      widen_ascii(name, ascii);
      add(name, (uint32_t)(i & 1), user, empty, 1, 0, 3, 0, 0, type, device);
    }
    double ns = median_snapshot_ns(listing, 0, n, n >= 64 ? 200 : 5000);
    if (ns < 0) return 3;
    printf("%d %.1f\n", n, ns);
  }
  return 0;
}
