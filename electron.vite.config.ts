/**
 * `npm run build` (electron-vite): the Electron main process (out/main), the sandboxed preload
 * (out/preload/index.cjs: sandboxed preloads must be one CommonJS file) and the renderer
 * (out/renderer, the same build the web host serves).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { rendererConfig } from './vite.renderer.config';

const root = path.dirname(fileURLToPath(import.meta.url));

/**
 * The engine starts its Lambda sandbox with `new Worker(new URL('./sandbox-worker.mjs',
 * import.meta.url))`. Bundled, import.meta.url is out/main/index.js, so the worker file goes
 * next to it (it imports quickjs-emscripten from node_modules at run time).
 */
function copySandboxWorker(): Plugin {
  return {
    name: 'gateway-lab:sandbox-worker',
    generateBundle() {
      this.emitFile({
        type: 'asset',
        fileName: 'sandbox-worker.mjs',
        source: fs.readFileSync(path.join(root, 'engine/backends/lambda/sandbox-worker.mjs'), 'utf8'),
      });
    },
  };
}

export default defineConfig({
  main: {
    plugins: [copySandboxWorker()],
    build: {
      outDir: path.join(root, 'out/main'),
      rolldownOptions: { input: { index: path.join(root, 'main/electron/main.ts') } },
    },
  },
  preload: {
    build: {
      outDir: path.join(root, 'out/preload'),
      rolldownOptions: {
        input: { index: path.join(root, 'main/electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: rendererConfig(),
});
