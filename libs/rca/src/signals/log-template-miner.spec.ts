import {
  LogTemplateMiner,
  type LogTemplateMinerSnapshot,
  maskVariables,
} from './log-template-miner';

/** Adds every line and returns the template id each one landed in. */
function mine(miner: LogTemplateMiner, lines: string[], service = 'checkout'): string[] {
  return lines.map((line) => miner.add(service, line).templateId);
}

const distinct = (ids: string[]): number => new Set(ids).size;

describe('maskVariables', () => {
  it.each([
    ['connection refused to 10.0.3.4:5432', 'connection refused to <*>'],
    ['order 12345 failed after 350 ms', 'order <*> failed after <*>'],
    ['order 77 failed after 2.5s', 'order <*> failed after <*>'],
    ['trace 4bf92f3577b34da6a3ce929d0e0e4736 dropped', 'trace <*> dropped'],
    ['user 3f2504e0-4f89-11d3-9a0c-0305e82c3301 logged in', 'user <*> logged in'],
    ['pointer 0x7ffd5e8c is null', 'pointer <*> is null'],
    ["cannot open file '/var/data/x.db'", 'cannot open file <*>'],
    ['GET /api/orders/12345 HTTP/1.1 200', 'GET /api/orders/<*> HTTP/<*> <*>'],
    ['heap at 512MB of 2 GiB', 'heap at <*> of <*>'],
  ])('%s', (line, masked) => {
    expect(maskVariables(line)).toBe(masked);
  });

  it('keeps quoted phrases, which in logfmt are the statement itself', () => {
    expect(maskVariables('level=error msg="payment declined by bank"')).toBe(
      'level=error msg="payment declined by bank"',
    );
  });

  it('reads only the first line of a stack trace', () => {
    expect(
      maskVariables(
        'java.lang.IllegalStateException: pool closed\n\tat com.shop.Pool.get(Pool.java:42)',
      ),
    ).toBe('java.lang.IllegalStateException: pool closed');
  });
});

