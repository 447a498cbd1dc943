import { z } from 'zod';

/** A service's own view of its dependencies, as answered over NATS and on its /readyz. */
export const healthReportSchema = z.object({
  service: z.string(),
  ready: z.boolean(),
  checks: z.record(z.string(), z.enum(['up', 'down'])),
});
export type HealthReport = z.infer<typeof healthReportSchema>;

export const emptyRequestSchema = z.object({}).strict();
