import type { UserConfig } from 'vite' with { 'resolution-mode': 'import' };
type ReactPlugin = typeof import('@vitejs/plugin-react', { with: { 'resolution-mode': 'import' } });
const c: UserConfig = { root: __dirname };
export const r: ReactPlugin | undefined = undefined;
export default c;
