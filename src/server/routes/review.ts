import { z } from 'zod';
import {
  AttestInput,
  DisputeInput,
  ExemptInput,
  OverrideInput,
  auditCsv,
  listDecisions,
  pendingCriteria,
  recordDecision,
  type DecisionInput,
} from '../../review/decisions.js';
import { RuleIndex } from '../../review/conditions.js';
import { diffSnapshots } from '../../review/diff.js';
import { rankActions } from '../../review/actions.js';
import { reviewedSnapshot, type ReviewedSnapshot } from '../../review/reviewed.js';
import { renderReportHtml } from '../../report/render-html.js';
import { loadReview } from '../../review/load.js';
import { MaturityError } from '../../errors.js';
import { API, type ServerContext, type ZodApp } from '../context.js';
import { problems } from '../problem.js';
import { Action, Decision, Diff, ListedDecision, PendingCriterion } from '../review-schemas.js';
import { AccountParams, AsOf, Snapshot, SnapshotId, answer } from '../schemas.js';

const withId = (s: ReviewedSnapshot) => ({ ...s, id: s.reviewed.snapshotId });

const Reason = z.string().describe('Why (required)');
const html = {
  200: {
    description: 'The report as one self-contained HTML page (no script, no external reference)',
    content: { 'text/html': { schema: z.string() } },
  },
};

/**
 * The review: snapshots judged with the decisions as they stand (src/review/reviewed.ts), the
 * diff between two, the ranked actions, the decisions (reviewers record them; the token's name
 * is the actor), the audit trail as CSV and the HTML report.
 */
