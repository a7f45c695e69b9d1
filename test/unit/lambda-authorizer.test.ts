/** The transport-neutral Lambda-authorizer module shared by REST, HTTP and WebSocket. */
import { afterAll, describe, expect, it } from 'vitest';
import { AuthorizerCache } from '../../engine/auth/authorizer-cache';
import { type AuthorizerOutput, decisionFor, parseAuthorizerOutput, runLambdaAuthorizer } from '../../engine/auth/lambda-authorizer';
import { LambdaService } from '../../engine/backends/lambda/service';
import { IdGenerator, SeededRandom } from '../../engine/core/random';
import { fn } from '../helpers';

const NOW = Date.UTC(2026, 0, 15, 9);
const ARN_A = 'arn:aws:execute-api:us-east-1:123456789012:abc/prod/GET/a';
const ARN_B = 'arn:aws:execute-api:us-east-1:123456789012:abc/prod/GET/b';
const allow = (resource: string) => ({ principalId: 'u1', policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: resource }] }, context: { plan: 'gold' } });

describe('parsing authorizer answers', () => {
  it('reads simple responses and policies', () => {
    expect(parseAuthorizerOutput('{"isAuthorized":true,"context":{"a":[1]}}', { simpleResponses: true })).toEqual({ isAuthorized: true, context: { a: [1] } });
    expect(parseAuthorizerOutput(JSON.stringify(allow(ARN_A)), { stringifyContext: true })).toMatchObject({ principalId: 'u1', context: { plan: 'gold' } });
  });
  it('rejects what AWS rejects', () => {
    expect(parseAuthorizerOutput('{"isAuthorized":"yes"}', { simpleResponses: true })).toEqual({ error: expect.stringMatching(/isAuthorized must be a boolean/) });
    expect(parseAuthorizerOutput('{"principalId":"u"}')).toEqual({ error: expect.stringMatching(/policyDocument is missing/) });
    expect(parseAuthorizerOutput(JSON.stringify({ ...allow(ARN_A), context: { u: { id: 1 } } }), { stringifyContext: true })).toEqual({ error: expect.stringMatching(/context\.u is an object/) });
    expect(parseAuthorizerOutput(JSON.stringify({ ...allow(ARN_A), context: { u: { id: 1 } } }))).toMatchObject({ context: { u: { id: 1 } } });
  });
  it('decides per resource ARN: allow, explicit deny, implicit deny', () => {
    const output = parseAuthorizerOutput(JSON.stringify(allow(ARN_A))) as AuthorizerOutput;
    expect(decisionFor(output, ARN_A)).toMatchObject({ effect: 'allow', principalId: 'u1', context: { plan: 'gold' } });
    expect(decisionFor(output, ARN_B)).toMatchObject({ effect: 'deny', why: expect.stringContaining('implicit deny') });
  });
});

describe('running a Lambda authorizer', () => {
  const random = new SeededRandom('la');
  const lambda = new LambdaService(new IdGenerator(random.fork('ids')), random.fork('lambda'));
  lambda.register(fn('auth', `exports.handler = async (e) => { if (e.token === 'boom') throw new Error('Unauthorized'); return ${JSON.stringify(allow(ARN_A))}; };`));
  lambda.register(fn('slow', `exports.handler = async () => ({ isAuthorized: true })`, { latencyMs: 12_000, timeoutSeconds: 30 }));
  afterAll(() => lambda.close());
  const cache = new AuthorizerCache<AuthorizerOutput>();
  const base = { authorizerKey: 'prod/auth', functionName: 'auth', format: '1.0' as const, simpleResponses: false, ttlSeconds: 300, now: NOW };

  it('caches the answer by identity values and evaluates it again for each ARN (the REST cache trap)', async () => {
    const first = await runLambdaAuthorizer({ ...base, event: { token: 't1' }, identityValues: ['t1'], resourceArn: ARN_A }, { lambda, cache });
    expect(first).toMatchObject({ fromCache: false, cacheKey: 't1', decision: { effect: 'allow' } });
    expect(first.durationMs).toBeGreaterThan(0);
    const second = await runLambdaAuthorizer({ ...base, event: { token: 't1' }, identityValues: ['t1'], resourceArn: ARN_B }, { lambda, cache });
    expect(second).toMatchObject({ fromCache: true, durationMs: 0, decision: { effect: 'deny' } });
  });

  it('reports a thrown "Unauthorized" apart from other failures, and does not cache failures', async () => {
    const r = await runLambdaAuthorizer({ ...base, event: { token: 'boom' }, identityValues: ['boom'], resourceArn: ARN_A }, { lambda, cache });
    expect(r.decision).toEqual({ effect: 'unauthorized', why: 'the authorizer threw "Unauthorized"' });
    expect(cache.get('prod/auth', 'boom', NOW)).toBeUndefined();
    const missing = await runLambdaAuthorizer({ ...base, functionName: 'nope', event: {}, identityValues: [], resourceArn: ARN_A }, { lambda, cache });
    expect(missing.decision.effect).toBe('error');
  });

  it('gives up after the authorizer timeout (10 s)', async () => {
    const r = await runLambdaAuthorizer({ ...base, functionName: 'slow', format: '2.0', simpleResponses: true, ttlSeconds: 0, event: {}, identityValues: ['x'], resourceArn: ARN_A }, { lambda, cache });
    expect(r.decision).toMatchObject({ effect: 'error', why: expect.stringMatching(/longer than the 10000 ms/) });
    expect(r.durationMs).toBe(10_003);
  });
});
