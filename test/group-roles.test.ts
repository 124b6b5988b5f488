import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyGroup } from '../src/metrics/group-roles.js';
import { cliHome } from './helpers/cli.js';

describe('reading a group name', () => {
  it.each([
    ['Tier 1', 'name', ['tier1']],
    ['Tier II', 'name', ['tier2']],
    ['L1 Support', 'name', ['tier1']],
    ['T2 EMEA', 'name', ['tier2']],
    ['2nd line', 'name', ['tier2']],
    ['Second level support', 'name', ['tier2']],
    ['Service Desk', 'name', ['tier1']],
    // BPIC 2013: a team code, then its line.
    ['G230 2nd', 'name', ['tier2']],
    ['L3 2nd', 'name', ['tier2']],
    ['V5 3rd', 'name', ['tier3']],
    ['L3 Product specialists', 'name', ['product', 'tier3']],
    ['Network team', 'name', ['product']],
    ['Billing', 'name', ['product']],
    ['Knowledge Team', 'name', ['specialist']],
    ['Support Operations', 'name', ['ops']],
    ['Escalations', 'name', ['escalation']],
    ['Customer Success', 'name', ['success']],
    ['Acme BPO', 'name', ['partner']],
    ['Support', 'none', []],
    ['First Response', 'none', []],
    // Anonymised codes are never taken for tiers or anything else.
    ['L2', 'opaque', []],
    ['G97', 'opaque', []],
    ['Group 70', 'opaque', []],
    ['TEAM0008', 'opaque', []],
    ['Org line A2', 'opaque', []],
    ['Value 2', 'opaque', []],
  ])('"%s" reads as %s %j', (name, by, roles) => {
    const g = classifyGroup({ id: name, name });
    expect([g.by, g.roles]).toEqual([by, roles]);
  });

  it('takes the mapping first (by id or name, any case), then the partner flag', () => {
    const mapping = { g7: ['tier2' as const], 'group 12': 'none' as const };
    expect(classifyGroup({ id: 'g7', name: 'Group 7' }, mapping)).toMatchObject({
      by: 'mapping',
      roles: ['tier2'],
      tier: 2,
    });
    expect(classifyGroup({ id: 'x', name: 'Group 12' }, mapping)).toMatchObject({
      by: 'mapping',
      roles: [],
      partnerKnown: true,
    });
    expect(classifyGroup({ id: 'y', name: 'Group 9', partner: true })).toMatchObject({
      by: 'flag',
      roles: ['partner'],
    });
    // An unreadable, unflagged group: whether it is a partner team is not known.
    expect(classifyGroup({ id: 'z', name: 'Group 9' }).partnerKnown).toBe(false);
  });
});

describe('maturity accounts group-roles', () => {
  it('refuses a bad file in one line, naming the group, and keeps the account as it was', async () => {
    const cli = cliHome({}, { keepOpen: true });
    const records = path.join(cli.home, 'org.json');
    writeFileSync(
      records,
      JSON.stringify({
        tickets: [{ sourceId: '1', createdAt: '2026-06-01T00:00:00Z', status: 'open' }],
        groups: [{ sourceId: 'g1', name: 'Group 1' }],
      }),
    );
    expect((await cli.run('import', 'records', records, '--name', 'org')).code).toBe(0);
    const bad = path.join(cli.home, 'roles.yaml');
    writeFileSync(bad, '"Group 1": [tier9]\n');
    const r = await cli.run('accounts', 'group-roles', 'org', bad);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/roles\.yaml: group "Group 1": .*tier1, tier2/);
    writeFileSync(bad, 'not: [valid');
    expect((await cli.run('accounts', 'group-roles', 'org', bad)).err).toMatch(/not valid YAML/);

    const good = path.join(cli.home, 'good.yaml');
    writeFileSync(good, '"Group 1": [tier1, product]\n');
    const ok = await cli.run('accounts', 'group-roles', 'org', good);
    expect(ok.out).toMatch(/1 groups mapped/);
    const snap = await cli.run('snapshot', 'org', '--as-of', '2026-06-30', '--json');
    const body = JSON.parse(snap.out) as {
      groups: { name: string; roles: string[]; by: string }[];
    };
    expect(body.groups).toEqual([
      { id: 'g1', name: 'Group 1', roles: ['product', 'tier1'], by: 'mapping' },
    ]);
    await cli.run('accounts', 'group-roles', 'org', '--clear');
    const again = JSON.parse(
      (await cli.run('snapshot', 'org', '--as-of', '2026-06-30', '--json')).out,
    ) as { groups: { by: string }[] };
    expect(again.groups[0]!.by).toBe('opaque');
  });
});
