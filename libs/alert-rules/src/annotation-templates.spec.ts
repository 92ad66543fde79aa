import { renderAnnotations, renderTemplate } from './annotation-templates';

const labels = { service: 'cart', instance: 'cart-1', route: '/cart/add' };

describe('renderTemplate', () => {
  it('fills in service, instance, labels and the formatted value', () => {
    expect(
      renderTemplate('{{service}} ({{ instance }}) {{labels.route}}: {{value}}', {
        labels,
        value: 0.125,
        unit: 'ratio',
      }),
    ).toBe('cart (cart-1) /cart/add: 12.5%');
  });

  it('reads rules copied from Prometheus', () => {
    expect(renderTemplate('{{ $labels.service }} at {{ $value }}', { labels, value: 3 })).toBe(
      'cart at 3',
    );
  });

  it('writes an unknown label as nothing, not as braces', () => {
    expect(renderTemplate('[{{pod}}]', { labels, value: 1 })).toBe('[]');
  });
});

describe('renderAnnotations', () => {
  it('renders every annotation and leaves absent ones out', () => {
    expect(
      renderAnnotations(
        {
          summary: '{{service}} slow',
          description: undefined,
          runbook_url: 'https://rb/{{service}}',
        },
        { labels, value: 1 },
      ),
    ).toEqual({ summary: 'cart slow', runbook_url: 'https://rb/cart' });
  });
});
