import { defineStream, SourceUnavailable } from '../../shared/define-connector.js';
import { mapPage } from '../../shared/map-page.js';
import { fetchTablePage } from '../client.js';
import type { ServiceNowConfig } from '../config.js';
import {
  answerPosition,
  surveyInstanceFields,
  surveyResultFields,
  surveyState,
  surveyToRating,
} from './map-survey.js';
import {
  DEFAULT_PAGE_SIZE,
  readTable,
  TableCursor,
  type TableReader,
  type TableSpec,
} from './read-table.js';
import { sysId } from './table-stream.js';

/** Instances per asmt_metric_result query (`instanceIN…`), to keep the URL short. */
const IDS_PER_QUERY = 100;

/** Without these a result cannot be placed on its question's scale. */
const REQUIRED_RESULT_FIELDS = ['instance', 'actual_value', 'metric.min', 'metric.max'];

export function surveySpec(config: ServiceNowConfig): TableSpec {
  const tables = config.surveyTriggerTables ?? ['incident'];
  return {
    table: 'asmt_assessment_instance',
    fields: surveyInstanceFields,
    required: ['sys_id', 'state', 'sys_created_on', 'sys_updated_on'],
    // Surveys only: assessments and quizzes share the table (metric_type.evaluation_method).
    filter: `trigger_tableIN${tables.join(',')}^metric_type.evaluation_method=survey`,
    mode: 'incremental',
  };
}

/**
 * CSAT: survey instances (asmt_assessment_instance) triggered by incidents, incremental on
 * sys_updated_on, one satisfaction rating each (see map-survey.ts for the rules). For each page
 * of instances, the answers of the complete ones are read from asmt_metric_result
 * (`instanceIN<sys_ids>`, 100 instances per query, paged), so memory holds one page of instances
 * and their answers, never the whole results table. Either table unreadable → SourceUnavailable:
 * csat.* stays unknown, never zero.
 */
export const asmtAssessmentInstance = defineStream<ServiceNowConfig, TableCursor>({
  name: 'asmt_assessment_instance',
  kinds: ['satisfactionRatings'],
  cursor: TableCursor,
  async sync(ctx) {
    let unscored = 0;
    let warnedFields = false;
    for await (const batch of readTable(ctx, surveySpec(ctx.config), ctx.cursor)) {
      const answered = batch.rows
        .filter((r) => r.sys_id && surveyState(r) === 'answered')
        .map((r) => r.sys_id!);
      const answers = await readAnswers(ctx, answered);
      const warnings = [...batch.warnings];
      if (answers.missingOptional.length && !warnedFields) {
        warnedFields = true;
        warnings.push(
          `table asmt_metric_result did not return field(s) ${answers.missingOptional.join(', ')}: questions are taken as higher-is-better scales`,
        );
      }
      const { records, deletes, quarantined } = mapPage(
        { items: batch.rows, invalid: batch.invalid },
        (row) => surveyToRating(row, answers.positions.get(row.sys_id ?? '') ?? []),
        {
          id: sysId,
          // A survey stored earlier as offered that is now withdrawn or unscorable.
          deleteSkipped: true,
          onSkip: (row) => {
            if (surveyState(row) === 'answered') unscored++;
          },
        },
      );
      if (batch.last && unscored) {
        warnings.push(
          `${unscored} completed survey(s) had no scale answer (text questions only, or all N/A) and are left out of csat.response_rate and csat.score`,
        );
      }
      await ctx.commit({
        records: { satisfactionRatings: records },
        deletes: { satisfactionRatings: deletes },
        quarantined,
        cursor: batch.cursor,
        done: batch.last,
        warnings,
      });
    }
  },
});

interface Answers {
  /** Instance sys_id → positions (0–1) of its scale answers. */
  positions: Map<string, number[]>;
  missingOptional: string[];
}

/** The answers of the given instances, from asmt_metric_result, as positions on their scales. */
async function readAnswers(ctx: TableReader, instances: readonly string[]): Promise<Answers> {
  const limit = ctx.config.pageSize ?? DEFAULT_PAGE_SIZE;
  const positions = new Map<string, number[]>();
  const missingOptional = new Set<string>();
  let hidden = 0;
  for (let i = 0; i < instances.length; i += IDS_PER_QUERY) {
    const chunk = instances.slice(i, i + IDS_PER_QUERY);
    for (let offset = 0, read = 0; ;) {
      ctx.signal?.throwIfAborted();
      const page = await fetchTablePage(ctx.client, {
        table: 'asmt_metric_result',
        fields: surveyResultFields,
        query: `instanceIN${chunk.join(',')}^ORDERBYsys_id`,
        limit,
        offset,
      });
      if (page.kind === 'unavailable')
        throw new SourceUnavailable(`${page.reason}: survey answers cannot be scored`);
      const missing = page.missingFields.filter((f) => REQUIRED_RESULT_FIELDS.includes(f));
      if (missing.length) {
        throw new SourceUnavailable(
          `table asmt_metric_result did not return field(s) ${missing.join(', ')} (the question's scale comes from asmt_metric: give read on it, e.g. survey_reader): survey answers cannot be scored`,
        );
      }
      for (const f of page.missingFields) missingOptional.add(f);
      for (const r of page.rows) {
        const p = answerPosition(r);
        if (p === undefined || !r.instance) continue;
        const list = positions.get(r.instance) ?? [];
        list.push(p);
        positions.set(r.instance, list);
      }
      read += page.rows.length;
      if (!page.hasMore) {
        if (read === 0 && page.total) hidden += page.total;
        break;
      }
      offset = page.nextOffset;
    }
  }
  if (instances.length && !positions.size && hidden) {
    // Completed surveys whose answers exist but ACLs hide: not "answered, unscorable".
    throw new SourceUnavailable(
      `the user may read none of the ${hidden} answers (asmt_metric_result) of ${instances.length} completed survey(s): ACLs hide them`,
    );
  }
  return { positions, missingOptional: [...missingOptional] };
}
