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
 * next to it (it imports quickjs-emscripten from node_modules at run time). In the packaged app
 * both are unpacked from the asar archive (electron-builder.yml, asarUnpack), because a worker
 * thread loads its module from disk; the worker's URL is pointed there.
 */
const WORKER_URL = 'new URL("./sandbox-worker.mjs", import.meta.url)';
const SANDBOX_WORKER_FILES = ['sandbox-worker.mjs', 'service-clients.mjs'];

function copySandboxWorker(): Plugin {
  return {
    name: 'gateway-lab:sandbox-worker',
    renderChunk(code) {
      if (!code.includes(WORKER_URL)) return null;
      return code.replace(WORKER_URL, 'new URL("./sandbox-worker.mjs", import.meta.url.replace("/app.asar/", "/app.asar.unpacked/"))');
    },
    generateBundle(_options, bundle) {
      const main = Object.values(bundle).find((c) => c.type === 'chunk' && c.isEntry);
      if (main && main.type === 'chunk' && !main.code.includes('sandbox-worker.mjs", import.meta.url.replace(')) {
        this.error('the engine no longer starts its sandbox worker as expected; update copySandboxWorker in electron.vite.config.ts');
      }
      // The worker and the modules it imports at run time (the SDK-shaped service clients).
      for (const file of SANDBOX_WORKER_FILES) {
        this.emitFile({ type: 'asset', fileName: file, source: fs.readFileSync(path.join(root, 'engine/backends/lambda', file), 'utf8') });
      }
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
