import { z } from 'zod';

/**
 * The vendor's shapes, as its API documentation gives them (put the doc URL above each). Loose
 * on purpose: unknown keys pass and only the fields we read are checked. Envelopes are parsed
 * whole; items one by one, so that a bad record is quarantined instead of failing the page.
 */

const id = z.union([z.number().int(), z.string().min(1)]).transform(String);

// GET /api/v1/me
export const TemplateMe = z.object({
  user: z.looseObject({ id, email: z.string().nullish() }),
});

// GET /api/v1/tickets?page=N
export const TemplateTicket = z.looseObject({
  id,
  created_at: z.string(),
  status: z.string(),
  priority: z.string().nullish(),
});
export type TemplateTicket = z.infer<typeof TemplateTicket>;

export const TemplateTicketPage = z.object({
  tickets: z.array(z.unknown()),
  next_page: z.number().int().nullish(),
});
