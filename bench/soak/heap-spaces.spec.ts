import { youngGenerationMiB } from './heap-spaces';

describe('youngGenerationMiB', () => {
  it("reads the new space's committed size, prefixed or not", () => {
    const text = [
      '# HELP vigil_nodejs_heap_space_size_total_bytes Process heap space size total from Node.js in bytes.',
      'vigil_nodejs_heap_space_size_total_bytes{space="old"} 27787264',
      'vigil_nodejs_heap_space_size_total_bytes{space="new"} 33554432',
    ].join('\n');
    expect(youngGenerationMiB(text)).toBe(32);
    expect(youngGenerationMiB('nodejs_heap_space_size_total_bytes{space="new"} 1048576\n')).toBe(1);
  });

  it('says nothing when the service does not report heap spaces', () => {
    expect(youngGenerationMiB('process_resident_memory_bytes 1e8\n')).toBeUndefined();
    expect(youngGenerationMiB('')).toBeUndefined();
  });
});
