import { taskSlaFields, taskSlaToOutcome } from '../map-records.js';
import { tableStream } from './table-stream.js';

/** task_sla: per-incident SLA outcomes (met / breached / in progress). Needs read on task_sla. */
export const taskSla = tableStream({
  name: 'task_sla',
  kind: 'slaOutcomes',
  spec: {
    table: 'task_sla',
    fields: taskSlaFields,
    required: ['sys_id', 'task', 'stage', 'sys_updated_on'],
    filter: 'task.sys_class_name=incident',
    mode: 'incremental',
  },
  map: taskSlaToOutcome,
});
