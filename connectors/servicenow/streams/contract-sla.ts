import { contractSlaFields, contractSlaToPolicy } from '../map-records.js';
import { tableStream } from './table-stream.js';

/** contract_sla: SLA / OLA / underpinning-contract definitions with their targets. */
export const contractSla = tableStream({
  name: 'contract_sla',
  kind: 'slaPolicies',
  spec: {
    table: 'contract_sla',
    fields: contractSlaFields,
    required: ['sys_id', 'sys_updated_on'],
    mode: 'incremental',
  },
  map: contractSlaToPolicy,
});
