import { join } from 'node:path';

export const projectRoot = join(__dirname, '..', '..');
export const vigilHome = process.env.VIGIL_HOME ?? join(projectRoot, '.vigil');
export const testEnvFile = join(vigilHome, 'test-env.json');
