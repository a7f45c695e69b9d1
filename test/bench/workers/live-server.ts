/**
 * A server for the live-endpoint benchmark, run in its own process: `node` (a bare
 * http.createServer hello world, the baseline), `mock` (a MOCK route through the live endpoint
 * with tracing on) or `lambda` (a Lambda-proxy route with a sandboxed handler). Prints the URL.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadScenarioText } from '../../../engine/scenario/loader';
import { LiveEndpoint } from '../../../main/live/live-endpoint';

const mode = process.argv[2];

/**
 * The account's throttle (10,000 rps, burst 5,000) would answer most of a fast run with cheap
 * 429s; an account with a raised limit (AWS raises the rate on request) measures serving.
 */
const ACCOUNT = 'account: { throttling: { rate: 1000000, burst: 1000000 } }';

const SCENARIOS: Record<string, string> = {
  mock: `id: bench-mock
title: bench
gateway: REST
${ACCOUNT}
api:
  resources:
    /hello:
      GET:
        integration:
          type: MOCK
          requestTemplates: { application/json: '{"statusCode": 200}' }
          integrationResponses: { "200": { responseTemplates: { application/json: '{"message": "hello"}' } } }
steps: [{ say: bench }]
`,
  lambda: `id: bench-lambda
title: bench
gateway: REST
${ACCOUNT}
api:
  resources:
    /hello:
      GET:
        integration: { type: AWS_PROXY, function: hello }
functions:
  hello:
    code: "exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ message: 'hello', path: event.path }) });"
steps: [{ say: bench }]
`,
};

if (mode === 'node') {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"message":"hello"}');
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hello\n`));
} else {
  const text = SCENARIOS[mode ?? ''];
  if (!text) throw new Error(`usage: live-server.ts node|mock|lambda (got ${mode})`);
  const loaded = loadScenarioText(text, 'bench.yaml');
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const live = await LiveEndpoint.start(loaded.scenario, { port: 0, keepTraces: 100 });
  process.stdout.write(`${live.url}/hello\n`);
}

// Exit cleanly on a signal, so profilers (--cpu-prof) write their output.
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(0));