export async function reviewRoutes(app: ZodApp, ctx: ServerContext): Promise<void> {
  const { store, rules } = ctx;
  const index = new RuleIndex(rules);
  const at = () => ({ rules, ...(ctx.now ? { now: ctx.now() } : {}) });
  const viewer = { access: 'viewer' } as const;
  const reviewed = (account: string, pick: { id?: number; asOf?: string } = {}) =>
    reviewedSnapshot(store, account, { ...at(), ...pick });

  app.get(
    `${API}/accounts/:account/snapshots/latest`,
    {
      config: viewer,
      schema: {
        tags: ['snapshots'],
        summary:
          'The latest snapshot (or the latest as of a date), with the decisions as they stand',
        params: AccountParams,
        querystring: z.object({ asOf: AsOf.optional() }),
        response: { 200: Snapshot, ...problems(404) },
      },
    },
    async (request) =>
      answer(
        Snapshot,
        withId(
          await reviewed(
            request.params.account,
            request.query.asOf ? { asOf: request.query.asOf } : {},
          ),
        ),
      ),
  );

  app.get(
    `${API}/accounts/:account/snapshots/:id`,
    {
      config: viewer,
      schema: {
        tags: ['snapshots'],
        summary: 'One snapshot by id, with the decisions valid at its as-of',
        params: AccountParams.extend({ id: SnapshotId }),
        response: { 200: Snapshot, ...problems(404) },
      },
    },
    async (request) =>
      answer(Snapshot, withId(await reviewed(request.params.account, { id: request.params.id }))),
  );

  app.get(
    `${API}/accounts/:account/snapshots/:id/diff`,
    {
      config: viewer,
      schema: {
        tags: ['snapshots'],
        summary: 'What changed between a snapshot and the one before it (or another), in words',
        params: AccountParams.extend({ id: SnapshotId }),
        querystring: z.object({
          against: SnapshotId.optional().describe('Another snapshot (default: the one before)'),
        }),
        response: { 200: Diff, ...problems(404) },
      },
    },
    async (request) => {
      const { account, id } = request.params;
      const one = await reviewed(account, { id });
      let other = request.query.against;
      if (other === undefined) {
        const list = await store.listSnapshots((await store.getAccount(account)).id);
        const at = list.findIndex((s) => s.id === id);
        other = list[at - 1]?.id;
        if (other === undefined)
          throw new MaturityError(
            'E_NO_SNAPSHOT',
            `snapshot #${id} of "${account}" is its first: there is none before it to compare with`,
          );
      }
      const two = await reviewed(account, { id: other });
      const [before, after] =
        Date.parse(one.asOf) < Date.parse(two.asOf) ||
        (one.asOf === two.asOf && one.reviewed.snapshotId < two.reviewed.snapshotId)
          ? [one, two]
          : [two, one];
      const diff = diffSnapshots(before, after, index);
      const ref = (s: ReviewedSnapshot) => ({ id: s.reviewed.snapshotId, asOf: s.asOf });
      return answer(Diff, { ...diff, from: ref(before), to: ref(after) });
    },
  );

  app.get(
    `${API}/accounts/:account/actions`,
    {
      config: viewer,
      schema: {
        tags: ['review'],
        summary:
          'The next steps, de-duplicated by the condition behind them and ranked by the levels they unlock',
        params: AccountParams,
        response: { 200: z.array(Action), ...problems(404) },
      },
    },
    async (request) =>
      answer(z.array(Action), rankActions(await reviewed(request.params.account), index)),
  );

  app.get(
    `${API}/accounts/:account/decisions`,
    {
      config: viewer,
      schema: {
        tags: ['review'],
        summary: 'The decisions with where each stands (active, expired; revoked ones on request)',
        params: AccountParams,
        querystring: z.object({
          includeRevoked: z
            .stringbool()
            .default(false)
            .describe('Revoked decisions and the revokes too'),
        }),
        response: { 200: z.array(ListedDecision), ...problems(404) },
      },
    },
    async (request) =>
      answer(
        z.array(ListedDecision),
        await listDecisions(store, request.params.account, {
          includeRevoked: request.query.includeRevoked,
          ...at(),
        }),
      ),
  );

  app.get(
    `${API}/accounts/:account/decisions/pending`,
    {
      config: viewer,
      schema: {
        tags: ['review'],
        summary: 'The criteria awaiting a decision, most useful first',
        params: AccountParams,
        response: { 200: z.array(PendingCriterion), ...problems(404) },
      },
    },
    async (request) =>
      answer(z.array(PendingCriterion), await pendingCriteria(store, request.params.account, at())),
  );

  const decide = <K extends 'attest' | 'dispute' | 'exempt' | 'override'>(
    kind: K,
    body: z.ZodType,
    summary: string,
  ) =>
    app.post(
      `${API}/accounts/:account/decisions/${kind}`,
      {
        config: { access: 'reviewer', rawBody: true },
        schema: {
          tags: ['review'],
          summary,
          params: AccountParams,
          body,
          response: { 201: Decision, ...problems(404) },
        },
      },
      async (request, reply) => {
        const actor = request.actor!;
        const input = { ...(request.rawBody as object), kind } as DecisionInput;
        const d = await recordDecision(
          store,
          request.params.account,
          input,
          { name: actor.name, token: actor.name },
          at(),
        );
        return reply.code(201).send(answer(Decision, d));
      },
    );
  decide(
    'attest',
    AttestInput,
    "Attest a criterion the data cannot show (reason required; expiry in the future, within the rule's validity)",
  );
  decide('dispute', DisputeInput, 'Dispute what the data shows about a criterion');
  decide('exempt', ExemptInput, 'Exempt a criterion, or a whole model, as not applicable');
  decide(
    'override',
    OverrideInput,
    "Decide a layer's level; shown beside the suggestion, stale when the evidence changes",
  );

  app.post(
    `${API}/accounts/:account/decisions/:decision/revoke`,
    {
      config: { access: 'reviewer' },
      schema: {
        tags: ['review'],
        summary: 'Take back a decision; both stay in the audit trail',
        params: AccountParams.extend({
          decision: z.coerce.number().int().positive().describe('The decision to revoke'),
        }),
        body: z.strictObject({ reason: Reason }),
        response: { 201: Decision, ...problems(404) },
      },
    },
    async (request, reply) => {
      const actor = request.actor!;
      const d = await recordDecision(
        store,
        request.params.account,
        { kind: 'revoke', decision: request.params.decision, reason: request.body.reason },
        { name: actor.name, token: actor.name },
        at(),
      );
      return reply.code(201).send(answer(Decision, d));
    },
  );

  const csv = {
    200: {
      description: 'The audit trail as CSV, oldest first',
      content: { 'text/csv': { schema: z.string() } },
    },
  };
  app.get(
    `${API}/accounts/:account/audit.csv`,
    {
      config: viewer,
      schema: {
        tags: ['review'],
        summary: 'The audit trail of the account: who, when, what, why, which token',
        params: AccountParams,
        response: { ...csv, ...problems(404) },
      },
    },
    async (request, reply) =>
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${request.params.account}-audit.csv"`)
        .send(await auditCsv(store, request.params.account, at())),
  );
  app.get(
    `${API}/audit.csv`,
    {
      config: viewer,
      schema: {
        tags: ['review'],
        summary: 'The audit trail of every account',
        response: { ...csv, ...problems() },
      },
    },
    async (_request, reply) =>
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="audit.csv"')
        .send(await auditCsv(store, undefined, at())),
  );

  // The report `maturity report --format html` prints: the snapshot with the ones before it (the
  // change, the history, the charts), as one self-contained page.
  const ReportQuery = z
    .object({
      asOf: AsOf.optional().describe('The latest snapshot as of this date'),
      id: SnapshotId.optional().describe('The snapshot with this id'),
    })
    .refine((q) => q.asOf === undefined || q.id === undefined, {
      message: 'give asOf or id, not both: each picks one snapshot',
      path: ['id'],
    });
  const report = async (account: string, q: z.output<typeof ReportQuery>) =>
    renderReportHtml(
      (
        await loadReview(store, account, {
          ...at(),
          ...(q.asOf !== undefined ? { asOf: q.asOf } : {}),
          ...(q.id !== undefined ? { id: q.id } : {}),
        })
      ).view,
    );
  app.get(
    `${API}/accounts/:account/report.html`,
    {
      config: viewer,
      schema: {
        tags: ['review'],
        summary: 'The report to forward: one self-contained HTML page',
        params: AccountParams,
        querystring: ReportQuery,
        response: { ...html, ...problems(404) },
      },
    },
    async (request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .send(await report(request.params.account, request.query)),
  );
  // The same report at the page's address (the issue's /accounts/{a}/report.html).
  app.get(
    '/accounts/:account/report.html',
    { config: viewer, schema: { params: AccountParams, querystring: ReportQuery } },
    async (request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .send(await report(request.params.account, request.query)),
  );
}
