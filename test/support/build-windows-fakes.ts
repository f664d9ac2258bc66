/**
 * CI's Windows job, before `npm run test:native`: builds the fakes' DLLs (every fake rasapi32 variant and the
 * fake iphlpapi) with the runner's own MinGW-w64 gcc, and prints `LINKWATCH_FAKE_RAS_DIR=<folder>` for
 * $GITHUB_ENV: under Windows Node the fakes are found there (fake-ras.ts, fake-iphlpapi.ts), as in the Wine
 * tier, whose DLLs the Linux side cross-builds from the same sources.
 *
 *     npx tsx test/support/build-windows-fakes.ts >> "$GITHUB_ENV"
 */
import { fakeIphlpapiDllPath } from './fake-iphlpapi';
import { BUILD_DIR, FAKE_RAS_DIR_ENV, FAKE_RAS_VARIANTS, fakeRasDllPath } from './fake-ras';

for (const variant of FAKE_RAS_VARIANTS) console.error(`built ${fakeRasDllPath(variant)}`);
console.error(`built ${fakeIphlpapiDllPath()}`);
console.log(`${FAKE_RAS_DIR_ENV}=${BUILD_DIR}`);
