import { groupFields, groupToRecord } from '../map-records.js';
import { tableStream } from './table-stream.js';

/** sys_user_group: active assignment groups (teams); deactivated ones are removed. */
export const sysUserGroup = tableStream({
  name: 'sys_user_group',
  kind: 'groups',
  spec: {
    table: 'sys_user_group',
    fields: groupFields,
    required: ['sys_id', 'name', 'sys_updated_on'],
    mode: 'incremental',
  },
  map: groupToRecord,
});
