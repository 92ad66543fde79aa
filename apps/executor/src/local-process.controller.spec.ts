import crypto from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { VIGIL_SETTINGS } from '@vigil/messaging';
import { ExecutorService } from './executor.service';
import { LocalProcessController } from './local-process.controller';

const TOKEN = 'admin-token-0123456789abcdef';

describe('the local-process API (/api/v1/local-process)', () => {
  let app: INestApplication;
  let base: string;
  const deploy = jest.fn(async () => undefined);
  const local = {
    instances: (target: string) => {
      if (target !== 'checkout') throw new Error(`no ${target}`);
      return [{ pid: 1, version: 'v1' }];
    },
    deploy,
  };
  const announceRelease = jest.fn(async () => undefined);

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      controllers: [LocalProcessController],
      providers: [
        { provide: VIGIL_SETTINGS, useValue: { adminToken: TOKEN } },
        { provide: ExecutorService, useValue: { localProcesses: local, announceRelease } },
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });

  afterAll(async () => {
    await app.close();
  });

  beforeEach(() => deploy.mockClear());

  const instances = (authorization?: string) =>
    fetch(`${base}/api/v1/local-process/checkout/instances`, {
      headers: authorization === undefined ? {} : { authorization },
    });

  it('lets in `Bearer <token>`, the scheme in any case', async () => {
    for (const header of [`Bearer ${TOKEN}`, `bearer ${TOKEN}`, `BEARER   ${TOKEN} `]) {
      const response = await instances(header);
      expect({ header, status: response.status }).toEqual({ header, status: 200 });
    }
  });

  it('answers a missing or malformed header 401 with WWW-Authenticate, a bare token too', async () => {
    for (const header of [undefined, TOKEN, `Basic ${TOKEN}`, 'Bearer', `Bearer ${TOKEN} x`]) {
      const response = await instances(header);
      expect({ header, status: response.status }).toEqual({ header, status: 401 });
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="vigil-executor"');
      expect(((await response.json()) as { message: string }).message).toBe(
        'send Authorization: Bearer <token> (the EXECUTOR_ADMIN_TOKEN)',
      );
    }
  });

  it('answers a wrong token 401 whatever its length, and deploys nothing', async () => {
    for (const token of ['x', TOKEN.slice(0, -1), `${TOKEN}0`, TOKEN.replace('a', 'b')]) {
      const response = await fetch(`${base}/api/v1/local-process/checkout/deployments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ version: 'v2' }),
      });
      expect({ token, status: response.status }).toEqual({ token, status: 401 });
      expect(response.headers.get('www-authenticate')).toBe(
        'Bearer realm="vigil-executor", error="invalid_token"',
      );
    }
    expect(deploy).not.toHaveBeenCalled();
  });

  it('compares 32-byte digests in constant time, so a short token takes as long as any', async () => {
    const compare = jest.spyOn(crypto, 'timingSafeEqual');
    try {
      expect((await instances('Bearer x')).status).toBe(401);
      expect(compare).toHaveBeenCalledTimes(1);
      const [a, b] = compare.mock.calls[0] as [Buffer, Buffer];
      expect([a.length, b.length]).toEqual([32, 32]);
    } finally {
      compare.mockRestore();
    }
  });

  it('deploys a version sent as JSON, and refuses a body sent as anything else', async () => {
    const post = (contentType: string) =>
      fetch(`${base}/api/v1/local-process/checkout/deployments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': contentType },
        body: JSON.stringify({ version: 'v2' }),
      });
    expect((await post('text/plain')).status).toBe(415);
    expect(deploy).not.toHaveBeenCalled();
    expect((await post('application/json')).status).toBe(202);
    expect(deploy).toHaveBeenCalledWith('checkout', 'v2');
  });

  it('says which service it does not run, once the caller is known', async () => {
    const response = await fetch(`${base}/api/v1/local-process/nope/instances`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(response.status).toBe(404);
  });
});
