import type {
  Agent,
  Automation,
  Group,
  KbArticle,
  Organisation,
  Plan,
  Priority,
  RecordBatch,
  SatisfactionRating,
  SlaOutcome,
  SlaPolicy,
  Ticket,
} from '../domain/records.js';
import type { Profile } from './profiles.js';

const DAY = 86_400_000;

/** Small, fast, seedable PRNG (mulberry32): the same profile and seed give the same organisation. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GenerateOptions {
  tickets: number;
  /** The end of the generated history. */
  now: Date;
  /** Days of history the tickets spread over. */
  days?: number;
  seed?: number;
}

/** A whole deterministic organisation in normalised records. */
export function generateOrganisation(p: Profile, o: GenerateOptions): Required<RecordBatch> {
  const rnd = prng(o.seed ?? 42);
  const days = o.days ?? 180;
  const now = o.now.getTime();
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const chance = (x: number) => rnd() < x;
  const weighted = (w: Record<string, number>) => {
    let r = rnd() * Object.values(w).reduce((a, b) => a + b, 0);
    for (const [k, v] of Object.entries(w)) if ((r -= v) <= 0) return k;
    return Object.keys(w)[0]!;
  };
  const iso = (t: number) => new Date(t).toISOString();
  // Log-normal around a median, so medians land where the profile says.
  const around = (median: number) => median * Math.exp((rnd() + rnd() + rnd() - 1.5) * 1.2);

  const groups: Group[] = p.groups.map((g, i) => ({
    sourceId: `g${i + 1}`,
    name: g.name,
    ...(g.partner ? { partner: true } : {}),
    createdAt: iso(now - 900 * DAY),
  }));
  const groupWeights = Object.fromEntries(p.groups.map((g, i) => [`g${i + 1}`, g.share]));
  const agents: Agent[] = Array.from({ length: p.agents }, (_, i) => {
    const home = weighted(groupWeights);
    const second = chance(p.multiGroupShare)
      ? pick(groups.filter((g) => g.sourceId !== home))
      : undefined;
    return {
      sourceId: `a${i + 1}`,
      name: `Agent ${i + 1}`,
      role: i === 0 ? 'admin' : 'agent',
      groupIds: second ? [home, second.sourceId] : [home],
      active: true,
      createdAt: iso(now - (100 + i * 7) * DAY),
    };
  });
  const agentsByGroup = new Map(
    groups.map((g) => [g.sourceId, agents.filter((a) => a.groupIds[0] === g.sourceId)]),
  );

  const slaPolicies: SlaPolicy[] = p.plans.map((plan, i) => ({
    sourceId: `sla${i + 1}`,
    name: `${plan.name} SLA`,
    kind: 'sla',
    targets: (['urgent', 'high', 'normal', 'low'] as const).flatMap((priority, k) => [
      {
        priority,
        metric: 'first_reply_time' as const,
        targetMinutes: plan.urgentMinutes * [1, 4, 8, 16][k]!,
        businessHours: k === 0 ? !plan.calendar : true,
      },
      {
        priority,
        metric: 'resolution_time' as const,
        targetMinutes: plan.urgentMinutes * [8, 24, 48, 96][k]!,
        businessHours: true,
      },
    ]),
    conditions: [{ field: 'organization.tier', operator: 'is', value: plan.name.toLowerCase() }],
    createdAt: iso(now - 400 * DAY),
    updatedAt: iso(now - (30 + i * 20) * DAY),
  }));
  for (let i = 0; i < p.olas; i++) {
    slaPolicies.push({
      sourceId: `ola${i + 1}`,
      name: `OLA with team ${i + 1}`,
      kind: 'ola',
      targets: [
        { priority: 'urgent', metric: 'resolution_time', targetMinutes: 480, businessHours: true },
      ],
      conditions: [],
      createdAt: iso(now - 300 * DAY),
    });
  }
  const plans: Plan[] = p.plans.map((plan, i) => ({
    sourceId: `plan${i + 1}`,
    name: plan.name,
    tier: plan.tier,
    slaPolicyId: `sla${i + 1}`,
    customerCount: Math.round(p.organisations * plan.share),
    documented: p.plansDocumented,
    services: (plan.services ?? []) as Plan['services'],
    createdAt: iso(now - 400 * DAY),
    updatedAt: iso(now - (30 + i * 20) * DAY),
  }));
  const planWeights = Object.fromEntries(p.plans.map((plan, i) => [`plan${i + 1}`, plan.share]));
  // A named CSM comes with the plans that bundle one (never sold apart from a plan).
  const bundlesCsm = new Set(
    plans.filter((x) => x.services.includes('csm')).map((x) => x.sourceId),
  );
  const organisations: Organisation[] = Array.from({ length: p.organisations }, (_, i) => {
    const planId = plans.length ? weighted(planWeights) : undefined;
    return {
      sourceId: `o${i + 1}`,
      name: `Customer ${i + 1}`,
      ...(planId ? { planId } : {}),
      tags: [],
      ...(p.csmShare ? { hasCsm: planId !== undefined && bundlesCsm.has(planId) } : {}),
      createdAt: iso(now - (200 + (i % 500)) * DAY),
    };
  });
  const planOf = new Map(organisations.map((org) => [org.sourceId, org.planId]));

  const automations: Automation[] = [];
  // The team's own rules: written one after another over the last year, each edited since.
  const addAutomations = (kind: Automation['kind'], n: number) => {
    for (let i = 0; i < n; i++) {
      const created = now - (360 - ((automations.length * 7) % 330)) * DAY;
      automations.push({
        sourceId: `${kind}${i + 1}`,
        kind,
        name: `${kind} ${i + 1}`,
        active: true,
        createdAt: new Date(created).toISOString(),
        updatedAt: new Date(created + 3 * DAY).toISOString(),
      });
    }
  };
  addAutomations('macro', p.macros);
  addAutomations('trigger', p.triggers);
  addAutomations('automation', p.automations);
  addAutomations('bot', p.bots);

  const kbArticles: KbArticle[] = Array.from({ length: p.kbArticles }, (_, i) => {
    const created = now - (30 + Math.floor(rnd() * 1000)) * DAY;
    const fresh = chance(p.kbFreshShare);
    const updated = fresh
      ? now - Math.floor(rnd() * 300) * DAY
      : Math.min(created, now - (400 + Math.floor(rnd() * 400)) * DAY);
    return {
      sourceId: `kb${i + 1}`,
      title: i === 0 && p.kbPlansArticle ? 'Our support plans and SLAs' : `How to ${i + 1}`,
      state: 'published',
      createdAt: iso(Math.min(created, updated)),
      updatedAt: iso(updated),
      views: Math.floor(rnd() * 5000),
      votes: Math.floor(rnd() * 40),
      authorId: pick(agents).sourceId,
    };
  });

  const tickets: Ticket[] = [];
  const slaOutcomes: SlaOutcome[] = [];
  const satisfactionRatings: SatisfactionRating[] = [];
  const [h0, h1] = p.workHours;
  const priorities: Record<Priority, number> = { urgent: 0.05, high: 0.2, normal: 0.6, low: 0.15 };
  for (let i = 0; i < o.tickets; i++) {
    const created = now - rnd() * days * DAY;
    const month = Math.floor((now - created) / (30 * DAY));
    const priority = weighted(priorities) as Priority;
    const org = pick(organisations);
    const groupId = weighted(groupWeights);
    // Volume swing: some months the same people carry far more tickets.
    const pool = agentsByGroup.get(groupId)?.length ? agentsByGroup.get(groupId)! : agents;
    const active = Math.max(1, Math.round(pool.length * (1 - p.volumeSwing * (month % 2))));
    const assignee = pool[Math.floor(rnd() * active)]!;
    // Every draw is made whatever the clock says, so the same seed gives the same organisation at
    // any hour of the day (a draw skipped outside work hours shifted every ticket after it).
    const recent = chance(0.5);
    const hours = around(p.medianResolutionHours);
    const intoDay = rnd();
    const solvedOk = created < now - 2 * DAY || recent;
    let solved: number | undefined;
    if (solvedOk) {
      let t = created + hours * 3600_000;
      const hour = new Date(t).getUTCHours();
      if (hour < h0 || hour >= h1)
        t += ((h0 - hour + 24) % 24) * 3600_000 + intoDay * (h1 - h0) * 3600_000 * 0.5;
      solved = Math.min(t, now);
    }
    const channel = weighted(p.channels);
    const tags: string[] = [];
    if (chance(p.onboardingShare)) tags.push('onboarding');
    const sourceId = String(100000 + i);
    const firstResponse = around(p.medianFirstResponseMinutes);
    const planId = planOf.get(org.sourceId);
    const slaPolicyId = planId ? `sla${planId.slice(4)}` : undefined;
    tickets.push({
      sourceId,
      createdAt: iso(created),
      updatedAt: iso(solved ?? created),
      ...(solved ? { solvedAt: iso(solved) } : {}),
      priority,
      status: solved ? (solved < now - 4 * DAY ? 'closed' : 'solved') : 'open',
      channel,
      groupId,
      assigneeId: assignee.sourceId,
      organisationId: org.sourceId,
      reopenCount: chance(p.reopenRate) ? 1 : 0,
      reassignmentCount: chance(p.reassignmentRate) ? 1 + Math.floor(rnd() * 2) : 0,
      knowledgeLinked: chance(p.kbLinkedShare),
      problemLinked: chance(p.problemLinkedShare),
      tags,
      firstResponseMinutes: Math.round(firstResponse),
      agentReplies: 1 + Math.floor(rnd() * rnd() * 5),
      ...(slaPolicyId ? { slaPolicyId } : {}),
    });
    if (slaPolicyId) {
      const met = chance(p.attainment);
      slaOutcomes.push({
        sourceId: `${sourceId}-frt`,
        ticketId: sourceId,
        metric: 'first_reply_time',
        status: met ? 'met' : 'breached',
        measuredMinutes: Math.round(firstResponse),
        completedAt: iso(Math.min(now, created + firstResponse * 60_000)),
      });
    }
    if (solved && chance(p.csatOfferedShare)) {
      const answered = chance(p.csatResponse);
      satisfactionRatings.push({
        sourceId: `r${sourceId}`,
        ticketId: sourceId,
        score: answered ? (chance(p.csatGood) ? 'good' : 'bad') : 'offered',
        createdAt: iso(solved),
      });
    }
  }
  return {
    tickets,
    slaPolicies,
    slaOutcomes,
    plans,
    organisations,
    agents,
    groups,
    automations,
    kbArticles,
    satisfactionRatings,
  };
}
