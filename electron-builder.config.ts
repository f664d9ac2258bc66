/**
 * Installers for Linkwatch (issue 7): NSIS for Windows, dmg for macOS, AppImage and deb for Linux.
 * `npm run dist` builds the current OS's; .github/workflows/release.yml builds each OS on its own runner.
 * Version, description, author and homepage come from package.json. Icons are generated, never committed:
 * `npm run icons` draws the PNG set, `npm run icons:installer` (scripts/make-installer-icons.ts) turns it into
 * build/generated/icon.ico, icon.icns and linux-icons/.
 *
 * electron-builder finds this file only when told: `electron-builder --config electron-builder.config.ts`.
 */
import type { Configuration } from 'electron-builder';

/** The platform names koffi's prebuild packages use (@koromix/koffi-<os>-<arch>). */
type KoffiOs = 'win32' | 'darwin' | 'linux';

/**
 * What goes into app.asar. A platform's `files` replaces the top-level list for the app's own files, so each
 * platform gets the whole list from here; only the koffi prebuild it keeps differs.
 * - From the project: the electron-vite output and package.json. electron-builder adds the production
 *   dependencies itself and leaves devDependencies out; React and the renderer's other libraries are bundled
 *   into out/renderer, so they are devDependencies and never reach the archive.
 * - node_modules patterns: electron-builder's filter for dependencies honours exclusions only, hence every
 *   rule below is a `!`. `${arch}` is expanded by electron-builder per build.
 */
function appFiles(os: KoffiOs): string[] {
  return [
    'out/**',
    'package.json',
    '!**/*.map',
    // Every koffi prebuild package but the target's. A runner's `npm ci` installs only its host's, and the
    // release workflow adds the other architecture's for the cross-arch build: this keeps exactly one.
    `!node_modules/@koromix/koffi-!(${os}-\${arch}){,/**/*}`,
    // Electron's own Linux builds link glibc: koffi's musl prebuild would never load.
    '!node_modules/@koromix/koffi-*/musl_*{,/**/*}',
    // The Windows packages also carry koffi.lib/koffi.exp, import libraries for linking against koffi.
    '!node_modules/@koromix/koffi-*/**/*.{lib,exp}',
    // koffi's build inputs (C/C++ sources, headers, the cnoke build driver, docs): not needed at run time,
    // which only loads index.js → src/koffi/index.js (+ src/static.js, trampolines.cjs) and the prebuild.
    '!node_modules/koffi/{doc,lib,vendor}{,/**/*}',
    '!node_modules/koffi/{cnoke.cjs,CHANGELOG.md,src/koffi/CMakeLists.txt}',
    '!node_modules/koffi/src/koffi/src/**/*.{cc,hh,inc,S,asm,def}',
    // zod's TypeScript sources (only its "@zod/source" export condition points there) and type declarations.
    '!node_modules/zod/src{,/**/*}',
    '!node_modules/**/*.d.{cts,mts}',
  ];
}

