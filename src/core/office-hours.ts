/**
 * Office hours and public holidays for hand-offs (content/office-hours.yaml), in the city's
 * time zone (Asia/Ho_Chi_Minh: UTC+7 all year, no daylight saving).
 */
import type { OfficeHoursFile } from './guide.ts';

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const MINUTE_MS = 60_000;

interface LocalTime {
  date: string; // YYYY-MM-DD
  day: (typeof DAYS)[number];
  minutes: number; // since local midnight
}

/**
 * Date formatters by time zone and kind, made once: creating an Intl.DateTimeFormat costs far
 * more than using one (tens of µs, several times per hand-off).
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let f = formatters.get(key);
  if (!f) {
    f = make();
    formatters.set(key, f);
  }
  return f;
}

function localTime(nowMs: number, timeZone: string): LocalTime {
  const parts = formatter(`parts ${timeZone}`, () =>
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      weekday: 'short',
    }),
  ).formatToParts(new Date(nowMs));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const day = get('weekday').toLowerCase().slice(0, 3) as LocalTime['day'];
  return { date: `${get('year')}-${get('month')}-${get('day')}`, day, minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

function ranges(file: OfficeHoursFile, day: LocalTime['day']): [number, number][] {
  return (file.hours[day] ?? []).map((r) => {
    const [a, b] = r.split('-') as [string, string];
    const toMin = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));
    return [toMin(a), toMin(b)];
  });
}

/** True when staff are on duty at `nowMs`. */
export function isOfficeOpen(file: OfficeHoursFile, nowMs: number): boolean {
  const t = localTime(nowMs, file.time_zone);
  if (file.holidays.some((h) => h.date === t.date)) return false;
  return ranges(file, t.day).some(([a, b]) => t.minutes >= a && t.minutes < b);
}

/**
 * The next moment staff are on duty after `nowMs` (epoch ms, minute precision), looking at
 * most 21 days ahead; null when no hours are configured.
 */
export function nextOpeningMs(file: OfficeHoursFile, nowMs: number): number | null {
  const start = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS;
  for (let dayOffset = 0; dayOffset < 21; dayOffset++) {
    const probe = localTime(start + dayOffset * 86_400_000, file.time_zone);
    if (file.holidays.some((h) => h.date === probe.date)) continue;
    const midnight = start + dayOffset * 86_400_000 - probe.minutes * MINUTE_MS;
    for (const [a] of ranges(file, probe.day).sort((x, y) => x[0] - y[0])) {
      const at = midnight + a * MINUTE_MS;
      if (at > nowMs) return at;
    }
  }
  return null;
}

/** Formats a moment for citizens with the platform's locale data, e.g. "07:00 Thứ Hai, 30/11". */
export function formatLocalMoment(ms: number, timeZone: string, lang: 'vi' | 'en'): string {
  const t = localTime(ms, timeZone);
  const hh = String(Math.floor(t.minutes / 60)).padStart(2, '0');
  const mm = String(t.minutes % 60).padStart(2, '0');
  const locale = lang === 'vi' ? 'vi-VN' : 'en-GB';
  const weekday = formatter(`weekday ${locale} ${timeZone}`, () => new Intl.DateTimeFormat(locale, { timeZone, weekday: 'long' })).format(new Date(ms));
  const [, month, day] = t.date.split('-');
  return `${hh}:${mm} ${weekday}, ${day}/${month}`;
}

/**
 * How much of `[fromMs, toMs)` falls within office hours (ms): the wait staff are answerable
 * for, so a citizen who wrote at night is not "late" before the office opens. Looks at most
 * 62 days from `fromMs`.
 */
export function officeMsBetween(file: OfficeHoursFile, fromMs: number, toMs: number): number {
  if (!(toMs > fromMs)) return 0;
  const start = Math.floor(fromMs / MINUTE_MS) * MINUTE_MS;
  let total = 0;
  for (let dayOffset = 0; dayOffset < 62; dayOffset++) {
    const probe = localTime(start + dayOffset * 86_400_000, file.time_zone);
    const midnight = start + dayOffset * 86_400_000 - probe.minutes * MINUTE_MS;
    if (midnight >= toMs) break;
    if (file.holidays.some((h) => h.date === probe.date)) continue;
    for (const [a, b] of ranges(file, probe.day)) {
      const lo = Math.max(fromMs, midnight + a * MINUTE_MS);
      const hi = Math.min(toMs, midnight + b * MINUTE_MS);
      if (hi > lo) total += hi - lo;
    }
  }
  return total;
}
