import type { Plan } from '../../../src/domain/records.js';
import { MaturityError } from '../../../src/errors.js';
import {
  SourceUnavailable,
  type PageResult,
  type StreamDefinition,
} from '../../shared/define-connector.js';
import { offeringFields, offeringToPlan } from '../map-records.js';
import type { ServiceNowConfig } from '../schemas.js';
import { readTable } from './read-table.js';

/**
 * Plans: service offerings (service_offering, CSDM / Service Portfolio Management), with the
 * number of subscribed companies from service_subscribe_company where readable. Read in full.
 * An instance without service_offering leaves the plans evidence unknown.
 */
export const serviceOffering: StreamDefinition<ServiceNowConfig> = {
  name: 'service_offering',
  kinds: ['plans'],
  fullRefresh: true,
  async sync(ctx) {
    const warnings: string[] = [];
    const offerings = [];
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
      warnings.push(`${(err as Error).message}: plans are stored without customer counts`);
      customers = undefined;
    }
    const records: Plan[] = [];
    const quarantined: NonNullable<PageResult['quarantined']> = [];
    for (const f of offerings) {
      const r = offeringToPlan(
        f,
        customers ? (customers.get(f.sys_id ?? '')?.size ?? 0) : undefined,
      );
      if (r.ok === true) records.push(r.record);
      else if (r.ok === false) quarantined.push({ error: r.error, payload: f });
    }
    await ctx.commit({
      records: { plans: records },
      quarantined,
      cursor: null,
      done: true,
      warnings,
    });
  },
};
