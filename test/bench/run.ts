/**
 * `npm run bench`: every benchmark module in this folder, one JSON object on stdout:
 * {"results": {"<name>": {"value": n, "unit": "…", "target": n, "ok": bool}}}
 * Progress goes to stderr so stdout stays machine-readable. Select modules with arguments:
 * `npm run bench -- sandbox vtl`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResults } from './types';

const dir = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const modules = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && !['run.ts', 'types.ts'].includes(f))
  .map((f) => f.replace(/\.ts$/, ''))
  .filter((name) => only.length === 0 || only.includes(name))
  .sort();

const results: BenchResults = {};
for (const name of modules) {
  process.stderr.write(`bench: ${name}…\n`);
  const mod = (await import(path.join(dir, `${name}.ts`))) as { bench?: () => Promise<BenchResults> };
  if (typeof mod.bench !== 'function') continue;
  try {
    Object.assign(results, await mod.bench());
  } catch (err) {
    results[`${name}.error`] = { value: null, unit: '', skipped: err instanceof Error ? err.message : String(err) };
  }
}
process.stdout.write(`${JSON.stringify({ results }, null, 2)}\n`);
process.exit(0);
