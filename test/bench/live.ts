/**
 * live.*: requests per second of the live endpoint against a bare Node hello world, same
 * machine, same load generator (autocannon, 50 connections), each server in its own process.
 * The MOCK and Lambda-proxy routes are served by the real `gateway-lab serve` (as a user runs
 * it, tracing on, its default window of recent traces); requests per second count 2xx answers
 * only.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { BenchResults } from './types';

const dir = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(dir, '../..');
const SECONDS = Number(process.env.LIVE_BENCH_SECONDS ?? 8);

function serverCommand(mode: 'node' | 'mock' | 'lambda'): string[] {
  if (mode === 'node') return ['--import', 'tsx', path.join(dir, 'workers', 'live-server.ts')];
  return [path.join(root, 'main/cli/bin.mjs'), 'serve', path.join(dir, 'scenarios', `live-${mode}.yaml`), '--port', '0', '--quiet'];
}

async function measure(mode: 'node' | 'mock' | 'lambda'): Promise<{ rps: number; non2xx: number }> {
  const child = spawn(process.execPath, serverCommand(mode), { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        const line = buf.split('\n')[0]!;
        // `gateway-lab serve` says "Listening on http://127.0.0.1:PORT/prod"; the baseline prints its URL.
        if (buf.includes('\n')) resolve(mode === 'node' ? line.trim() : `${line.replace(/^Listening on /, '').trim()}/hello`);
      });
      child.on('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
    });
    const run = (duration: number) => autocannon({ url, connections: 50, duration });
    await run(2); // warm-up: JIT, warm Lambda containers
    const r = await run(SECONDS);
    // Only answers the route was built for count: a 429 or an error is cheaper than a 200.
    return { rps: Math.round(r['2xx'] / r.duration), non2xx: r.non2xx + r.errors };
  } finally {
    child.kill('SIGTERM');
  }
}

export async function bench(): Promise<BenchResults> {
  const node = await measure('node');
  const mock = await measure('mock');
  const lambda = await measure('lambda');
  const ratio = Math.round((mock.rps / node.rps) * 100) / 100;
  return {
    'live.nodeBaselineRps': { value: node.rps, unit: 'req/s' },
    'live.mockRps': { value: mock.rps, unit: 'req/s', ...(mock.non2xx ? { skipped: `${mock.non2xx} non-2xx responses` } : {}) },
    'live.mockRatio': { value: ratio, unit: 'ratio', target: 0.5, ok: ratio >= 0.5 },
    'live.lambdaRps': { value: lambda.rps, unit: 'req/s', target: 15_000, ok: lambda.rps >= 15_000, ...(lambda.non2xx ? { skipped: `${lambda.non2xx} non-2xx responses` } : {}) },
  };
}
