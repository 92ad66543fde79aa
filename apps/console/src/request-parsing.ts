import { BadRequestException } from '@nestjs/common';
import type { z } from 'zod';

/** A request part checked against its schema; a 400 naming each wrong field otherwise. */
export function parseRequest<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: string,
): z.output<S> {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  throw new BadRequestException(
    parsed.error.issues
      .map((i) => `${where}${i.path.length ? `.${i.path.join('.')}` : ''}: ${i.message}`)
      .join('; '),
  );
}
