import { resolve } from 'node:path';
import { frameFile } from './profile-summary';

describe('frameFile', () => {
  // wherever the repository is cloned: the profile's paths are absolute
  const root = resolve(__dirname, '..', '..');

  it("names the repository's own files from its root, in any clone", () => {
    expect(frameFile(`file://${root}/apps/ingest/src/main.js`)).toBe('apps/ingest/src/main.js');
    expect(frameFile(`${root}/libs/messaging/src/index.js`)).toBe('libs/messaging/src/index.js');
  });

  it("names a package's files from the package", () => {
    expect(frameFile(`file://${root}/node_modules/kafkajs/src/index.js`)).toBe(
      'kafkajs/src/index.js',
    );
  });

  it('keeps what is outside the repository, and calls a frame without a file native', () => {
    expect(frameFile('node:internal/timers')).toBe('node:internal/timers');
    expect(frameFile('')).toBe('(native)');
  });
});
