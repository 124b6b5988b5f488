import { SlaPolicy, type Priority } from '../../../src/domain/records.js';
import { checked, skip, type Mapped } from '../../shared/map-page.js';
import { bool, date, durationMinutes, opt, slaMetric, slug, type Fields } from '../values.js';
import { tableStream } from './table-stream.js';

export const contractSlaFields = [
  'sys_id',
  'name',
  'type',
  'target',
  'duration',
  'schedule',
  'collection',
  'start_condition',
  'active',
  'sys_created_on',
  'sys_updated_on',
] as const;

const PRIORITIES: Record<string, Priority> = {
  '1': 'urgent',
  '2': 'high',
  '3': 'normal',
  '4': 'low',
  '5': 'low',
};

/** Priorities named in an encoded start condition (priority=1, priorityIN1,2); all when none. */
export function conditionPriorities(condition: string | undefined): Priority[] {
  const found = new Set<Priority>();
  for (const m of (condition ?? '').matchAll(/\bpriority(=|IN)([\d,]+)/g)) {
    for (const n of m[2]!.split(',')) {
      const p = PRIORITIES[n];
      if (p) found.add(p);
    }
  }
  return found.size ? [...found] : ['urgent', 'high', 'normal', 'low'];
}

/**
 * The kind of an SLA definition's `type` (SLA, OLA, Underpinning contract): only an SLA is an
 * agreement with customers; an OLA binds teams of the provider, an underpinning contract a
 * supplier. No type reads as SLA, the field's default.
 */
export function agreementKind(type: string | undefined): 'sla' | 'ola' | 'uc' {
  const t = type ? slug(type) : 'sla';
  return t === 'ola' ? 'ola' : t.startsWith('underpinning') || t === 'uc' ? 'uc' : 'sla';
}

/**
 * contract_sla: an SLA definition (type SLA, OLA or Underpinning contract) with its target. A
 * definition for another task table than incidents (changes, catalog tasks…) is not one of the
 * helpdesk's: its targets would stand for the incidents' (`collection`, the table it applies to).
 */
export function contractSlaToPolicy(f: Fields): Mapped<SlaPolicy> {
  if (bool(f.active) === false) return skip;
  if (f.collection && f.collection !== 'incident') return skip;
  const kind = agreementKind(f.type);
  const minutes = durationMinutes(f.duration);
  const metric = slaMetric(f.target);
  const targets =
    minutes && minutes > 0
      ? conditionPriorities(f.start_condition).map((priority) => ({
          priority,
          metric,
          targetMinutes: minutes,
          businessHours: f.schedule !== undefined,
        }))
      : [];
  return checked(SlaPolicy, {
    sourceId: f.sys_id,
    name: f.name ?? f.sys_id,
    kind,
    targets,
    conditions: [
      {
        ...opt('table', f.collection),
        ...opt('startCondition', f.start_condition?.slice(0, 2000)),
      },
    ],
    ...opt('createdAt', date(f.sys_created_on)),
    ...opt('updatedAt', date(f.sys_updated_on)),
  });
}

/**
 * contract_sla: SLA / OLA / underpinning-contract definitions with their targets. A small table
 * whose deletions leave no trace in sys_updated_on, so it is read in full each sync and SLA
 * definitions deleted at the source are removed at the end of each complete pass.
 */
export const contractSla = tableStream({
  name: 'contract_sla',
  kind: 'slaPolicies',
  spec: {
    table: 'contract_sla',
    fields: contractSlaFields,
    required: ['sys_id', 'sys_updated_on'],
    mode: 'full',
  },
  map: contractSlaToPolicy,
});
