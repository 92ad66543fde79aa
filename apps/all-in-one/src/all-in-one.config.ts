import { z } from 'zod';
import { defineEnvConfig } from '@vigil/config';

export const allInOneEnvSchema = z.object({
  ALL_IN_ONE_APPS: z
    .string()
    .optional()
    .describe(
      'Comma-separated apps to run in the one process; unset: every app but chatops. Each app reads its own variables as when run alone.',
    ),
});

export const allInOneEnv = defineEnvConfig({
  app: 'all-in-one',
  schema: allInOneEnvSchema.transform((env) => ({ apps: env.ALL_IN_ONE_APPS })),
});
