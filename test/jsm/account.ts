import { prng } from '../../src/demo/generate-org.js';
import { emptySite, slaDate, type FakeIssue, type FakeSite, type Raw } from './fake.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Default goals (minutes) per priority: first response, resolution. Enterprise customers get half. */
export const GOALS: Record<string, [number, number]> = {
  Highest: [60, 240],
  High: [240, 480],
  Medium: [480, 1440],
  Low: [1440, 4320],
};

const STATUS = {
  open: { id: '10000', name: 'Waiting for support', category: 'new' },
  progress: { id: '3', name: 'In Progress', category: 'indeterminate' },
  waiting: { id: '10001', name: 'Waiting for customer', category: 'indeterminate' },
  resolved: { id: '5', name: 'Resolved', category: 'done' },
  closed: { id: '6', name: 'Closed', category: 'done' },
} as const;

const change = (
  at: number,
  from: keyof typeof STATUS,
  to: keyof typeof STATUS,
  n: number,
): Raw => ({
  id: String(n),
  created: new Date(at).toISOString().replace('Z', '+0000'),
  items: [
    {
      field: 'status',
      fieldtype: 'jira',
      fieldId: 'status',
      from: STATUS[from].id,
      fromString: STATUS[from].name,
      to: STATUS[to].id,
      toString: STATUS[to].name,
    },
  ],
});

/** One SLA cycle, completed at `stop` or ongoing at `now`. */
function cycle(
  start: number,
  goalMin: number,
  stop: number | undefined,
  now: number,
  hours = false,
): Raw {
  const goal = goalMin * MIN;
  const breachAt = start + goal;
  const end = stop ?? now;
  return {
    startTime: slaDate(start),
    ...(stop !== undefined ? { stopTime: slaDate(stop) } : {}),
    breachTime: slaDate(breachAt),
    breached: end > breachAt,
    ...(stop === undefined ? { paused: false, withinCalendarHours: hours } : {}),
    goalDuration: { millis: goal, friendly: `${goalMin}m` },
    elapsedTime: { millis: end - start, friendly: '' },
    remainingTime: { millis: breachAt - end, friendly: '' },
  };
}

/**
 * A whole Jira Service Management site in the documented shapes, seeded: two service desks,
 * `issues` issues created over the `days` before `now` with their SLA cycles (goals per priority,
 * halved for Enterprise customers; reopened requests start a second resolution cycle), changelogs
 * (some longer than the search inlines), teams, organisations, request types and queues, the
 * licence groups with their members, and satisfaction ratings; a bulk update leaves 250 issues on
 * one minute.
 */
