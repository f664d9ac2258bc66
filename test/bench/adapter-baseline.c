/*
 * The C baseline for test/bench/adapter-snapshot.ts: dlopens the fake iphlpapi (argv[1]), gives it the state
 * text in argv[2] (the same the TS side sets) and takes the snapshot the adapter backend takes:
 * GetAdaptersAddresses into a kept buffer (the ERROR_BUFFER_OVERFLOW loop), a walk of the list and of each
 * adapter's unicast addresses, and GetIfEntry2 for each adapter of IfType 53; it decodes no strings and
 * formats no address: the floor any binding can reach.
 *
 * usage: adapter-baseline <library> <state file> <expected listed>   prints "<median ns per snapshot>"
 */
#include "../fixtures/fake-iphlpapi.h"
#include "baseline-timing.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef ULONG (*GaaFn)(ULONG, ULONG, void *, IP_ADAPTER_ADDRESSES_LH *, ULONG *);
typedef ULONG (*IfEntryFn)(MIB_IF_ROW2 *);
typedef void (*SetStateFn)(const char *);

static GaaFn gaa;
static IfEntryFn if_entry;
static IP_ADAPTER_ADDRESSES_LH *buf;
static ULONG buf_bytes = 15000;
static volatile uint64_t sink;

static void *must(void *lib, const char *name) {
  void *p = dlsym(lib, name);
  if (!p) {
    fprintf(stderr, "adapter-baseline: %s\n", dlerror());
    exit(2);
  }
  return p;
}

static int snapshot(int unused) {
  (void)unused;
  ULONG size = buf_bytes;
  ULONG rc;
  while ((rc = gaa(AF_UNSPEC, 0x2 | 0x4 | 0x8, NULL, buf, &size)) == ERROR_BUFFER_OVERFLOW) {
    free(buf);
    buf_bytes = size + 4096;
    buf = malloc(buf_bytes);
    size = buf_bytes;
  }
  if (rc == ERROR_NO_DATA) return 0;
  if (rc != 0) return -1;
  int listed = 0;
  uint64_t acc = 0;
  MIB_IF_ROW2 row;
  for (IP_ADAPTER_ADDRESSES_LH *a = buf; a; a = a->Next) {
    for (IP_ADAPTER_UNICAST_ADDRESS_LH *u = a->FirstUnicastAddress; u; u = u->Next) acc += u->OnLinkPrefixLength + (uintptr_t)u->Address.lpSockaddr;
    if (a->IfType != 53) continue;
    memset(&row, 0, sizeof row);
    row.InterfaceLuid.Value = a->Luid.Value;
    if (if_entry(&row) == 0) acc += row.InOctets + row.OutOctets;
    listed++;
  }
  sink += acc;
  return listed;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s <library> <state file> <expected listed>\n", argv[0]);
    return 2;
  }
  void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    fprintf(stderr, "adapter-baseline: %s\n", dlerror());
    return 2;
  }
  gaa = (GaaFn)must(lib, "GetAdaptersAddresses");
  if_entry = (IfEntryFn)must(lib, "GetIfEntry2");
  SetStateFn set_state = (SetStateFn)must(lib, "fake_iphlpapi_set_state");
  FILE *f = fopen(argv[2], "rb");
  if (!f) return 2;
  static char text[1 << 20];
  text[fread(text, 1, sizeof text - 1, f)] = 0;
  fclose(f);
  set_state(text);
  buf = malloc(buf_bytes);
  int expected = atoi(argv[3]);
  double ns = median_snapshot_ns(snapshot, 0, expected, expected >= 64 ? 200 : 2000);
  if (ns < 0) return 3;
  printf("%.1f\n", ns);
  return 0;
}
