/**
 * HTML built from data: every interpolated value is escaped unless it is markup this code made
 * (`raw`). Partials return plain strings; a partial placed inside another goes through `raw`.
 */

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text or an attribute value from the data, made inert. */
export const esc = (s: unknown): string => String(s).replace(/[&<>"']/g, (c) => ENTITIES[c]!);

/** Markup this code built (a partial's output), to place as it is. */
export class Raw {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}
export const raw = (html: string): Raw => new Raw(html);

type Value = Raw | string | number | boolean | null | undefined | readonly Value[];

/** A template whose values are escaped (arrays joined; null, undefined and false left out). */
export function html(strings: TemplateStringsArray, ...values: Value[]): Raw {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += show(v) + strings[i + 1]!;
  });
  return new Raw(out);
}

function show(v: Value): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Raw) return v.html;
  if (Array.isArray(v)) return v.map(show).join('');
  return esc(v);
}
