/*
 * What the C baselines of `npm run bench` share besides their timing (baseline-timing.h): opening the fake
 * library and looking up its functions, and ASCII into the fake's 16-bit WCHAR strings.
 */
#ifndef BASELINE_DL_H
#define BASELINE_DL_H

#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* dlopen the fake library, or exit 2 with dlerror() (`who` is the baseline's name). */
static inline void *must_open(const char *who, const char *path) {
  void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    fprintf(stderr, "%s: %s\n", who, dlerror());
    exit(2);
  }
  return lib;
}

/* dlsym, or exit 2 naming the missing symbol (`who` is the baseline's name). */
static inline void *must_sym(const char *who, void *lib, const char *name) {
  void *p = dlsym(lib, name);
  if (!p) {
    fprintf(stderr, "%s: %s\n", who, dlerror());
    exit(2);
  }
  return p;
}

/* ASCII to UTF-16 code units, NUL included. */
static inline void widen_ascii(uint16_t *dst, const char *src) {
  while ((*dst++ = (uint16_t)(unsigned char)*src++)) {
  }
}

#endif
