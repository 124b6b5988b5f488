import { SatisfactionRating } from '../../../src/domain/records.js';
import { checked, skip, type Mapped } from '../../shared/map-page.js';
import { parseDate, slug, type Fields } from '../values.js';

/**
 * Surveys → satisfaction ratings, as pure functions (no I/O, no clock).
 *
 * A survey sent is one row of asmt_assessment_instance; the answers to its questions are rows of
 * asmt_metric_result (field `instance`). One rating per instance:
 *
 * - state `complete` → answered: `good` or `bad` from its scale answers (`instanceScore`);
 * - `ready` (Ready to take), `wip` (Work in progress), `expired` → sent, not answered: `offered`;
 * - `canceled` at or after its due date → `offered`: the base system's "Cancel Expired
 *   Assessments" job cancels every unanswered instance whose due date has passed, so most
 *   cancelled surveys are simply ones nobody answered. Cancelled before its due date (withdrawn,
 *   duplicates), or with no due date to tell → not evidence (`skip`).
 * - complete but with no scale answer (only text questions, or all "N/A") → `skip`: one record
 *   cannot say "answered, no score", and counting it good, bad or unanswered would each bias a
 *   metric; leaving it out only lowers the response rate by a little (see the README).
 */

export const surveyInstanceFields = [
  'sys_id',
  'state',
  'trigger_table',
  'trigger_id',
  'task_id',
  'metric_type',
  'due_date',
  'taken_on',
  'sys_created_on',
  'sys_updated_on',
] as const;

export const surveyResultFields = [
  'sys_id',
  'instance',
  'actual_value',
  'string_value',
  'metric.datatype',
  'metric.min',
  'metric.max',
  'metric.scale',
] as const;

/** A mean position at or above this is a good rating (on a 1–5 scale: 4 and 5). */
export const GOOD_AT = 0.6;

/**
 * Data types whose results do not measure anything (ServiceNow stores -1 as their actual value
 * and leaves them out of its own result calculations), plus multi-select choices, whose actual
 * value is not a position on the metric's min–max scale.
 */
const UNSCORED_TYPES = new Set([
  'string',
  'date',
  'datetime',
  'date_time',
  'reference',
  'attachment',
  'ranking',
  'multiplecheckbox',
  'multiple_checkbox',
  'html',
]);

const number = (v: string | undefined) => {
  if (v === undefined) return undefined;
  const n = Number(v.replace(/,/g, ''));
  return Number.isFinite(n) ? n : undefined;
};

/**
 * One answer (asmt_metric_result) → its position on the question's scale, 0 (worst) to 1 (best),
 * or undefined when it is not a scale answer. Position = (actual_value − min) / (max − min) of
 * the question (asmt_metric, dot-walked), turned round when the question's scale definition is
 * `low` (lower is better). `normalized_value` is not used: ServiceNow multiplies it by the
 * question's share of the category's weights and by a scale factor, so it is not 0–1 per answer.
 */
export function answerPosition(f: Fields): number | undefined {
  const type = f['metric.datatype'] ? slug(f['metric.datatype']) : undefined;
  if (type && UNSCORED_TYPES.has(type)) return undefined;
  if (f.string_value && /^n\/?a$/i.test(f.string_value)) return undefined; // "Not applicable"
  const actual = number(f.actual_value);
  const min = number(f['metric.min']);
  const max = number(f['metric.max']);
  if (actual === undefined || min === undefined || max === undefined || !(max > min))
    return undefined;
  const eps = 1e-9 * (max - min);
  if (actual < min - eps || actual > max + eps) return undefined; // -1 markers, stale min/max
  const p = Math.min(1, Math.max(0, (actual - min) / (max - min)));
  return f['metric.scale'] && slug(f['metric.scale']) === 'low' ? 1 - p : p;
}

/** The mean position of an instance's scale answers → good / bad; undefined without any. */
export function instanceScore(positions: readonly number[]): 'good' | 'bad' | undefined {
  if (!positions.length) return undefined;
  const mean = positions.reduce((a, b) => a + b, 0) / positions.length;
  return mean >= GOOD_AT - 1e-9 ? 'good' : 'bad';
}

export type SurveyState = 'answered' | 'open' | 'expired' | 'withdrawn' | 'unknown';

/** asmt_assessment_instance.state (stored value or label) with the due-date rule for cancels. */
export function surveyState(f: Fields): SurveyState {
  const s = f.state ? slug(f.state) : '';
  if (s === 'complete' || s === 'completed') return 'answered';
  if (
    s === 'ready' ||
    s === 'ready_to_take' ||
    s === 'wip' ||
    s === 'work_in_progress' ||
    s === 'in_progress'
  )
    return 'open';
  if (s === 'expired') return 'expired';
  if (s === 'canceled' || s === 'cancelled') {
    const due = parseDate(f.due_date);
    const at = parseDate(f.sys_updated_on);
    if (!due || !at) return 'withdrawn';
    return Date.parse(at) >= Date.parse(due) ? 'expired' : 'withdrawn';
  }
  return 'unknown';
}

/**
 * asmt_assessment_instance (+ the positions of its scale answers, for a complete one) → one
 * satisfaction rating. `createdAt` is when the survey was sent (sys_created_on), for answered
 * and unanswered alike, so both rates count the surveys sent in a window.
 */
export function surveyToRating(
  f: Fields,
  positions: readonly number[] = [],
): Mapped<SatisfactionRating> {
  const state = surveyState(f);
  if (state === 'withdrawn') return skip;
  if (state === 'unknown')
    return { ok: false, error: `state: "${f.state ?? ''}" is not a survey instance state` };
  let score: SatisfactionRating['score'] = 'offered';
  if (state === 'answered') {
    const s = instanceScore(positions);
    if (!s) return skip;
    score = s;
  }
  const createdAt = parseDate(f.sys_created_on);
  if (!createdAt)
    return { ok: false, error: `sys_created_on: "${f.sys_created_on ?? ''}" is not a date` };
  const ticketId = f.trigger_id ?? f.task_id;
  return checked(SatisfactionRating, {
    sourceId: f.sys_id,
    ...(ticketId ? { ticketId } : {}),
    score,
    createdAt,
  });
}
