import type { FastifyReply } from 'fastify';
import { html, raw, type Raw } from '../../review/html/escape.js';
import type { Actor } from '../api-tokens.js';
import type { QueueLink } from './deps.js';
import { assetUrl } from './static.js';

/** A link of the trail at the top of a page; the last one is the page itself. */
export interface Crumb {
  text: string;
  href?: string;
}

export interface PageOptions {
  title: string;
  /** Who is looking (none on the login page). */
  actor?: Actor;
  crumbs?: Crumb[];
  main: Raw;
  /** The page draws charts: load uPlot. */
  charts?: boolean;
  /** Where an admin finds the queue (Bull Board when the server runs queued). */
  queue?: QueueLink;
}

/**
 * The page shell: the page's own CSS and script, htmx, and uPlot where there are charts, all from
 * this server. A status is never shown by colour alone: each carries a symbol and a word
 * (`mark`); the CSS only adds colour to what the text already says.
 */
export function layout(o: PageOptions): string {
  const crumbs = o.crumbs ?? [];
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="htmx-config" content='{"includeIndicatorCSS": false}' />
        <title>${o.title} · support maturity</title>
        ${o.charts ? html`<link rel="stylesheet" href="${assetUrl('uPlot.min.css')}" />` : ''}
        <link rel="stylesheet" href="${assetUrl('review.css')}" />
        <link rel="stylesheet" href="${assetUrl('page.css')}" />
        <link rel="icon" href="data:," />
        <script src="${assetUrl('htmx.min.js')}" defer></script>
        ${o.charts ? html`<script src="${assetUrl('uPlot.iife.min.js')}" defer></script>` : ''}
        <script src="${assetUrl('page.js')}" defer></script>
      </head>
      <body>
        <header class="top">
          <nav aria-label="Where you are" class="crumbs">
            <a href="/" class="brand">Support maturity</a>${crumbs.map(
              (c, i) =>
                html`<span class="sep" aria-hidden="true">›</span>${
                    c.href && i < crumbs.length - 1
                      ? html`<a href="${c.href}">${c.text}</a>`
                      : html`<span aria-current="page">${c.text}</span>`
                  }`,
            )}
          </nav>
          ${o.actor ? who(o.actor, o.queue) : ''}
        </header>
        <main id="main">${o.main}</main>
      </body>
    </html> `.html;
}

/** Who is signed in, with their role, the queue for admins, and a way out. */
function who(a: Actor, queue: QueueLink | undefined): Raw {
  const local = a.via === 'insecure-local';
  return html`<div class="who">
    <span
      >${a.name}
      <span class="role">(${a.role}${local ? ', no token: --insecure-local' : ''})</span></span
    >
    ${
      a.role === 'admin' && queue
        ? html`<a href="${queue.url}" ${queue.title ? html` title="${queue.title}"` : ''}
            >${queue.text}</a
          >`
        : ''
    }
    ${local ? '' : html`<form method="post" action="/logout" class="inline"><button type="submit" class="link">Sign out</button></form>`}
  </div>`;
}

/** A status as a symbol and a word (never colour alone); `kind` only picks the colour. */
export function mark(kind: string, symbol: string, words: string): Raw {
  return html`<span class="mark mark-${kind}"
    ><span class="sym" aria-hidden="true">${symbol}</span> ${words}</span
  >`;
}

/** A page that says one thing went wrong (an account not found, a role too low). */
export function problemPage(o: {
  title: string;
  detail: string;
  actor?: Actor;
  action?: Raw;
}): string {
  return layout({
    title: o.title,
    ...(o.actor ? { actor: o.actor } : {}),
    crumbs: [{ text: o.title }],
    main: html`<section class="card problem" role="alert">
      <h1>${o.title}</h1>
      <p>${o.detail}</p>
      ${o.action ?? raw('<p><a href="/">Back to the portfolio</a></p>')}
    </section>`,
  });
}

/** One sentence for an htmx swap: the error shown where the form is. */
export const errorFragment = (detail: string): string =>
  html`<p class="error" role="alert">${detail}</p>`.html;

/** Answers a page. */
export const sendPage = (reply: FastifyReply, o: PageOptions) =>
  reply.type('text/html; charset=utf-8').send(layout(o));
