import { JEMALLOC_PATHS, serviceAllocatorEnv } from './service-allocator';

describe('the memory allocator a service runs with', () => {
  it('preloads jemalloc for the services that allocate natively when it is installed', () => {
    const installed = (path: string) => path === JEMALLOC_PATHS[2];
    for (const service of ['model-gateway', 'correlator', 'all-in-one'])
      expect(serviceAllocatorEnv(service, installed)).toEqual({
        LD_PRELOAD: '/usr/lib64/libjemalloc.so.2',
      });
  });

  it('falls back to two glibc arenas for the model gateway only, without jemalloc', () => {
    expect(serviceAllocatorEnv('model-gateway', () => false)).toEqual({ MALLOC_ARENA_MAX: '2' });
    expect(serviceAllocatorEnv('correlator', () => false)).toEqual({});
  });

  it('gives every other service two glibc arenas and a fixed mmap threshold, jemalloc or not', () => {
    const tunables = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' };
    for (const service of ['ingest', 'planner', 'ruler', 'topology-sync'])
      for (const installed of [true, false])
        expect(serviceAllocatorEnv(service, () => installed)).toEqual(tunables);
  });
});
