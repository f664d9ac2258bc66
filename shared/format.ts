/** Human-readable figures and names, the same in the popup, the tray, notifications and the CLI table. */

// Sizes, rates and durations are formatted by `Intl` in the user's locale (shared/i18n/intl-format.ts).
export { formatBytes, formatDuration, formatRate } from './i18n/intl-format';
export { displayName } from './display-name';
