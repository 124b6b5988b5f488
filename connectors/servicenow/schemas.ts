import { z } from 'zod';

/**
 * Vendor shapes: what the ServiceNow Table API sends.
 * https://www.servicenow.com/docs/ → API reference → REST APIs → Table API
 */

/**
 * One field value. Every value is a string; a reference field is a plain sys_id with
 * `sysparm_exclude_reference_link=true`, `{value, link}` by default, `{display_value, link}` with
 * `sysparm_display_value=true`, `{display_value, value, link}` with `all`. Some proxies send numbers,
 * booleans or null. `values.ts` reduces all of them to one string.
 */
export const ServiceNowValue = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.null(),
  z.looseObject({
    value: z.unknown().optional(),
    display_value: z.unknown().optional(),
    link: z.string().optional(),
  }),
]);

export const ServiceNowRow = z.record(z.string(), ServiceNowValue);
export type ServiceNowRow = z.infer<typeof ServiceNowRow>;

/** GET /api/now/table/{tableName}; rows are parsed one by one (ServiceNowRow). */
export const ServiceNowTablePage = z.object({ result: z.array(z.unknown()) });

/** Error bodies: {"error": {"message": "...", "detail": "..."}, "status": "failure"} */
export const ServiceNowErrorBody = z.looseObject({
  error: z.looseObject({
    message: z.string().nullish(),
    detail: z.string().nullish(),
  }),
  status: z.string().optional(),
});
