import type { ListedDecision } from '../../domain/decisions.js';
import { MAX_DECISION_DAYS } from '../../review/decisions.js';
import { html, type Raw } from '../../review/html/escape.js';
import { paths } from './parts.js';

/**
 * The decision forms. Each posts to the page's decision route (decide.ts), which records it
 * through the same checks as the CLI and the API. With htmx the answer swaps in place: one
 * sentence in the form's error line when the input is refused, or the page's regions drawn
 * again when it is recorded (the queue shrinks, the audit row appears). Without a script the
 * form posts as any form does and the page comes back.
 */

/** Which page a form sits on: the regions drawn again after a decision are that page's. */
export interface FormPlace {
  account: string;
  /** The page's path, to come back to without htmx. */
  back: string;
  /** account: the account page; criterion: `model/id` of a criterion page. */
  from: string;
}

const DAY = 86_400_000;
const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);
/** The last day a decision made now may run to ("2027-11-30"). */
const latestDay = (now: Date, days: number) => isoDay(now.getTime() + days * DAY);

/** A form posting one decision. `key` makes the ids of its fields unique on the page. */
function decisionForm(
  place: FormPlace,
  kind: 'attest' | 'dispute' | 'exempt' | 'override' | 'revoke',
  o: { key: string; hidden: Record<string, string>; fields: Raw; submit: string },
): Raw {
  const action = `${paths.account(place.account)}/decide/${kind}`;
  return html`<form
    method="post"
    action="${action}"
    hx-post="${action}"
    hx-target="find .form-error"
    hx-swap="innerHTML"
    class="stack decision-form"
    data-kind="${kind}"
    id="${`f-${o.key}`}"
  >
    <input type="hidden" name="from" value="${place.from}" />
    <input type="hidden" name="back" value="${place.back}" />
    ${Object.entries(o.hidden).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}" />`)}
    ${o.fields}
    <div class="form-error" aria-live="assertive"></div>
    <button type="submit">${o.submit}</button>
  </form>`;
}

const reason = (key: string, placeholder: string) =>
  html`<div class="field">
    <label for="${`${key}-reason`}"
      >Reason <span class="hint">(required; the audit trail keeps it)</span></label
    >
    <textarea
      id="${`${key}-reason`}"
      name="reason"
      maxlength="2000"
      placeholder="${placeholder}"
    ></textarea>
  </div>`;

const dateField = (key: string, name: string, label: string, hint: string, max?: string) =>
  html`<div class="field">
    <label for="${`${key}-${name}`}">${label} <span class="hint">${hint}</span></label>
    <input type="date" id="${`${key}-${name}`}" name="${name}" ${max ? html` max="${max}"` : ''} />
  </div>`;

const inPlace = (key: string, checkedYes: boolean, legend: string) =>
  html`<fieldset>
    <legend>${legend}</legend>
    <label
      ><input type="radio" name="inPlace" value="yes" ${checkedYes ? ' checked' : ''} /> In
      place</label
    >
    <label
      ><input type="radio" name="inPlace" value="no" ${checkedYes ? '' : ' checked'} /> Not in
      place</label
    >
  </fieldset>`;

export interface CriterionRefForForm {
  model: string;
  id: string;
  /** The rule's limit on how long a reviewer's statement holds (attestationValidDays). */
  validDays: number;
}

/** Attest a criterion the data cannot show: in place or not, why, until when, since when, a link. */
export function attestForm(
  place: FormPlace,
  c: CriterionRefForForm,
  o: { key: string; short?: boolean; now: Date },
): Raw {
  const max = latestDay(o.now, c.validDays);
  return decisionForm(place, 'attest', {
    key: o.key,
    hidden: { criterion: `${c.model}/${c.id}` },
    submit: 'Record the attestation',
    fields: html`${inPlace(o.key, true, 'The criterion is')}
      ${reason(o.key, 'What shows it, where it is written down')}
      <div class="fields">
        ${dateField(o.key, 'expires', 'Expires', `(default and latest: ${max})`, max)}
        ${o.short ? '' : dateField(o.key, 'since', 'True since', '(optional: counts in snapshots from then)', isoDay(o.now.getTime()))}
      </div>
      ${
        o.short
          ? ''
          : html`<div class="field">
              <label for="${`${o.key}-evidence`}"
                >Evidence link <span class="hint">(optional, http or https)</span></label
              >
              <input
                type="url"
                id="${`${o.key}-evidence`}"
                name="evidence"
                maxlength="2000"
                placeholder="https://…"
              />
            </div>`
      }`,
  });
}

/** Say the data is wrong about a criterion. */
export function disputeForm(
  place: FormPlace,
  c: CriterionRefForForm,
  o: { key: string; dataSaysMet: boolean; now: Date },
): Raw {
  const max = latestDay(o.now, c.validDays);
  return decisionForm(place, 'dispute', {
    key: o.key,
    hidden: { criterion: `${c.model}/${c.id}` },
    submit: 'Record the dispute',
    fields: html`${inPlace(o.key, !o.dataSaysMet, 'In fact the criterion is')}
      ${reason(o.key, 'What the data misses')}
      ${dateField(o.key, 'expires', 'Expires', `(default and latest: ${max})`, max)}
      <div class="field">
        <label for="${`${o.key}-evidence`}"
          >Evidence link <span class="hint">(optional)</span></label
        >
        <input
          type="url"
          id="${`${o.key}-evidence`}"
          name="evidence"
          maxlength="2000"
          placeholder="https://…"
        />
      </div>`,
  });
}

/** Not applicable: this criterion, or the whole model. */
export function exemptForm(
  place: FormPlace,
  c: { model: string; id: string; modelName: string },
  o: { key: string; now: Date },
): Raw {
  const max = latestDay(o.now, MAX_DECISION_DAYS);
  return decisionForm(place, 'exempt', {
    key: o.key,
    hidden: { criterion: `${c.model}/${c.id}` },
    submit: 'Record as not applicable',
    fields: html`<fieldset>
        <legend>Not applicable to this organisation</legend>
        <label><input type="radio" name="scope" value="criterion" checked /> This criterion</label>
        <label
          ><input type="radio" name="scope" value="model" /> The whole model (${c.modelName})</label
        >
      </fieldset>
      ${reason(o.key, 'Why it does not apply')}
      ${dateField(o.key, 'expires', 'Until', `(required; at most ${max})`, max)}`,
  });
}

/** Decide a layer's level: shown beside the suggestion, stale once the evidence changes. */
export function overrideForm(
  place: FormPlace,
  l: { model: string; layer: string; levels: { level: number; name: string }[]; suggested: number },
  o: { key: string; now: Date },
): Raw {
  const max = latestDay(o.now, MAX_DECISION_DAYS);
  return decisionForm(place, 'override', {
    key: o.key,
    hidden: { layer: `${l.model}/${l.layer}` },
    submit: 'Record the decided level',
    fields: html`<div class="field">
        <label for="${`${o.key}-level`}"
          >Decided level <span class="hint">(the evidence suggests ${l.suggested})</span></label
        >
        <select id="${`${o.key}-level`}" name="level">
          ${l.levels.map((x) => html`<option value="${x.level}" ${x.level === l.suggested ? ' selected' : ''}>${x.level} ${x.name}</option>`)}
        </select>
      </div>
      ${reason(o.key, 'Why the level differs from the suggestion')}
      ${dateField(o.key, 'expires', 'Expires', `(optional; at most ${max})`, max)}`,
  });
}

/** Take a decision back (it stays in the trail, and so does the revoke). */
export function revokeForm(place: FormPlace, d: Pick<ListedDecision, 'id'>): Raw {
  const key = `revoke-${d.id}`;
  return html`<details class="revoke">
    <summary>Revoke #${d.id}</summary>
    ${decisionForm(place, 'revoke', {
      key,
      hidden: { decision: String(d.id) },
      submit: `Revoke #${d.id}`,
      fields: reason(key, 'Why it no longer holds'),
    })}
  </details>`;
}
