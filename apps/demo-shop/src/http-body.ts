/** A request the shop refuses, with the status and the message its client gets. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The largest JSON body an admin route reads: the biggest fault spec is well under 1 KiB. */
export const MAX_BODY_BYTES = 65_536;

/**
 * A request's JSON body; an empty one reads as `{}` (`DELETE`, a flush of everything). Bad JSON is
 * a 400 and a body over `limit` a 413, never "no body": a flush given garbage must not read it as
 * "flush everything".
 */
export async function readJsonBody(
  chunks: AsyncIterable<Buffer | string>,
  limit = MAX_BODY_BYTES,
): Promise<unknown> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += bytes.length;
    if (size > limit) throw new HttpError(413, `body: larger than ${limit} bytes`);
    parts.push(bytes);
  }
  const text = Buffer.concat(parts).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpError(400, `body: not valid JSON (${(error as Error).message})`);
  }
}

/** The request's URL; a request target no URL can be made of is a 400, not a crash. */
export function requestUrl(target: string | undefined): URL {
  try {
    return new URL(target ?? '/', 'http://localhost');
  } catch {
    throw new HttpError(400, `not a valid request target: ${JSON.stringify(target)}`);
  }
}
