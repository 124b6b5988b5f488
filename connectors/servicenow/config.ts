import { z } from 'zod';

/** An https URL naming a host, normalised to its origin (https://acme.service-now.com). */
const instanceUrl = z.string().transform((raw, ctx) => {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    ctx.addIssue({
      code: 'custom',
      message: `must be an https URL like https://acme.service-now.com (got "${raw}")`,
    });
    return z.NEVER;
  }
  const problem =
    u.protocol !== 'https:'
      ? 'must use https'
      : !/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i.test(
            u.hostname,
          )
        ? 'must name a host such as acme.service-now.com'
        : u.username || u.password
          ? 'must not carry a user or password (use --user and --password)'
          : (u.pathname !== '/' && u.pathname !== '') || u.search || u.hash
            ? 'must be the instance address only, without a path or query'
            : '';
  if (problem) {
    ctx.addIssue({ code: 'custom', message: `${problem} (got "${raw}")` });
    return z.NEVER;
  }
  return u.origin;
});

/** --base-url: another host for the same API (a proxy, a test server); http allowed. */
const baseUrl = z.string().transform((raw, ctx) => {
  try {
    const u = new URL(raw.trim());
    if ((u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password)
      return u.toString().replace(/\/+$/, '');
  } catch {
    // not a URL at all: said below
  }
  ctx.addIssue({ code: 'custom', message: `must be an http(s) URL (got "${raw}")` });
  return z.NEVER;
});

export const ServiceNowConfig = z.object({
  instance: instanceUrl,
  baseUrl: baseUrl.optional(),
  /** Basic-auth user (not secret); absent with an OAuth token. */
  user: z.string().min(1).max(200).optional(),
  /** Records per Table API page (sysparm_limit). */
  pageSize: z.number().int().min(1).max(10_000).optional(),
  /** Surveys count for CSAT when triggered by a record of these tables (default: incident). */
  surveyTriggerTables: z
    .array(z.string().regex(/^[a-z][a-z0-9_]*$/, 'a table name such as incident'))
    .min(1)
    .max(20)
    .optional(),
});
export type ServiceNowConfig = z.infer<typeof ServiceNowConfig>;

/** Basic auth (with config.user) or an OAuth bearer token. */
export const ServiceNowSecret = z
  .object({
    password: z.string().min(1).max(1000).optional(),
    oauthToken: z.string().min(1).max(5000).optional(),
  })
  .refine((s) => Boolean(s.password || s.oauthToken), {
    path: ['password'],
    message: 'required (or --oauth-token)',
  });
export type ServiceNowSecret = z.infer<typeof ServiceNowSecret>;
