import { MaturityError } from '../../../src/errors.js';
import type { Priority, SlaOutcome, Ticket } from '../../../src/domain/records.js';
import type { FreshdeskTicket } from '../schemas.js';

/** Freshdesk's statuses; custom statuses (6 and up) are states of work in progress. */
const STATUSES: Record<number, Ticket['status']> = {
  2: 'open',
  3: 'pending',
  4: 'solved',
  5: 'closed',
};
const PRIORITIES: Record<number, Priority> = { 1: 'low', 2: 'normal', 3: 'high', 4: 'urgent' };
/** The documented ticket sources ► our channel names; outbound email is work the team started. */
const CHANNELS: Record<number, string> = {
  1: 'email',
  2: 'web',
  3: 'phone',
  7: 'chat',
  9: 'web',
  10: 'outbound',
};

const minutesBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 60_000;

/** The ticket's status, or why it is not one of Freshdesk's. */
function statusOf(t: FreshdeskTicket): Ticket['status'] {
  const s = STATUSES[t.status] ?? (t.status >= 6 ? 'hold' : undefined);
  if (!s)
    throw new MaturityError('E_CONNECTOR_RESPONSE', `status ${t.status} is not a Freshdesk status`);
  return s;
}

/**
 * One listed ticket with its stats (include=stats). First response is the stats'
 * first_responded_at minus creation; resolution is resolved_at (only for a ticket resolved or
 * closed now: a reopened one is open again), never closed_at; a ticket whose stats carry a
 * reopened_at was reopened at least once (Freshdesk keeps the last reopening, not a count, so the
 * count is 1 for "at least once" and 0 for never).
 */
export function toTicket(t: FreshdeskTicket): Ticket {
  const status = statusOf(t);
  const stats = t.stats ?? undefined;
  const done = status === 'solved' || status === 'closed';
  const first = stats?.first_responded_at;
  const firstMinutes = first ? minutesBetween(t.created_at, first) : undefined;
  const channel = t.source == null ? undefined : (CHANNELS[t.source] ?? 'other');
  return {
    sourceId: t.id,
    createdAt: t.created_at,
    updatedAt: t.updated_at,
    ...(done && stats?.resolved_at ? { solvedAt: stats.resolved_at } : {}),
    ...(status === 'closed' && stats?.closed_at ? { closedAt: stats.closed_at } : {}),
    ...(t.priority != null && PRIORITIES[t.priority] ? { priority: PRIORITIES[t.priority] } : {}),
    status,
    ...(channel ? { channel } : {}),
    ...(t.group_id ? { groupId: t.group_id } : {}),
    ...(t.responder_id ? { assigneeId: t.responder_id } : {}),
    ...(t.company_id ? { organisationId: t.company_id } : {}),
    ...(stats ? { reopenCount: stats.reopened_at ? 1 : 0 } : {}),
    tags: t.tags ?? [],
    ...(firstMinutes !== undefined && firstMinutes >= 0
      ? { firstResponseMinutes: firstMinutes }
      : {}),
  };
}

/**
 * The ticket's two SLA targets, judged from its stats against its due times: the first response
 * (first_responded_at against fr_due_by) and the resolution (resolved_at, else closed_at, against
 * due_by). Met when done by the due time, breached when done later or when the due time has passed
 * undone (completed at the due time: the target cannot be met any more), active otherwise. Freshdesk
 * moves the due times itself when the SLA clock pauses (pending, business hours), so they are the
 * targets as the account's policies define them. Pure: `now` decides "passed".
 */
export function toSlaOutcomes(t: FreshdeskTicket, now: Date): SlaOutcome[] {
  const stats = t.stats ?? undefined;
  const status = STATUSES[t.status];
  const resolved =
    status === 'solved' || status === 'closed'
      ? (stats?.resolved_at ?? stats?.closed_at ?? undefined)
      : undefined;
  const out: SlaOutcome[] = [];
  const judge = (
    metric: SlaOutcome['metric'],
    due: string | null | undefined,
    doneAt: string | null | undefined,
  ) => {
    if (!due || Number.isNaN(Date.parse(due))) return;
    const dueMs = Date.parse(due);
    const base = { sourceId: `${t.id}:${metric}`, ticketId: t.id, metric };
    const measured = doneAt ? minutesBetween(t.created_at, doneAt) : undefined;
    const measuredMinutes =
      measured !== undefined && measured >= 0 ? { measuredMinutes: measured } : {};
    if (doneAt && Date.parse(doneAt) <= dueMs)
      out.push({ ...base, status: 'met', completedAt: doneAt, ...measuredMinutes });
    else if (doneAt || now.getTime() > dueMs)
      out.push({ ...base, status: 'breached', completedAt: due, ...measuredMinutes });
    else out.push({ ...base, status: 'active' });
  };
  judge('first_reply_time', t.fr_due_by, stats?.first_responded_at);
  judge('resolution_time', t.due_by, resolved);
  return out;
}

/** The outcome ids of a ticket, removed with it. */
export const outcomeIds = (ticketId: string) => [
  `${ticketId}:first_reply_time`,
  `${ticketId}:resolution_time`,
];
