import { defaultServiceLabels, resolveService, toEntityName } from './service-resolution';

describe('resolveService', () => {
  it('takes the first label of the order that is present', () => {
    expect(
      resolveService({ job: 'node', app: 'cart', service: 'checkout' }, defaultServiceLabels),
    ).toBe('checkout');
    expect(resolveService({ job: 'node', app: 'cart' }, defaultServiceLabels)).toBe('cart');
    expect(
      resolveService(
        { job: 'kubernetes-pods', app_kubernetes_io_name: 'payment' },
        defaultServiceLabels,
      ),
    ).toBe('payment');
    expect(
      resolveService({ job: 'kubernetes-pods', k8s_app: 'kube-dns' }, defaultServiceLabels),
    ).toBe('kube-dns');
    expect(resolveService({ job: 'node-exporter' }, defaultServiceLabels)).toBe('node-exporter');
  });

  it('says unknown when no label names a service', () => {
    expect(resolveService({ instance: 'a:1' }, defaultServiceLabels)).toBe('unknown');
    expect(resolveService({ service: ' ', app: '' }, defaultServiceLabels)).toBe('unknown');
  });

  it('skips a label whose value leaves nothing usable, and follows a configured order', () => {
    expect(resolveService({ service: '???', app: 'cart' }, defaultServiceLabels)).toBe('cart');
    expect(resolveService({ service: 'a', team_service: 'b' }, ['team_service', 'service'])).toBe(
      'b',
    );
  });

  it('does not read object keys as labels', () => {
    expect(resolveService({}, ['constructor', 'toString'])).toBe('unknown');
  });
});

describe('toEntityName', () => {
  it('keeps plain names and cleans the others into ones the contract accepts', () => {
    expect(toEntityName('checkout')).toBe('checkout');
    expect(toEntityName('team/payments@eu:v2.1_x')).toBe('team/payments@eu:v2.1_x');
    expect(toEntityName('  Payment Gateway ')).toBe('Payment-Gateway');
    expect(toEntityName('--svc')).toBe('svc');
    expect(toEntityName('zahlungsdienst-ü')).toBe('zahlungsdienst--');
    expect(toEntityName('x'.repeat(300))).toHaveLength(200);
    expect(toEntityName('ü')).toBeUndefined();
  });
});
