/**
 * Name patterns that classify groups, tags and channels, as PostgreSQL regular expressions
 * (case-insensitive `~*`; `\y` is a word boundary). Kept in one place so the rules README can cite
 * them and a connector can set flags instead when it knows better.
 */
export const groupPatterns = {
  /** Support tiers: L1, Tier 2, 2nd line, level 3… */
  tiered: String.raw`\y(l|t|tier|level|line)[ _-]?[1-4]\y|\y(1st|2nd|3rd|first|second|third)[ _-]?(line|level|tier)\y`,
  /** A support-operations / workforce team. */
  ops: String.raw`\y(ops|operations|workforce|wfm|enablement)\y`,
  /** A dedicated escalation team. */
  escalation: String.raw`escalat|\yswat\y|\ytiger\y|\ycritical response\y`,
  /** Other post-sales functions in the same tool. */
  success: String.raw`success|onboarding|implementation|adoption|\ycsm\y|account manag|professional services|training`,
  /** Partner / outsourced teams. */
  partner: String.raw`partner|vendor|outsourc|\ybpo\y|contractor|third[ -]party`,
  /** Special roles: knowledge, readiness, self-service owners. */
  specialist: String.raw`knowledge|\ykcs\y|readiness|self[ -]?service|content|documentation`,
} as const;

/** Channels and tags that mark work the company started itself (monitoring, API, outbound). */
export const proactiveChannels = ['api', 'monitoring', 'outbound', 'alert', 'event'];
export const proactiveTags = String.raw`^(proactive|alert|monitoring|outbound|health[_-]?check)$`;
/** Tickets resolved by a bot or an AI agent. */
export const botChannels = ['bot', 'virtual_agent', 'ai_agent', 'answer_bot'];
export const botTags = String.raw`^(bot|ai|answer_?bot|ai_resolved|bot_resolved|virtual_agent|auto_?resolved)$`;
/** Onboarding and implementation work. */
export const onboardingTags = String.raw`onboarding|implementation|kickoff|go[_-]?live`;
/** A help-centre article that publishes plans or SLAs to customers. */
export const plansArticleTitle = String.raw`\y(sla|slas|service level|support plans?|support polic(y|ies)|support tiers?|support offerings?|premium support)\y`;
