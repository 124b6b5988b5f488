import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Decision } from '../../domain/decisions.js';
import { MaturityError } from '../../errors.js';
import { recordDecision, type DecisionInput } from '../../review/decisions.js';
import { html, type Raw } from '../../review/html/escape.js';
import { accountRegions, decidedWords } from './account.js';
import { criterionPage, criterionRegions } from './criterion.js';
import type { PageDeps } from './deps.js';
import { errorFragment, problemPage } from './layout.js';
import { accountPage } from './load.js';
import { LocalPath } from './login.js';

const text = (max: number) =>
  z
    .string({ error: `must be text of at most ${max} characters` })
    .max(max, `must be at most ${max} characters`)
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));

/** The decision forms' fields, as a browser posts them (all text; empty means not given). */
const DecisionForm = z.object({
  from: z.string().max(300).default('account'),
  back: LocalPath.default('/'),
  criterion: text(300),
  layer: text(300),
  level: text(10),
  inPlace: z.enum(['yes', 'no']).optional(),
  scope: z.enum(['criterion', 'model']).default('criterion'),
  reason: text(4000),
  expires: text(100),
  since: text(100),
  evidence: text(2100),
  decision: text(20),
});
type DecisionForm = z.output<typeof DecisionForm>;

const Kind = z.enum(['attest', 'dispute', 'exempt', 'override', 'revoke']);

/** How the forms name their fields, for the one sentence that says what to fix. */
const LABELS: Record<string, string> = {
  reason: 'Reason',
  expires: 'Expiry date',
  since: 'True since',
  evidence: 'Evidence link',
  level: 'Decided level',
  layer: 'Layer',
  criterion: 'Criterion',
  model: 'Model',
  decision: 'Decision',
  inPlace: 'In place or not',
  by: 'The signed-in token',
};
const label = (field: string) => LABELS[field] ?? field;

const sentence = (s: string) => {
  const t = s.charAt(0).toUpperCase() + s.slice(1);
  return /[.!?]$/.test(t) ? t : `${t}.`;
};

/** The form as the decision the review records (the same input the CLI and the API give). */
function toInput(kind: z.output<typeof Kind>, f: DecisionForm): DecisionInput {
  const opt = <K extends string>(k: K, v: string | undefined) =>
    (v === undefined ? {} : { [k]: v }) as Partial<Record<K, string>>;
  const number = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  switch (kind) {
    case 'attest':
      return {
        kind,
        criterion: f.criterion!,
        inPlace: f.inPlace !== 'no',
        reason: f.reason!,
        ...opt('expires', f.expires),
        ...opt('since', f.since),
        ...opt('evidence', f.evidence),
      };
    case 'dispute':
      return {
        kind,
        criterion: f.criterion!,
        inPlace: f.inPlace === 'yes',
        reason: f.reason!,
        ...opt('expires', f.expires),
        ...opt('evidence', f.evidence),
      };
    case 'exempt':
      return f.scope === 'model'
        ? { kind, model: f.criterion?.split('/')[0] ?? '', reason: f.reason!, expires: f.expires! }
        : { kind, criterion: f.criterion!, reason: f.reason!, expires: f.expires! };
    case 'override':
      return {
        kind,
        layer: f.layer!,
        level: number(f.level)!,
        reason: f.reason!,
        ...opt('expires', f.expires),
      };
    case 'revoke':
      return { kind, decision: number(f.decision)!, reason: f.reason! };
  }
}

/**
 * The decisions from the page: a reviewer's form, recorded by `recordDecision` with the checks
 * of the CLI and the API (one sentence naming the field when refused, nothing stored). The
 * token's name is the actor. A post from another site is refused (with --insecure-local there is
 * no cookie to protect it). With htmx, the page's regions come back drawn again.
 */
