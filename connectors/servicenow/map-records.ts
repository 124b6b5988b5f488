import {
  Agent,
  Group,
  KbArticle,
  Plan,
  SlaOutcome,
  SlaPolicy,
  type Priority,
  type SlaMetric,
} from '../../src/domain/records.js';
import type { MapResult } from './map-incident.js';
import { bool, durationMinutes, int, parseDate, slug, type Fields } from './values.js';
import { zodSentence } from '../../src/errors.js';

/**
 * Table rows → normalised records, one pure function per table (no I/O; `now` passed in).
 * Each returns `skip` for rows that are not evidence (cancelled SLAs, inactive groups), so the
 * stream can delete a record it stored earlier.
 */
export type RowResult<T> = MapResult<T> | { ok: 'skip' };

function check<T>(
  schema: {
    safeParse(x: unknown): {
      success: boolean;
      data?: T;
      error?: { issues: { path: PropertyKey[]; message: string }[] };
    };
  },
  x: unknown,
): MapResult<T> {
  const r = schema.safeParse(x);
  if (r.success) return { ok: true, record: r.data as T };
  return { ok: false, error: zodSentence(r.error!, { top: 'record' }) };
}

const date = (v: string | undefined) => parseDate(v) ?? undefined;
const opt = <K extends string, V>(key: K, v: V | undefined) =>
  (v === undefined ? {} : { [key]: v }) as { [P in K]?: V };

/** contract_sla.target → SLA metric. */
function slaMetric(target: string | undefined): SlaMetric {
  const t = target ? slug(target) : '';
  return t === 'response' ? 'first_reply_time' : 'resolution_time';
}

export const taskSlaFields = [
  'sys_id',
  'task',
  'sla',
  'sla.target',
  'sla.duration',
  'stage',
  'has_breached',
  'end_time',
  'planned_end_time',
  'business_duration',
  'duration',
  'sys_updated_on',
] as const;

/** task_sla: one SLA target applied to one task, with its stage and breach flag. */
export function taskSlaToOutcome(f: Fields): RowResult<SlaOutcome> {
  const stage = f.stage ? slug(f.stage) : '';
  if (stage === 'cancelled' || stage === 'canceled') return { ok: 'skip' };
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
  return check<SlaOutcome>(SlaOutcome, {
    sourceId: f.sys_id,
    ticketId: f.task,
    metric: slaMetric(f['sla.target']),
    ...opt('targetMinutes', target && target > 0 ? target : undefined),
    status,
    ...opt('measuredMinutes', measured),
    ...opt('completedAt', completedAt),
  });
}

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

/** contract_sla: an SLA definition (type SLA, OLA or Underpinning contract) with its target. */
export function contractSlaToPolicy(f: Fields): RowResult<SlaPolicy> {
  if (bool(f.active) === false) return { ok: 'skip' };
  const type = f.type ? slug(f.type) : 'sla';
  const kind =
    type === 'ola' ? 'ola' : type.startsWith('underpinning') || type === 'uc' ? 'uc' : 'sla';
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
  return check<SlaPolicy>(SlaPolicy, {
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

export const groupFields = [
  'sys_id',
  'name',
  'active',
  'sys_created_on',
  'sys_updated_on',
] as const;

export function groupToRecord(f: Fields): RowResult<Group> {
  if (bool(f.active) === false) return { ok: 'skip' };
  return check<Group>(Group, {
    sourceId: f.sys_id,
    name: f.name ?? f.sys_id,
    ...opt('createdAt', date(f.sys_created_on)),
  });
}

export const kbFields = [
  'sys_id',
  'short_description',
  'workflow_state',
  'valid_to',
  'sys_view_count',
  'author',
  'sys_created_on',
  'sys_updated_on',
] as const;

/** kb_knowledge: workflow_state, with a published article past valid_to counted as outdated. */
export function kbToArticle(f: Fields, now: Date): RowResult<KbArticle> {
  const w = f.workflow_state ? slug(f.workflow_state) : '';
  let state: KbArticle['state'] =
    w === 'published'
      ? 'published'
      : w === 'retired'
        ? 'retired'
        : w === 'outdated' || w === 'pending_retirement'
          ? 'outdated'
          : 'draft';
  const validTo = f.valid_to ? Date.parse(`${f.valid_to.slice(0, 10)}T23:59:59Z`) : NaN;
  if (state === 'published' && Number.isFinite(validTo) && validTo < now.getTime())
    state = 'outdated';
  return check<KbArticle>(KbArticle, {
    sourceId: f.sys_id,
    ...opt('title', f.short_description?.slice(0, 1000)),
    state,
    createdAt: date(f.sys_created_on),
    ...opt('updatedAt', date(f.sys_updated_on)),
    ...opt('views', int(f.sys_view_count)),
    ...opt('authorId', f.author),
  });
}

export const offeringFields = ['sys_id', 'name', 'sys_created_on', 'sys_updated_on'] as const;

export function offeringToPlan(f: Fields, customers: number | undefined): RowResult<Plan> {
  return check<Plan>(Plan, {
    sourceId: f.sys_id,
    name: f.name ?? f.sys_id,
    ...opt('customerCount', customers),
    ...opt('createdAt', date(f.sys_created_on)),
    ...opt('updatedAt', date(f.sys_updated_on)),
  });
}

/** What the agents stream gathers per user from sys_user_has_role and sys_user_grmember. */
export interface UserRoles {
  userId: string;
  name?: string;
  active?: boolean;
  createdAt?: string;
  roles: Set<string>;
  groupIds: string[];
}

const KNOWLEDGE_ROLES = ['knowledge', 'knowledge_manager', 'knowledge_admin'];
export const agentRoleNames = ['itil', 'admin', ...KNOWLEDGE_ROLES];

/**
 * Agents are users with the itil role (admins carry it too); users with only a knowledge role
 * count as knowledge authors. Anyone else is not an agent.
 */
export function userToAgent(u: UserRoles): RowResult<Agent> {
  const itil = u.roles.has('itil');
  const role =
    u.roles.has('admin') && itil
      ? 'admin'
      : itil
        ? 'agent'
        : KNOWLEDGE_ROLES.some((r) => u.roles.has(r))
          ? 'knowledge'
          : undefined;
  if (!role) return { ok: 'skip' };
  return check<Agent>(Agent, {
    sourceId: u.userId,
    ...opt('name', u.name),
    role,
    groupIds: u.groupIds.slice(0, 500),
    active: u.active ?? true,
    ...opt('createdAt', u.createdAt ? date(u.createdAt) : undefined),
  });
}
