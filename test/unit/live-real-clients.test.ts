/**
 * `gateway-lab serve` with the clients people really use: the curl binary for HTTP and wscat for
 * WebSocket, each a separate process talking to the CLI over real sockets on 127.0.0.1.
 */
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

const root = path.join(__dirname, '..', '..');
const run = promisify(execFile);
const hasCurl = spawnSync('curl', ['--version']).status === 0;
if (!hasCurl) console.warn('[live clients] curl tests skipped: no curl on PATH (CI installs it)');

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGTERM');
});

/** Starts `gateway-lab serve <scenario> --port 0` and resolves with the URL of its first line. */
async function serve(scenario: string): Promise<{ url: string; output: () => string }> {
  const child = spawn(process.execPath, [path.join(root, 'main/cli/bin.mjs'), 'serve', path.join(root, 'scenarios', scenario), '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const first = out.split('\n')[0]!;
      if (out.includes('\n')) resolve(first.replace(/^Listening on /, ''));
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
    setTimeout(() => reject(new Error('serve printed nothing within 20 s')), 20_000);
  });
  return { url, output: () => out };
}

describe.skipIf(!hasCurl)('curl against gateway-lab serve', () => {
  it('gets the MOCK answer, the 403 of an unknown path, and AWS headers', async () => {
    const { url, output } = await serve('rest/hello-mock.yaml');
    const ok = await run('curl', ['-s', '-i', `${url}/hello`]);
    expect(ok.stdout).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(ok.stdout).toMatch(/\r\nx-amzn-RequestId: [0-9a-f-]{36}\r\n/i);
    expect(ok.stdout).toContain('Hello from API Gateway!');
    const missing = await run('curl', ['-s', '-i', `${url}/nope`]);
    expect(missing.stdout).toMatch(/^HTTP\/1\.1 403 Forbidden\r\n/);
    expect(missing.stdout).toMatch(/\r\nx-amzn-ErrorType: MissingAuthenticationTokenException\r\n/i);
    expect(missing.stdout).toContain('{"message":"Missing Authentication Token"}');
    // Every request prints its execution log in the terminal that runs serve.
    await expect.poll(output).toContain('Starting execution for request');
  });
});

describe('wscat against gateway-lab serve', () => {
  it('sends messages over a real WebSocket and prints the frames the routes send back', async () => {
    const { url } = await serve('websocket/route-selection.yaml');
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/dev$/);
    const wscat = spawn(process.execPath, [path.join(root, 'node_modules/wscat/bin/wscat'), '-c', url, '-x', '{"action": "join"}', '-x', 'hello', '-w', '1'], {
      // wscat quits when its stdin closes: keep it open until it is done.
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    children.push(wscat);
    let out = '';
    wscat.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    wscat.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => wscat.on('exit', resolve));
    expect(code, out).toBe(0);
    const frames = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(frames[0]).toMatchObject({ joined: true, route: 'join' });
    expect(frames[1]).toEqual({ route: '$default', got: 'hello', hint: 'send {"action": "join"}' });
  });
});
