import { unsupportedSchemaParts } from './json-schema-support';

describe('unsupportedSchemaParts', () => {
  it('accepts the subset the grammar enforces', () => {
    expect(
      unsupportedSchemaParts({
        title: 'step',
        type: 'object',
        properties: {
          action: { enum: ['restart', 'noop'] },
          at: { type: 'string', format: 'date-time' },
          tags: { type: 'array', items: { type: ['string', 'null'], maxLength: 10 }, maxItems: 3 },
          choice: { oneOf: [{ const: 1 }, { $ref: '#/$defs/x' }] },
        },
        $defs: { x: { type: 'integer' } },
        required: ['action'],
        additionalProperties: false,
      }),
    ).toEqual([]);
  });

  it('names every part the grammar would silently ignore', () => {
    expect(
      unsupportedSchemaParts({
        type: 'object',
        properties: {
          id: { type: 'string', pattern: '^x' },
          n: { type: 'decimal' },
          when: { type: 'string', format: 'email' },
        },
        anyOf: [],
      }),
    ).toEqual([
      'schema.properties.id.pattern: not supported by the grammar',
      'schema.properties.n.type: unknown type "decimal"',
      'schema.properties.when.format: only date-time, time and date are supported',
      'schema.anyOf: not supported by the grammar',
    ]);
  });
});
