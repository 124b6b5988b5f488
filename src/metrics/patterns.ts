/**
 * Name patterns that classify tags, channels and help-centre titles, as PostgreSQL regular
 * expressions (case-insensitive `~*`; `\y` is a word boundary). Group names are read in
 * group-roles.ts. Kept in one place so the rules README can cite them and a connector can set
 * flags instead when it knows better.
 */

/**
 * Channels and tags that mark work the company started itself (monitoring, alerts, outbound).
 * Tags are stored in lower case (src/domain/records.ts), so these lists are matched exactly with
 * the array-overlap operator, which costs nothing next to a regular expression per tag.
 */
export const proactiveChannels = ['monitoring', 'outbound', 'alert', 'event'];
/**
 * Channels of tickets another system opened through the helpdesk's API (Zendesk's `api` and
 * `web_service`, mapped to `api`): a monitoring tool's alert, or just as often a customer's
 * request sent by a web form, a shop or a CRM. Their origin is undetermined: neither proactive
 * work nor a customer request as far as the data says, unless a proactive tag settles it.
 */
export const apiChannels = ['api'];
export const proactiveTags = [
  'proactive',
  'alert',
  'monitoring',
  'outbound',
  'health_check',
  'health-check',
  'healthcheck',
];
/** Tickets resolved by a bot or an AI agent. */
export const botChannels = ['bot', 'virtual_agent', 'ai_agent', 'answer_bot'];
export const botTags = [
  'bot',
  'ai',
  'answer_bot',
  'answerbot',
  'ai_resolved',
  'bot_resolved',
  'virtual_agent',
  'auto_resolved',
  'autoresolved',
];
/** Onboarding and implementation work. */
export const onboardingTags = String.raw`onboarding|implementation|kickoff|go[_-]?live`;
/**
 * A help-centre article that publishes plans, SLAs or support hours to customers: "SLA",
 * "Service levels and support hours", "Support plans", "Our response times"…
 */
export const plansArticleTitle = String.raw`\y(slas?|xlas?|service[ -]levels?|service level agreements?|support (plans?|polic(y|ies)|tiers?|offerings?|levels?|hours|packages?|options|entitlements?)|premium support|response times?|service (descriptions?|catalog(ue)?|hours))\y`;
