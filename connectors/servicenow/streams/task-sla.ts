import { SlaOutcome } from '../../../src/domain/records.js';
import { checked, skip, type Mapped } from '../../shared/map-page.js';
import { bool, date, durationMinutes, opt, slaMetric, slug, type Fields } from '../values.js';
import { agreementKind } from './contract-sla.js';
import { tableStream } from './table-stream.js';

export const taskSlaFields = [
  'sys_id',
  'task',
  'sla',
  'sla.target',
  'sla.duration',
  'sla.type',
  'stage',
  'has_breached',
  'end_time',
  'planned_end_time',
  'business_duration',
  'duration',
  'sys_updated_on',
] as const;

/**
 * task_sla: one SLA target applied to one task, with its stage and breach flag. Only customer SLAs
 * are outcomes: an OLA or underpinning contract attached to the same incident measures a team or
 * a supplier, not what customers were promised (sla.attainment follows the SLA definitions).
 */
export function taskSlaToOutcome(f: Fields): Mapped<SlaOutcome> {
  if (agreementKind(f['sla.type']) !== 'sla') return skip;
  const stage = f.stage ? slug(f.stage) : '';
  if (stage === 'cancelled' || stage === 'canceled') return skip;
  const breached = bool(f.has_breached) === true || stage === 'breached';
  const done = stage === 'completed' || stage === 'achieved' || stage === 'breached';
  const status = breached ? 'breached' : done ? 'met' : 'active';
  const completedAt =
    status === 'active'
      ? undefined
      : done
        ? (date(f.end_time) ?? date(f.planned_end_time))
        : (date(f.planned_end_time) ?? date(f.sys_updated_on));
  const target = durationMinutes(f['sla.duration']);
  const measured = durationMinutes(f.business_duration ?? f.duration);
  return checked(SlaOutcome, {
    sourceId: f.sys_id,
    ticketId: f.task,
    metric: slaMetric(f['sla.target']),
    ...opt('targetMinutes', target && target > 0 ? target : undefined),
    status,
    ...opt('measuredMinutes', measured),
    ...opt('completedAt', completedAt),
  });
}

/** task_sla: per-incident SLA outcomes (met / breached / in progress). Needs read on task_sla. */
export const taskSla = tableStream({
  name: 'task_sla',
  kind: 'slaOutcomes',
  spec: {
    table: 'task_sla',
    fields: taskSlaFields,
    required: ['sys_id', 'task', 'stage', 'sys_updated_on'],
    filter: 'task.sys_class_name=incident',
    mode: 'incremental',
  },
  map: taskSlaToOutcome,
});