export function decideRoutes(app: FastifyInstance, deps: PageDeps): void {
  app.post<{ Params: { account: string; kind: string } }>(
    '/accounts/:account/decide/:kind',
    { config: { access: 'reviewer' } },
    async (request, reply) => {
      checkSameOrigin(request);
      const kind = Kind.safeParse(request.params.kind);
      if (!kind.success)
        throw new MaturityError('E_NOT_FOUND', `no decision "${request.params.kind}"`);
      const form = DecisionForm.safeParse(request.body ?? {});
      if (!form.success) {
        const issue = form.error.issues[0]!;
        return refuse(
          request,
          reply,
          `${label(String(issue.path[0] ?? 'form'))} ${issue.message}`,
          '/',
        );
      }
      const f = form.data;
      const actor = request.actor!;
      let decision: Decision;
      try {
        decision = await recordDecision(
          deps.store,
          request.params.account,
          toInput(kind.data, f),
          { name: actor.name, ...(actor.via === 'insecure-local' ? {} : { token: actor.name }) },
          { rules: deps.rules, label, ...(deps.now ? { now: deps.now() } : {}) },
        );
      } catch (err) {
        if (err instanceof MaturityError && err.code === 'E_INPUT')
          return refuse(request, reply, err.message, f.back);
        throw err;
      }
      if (request.headers['hx-request'] !== 'true')
        return reply.code(303).header('location', f.back).send();
      const regions = await regionsFor(deps, request, f.from);
      const notice = `Recorded #${decision.id}: ${KIND_DONE[decision.kind]} ${decidedWords(decision)}, by ${decision.actor}.`;
      return reply.type('text/html; charset=utf-8').send(
        partials({
          notice: html`<p id="notice" class="notice" role="status">✓ ${notice}</p>`,
          ...regions,
        }),
      );
    },
  );
}

const KIND_DONE: Record<Decision['kind'], string> = {
  attest: 'attested',
  dispute: 'disputed',
  exempt: 'not applicable',
  override: 'level decided',
  revoke: 'revoked',
};

/** The regions of the page the form was on, drawn again with the decision. */
async function regionsFor(
  deps: PageDeps,
  request: FastifyRequest<{ Params: { account: string } }>,
  from: string,
): Promise<Record<string, Raw>> {
  const m = /^criterion:([a-z0-9-]+)\/([a-z0-9-]+)$/.exec(from);
  if (m)
    return criterionRegions(
      await criterionPage(deps, { account: request.params.account, model: m[1]!, id: m[2]! }),
      request.actor!,
      deps,
    );
  return accountRegions(await accountPage(deps, request.params.account), request.actor!, deps);
}

/** Each region swapped in place of the element with its id (htmx 4 partials). */
const partials = (regions: Record<string, Raw>): string =>
  Object.entries(regions)
    .map(
      ([id, markup]) =>
        html`<hx-partial hx-target="#${id}" hx-swap="outerHTML">${markup}</hx-partial>`.html,
    )
    .join('\n');

/** Refused: one sentence where the form is (htmx), or a page saying it with a way back. */
function refuse(request: FastifyRequest, reply: FastifyReply, message: string, back: string) {
  const detail = sentence(message);
  reply.code(422).type('text/html; charset=utf-8');
  if (request.headers['hx-request'] === 'true') return reply.send(errorFragment(detail));
  return reply.send(
    problemPage({
      title: 'Not recorded',
      detail,
      ...(request.actor ? { actor: request.actor } : {}),
      action: html`<p><a href="${back}">Back</a>: nothing was recorded.</p>`,
    }),
  );
}

/**
 * A decision must come from this server's own page: a browser says where a post comes from
 * (Origin, Sec-Fetch-Site), and a post from another site is refused.
 */
function checkSameOrigin(request: FastifyRequest): void {
  const site = request.headers['sec-fetch-site'];
  const origin = request.headers.origin;
  const host = request.headers.host;
  const hostOf = (o: string) => {
    try {
      return new URL(o).host;
    } catch {
      return undefined;
    }
  };
  const cross =
    (typeof site === 'string' && site !== 'same-origin' && site !== 'none') ||
    (typeof origin === 'string' && hostOf(origin) !== host);
  if (cross)
    throw new MaturityError(
      'E_FORBIDDEN',
      'a decision must be made from this server’s own page, not from another site',
    );
}