export function generateSite(o: {
  issues: number;
  now: Date;
  seed?: number;
  days?: number;
}): FakeSite {
  const rnd = prng(o.seed ?? 7);
  const now = o.now.getTime();
  const days = o.days ?? 150;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const around = (median: number) => median * Math.exp((rnd() + rnd() + rnd() - 1.5) * 1.2);
  const s = emptySite();
  s.myself = { ...s.myself, timeZone: 'Europe/Berlin' };
  const requestTypes = (desk: number) =>
    ['Get IT help', 'Request new software', 'Report a system problem', 'Onboard new employees'].map(
      (name, i) => ({
        id: String(desk * 100 + i),
        name,
        description: name,
        issueTypeId: '10004',
        serviceDeskId: String(desk),
      }),
    );
  const queues = (key: string) =>
    ['All open', 'Assigned to me', 'Unassigned', 'Escalations'].map((name, i) => ({
      id: String(i + 1),
      name,
      jql: `project = ${key} AND resolution = EMPTY ORDER BY created ASC`,
    }));
  s.desks = [
    {
      id: '1',
      projectKey: 'IT',
      projectName: 'IT Help Desk',
      queues: queues('IT'),
      requestTypes: requestTypes(1),
    },
    {
      id: '2',
      projectKey: 'HR',
      projectName: 'HR Services',
      queues: queues('HR').slice(0, 3),
      requestTypes: requestTypes(2).slice(0, 2),
    },
  ];
  s.organisations = Array.from({ length: 120 }, (_, i) => ({
    id: String(i + 1),
    name: `Customer ${i + 1}`,
  }));
  const enterprise = new Set(
    s.organisations.filter((_, i) => i % 5 === 0).map((x) => x.id as string),
  );
  const agentIds = Array.from(
    { length: 60 },
    (_, i) => `5b10ac8d82e05b22cc7d${String(i).padStart(4, '0')}`,
  );
  const groupA = '276f955c-63d7-42c8-9520-92d01dca0625';
  const groupB = '42c8955c-63d7-42c8-9520-63d7aca0625';
  s.role = {
    key: 'jira-servicedesk',
    groups: ['jira-servicemanagement-users-acme', 'service-desk-agents'],
    groupDetails: [
      { groupId: groupA, name: 'jira-servicemanagement-users-acme' },
      { groupId: groupB, name: 'service-desk-agents' },
    ],
    name: 'Jira Service Management',
  };
  const member = (id: string, i: number) => ({
    accountId: id,
    accountType: 'atlassian',
    displayName: `Agent ${i + 1}`,
    active: i % 13 !== 5,
  });
  s.members = {
    [groupA]: [
      ...agentIds.slice(0, 55).map(member),
      {
        accountId: '557058:automation',
        accountType: 'app',
        displayName: 'Automation for Jira',
        active: true,
      },
    ],
    [groupB]: agentIds.slice(40).map((id, i) => member(id, i + 40)),
  };
  const teams = [
    'Service Desk L1',
    'Network team',
    'Identity & Access',
    'Workplace',
    'Payroll',
  ].map((name, i) => ({
    id: `team-${i + 1}-3f8a`,
    name,
  }));

  const bulk = now - 2 * DAY; // a bulk update: 250 issues share this minute
  let changes = 0;
  for (let n = 0; n < o.issues; n++) {
    const desk = n % 3 === 2 ? s.desks[1]! : s.desks[0]!;
    const created = now - rnd() * days * DAY;
    const priority = pick(['Highest', 'High', 'High', 'Medium', 'Medium', 'Medium', 'Low']);
    const org = rnd() < 0.8 ? pick(s.organisations) : undefined;
    const scale = org && enterprise.has(org.id as string) ? 0.5 : 1;
    const [frGoal, resGoal] = GOALS[priority]!.map((g) => g * scale) as [number, number];
    const histories: Raw[] = [];
    const r = rnd();
    const replied = r > 0.1;
    const first = replied ? Math.min(created + around(frGoal * 0.6) * MIN, now - MIN) : undefined;
    let status: keyof typeof STATUS = 'open';
    if (first !== undefined) {
      histories.push(change(first, 'open', 'progress', ++changes));
      status = 'progress';
    }
    const solvedAt =
      first !== undefined && rnd() < 0.7
        ? Math.min(first + around(resGoal * 0.7) * MIN, now - MIN)
        : undefined;
    const resCycles: Raw[] = [];
    let ongoing: Raw | undefined;
    let resolved: number | undefined;
    if (solvedAt !== undefined) {
      histories.push(change(solvedAt, 'progress', 'resolved', ++changes));
      status = 'resolved';
      resolved = solvedAt;
      resCycles.push(cycle(created, resGoal, solvedAt, now));
      if (rnd() < 0.12) {
        // Reopened by the customer: a second resolution cycle.
        const reopened = Math.min(solvedAt + around(600) * MIN, now - MIN);
        histories.push(change(reopened, 'resolved', 'progress', ++changes));
        status = 'progress';
        resolved = undefined;
        const again =
          rnd() < 0.6 ? Math.min(reopened + around(resGoal * 0.5) * MIN, now - MIN) : undefined;
        if (again !== undefined) {
          histories.push(change(again, 'progress', 'resolved', ++changes));
          status = 'resolved';
          resolved = again;
          resCycles.push(cycle(reopened, resGoal, again, now));
        } else ongoing = cycle(reopened, resGoal, undefined, now);
      } else if (rnd() < 0.3) {
        const closed = Math.min(solvedAt + 3 * DAY, now - MIN);
        histories.push(change(closed, 'resolved', 'closed', ++changes));
        status = 'closed';
      }
    } else if (first !== undefined) {
      if (rnd() < 0.3) {
        histories.push(change(Math.min(first + HOUR, now - MIN), 'progress', 'waiting', ++changes));
        status = 'waiting';
      }
      ongoing = cycle(created, resGoal, undefined, now, rnd() < 0.5);
    } else ongoing = cycle(created, resGoal, undefined, now);
    // Some requests collect many edits: their changelog is longer than the search inlines.
    if (rnd() < 0.06)
      for (let k = 0; k < 7; k++)
        histories.push({
          id: String(++changes),
          created: new Date(Math.min(created + (k + 1) * MIN, now - MIN))
            .toISOString()
            .replace('Z', '+0000'),
          items: [
            {
              field: 'labels',
              fieldtype: 'jira',
              fieldId: 'labels',
              from: null,
              fromString: '',
              to: null,
              toString: `edit${k}`,
            },
          ],
        });
    histories.sort((a, b) => Date.parse(a.created as string) - Date.parse(b.created as string));
    let updated = Math.max(created, ...histories.map((h) => Date.parse(h.created as string))) + MIN;
    updated = Math.min(updated, now);
    if (n % 10 === 0 && n / 10 < 250 && created < bulk)
      updated = Math.max(updated, bulk + (n % 7) * 1000);
    const satisfaction =
      resolved !== undefined && rnd() < 0.35
        ? { rating: pick([5, 5, 4, 4, 4, 3, 2, 1]), at: Math.min(resolved + 2 * HOUR, now - MIN) }
        : undefined;
    if (satisfaction) updated = Math.max(updated, satisfaction.at);
    const issue: FakeIssue = {
      id: String(20000 + n),
      key: `${desk.projectKey}-${n + 1}`,
      project: desk.projectKey,
      created,
      updated,
      ...(resolved !== undefined ? { resolved } : {}),
      status: STATUS[status],
      priority,
      ...(rnd() < 0.85 ? { assignee: pick(agentIds) } : {}),
      labels: rnd() < 0.1 ? ['VPN'] : [],
      ...(rnd() < 0.9 ? { team: pick(teams) } : {}),
      organisations: org ? [{ id: org.id as string, name: org.name as string }] : [],
      requestType: pick(desk.requestTypes) as { id: string; name: string },
      firstResponse: {
        name: 'Time to first response',
        completedCycles: first !== undefined ? [cycle(created, frGoal, first, now)] : [],
        ...(first === undefined ? { ongoingCycle: cycle(created, frGoal, undefined, now) } : {}),
      },
      resolution: {
        name: 'Time to resolution',
        completedCycles: resCycles,
        ...(ongoing ? { ongoingCycle: ongoing } : {}),
      },
      histories,
      ...(satisfaction ? { satisfaction } : {}),
    };
    s.issues.push(issue);
  }
  return s;
}
