import { Plan } from '../../../src/domain/records.js';
import { MaturityError } from '../../../src/errors.js';
import { defineStream, noCursor, SourceUnavailable } from '../../shared/define-connector.js';
import { checked, mapPage, type Mapped } from '../../shared/map-page.js';
import type { ServiceNowConfig } from '../config.js';
import { date, opt, type Fields } from '../values.js';
import { readTable } from './read-table.js';
import { sysId } from './table-stream.js';

export const offeringFields = ['sys_id', 'name', 'sys_created_on', 'sys_updated_on'] as const;

/** A service offering is a plan; `customers` the companies subscribed to it, where readable. */
export function offeringToPlan(f: Fields, customers: number | undefined): Mapped<Plan> {
  return checked(Plan, {
    sourceId: f.sys_id,
    name: f.name ?? f.sys_id,
    ...opt('customerCount', customers),
    ...opt('createdAt', date(f.sys_created_on)),
    ...opt('updatedAt', date(f.sys_updated_on)),
  });
}

/**
 * Plans: service offerings (service_offering, CSDM / Service Portfolio Management), with the
 * number of subscribed companies from service_subscribe_company where readable. Read in full
 * each sync and committed in one page. An instance without service_offering leaves the plans
 * evidence unknown.
 */
export const serviceOffering = defineStream<ServiceNowConfig, never>({
  name: 'service_offering',
  kinds: ['plans'],
  cursor: noCursor,
  fullRefresh: true,
  async sync(ctx) {
    const warnings: string[] = [];
    const offerings: Fields[] = [];
    for await (const batch of readTable(
      ctx,
      { table: 'service_offering', fields: offeringFields, required: ['sys_id'], mode: 'full' },
      undefined,
    )) {
      warnings.push(...batch.warnings);
      offerings.push(...batch.rows);
    }
    let customers: Map<string, Set<string>> | undefined = new Map();
    try {
      for await (const batch of readTable(
        ctx,
        {
          table: 'service_subscribe_company',
          fields: ['sys_id', 'service_offering', 'core_company'],
          required: ['service_offering', 'core_company'],
          mode: 'full',
        },
        undefined,
      )) {
        warnings.push(...batch.warnings);
        for (const r of batch.rows) {
          if (!r.service_offering || !r.core_company) continue;
          const set = customers.get(r.service_offering) ?? new Set<string>();
          set.add(r.core_company);
          customers.set(r.service_offering, set);
        }
      }
    } catch (err) {
      // Unreadable, or its fields differ on this instance: the offerings still count as plans.
      if (!(err instanceof SourceUnavailable || err instanceof MaturityError)) throw err;
      warnings.push(`${err.message}: plans are stored without customer counts`);
      customers = undefined;
    }
    const { records, quarantined } = mapPage(
      { items: offerings },
      (f) => offeringToPlan(f, customers ? (customers.get(f.sys_id ?? '')?.size ?? 0) : undefined),
      { id: sysId },
    );
    await ctx.commit({
      records: { plans: records },
      quarantined,
      cursor: null,
      done: true,
      warnings,
    });
  },
});
