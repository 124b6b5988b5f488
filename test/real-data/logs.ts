import path from 'node:path';
import { convertBpic2013 } from './convert-bpic2013.js';
import { convertBpic2014 } from './convert-bpic2014.js';
import { convertHelpdesk } from './convert-helpdesk.js';
import type { RecordDocument } from './read-csv.js';

/** The real event logs: `../shared/data` beside the repository (see its README.md). */
export const DATA_DIR = path.resolve(import.meta.dirname, '../../../shared/data');

export interface RealLog {
  id: 'bpic2013' | 'bpic2014' | 'helpdesk';
  name: string;
  /** Absolute paths of the files the converter reads. */
  files: readonly string[];
  convert: () => RecordDocument;
}

const inData = (name: string) => path.join(DATA_DIR, name);

const bpic13 = inData('bpic2013_incidents_VINST-new_ibm.csv');
const bpic14Cases = inData('bpic14_incident_case_attributes_sample4000.csv');
const bpic14Activity = inData('bpic14_incident_activity_sample4000.csv');
const helpdesk = inData('helpdesk_verenich2016.csv');

export const realLogs: readonly RealLog[] = [
  {
    id: 'bpic2013',
    name: 'BPI Challenge 2013, Volvo IT VINST incidents',
    files: [bpic13],
    convert: () => convertBpic2013(bpic13),
  },
  {
    id: 'bpic2014',
    name: 'BPI Challenge 2014, Rabobank ITIL incidents (4,000-incident sample)',
    files: [bpic14Cases, bpic14Activity],
    convert: () => convertBpic2014(bpic14Cases, bpic14Activity),
  },
  {
    id: 'helpdesk',
    name: 'Helpdesk log of an Italian software company (Verenich 2016)',
    files: [helpdesk],
    convert: () => convertHelpdesk(helpdesk),
  },
];