describe('LogTemplateMiner', () => {
  it('puts variants of one HTTP access log statement in one template', () => {
    const miner = new LogTemplateMiner();
    const ids = mine(miner, [
      '10.0.3.4 - - [27/Nov/2026:08:00:01 +0000] "GET /api/orders/12345 HTTP/1.1" 200 512',
      '10.0.3.9 - - [27/Nov/2026:08:00:02 +0000] "GET /api/orders/99 HTTP/1.1" 200 1024',
      '10.1.0.7 - - [27/Nov/2026:08:00:03 +0000] "GET /api/orders/7 HTTP/1.1" 503 0',
    ]);
    expect(distinct(ids)).toBe(1);
  });

  it('learns a variable the masks cannot see and generalises the template to <*>', () => {
    const miner = new LogTemplateMiner();
    const first = miner.add('cart', 'cart updated for alice with 3 items');
    const second = miner.add('cart', 'cart updated for bob with 5 items');
    expect(first.isNew).toBe(true);
    expect(second).toEqual({
      templateId: first.templateId,
      template: 'cart updated for <*> with <*> items',
      isNew: false,
    });
  });

  it('keeps different statements apart, even when they share words', () => {
    const miner = new LogTemplateMiner();
    const ids = mine(miner, [
      'connection refused to 10.0.3.4:5432',
      'connection established to 10.0.3.4:5432',
      'order 12345 failed after 350 ms',
      'order 12345 shipped to warehouse 7',
      'java.net.ConnectException: Connection refused (Connection refused)\n\tat java.net.PlainSocketImpl.socketConnect(Native Method)',
      'java.lang.NullPointerException: Cannot invoke "String.length()" because "name" is null',
      'GET /api/orders/12 HTTP/1.1 200',
      'GET /api/users/12 HTTP/1.1 200',
    ]);
    expect(distinct(ids)).toBe(ids.length);
  });

  it('puts variants of each realistic statement in its own template', () => {
    const miner = new LogTemplateMiner();
    const groups = [
      ['connection refused to 10.0.3.4:5432', 'connection refused to 10.0.9.12:6379'],
      [
        'order 12345 failed after 350 ms',
        'order 9 failed after 1.2s',
        'order 77 failed after 20ms',
      ],
      [
        'java.net.ConnectException: Connection refused (Connection refused)\n\tat a.B.c(B.java:1)',
        'java.net.ConnectException: Connection refused (Connection refused)\n\tat x.Y.z(Y.java:99)\n\tat q.R.s(R.java:5)',
      ],
      [
        'Payment 3f2504e0-4f89-11d3-9a0c-0305e82c3301 declined for customer 42',
        'Payment 9b2d0c1e-0a1b-4c2d-8e3f-123456789abc declined for customer 7',
      ],
    ];
    const ids = groups.map((lines) => mine(miner, lines));
    for (const group of ids) expect(distinct(group)).toBe(1);
    expect(distinct(ids.map((group) => group[0]))).toBe(groups.length);
  });

  it('gives a template the same id for its whole life, and the same id on another run', () => {
    const a = new LogTemplateMiner();
    const b = new LogTemplateMiner();
    const first = a.add('cart', 'cart updated for alice with 3 items');
    a.add('cart', 'cart updated for bob with 5 items');
    a.add('cart', 'cart updated for carol with 1 items');
    expect(a.templates('cart')).toEqual([
      { templateId: first.templateId, template: 'cart updated for <*> with <*> items', count: 3 },
    ]);
    expect(b.add('cart', 'cart updated for alice with 3 items').templateId).toBe(first.templateId);
    // Pinned: ids are stored with evidence, so changing how they are made is a breaking change.
    expect(first.templateId).toBe('2da904f31664a5d1');
  });

  it('keeps services apart', () => {
    const miner = new LogTemplateMiner();
    const a = miner.add('cart', 'cache miss for key 1');
    const b = miner.add('payment', 'cache miss for key 1');
    expect(a.templateId).not.toBe(b.templateId);
    expect(b.isNew).toBe(true);
    expect(miner.templates('cart')).toHaveLength(1);
    expect(miner.templates('unknown')).toEqual([]);
  });

  it('bounds the templates per service, forgetting the least recently used', () => {
    const miner = new LogTemplateMiner({ maxClustersPerService: 3 });
    const keep = miner.add('s', 'alpha happened');
    for (const word of ['bravo', 'charlie', 'delta', 'echo']) {
      miner.add('s', `${word} happened today`);
      miner.add('s', 'alpha happened');
    }
    const templates = miner.templates('s').map((t) => t.template);
    expect(templates).toHaveLength(3);
    expect(templates).toContain('alpha happened');
    expect(templates).toContain('echo happened today');
    expect(miner.template('s', keep.templateId)?.count).toBe(5);
  });

  it('bounds the children of a tree node when a variable slips past the masks', () => {
    const miner = new LogTemplateMiner({ maxChildren: 4 });
    const ids = mine(
      miner,
      ['anna', 'ben', 'cora', 'dave', 'emil', 'fred'].map((name) => `${name} logged out now`),
    );
    expect(distinct(ids)).toBeLessThanOrEqual(4);
  });

  it('restores from a JSON snapshot and keeps matching the same templates', () => {
    const miner = new LogTemplateMiner();
    const lines = [
      'cart updated for alice with 3 items',
      'cart updated for bob with 5 items',
      'connection refused to 10.0.3.4:5432',
      'order 1 failed after 3 ms',
    ];
    const before = mine(miner, lines);
    const json = JSON.parse(JSON.stringify(miner.snapshot())) as LogTemplateMinerSnapshot;
    const restored = LogTemplateMiner.restore(json);
    expect(restored.templates('checkout')).toEqual(miner.templates('checkout'));
    const after = lines.map((line) => restored.add('checkout', line));
    expect(after.map((m) => m.templateId)).toEqual(before);
    expect(after.every((m) => !m.isNew)).toBe(true);
  });
});
