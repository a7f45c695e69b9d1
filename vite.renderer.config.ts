/**
 * The renderer's Vite options, shared by `electron-vite build` (electron.vite.config.ts) and the
 * web host's own build (main/web/build.ts): one renderer, the same files in both hosts.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import type { UserConfig } from 'vite';

const root = path.dirname(fileURLToPath(import.meta.url));

export const RENDERER_OUT_DIR = path.join(root, 'out', 'renderer');

export function rendererConfig(extra: { plugins?: UserConfig['plugins'] } = {}): UserConfig {
  return {
    root: path.join(root, 'renderer'),
    base: './',
    plugins: [react(), ...(extra.plugins ?? [])],
    build: {
      outDir: RENDERER_OUT_DIR,
      emptyOutDir: true,
      target: 'chrome130',
      sourcemap: false,
      minify: true,
      // No data: URLs (the CSP has none): assets stay files.
      assetsInlineLimit: 0,
      reportCompressedSize: false,
      rolldownOptions: { input: path.join(root, 'renderer', 'index.html') },
    },
  };
}

export default rendererConfig();
