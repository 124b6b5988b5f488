import { contractSlaFields, contractSlaToPolicy } from '../map-records.js';
import { tableStream } from './table-stream.js';

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
