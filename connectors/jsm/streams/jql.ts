const HOUR_MS = 3_600_000;

/** The wall-clock fields of an instant in a time zone (throws RangeError for an unknown zone). */
function wall(ms: number, zone: string): { text: string; utc: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  ) as Record<string, string>;
  const { year, month, day, hour, minute, second } = parts as Record<string, string>;
  return {
    text: `${year}-${month}-${day} ${hour}:${minute}`,
    utc: Date.UTC(+year!, +month! - 1, +day!, +hour!, +minute!, +second!),
  };
}

/** The zone's offset from UTC at an instant, in ms. */
const offset = (ms: number, zone: string) =>
  wall(Math.floor(ms / 1000) * 1000, zone).utc - Math.floor(ms / 1000) * 1000;

/** A zone name JQL can be written in: the account's, or UTC when Intl does not know it. */
export function usableZone(zone: string | undefined): string {
  if (!zone) return 'UTC';
  try {
    wall(0, zone);
    return zone;
  } catch {
    return 'UTC';
  }
}

/**
 * An instant as a JQL date literal (`"2026-01-05 09:12"`). JQL reads date literals in the time
 * zone of the account that searches, to the minute, so the literal is written in that zone. Near a
 * change of the zone's offset (daylight saving) a wall-clock time can name two instants and Jira
 * may take the later one, so within three hours of a change the literal is written three hours
 * earlier (an upper bound three hours later): the boundary is read again (records are upserted),
 * never skipped.
 */
export function jqlDate(ms: number, zone: string, bound: 'lower' | 'upper' = 'lower'): string {
  const shifted =
    offset(ms - 3 * HOUR_MS, zone) !== offset(ms, zone) ||
    offset(ms, zone) !== offset(ms + 3 * HOUR_MS, zone);
  const at = shifted ? ms + (bound === 'lower' ? -3 : 3) * HOUR_MS : ms;
  return `"${wall(at, zone).text}"`;
}

/** A JQL string literal. */
export const jqlString = (s: string): string => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;

/** `project in ("IT", "HR")`: the service projects a search covers. */
export const projectClause = (keys: readonly string[]): string =>
  `project in (${keys.map(jqlString).join(', ')})`;

/** How JQL names a field: `cf[10020]` for a custom field, else the field's id. */
export const jqlField = (id: string): string => {
  const m = /^customfield_(\d+)$/.exec(id);
  return m ? `cf[${m[1]}]` : id;
};
