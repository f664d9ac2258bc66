/*
 * The C baseline for test/bench/ras-snapshot.ts: dlopens the fake rasapi32 (argv[1]) and takes the same
 * snapshot the RAS backend takes (size probe, RasEnumConnectionsW, RasGetConnectStatusW per connection),
 * reading handle, state and error but decoding no strings: the floor any binding can reach.
 *
 * usage: ras-baseline <library> <count>...   prints one line per count: "<count> <median ns per snapshot>"
 * The connections are added through the fake's control API with the same strings the TS side uses.
 */
#include "../fixtures/fake-rasapi32.h"
#include "baseline-dl.h"
#include "baseline-timing.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef DWORD (*EnumFn)(RASCONNW *, DWORD *, DWORD *);
typedef DWORD (*StatusFn)(HRASCONN, RASCONNSTATUSW *);
typedef void (*ResetFn)(void);
typedef uint64_t (*AddFn)(const WCHAR *, const WCHAR *, const WCHAR *, const WCHAR *, uint32_t, uint32_t);

static EnumFn enum_fn;
static StatusFn status_fn;
static RASCONNW *buf;
static size_t buf_bytes;
static volatile uint64_t sink;

static int snapshot(int unused) {
  (void)unused;
  DWORD cb = 0, count = 0;
  DWORD rc = enum_fn(NULL, &cb, &count);
  if (rc == 0) return 0;
  while (rc == ERROR_BUFFER_TOO_SMALL) {
    if (cb > buf_bytes) {
      free(buf);
      buf_bytes = cb;
      buf = malloc(buf_bytes);
    }
    buf->dwSize = sizeof(RASCONNW);
    cb = (DWORD)buf_bytes;
    rc = enum_fn(buf, &cb, &count);
  }
  if (rc != 0) return -1;
  RASCONNSTATUSW status;
  uint64_t acc = 0;
  for (DWORD i = 0; i < count; i++) {
    status.dwSize = sizeof status;
    if (status_fn(buf[i].hrasconn, &status) == 0) acc += status.rasconnstate + status.dwError + (uintptr_t)buf[i].hrasconn;
  }
  sink += acc;
  return (int)count;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s <library> <count>...\n", argv[0]);
    return 2;
  }
  void *lib = must_open("ras-baseline", argv[1]);
  enum_fn = (EnumFn)must_sym("ras-baseline", lib, "RasEnumConnectionsW");
  status_fn = (StatusFn)must_sym("ras-baseline", lib, "RasGetConnectStatusW");
  ResetFn reset = (ResetFn)must_sym("ras-baseline", lib, "fake_reset");
  AddFn add = (AddFn)must_sym("ras-baseline", lib, "fake_add_connection");
  WCHAR name[64], type[8], device[32], phonebook[80];
  widen_ascii(type, "vpn");
  widen_ascii(device, "WAN Miniport (IKEv2)");
  widen_ascii(phonebook, "C:\\ProgramData\\Microsoft\\Network\\Connections\\Pbk\\rasphone.pbk");
  for (int a = 2; a < argc; a++) {
    int n = atoi(argv[a]);
    reset();
    for (int i = 0; i < n; i++) {
      char ascii[64];
      snprintf(ascii, sizeof ascii, "Office VPN %d", i + 1);
      widen_ascii(name, ascii);
      add(name, type, device, phonebook, RASCS_Connected, 0);
    }
    /* batches of ~2 ms each */
    double ns = median_snapshot_ns(snapshot, 0, n, n >= 64 ? 50 : 2000);
    if (ns < 0) return 3;
    printf("%d %.1f\n", n, ns);
  }
  return 0;
}
