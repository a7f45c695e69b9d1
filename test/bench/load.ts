/**
 * load.million.seconds / load.million.maxRssMb: one million requests through a REST pipeline
 * with API keys (usage plans with throttles), stage throttling and the stage cache, MOCK
 * integration, simulated on the virtual clock. It runs in a child process so that the peak RSS
 * (process.resourceUsage().maxRSS) is the simulation's own. `seconds` is the simulation's wall
 * time (module loading excluded).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResults } from './types';

const dir = path.dirname(fileURLToPath(import.meta.url));

export async function bench(): Promise<BenchResults> {
  const out = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', path.join(dir, 'workers', 'load-million.ts'), '1000000'], { cwd: path.resolve(dir, '../..'), maxBuffer: 1 << 20 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
    );
  });
  const r = JSON.parse(out.trim().split('\n').pop()!) as { requests: number; seconds: number; cpuSeconds: number; maxRssMb: number };
  const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
  return {
    'load.million.seconds': { value: round(r.seconds), unit: 's', target: 10, ok: r.seconds < 10 },
    'load.million.maxRssMb': { value: round(r.maxRssMb, 1), unit: 'MB', target: 500, ok: r.maxRssMb < 500 },
    'load.million.cpuSeconds': { value: round(r.cpuSeconds), unit: 's' },
    'load.million.requests': { value: r.requests, unit: 'requests' },
  };
}
