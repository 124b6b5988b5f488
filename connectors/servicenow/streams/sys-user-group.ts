import { Group } from '../../../src/domain/records.js';
import { checked, skip, type Mapped } from '../../shared/map-page.js';
import { bool, date, opt, type Fields } from '../values.js';
import { tableStream } from './table-stream.js';

export const groupFields = [
  'sys_id',
  'name',
  'active',
  'sys_created_on',
  'sys_updated_on',
] as const;

/** An active group (team); an inactive one is not evidence (skipped, so deleted if stored). */
export function groupToRecord(f: Fields): Mapped<Group> {
  if (bool(f.active) === false) return skip;
  return checked(Group, {
    sourceId: f.sys_id,
    name: f.name ?? f.sys_id,
    ...opt('createdAt', date(f.sys_created_on)),
  });
}

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
