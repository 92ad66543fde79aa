import { JEMALLOC_PATHS, serviceAllocatorEnv } from './service-allocator';

describe('the memory allocator a service runs with', () => {
  it('preloads jemalloc for the model gateway when the library is installed', () => {
    const installed = (path: string) => path === JEMALLOC_PATHS[2];
    expect(serviceAllocatorEnv('model-gateway', installed)).toEqual({
      LD_PRELOAD: '/usr/lib64/libjemalloc.so.2',
    });
  });

  it('falls back to two glibc arenas for the model gateway without jemalloc', () => {
    expect(serviceAllocatorEnv('model-gateway', () => false)).toEqual({ MALLOC_ARENA_MAX: '2' });
  });

  it('leaves the allocator of every other service alone', () => {
    expect(serviceAllocatorEnv('correlator', () => true)).toEqual({});
    expect(serviceAllocatorEnv('all-in-one', () => true)).toEqual({});
  });
});
