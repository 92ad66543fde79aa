import { z } from 'zod';

/** Reusable validators for environment variables, each with a message that says what is expected. */
export const envPort = (fallback: number) =>
  z.coerce
    .number({ error: 'must be a TCP port number' })
    .int('must be a whole number')
    .min(1, 'must be between 1 and 65535')
    .max(65535, 'must be between 1 and 65535')
    .default(fallback);

export const envHostPortList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine(
      (value) => value.split(',').every((part) => /^[A-Za-z0-9.-]+:\d{1,5}$/.test(part.trim())),
      'must be a comma-separated list of host:port, e.g. localhost:9092',
    )
    .transform((value) => value.split(',').map((part) => part.trim()));

export const envUrl = (fallback: string, protocols: string[]) =>
  z
    .string()
    .default(fallback)
    .refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol.replace(':', ''));
        } catch {
          return false;
        }
      },
      `must be a URL with scheme ${protocols.join(' or ')}`,
    );

export const envLogLevel = z
  .enum(['debug', 'info', 'warn', 'error'], { error: 'must be one of debug, info, warn, error' })
  .default('info')
  .describe('Least severe log level written: debug, info, warn or error.');

export const envBoolean = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1');
