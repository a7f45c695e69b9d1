/**
 * `gateway-lab run` as a learner reads it: the API at the top, the execution log (or, with
 * --brief, one line per step), every value of a multi-value header on its own line, both ends of
 * a repeated request, whole WebSocket frames, the browser's view of CORS — and the PASS/FAIL
 * lines and exit codes scripts rely on, unchanged.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand, runOne } from '../../main/cli/commands/run';

const scenarios = path.resolve(import.meta.dirname, '../../scenarios');

async function run(file: string, options: { brief?: boolean; quiet?: boolean } = {}): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await runOne(path.join(scenarios, file), { stdout: (s) => (out += s), stderr: (s) => (out += s) }, options);
  return { code, out };
}

describe('gateway-lab run', () => {
  it('prints the API first, then per request the execution log, and keeps the PASS lines', async () => {
    const { code, out } = await run('rest/hello-mock.yaml');
    expect(code).toBe(0);
    expect(out).toContain('The API: REST API "hello", deployed to stage "prod"');
    expect(out).toMatch(/GET \/prod\/hello +MOCK integration \(no backend\); its integration response's mapping template: \{"message": "Hello from API Gateway!"/);
    expect(out).toContain('Execution log for request');
    expect(out).toMatch(/^PASS step 1: GET \/prod\/hello → 200$/m);
    expect(out).toMatch(/^PASS step 2: GET \/hello → 403 \(stopped at route\)$/m);
    expect(out).toContain('PASSED: 4/4 steps of rest-hello-mock');
  });

  it('--brief: one line per pipeline step instead of the execution log, and the function log without START/END', async () => {
    const { code, out } = await run('rest/routing.yaml', { brief: true });
    expect(code).toBe(0);
    expect(out).not.toContain('Execution log for request');
    expect(out).not.toContain('X-Amz-Security-Token');
    expect(out).toContain('   [route] Stage "prod", deployment');
    expect(out).toMatch(/ {3}\[route\] \(stopped here\) .*matches \/pets\/7\/toys/);
    expect(out).not.toMatch(/\[(receive|monitoring|authorizer)\]/);
    expect(out).toContain('Init Duration');
    expect(out).not.toMatch(/^ {2}START RequestId/m);
    expect(out).toMatch(/^PASS step 13: GET \/prod\/pets\/7 → 200$/m);
  });

  it('prints each value of a multi-value header on its own line (two Set-Cookie headers, not one joined)', async () => {
    const { out } = await run('rest/malformed-proxy-response.yaml', { brief: true });
    expect(out).toContain('\n   Set-Cookie: session=abc; Secure\n   Set-Cookie: theme=dark\n');
  });

  it('shows the first and the last of a repeated request', async () => {
    const { out } = await run('http/throttling.yaml', { brief: true });
    const step1 = out.slice(out.indexOf('# Step 1'), out.indexOf('PASS step 1'));
    expect(step1).toContain('(the request is sent 2 times, one after the other; both are shown)');
    expect(step1).toContain('route 2 → 1');
    expect(step1.match(/^GET \/search → 200$/gm)).toHaveLength(2);
  });

  it('prints WebSocket frames whole', async () => {
    const { out } = await run('websocket/route-selection.yaml');
    expect(out).toMatch(/⇒ alice \[routeResponse, \+\d+ ms\]: \{"joined": true, "route": "join", "connectionId": "[^"]+"\}\n/);
  });

  it("says what the browser makes of a response to a page's request (Origin), and shows the headers the step sent", async () => {
    const { out } = await run('rest/gateway-responses.yaml', { brief: true });
    expect(out).toContain('   -> Origin: https://shop.example.com');
    expect(out).toContain('   browser: the page on https://shop.example.com can read this response (Access-Control-Allow-Origin: https://shop.example.com)');
    expect(out).toContain('   browser: CORS error for the page on https://shop.example.com: the response has no Access-Control-Allow-Origin header');
  });

  it('--quiet prints only the PASS lines and the result; no file is a usage error (exit 2)', async () => {
    const { out } = await run('rest/hello-mock.yaml', { quiet: true });
    expect(out.trim().split('\n').slice(1)).toEqual([
      'PASS step 1: GET /prod/hello → 200',
      'PASS step 2: GET /hello → 403 (stopped at route)',
      'PASS step 3: POST /prod/hello → 403 (stopped at route)',
      'PASS step 4: GET /prod/helo → 403 (stopped at route)',
      'PASSED: 4/4 steps of rest-hello-mock',
    ]);
    let err = '';
    expect(await runCommand(['--brief'], { stdout: () => undefined, stderr: (s) => (err += s) })).toBe(2);
    expect(err).toContain('[--brief]');
  });
});
