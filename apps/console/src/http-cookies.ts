import type { Request, Response } from 'express';

export function readCookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key !== name) continue;
    try {
      return decodeURIComponent(rest.join('='));
    } catch {
      return undefined; // a mangled cookie is no session, not a server error
    }
  }
  return undefined;
}

export function setCookie(
  response: Response,
  name: string,
  value: string,
  options: { maxAgeMs: number; secure: boolean; sameSite?: 'strict' | 'lax' },
): void {
  response.cookie(name, value, {
    httpOnly: true,
    sameSite: options.sameSite ?? 'strict',
    secure: options.secure,
    path: '/',
    maxAge: options.maxAgeMs,
  });
}

export function clearCookie(response: Response, name: string): void {
  response.clearCookie(name, { httpOnly: true, sameSite: 'strict', path: '/' });
}