const config: Configuration = {
  appId: 'org.linkwatch.app', // = shared/app-id.ts's APP_BUNDLE_ID (asserted in test/unit/app-logic/launch.test.ts); this file is packaged on its own
  productName: 'Linkwatch',
  copyright: 'Copyright © Linkwatch contributors',
  directories: { output: 'dist', buildResources: 'build' },

  // koffi ships Node-API prebuilds, ABI-stable across Node and Electron: nothing to rebuild, and a rebuild would
  // try to compile koffi from source (cmake) for no gain.
  npmRebuild: false,
  asar: true,
  // A .node file cannot be dlopen()ed from inside an archive. Electron redirects the load of an asar path to
  // app.asar.unpacked/ for files unpacked here, so koffi's loader finds it by its usual relative path.
  asarUnpack: ['node_modules/@koromix/koffi-*/**/*.node'],
  publish: null, // the workflow uploads artifacts; publishing a release is a human step (docs/RELEASE.md)

  win: {
    target: [{ target: 'nsis', arch: ['x64', 'arm64'] }],
    icon: 'build/generated/icon.ico',
    files: appFiles('win32'),
  },
  nsis: {
    // Per-user by default, no UAC prompt: installs into %LOCALAPPDATA%\Programs\Linkwatch. The assisted
    // installer (not one-click) because it is the one whose command line takes `/allusers` (app-builder-lib's
    // templates/nsis/assistedInstaller.nsh, initMultiUser): IT installs for every user silently with
    // `/S /allusers` (README "For administrators"). Per-user stays the selected mode, and the login item Electron
    // writes lives under HKCU of the user who runs the app, which a per-user uninstaller (same user) removes in
    // build/installer.nsh. A silent install starts nothing unless given `--force-run`.
    oneClick: false,
    perMachine: false,
    selectPerMachineByDefault: false,
    allowElevation: true,
    allowToChangeInstallationDirectory: false,
    createStartMenuShortcut: true,
    shortcutName: 'Linkwatch',
    createDesktopShortcut: false, // it starts at login or from the Start menu; a desktop icon is clutter
    runAfterFinish: true,
    deleteAppDataOnUninstall: false,
    // One installer per architecture instead of one carrying both (half the download).
    buildUniversalInstaller: false,
    artifactName: '${productName}-Setup-${version}-${arch}.${ext}',
  },

  mac: {
    // Separate x64 and arm64 dmgs, not universal: koffi's two prebuilds live in differently named packages, so
    // the two app.asar files differ and @electron/universal would need both prebuilds in both builds plus
    // singleArchFiles rules; a universal app also carries both Electron frameworks (about twice the download).
    target: [{ target: 'dmg', arch: ['x64', 'arm64'] }],
    category: 'public.app-category.utilities',
    icon: 'build/generated/icon.icns',
    extendInfo: { LSUIElement: true }, // tray-only: no Dock icon, no menu bar of its own
    // Needed for notarization. electron-builder's default entitlements (allow-jit,
    // allow-unsigned-executable-memory, disable-library-validation) cover V8 and the unpacked koffi.node.
    hardenedRuntime: true,
    gatekeeperAssess: false,
    files: appFiles('darwin'),
    artifactName: '${productName}-${version}-mac-${arch}.${ext}',
  },
  dmg: { artifactName: '${productName}-${version}-mac-${arch}.${ext}' },

  linux: {
    target: [
      { target: 'AppImage', arch: ['x64'] },
      { target: 'deb', arch: ['x64'] },
    ],
    executableName: 'linkwatch',
    // XWayland on Wayland sessions (electron/app-logic/launch.ts: a tray popup cannot place itself as a
    // native Wayland client); Chromium reads it from the real command line only, so the desktop entry has it.
    // The same as linuxLaunchArgs('linux') (asserted in test/unit/app-logic/launch.test.ts); a literal, as
    // electron-builder loads this file alone.
    executableArgs: ['--ozone-platform=x11'],
    icon: 'build/generated/linux-icons',
    category: 'Network',
    synopsis: 'Shows which dial-up and VPN connections are active',
    desktop: { entry: { Keywords: 'VPN;dial-up;network;tunnel;WireGuard;OpenVPN;' } },
    files: appFiles('linux'),
    artifactName: '${productName}-${version}-linux-${arch}.${ext}',
  },
  deb: {
    // electron-builder's default list (which `depends` replaces, not extends) plus the AppIndicator library
    // for the tray on GNOME-based desktops, which also need the AppIndicator shell extension (docs/INSTALL.md).
    depends: [
      'libgtk-3-0',
      'libnotify4',
      'libnss3',
      'libxss1',
      'libxtst6',
      'xdg-utils',
      'libatspi2.0-0',
      'libuuid1',
      'libsecret-1-0',
      'libayatana-appindicator3-1',
    ],
  },
};

export default config;
