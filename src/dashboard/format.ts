// Dates, days and durations written for people, in the dashboard's language.

/**
 * "23/11/2026 14:05" (fr) or "11/23/26, 2:05 PM" (en), at the browser's time or, given an IANA
 * `timeZone` this browser knows, at that zone's.
 */
export function dateTime(iso: string, language: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const style = { dateStyle: 'short', timeStyle: 'short' } as const;
  if (timeZone !== undefined) {
    try {
      return date.toLocaleString(language, { ...style, timeZone });
    } catch {
      // An unknown zone: the browser's time rather than nothing.
    }
  }
  return date.toLocaleString(language, style);
}

/** A calendar day `YYYY-MM-DD` as "lun. 23/11" (fr) or "Mon, 11/23" (en). */
export function day(date: string, language: string, withWeekday = true): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (match === null) return date;
  // Noon UTC, written in UTC: the day stays the day whatever the browser's zone.
  const instant = new Date(`${date}T12:00:00Z`);
  return instant.toLocaleDateString(language, {
    timeZone: 'UTC',
    day: '2-digit',
    month: '2-digit',
    ...(withWeekday ? { weekday: 'short' } : {}),
  });
}

/** Every day from `first` to `last` (`YYYY-MM-DD`), or undefined when more than `max` days. */
export function daysBetween(first: string, last: string, max: number): string[] | undefined {
  const start = Date.parse(`${first}T00:00:00Z`);
  const end = Date.parse(`${last}T00:00:00Z`);
  if (!Number.isFinite(start) || !Number.isFinite(end) || end < start) return undefined;
  const count = Math.round((end - start) / 86_400_000) + 1;
  if (count > max) return undefined;
  return Array.from({ length: count }, (_, i) =>
    new Date(start + i * 86_400_000).toISOString().slice(0, 10),
  );
}

/** "42 min 05 s", or "1 h 02 min" from an hour on. */
export function duration(seconds: number, minutesWord: string): string {
  const total = Math.max(0, Math.round(seconds));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const rest = total % 60;
  if (hours > 0) return `${hours} h ${String(minutes).padStart(2, '0')} ${minutesWord}`;
  return `${minutes} ${minutesWord} ${String(rest).padStart(2, '0')} s`;
}

/**
 * A language's name written in `inLanguage` ("espagnol" in French, "Spanish" in English; in
 * itself, "español", when `inLanguage` is the code), or the code when the browser has no name.
 */
export function nameOfLanguage(code: string, inLanguage: string): string {
  try {
    const name = new Intl.DisplayNames([inLanguage], { type: 'language', fallback: 'none' }).of(
      code,
    );
    return name === undefined || name === '' ? code : name;
  } catch {
    // A code that is no language tag at all.
    return code;
  }
}

/** The text with its first letter in capitals, as a choice in a list starts ("Français"). */
export function capitalised(text: string, language: string): string {
  return text.charAt(0).toLocaleUpperCase(language) + text.slice(1);
}

/**
 * "23/11/2026 14:05:09" (fr) or "11/23/26, 2:05:09 PM" (en): to the second, to tell apart things
 * made in the same minute.
 */
export function dateTimeToSecond(iso: string, language: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(language, { dateStyle: 'short', timeStyle: 'medium' });
}
