import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { comparePrices, compareTraces, formatPrices } from '../../engine/compare/compare';
import { loadScenarioFile } from '../../engine/scenario/loader';
import { ScenarioSession } from '../../engine/scenario/session';
import { runOne } from '../../main/cli/commands/run';

const scenarios = path.resolve(import.meta.dirname, '../../scenarios');

async function runScenario(file: string) {
  const loaded = loadScenarioFile(path.join(scenarios, file));
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
  const session = await ScenarioSession.open(loaded.scenario);
  try {
    return await session.runAll();
  } finally {
    await session.close();
  }
}

describe('REST vs HTTP comparison', () => {
  it('aligns traces by phase and names what differs', async () => {
    const outcomes = await runScenario('compare/pets-rest-vs-http.yaml');
    const first = compareTraces(outcomes[0]!.traces);
    expect(first.gateways).toEqual(['REST', 'HTTP']);
    expect(first.lanes.map((l) => l.phase)).toEqual(expect.arrayContaining(['routing', 'throttling', 'integration']));
    // Both throttle now (REST: method and account buckets); validation is REST's alone.
    expect(first.onlyOneSide).toEqual(expect.arrayContaining([{ gateway: 'REST', step: 'validate', phase: 'validation' }]));
    expect(first.event?.formats).toEqual({ REST: '1.0', HTTP: '2.0' });
    expect(first.event?.onlyIn.HTTP).toEqual(expect.arrayContaining(['version', 'routeKey', 'rawPath', 'rawQueryString']));
    expect(first.event?.onlyIn.REST).toEqual(expect.arrayContaining(['multiValueHeaders', 'httpMethod']));
    const notFound = compareTraces(outcomes[2]!.traces);
    expect(notFound.errorBodies).toEqual({
      REST: { statusCode: 403, body: '{"message":"Missing Authentication Token"}' },
      HTTP: { statusCode: 404, body: '{"message":"Not Found"}' },
    });
  });

  it('prices a million requests from the cost model', () => {
    const p = comparePrices(['REST', 'HTTP']);
    expect(p.perMillion).toEqual({ REST: 3.5, HTTP: 1 });
    expect(formatPrices(p)).toBe('price per million requests: REST $3.50, HTTP $1.00 (HTTP costs 71% less)');
  });

  it('gateway-lab run prints a Differences: section, and the HTTP trace lists what HTTP APIs lack', async () => {
    let out = '';
    const code = await runOne(path.join(scenarios, 'compare/pets-rest-vs-http.yaml'), { stdout: (s) => (out += s), stderr: (s) => (out += s) });
    expect(code).toBe(0);
    const section = out.slice(out.indexOf('\nDifferences:'));
    expect(section).toContain('status: REST 403, HTTP 404');
    expect(section).toContain('bodies: REST 502 {"message": "Internal server error"} | HTTP 500 {"message":"Internal Server Error"}');
    expect(section).toContain('event: REST payload 1.0, HTTP payload 2.0');
    expect(section).toContain('price per million requests: REST $3.50, HTTP $1.00');
    expect(section).toMatch(/not in HTTP APIs \(REST has them\): API keys and usage plans/);
    expect(out).toContain('Not available in HTTP APIs (REST has them): API keys');
  });
});

describe('determinism', () => {
  it('the same HTTP scenario gives byte-identical traces', async () => {
    const a = await runScenario('http/jwt-authorizer.yaml');
    const b = await runScenario('http/jwt-authorizer.yaml');
    expect(JSON.stringify(a.map((o) => o.traces))).toBe(JSON.stringify(b.map((o) => o.traces)));
  });
});
