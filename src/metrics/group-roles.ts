import { z } from 'zod';
import type { GroupReading } from '../domain/evidence.js';

/**
 * How a group reads: the support roles its name (or the account's mapping, or the source's
 * partner flag) shows. Names are a weak signal, so the conventions are broad, anonymised codes
 * ("Group 70", "TEAM0008", "G97") are recognised as saying nothing, and a user can map groups to
 * roles (`maturity accounts group-roles`). Pure functions.
 */
export const groupRoles = [
  'tier1',
  'tier2',
  'tier3',
  'tier4',
  'product',
  'specialist',
  'ops',
  'escalation',
  'success',
  'partner',
] as const;
export type GroupRole = (typeof groupRoles)[number];

/** A group-roles file: group name or id → its roles, or "none". */
export const GroupRolesMapping = z.record(
  z.string().min(1).max(500),
  z.union([z.literal('none'), z.array(z.enum(groupRoles)).min(1).max(10)]),
);
export type GroupRolesMapping = z.infer<typeof GroupRolesMapping>;

const ORDINALS: Record<string, number> = {
  '1st': 1,
  '2nd': 2,
  '3rd': 3,
  '4th': 4,
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
};
const ROMAN: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4 };

/** "2nd", "3rd line", "second level", "first-line" (an ordinal word needs line/level/tier). */
const ORDINAL_TIER =
  /(?:^|[^a-z0-9])(?:(1st|2nd|3rd|4th)(?:[ _.-]*(?:line|level|tier|lvl))?|(first|second|third|fourth)[ _.-]*(?:line|level|tier|lvl))(?![a-z0-9])/i;
/** "Tier 1", "Level 2", "Line 3", "lvl2", "Tier II". */
const WORD_TIER = /(?:^|[^a-z0-9])(?:tier|level|line|lvl)[ _.-]?([1-4]|iv|i{1,3})(?![a-z0-9])/i;
/** "1 line", "2-level". */
const NUMBER_WORD_TIER = /(?:^|[^a-z0-9])([1-4])[ _.-]?(?:line|level|tier)(?![a-z0-9])/i;
/** ITIL's first line: the service desk or help desk. */
const DESK_TIER = /(?:^|[^a-z0-9])(?:service|help)[ _-]?desk(?![a-z0-9])/i;
/** "L1", "T2": only beside a word that makes it a team name ("L1 Support"), never a bare code. */
const SHORT_TIER = /(?:^|[^a-z0-9])[lt][ _.-]?([1-4])(?![a-z0-9])/i;

const ROLE_PATTERNS: [GroupRole, RegExp][] = [
  ['specialist', /knowledge|\bkcs\b|readiness|self[ _-]?service|\bcontent\b|documentation/i],
  [
    'product',
    /specialist|expert|\bsmes?\b|\bproducts?\b|platform|network|database|\bdba\b|security|infrastructure|\bcloud\b|\bsap\b|oracle|windows|linux|unix|mobile|hardware|storage|\bservers?\b|devops|integration|billing|payments?|\bapi\b/i,
  ],
  ['ops', /\bops\b|operations|workforce|\bwfm\b|enablement/i],
  ['escalation', /escalat|\bswat\b|\btiger\b|critical[ _-]?response|major[ _-]?incident/i],
  [
    'success',
    /success|onboarding|implementation|adoption|\bcsms?\b|account[ _-]?manag|professional[ _-]?services|training/i,
  ],
  ['partner', /partner|vendor|outsourc|\bbpo\b|contractor|third[ _-]?party/i],
];

/** Words that name nothing about a role: a name made only of these and codes is opaque. */
const GENERIC = new Set([
  'group',
  'groups',
  'grp',
  'team',
  'teams',
  'queue',
  'value',
  'org',
  'line',
  'unit',
  'resolver',
  'assignment',
  'the',
  'and',
  'of',
]);
const CODE = /^[a-z]{0,4}\d+[a-z]{0,2}$/i;

/** The tier level a name states, if any (1–4). */
export function tierOf(name: string): number | undefined {
  const o = ORDINAL_TIER.exec(name);
  if (o) return ORDINALS[(o[1] ?? o[2])!.toLowerCase()];
  const w = WORD_TIER.exec(name);
  if (w) return Number(w[1]) || ROMAN[w[1]!.toLowerCase()];
  const n = NUMBER_WORD_TIER.exec(name);
  if (n) return Number(n[1]);
  const s = SHORT_TIER.exec(name);
  if (s && readableWords(name.replace(s[0], ' ')).length > 0) return Number(s[1]);
  if (DESK_TIER.test(name)) return 1;
  return undefined;
}

/** The words of a name that could say something (not codes, numbers or generic words). */
function readableWords(name: string): string[] {
  return name
    .split(/[^a-z0-9]+/i)
    .filter((w) => w.length >= 3 && !CODE.test(w) && !GENERIC.has(w.toLowerCase()));
}

/** A name made only of codes, numbers and generic words ("Group 70", "TEAM0008", "G97"). */
export const isOpaque = (name: string) => readableWords(name).length === 0;

export interface GroupInput {
  id: string;
  name: string;
  partner?: boolean | null;
}

export interface ClassifiedGroup extends GroupReading {
  tier?: number;
  /** Whether the group is a partner team is known (named, flagged or mapped). */
  partnerKnown: boolean;
}

/** Roles of one group, from the mapping (by id, then by name), else its name and partner flag. */
export function classifyGroup(g: GroupInput, mapping: GroupRolesMapping = {}): ClassifiedGroup {
  const mapped = mapping[g.id] ?? mapping[g.name] ?? lookupInsensitive(mapping, g.name);
  if (mapped) {
    const roles = mapped === 'none' ? [] : [...new Set(mapped)].sort();
    return reading(g, roles, 'mapping', true);
  }
  const roles = new Set<GroupRole>();
  const tier = tierOf(g.name);
  if (tier) roles.add(`tier${tier}` as GroupRole);
  for (const [role, re] of ROLE_PATTERNS) if (re.test(g.name)) roles.add(role);
  const named = roles.size > 0;
  if (g.partner) roles.add('partner');
  const by = named ? 'name' : g.partner ? 'flag' : isOpaque(g.name) ? 'opaque' : 'none';
  const partnerKnown = roles.has('partner') || g.partner === false || by !== 'opaque';
  return reading(g, [...roles].sort(), by, partnerKnown);
}

function reading(
  g: GroupInput,
  roles: string[],
  by: GroupReading['by'],
  partnerKnown: boolean,
): ClassifiedGroup {
  const tier = roles.find((r) => /^tier[1-4]$/.test(r));
  return {
    id: g.id,
    name: g.name,
    roles,
    by,
    partnerKnown,
    ...(tier ? { tier: Number(tier.slice(4)) } : {}),
  };
}

function lookupInsensitive(mapping: GroupRolesMapping, name: string) {
  const key = name.trim().toLowerCase();
  for (const [k, v] of Object.entries(mapping)) if (k.trim().toLowerCase() === key) return v;
  return undefined;
}
