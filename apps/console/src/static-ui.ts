import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { INestApplication, LoggerService } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';

const HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  // the UI loads only its own files and talks only to its own API
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
};

/** The built web UI at `/`, with every non-API path answered by index.html (client routing). */
export function serveUi(app: INestApplication, dir: string, logger: LoggerService): void {
  const root = resolve(dir);
  const index = join(root, 'index.html');
  const http = app.getHttpAdapter().getInstance() as express.Express;
  http.use((_request: Request, response: Response, next: NextFunction) => {
    response.set(HEADERS);
    next();
  });
  if (!existsSync(index)) {
    logger.warn?.({ msg: 'no built UI; run npm run console:build', dir: root });
    return;
  }
  http.use(express.static(root, { index: false, maxAge: '1h' }));
  http.use((request: Request, response: Response, next: NextFunction) => {
    const isPage =
      request.method === 'GET' &&
      !request.path.startsWith('/api/') &&
      !['/healthz', '/metrics'].includes(request.path);
    if (!isPage) return next();
    response.set('cache-control', 'no-cache');
    response.sendFile(index);
  });
}
