/**
 * The app's identity on every platform: electron-builder's appId, the Windows AppUserModelId, the macOS bundle
 * identifier (and so the name of its managed-preferences file). One definition, read by the build config, the
 * main process and the core.
 */
export const APP_BUNDLE_ID = 'org.linkwatch.app';
