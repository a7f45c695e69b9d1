/**
 * `npm run bench` imports every module in test/bench/ (but run.ts and types.ts) and calls its
 * bench(). A helper placed there by mistake runs its top-level code on import and can take the
 * whole run down (a server script did): helpers belong in test/bench/workers/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = path.join(__dirname, '..', 'bench');

describe('the benchmark harness', () => {
  it('finds only benchmark modules: each one exports bench()', () => {
    const modules = fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && !['run.ts', 'types.ts'].includes(f));
    expect(modules.length).toBeGreaterThan(5);
    for (const f of modules) expect(fs.readFileSync(path.join(dir, f), 'utf8'), f).toMatch(/export (async )?function bench\(/);
  });
});
