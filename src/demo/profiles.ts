/**
 * The organisations the demo (and later the helpdesk simulator) builds, one per maturity profile.
 * Each knob is a fact a real helpdesk would show; the comments say which level it is meant to show.
 */
export interface Profile {
  name: ProfileName;
  description: string;
  agents: number;
  /** Group names; agents are spread over them. */
  groups: { name: string; partner?: boolean; share: number }[];
  /** Share of agents who also belong to a second group. */
  multiGroupShare: number;
  /** Plans: tier, name, share of customers, first-reply target for urgent tickets (minutes, 24x7?). */
  plans: {
    name: string;
    tier: number;
    share: number;
    urgentMinutes: number;
    calendar: boolean;
    services?: string[];
  }[];
  plansDocumented: boolean;
  olas: number;
  /** Share of SLA targets met. */
  attainment: number;
  channels: Record<string, number>;
  macros: number;
  triggers: number;
  automations: number;
  bots: number;
  kbArticles: number;
  kbFreshShare: number;
  kbPlansArticle: boolean;
  kbLinkedShare: number;
  csatOfferedShare: number;
  csatResponse: number;
  csatGood: number;
  reopenRate: number;
  reassignmentRate: number;
  problemLinkedShare: number;
  onboardingShare: number;
  csmShare: number;
  organisations: number;
  /** Hours (UTC) in which agents work; follow-the-sun covers 0..23. */
  workHours: [number, number];
  /** Month-to-month swing of volume per agent (0 = steady). */
  volumeSwing: number;
  medianFirstResponseMinutes: number;
  medianResolutionHours: number;
}

export const profileNames = ['bootstrap', 'structured', 'managed', 'holistic'] as const;
export type ProfileName = (typeof profileNames)[number];

const base = {
  olas: 0,
  problemLinkedShare: 0,
  onboardingShare: 0,
  csmShare: 0,
  bots: 0,
  kbPlansArticle: false,
  plansDocumented: false,
};

export const profiles: Record<ProfileName, Profile> = {
  bootstrap: {
    ...base,
    name: 'bootstrap',
    description: 'A start-up: a shared team of four, one inbox, nothing formal.',
    agents: 4,
    groups: [{ name: 'Support', share: 1 }],
    multiGroupShare: 0,
    plans: [],
    attainment: 0,
    channels: { email: 1 },
    macros: 2,
    triggers: 1,
    automations: 0,
    kbArticles: 6,
    kbFreshShare: 0.2,
    kbLinkedShare: 0,
    csatOfferedShare: 0,
    csatResponse: 0,
    csatGood: 0,
    reopenRate: 0.09,
    reassignmentRate: 0.05,
    organisations: 40,
    workHours: [8, 18],
    volumeSwing: 0.6,
    medianFirstResponseMinutes: 600,
    medianResolutionHours: 70,
  },
  structured: {
    ...base,
    name: 'structured',
    description: 'A growing team with tiers, one SLA-backed plan, macros and basic measures.',
    agents: 14,
    groups: [
      { name: 'Tier 1', share: 0.6 },
      { name: 'Tier 2', share: 0.3 },
      { name: 'Billing', share: 0.1 },
    ],
    multiGroupShare: 0.25,
    plans: [{ name: 'Standard support', tier: 1, share: 1, urgentMinutes: 60, calendar: true }],
    attainment: 0.82,
    channels: { email: 0.75, web: 0.25 },
    macros: 18,
    triggers: 9,
    automations: 3,
    kbArticles: 45,
    kbFreshShare: 0.4,
    kbLinkedShare: 0.05,
    csatOfferedShare: 0.8,
    csatResponse: 0.12,
    csatGood: 0.84,
    reopenRate: 0.06,
    reassignmentRate: 0.15,
    organisations: 300,
    workHours: [7, 19],
    volumeSwing: 0.45,
    medianFirstResponseMinutes: 120,
    medianResolutionHours: 30,
  },
  managed: {
    ...base,
    name: 'managed',
    description:
      'An enterprise support organisation: a plan portfolio, SLAs met, knowledge kept fresh, an ops team.',
    agents: 42,
    groups: [
      { name: 'L1 Support', share: 0.5 },
      { name: 'L2 Support', share: 0.3 },
      { name: 'L3 Product specialists', share: 0.15 },
      { name: 'Support Operations', share: 0.05 },
    ],
    multiGroupShare: 0.35,
    plans: [
      { name: 'Standard', tier: 1, share: 0.6, urgentMinutes: 60, calendar: true },
      { name: 'Premium', tier: 2, share: 0.3, urgentMinutes: 30, calendar: true },
      { name: 'Enterprise', tier: 3, share: 0.1, urgentMinutes: 15, calendar: true },
    ],
    plansDocumented: true,
    kbPlansArticle: true,
    olas: 1,
    attainment: 0.94,
    channels: { email: 0.45, web: 0.3, chat: 0.15, phone: 0.1 },
    macros: 80,
    triggers: 40,
    automations: 15,
    kbArticles: 400,
    kbFreshShare: 0.78,
    kbLinkedShare: 0.3,
    csatOfferedShare: 0.9,
    csatResponse: 0.16,
    csatGood: 0.91,
    reopenRate: 0.03,
    reassignmentRate: 0.12,
    problemLinkedShare: 0.005,
    organisations: 1200,
    workHours: [6, 22],
    volumeSwing: 0.08,
    medianFirstResponseMinutes: 35,
    medianResolutionHours: 14,
  },
  holistic: {
    ...base,
    name: 'holistic',
    description:
      'Support inside a post-sales organisation: success and onboarding teams, proactive plans, follow-the-sun.',
    agents: 90,
    groups: [
      { name: 'L1 Support', share: 0.4 },
      { name: 'L2 Support', share: 0.25 },
      { name: 'Escalations', share: 0.1 },
      { name: 'Customer Success', share: 0.1 },
      { name: 'Onboarding', share: 0.08 },
      { name: 'Support Operations', share: 0.07 },
    ],
    multiGroupShare: 0.4,
    plans: [
      { name: 'Standard', tier: 1, share: 0.5, urgentMinutes: 60, calendar: true },
      {
        name: 'Premium',
        tier: 2,
        share: 0.3,
        urgentMinutes: 30,
        calendar: true,
        services: ['onboarding'],
      },
      {
        name: 'Enterprise',
        tier: 3,
        share: 0.2,
        urgentMinutes: 15,
        calendar: true,
        services: ['csm', 'proactive_alerts'],
      },
    ],
    plansDocumented: true,
    kbPlansArticle: true,
    olas: 3,
    attainment: 0.95,
    channels: { email: 0.35, web: 0.25, chat: 0.2, phone: 0.08, api: 0.04, monitoring: 0.08 },
    macros: 150,
    triggers: 70,
    automations: 30,
    kbArticles: 900,
    kbFreshShare: 0.85,
    kbLinkedShare: 0.4,
    csatOfferedShare: 0.95,
    csatResponse: 0.32,
    csatGood: 0.93,
    reopenRate: 0.02,
    reassignmentRate: 0.1,
    problemLinkedShare: 0.06,
    onboardingShare: 0.06,
    csmShare: 0.2,
    organisations: 2500,
    workHours: [0, 24],
    volumeSwing: 0.06,
    medianFirstResponseMinutes: 20,
    medianResolutionHours: 9,
  },
};
