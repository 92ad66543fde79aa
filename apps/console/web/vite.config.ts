// Build: npx vite build --config apps/console/web/vite.config.ts  (writes <repo>/dist/console-web)
// Dev:   npx vite --config apps/console/web/vite.config.ts        (proxies the API on :3110)
// Typecheck this file: npx tsc -p apps/console/web/tsconfig.node.json
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const api = 'http://127.0.0.1:3110';
const proxy = {
  '/api': { target: api, changeOrigin: false },
  '/healthz': { target: api, changeOrigin: false },
};

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    // relative to root: the folder apps/console serves at /
    outDir: '../../../dist/console-web',
    emptyOutDir: true,
    sourcemap: true,
  },
  server: { port: 5173, proxy },
  preview: { proxy },
});
