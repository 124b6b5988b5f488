import type { RuleSet } from '../../engine/index.js';
import type { Store } from '../../store/store.js';

/** What the page routes need from the server. */
export interface PageDeps {
  store: Store;
  /** The rules snapshots are read with (the server's). */
  rules: RuleSet;
  /** MATURITY_API_TOKEN, to sign in with. */
  envToken?: string;
  /** Where admins see the queue: Bull Board when the server runs queued, else its counts. */
  queue?: QueueLink;
  /** The clock (tests). */
  now?: () => Date;
}

/** The admin's link to the queue, as the page header shows it. */
export interface QueueLink {
  url: string;
  text: string;
  title?: string;
}
