import { heapFigures } from './heap-spaces';

describe('heapFigures', () => {
  it("reads the young generation, the heap's committed and used size and external memory", () => {
    const text = [
      '# HELP vigil_nodejs_heap_space_size_total_bytes Process heap space size total from Node.js in bytes.',
      'vigil_nodejs_heap_space_size_total_bytes{space="old"} 27787264',
      'vigil_nodejs_heap_space_size_total_bytes{space="new"} 33554432',
      'vigil_nodejs_heap_size_total_bytes 62914560',
      'vigil_nodejs_heap_size_used_bytes 41943040',
      'vigil_nodejs_external_memory_bytes 3145728',
    ].join('\n');
    expect(heapFigures(text)).toEqual({ young: 32, heapTotal: 60, heapUsed: 40, external: 3 });
  });

  it('reads them without a prefix', () => {
    expect(heapFigures('nodejs_heap_space_size_total_bytes{space="new"} 1048576\n')).toEqual({
      young: 1,
    });
  });

  it('says nothing of what the service does not report', () => {
    expect(heapFigures('process_resident_memory_bytes 1e8\n')).toEqual({});
    expect(heapFigures('')).toEqual({});
  });
});
