/**
 * Figures in the user's locale, through `Intl` only: sizes and rates (SI units from kB up, as `Intl`'s sanctioned units
 * `kilobyte`… are: 1 kB = 1000 B), durations (narrow units, "2h 05m"; spelled out for screen readers), clock
 * times and days. The locale is the catalogue's (./index.ts `setLocale`). Formatters are cached per locale.
 */
import { currentLocale } from './index';

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.ListFormat>();

function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.ListFormat>(key: string, make: (locale: string) => T): T {
  const locale = currentLocale();
  const id = `${locale}|${key}`;
  let format = cache.get(id) as T | undefined;
  if (!format) {
    format = make(locale);
    cache.set(id, format);
  }
  return format;
}

const SIZE_UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte', 'petabyte'] as const;

function sizeParts(bytes: number): { value: number; unit: (typeof SIZE_UNITS)[number]; digits: number } {
  // Kilobytes at least ("0.5 kB", "0 kB"): CLDR's English for a bare byte unit is "byte", which reads badly
  // beside "kB" in a column of figures.
  let value = bytes / 1000;
  let index = 1;
  while (value >= 1000 && index < SIZE_UNITS.length - 1) {
    value /= 1000;
    index += 1;
  }
  // One decimal below 10 of a unit ("1.5 MB"), none above ("734 MB").
  return { value, unit: SIZE_UNITS[index] as (typeof SIZE_UNITS)[number], digits: value >= 10 ? 0 : 1 };
}

/** 1536 → "1.5 kB" (en), "1,5 kB" (de). Not a finite non-negative number → "–". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '–';
  const { value, unit, digits } = sizeParts(bytes);
  return cached(`size:${unit}:${digits}`, (locale) => new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: digits })).format(value);
}

/** Bytes per second → "1.5 kB/s". */
export function formatRate(bytesPerSecond: number): string {
  if (!Number.isFinite(bytesPerSecond) || bytesPerSecond < 0) return '–';
  const { value, unit, digits } = sizeParts(bytesPerSecond);
  return cached(`rate:${unit}:${digits}`, (locale) => new Intl.NumberFormat(locale, { style: 'unit', unit: `${unit}-per-second`, unitDisplay: 'short', maximumFractionDigits: digits })).format(value);
}

type DurationUnit = 'day' | 'hour' | 'minute' | 'second';

function unitFormat(unit: DurationUnit, display: 'narrow' | 'long', pad: boolean): Intl.NumberFormat {
  return cached(`duration:${unit}:${display}:${pad}`, (locale) => new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: display, minimumIntegerDigits: pad ? 2 : 1 }));
}

function split(milliseconds: number): Record<DurationUnit, number> {
  const total = Math.max(0, Math.floor(milliseconds / 1000));
  return { day: Math.floor(total / 86_400), hour: Math.floor((total % 86_400) / 3600), minute: Math.floor((total % 3600) / 60), second: total % 60 };
}

/** Milliseconds → "42s", "5m 03s", "2h 05m", "3d 04h": the two largest units, the second padded. */
export function formatDuration(milliseconds: number): string {
  const parts = split(milliseconds);
  const pair = (big: DurationUnit, small: DurationUnit): string => `${unitFormat(big, 'narrow', false).format(parts[big])} ${unitFormat(small, 'narrow', true).format(parts[small])}`;
  if (parts.day > 0) return pair('day', 'hour');
  if (parts.hour > 0) return pair('hour', 'minute');
  if (parts.minute > 0) return pair('minute', 'second');
  return unitFormat('second', 'narrow', false).format(parts.second);
}

/**
 * A duration for a screen reader, to the minute ("1 hour, 2 minutes"), or null under a minute (the caller
 * says "less than a minute" through the catalogue): stable under a screen reader's cursor for a minute.
 */
export function spokenDuration(milliseconds: number): string | null {
  const parts = split(milliseconds);
  const units: DurationUnit[] = parts.day > 0 ? ['day', 'hour'] : ['hour', 'minute'];
  const words = units.filter((unit) => parts[unit] > 0).map((unit) => unitFormat(unit, 'long', false).format(parts[unit]));
  if (words.length === 0) return null;
  return cached('list:unit', (locale) => new Intl.ListFormat(locale, { style: 'long', type: 'unit' })).format(words);
}

/** "09:41" in the locale's clock. */
export function formatClockTime(epoch: number): string {
  return cached('time:hm', (locale) => new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' })).format(epoch);
}

/** "Mon, 30 Nov" in the locale's order. */
export function formatDay(epoch: number): string {
  return cached('date:day', (locale) => new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'short' })).format(epoch);
}

/** A count, grouped as the locale groups digits. */
export function formatNumber(value: number): string {
  return cached('number', (locale) => new Intl.NumberFormat(locale)).format(value);
}
