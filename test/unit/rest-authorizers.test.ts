/**
 * REST authorizers through the pipeline: REQUEST (identity sources, event, cache key, TTL 0,
 * context, usageIdentifierKey) and Cognito user pools (ID vs access tokens, scopes, expiry).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdentityProvider } from '../../engine/auth/identity-provider';
import { type RestFixture, fn, header, json, restFixture } from '../helpers';

const mock = (template: string) => ({
  type: 'MOCK' as const,
  requestTemplates: { 'application/json': '{"statusCode": 200}' },
  integrationResponses: { '200': { responseTemplates: { 'application/json': template } } },
});

describe('REQUEST authorizers', () => {
  let f: RestFixture;
  beforeAll(async () => {
    f = await restFixture(
      {
        apiKeySource: 'AUTHORIZER',
        authorizers: {
          req: {
            type: 'REQUEST',
            function: 'auth',
            identitySource: 'method.request.header.X-Token, method.request.querystring.tenant, stageVariables.realm',
            authorizerResultTtlInSeconds: 300,
          },
          noCache: { type: 'REQUEST', function: 'auth', identitySource: 'method.request.header.X-Token', authorizerResultTtlInSeconds: 0 },
          broken: { type: 'REQUEST', function: 'nested', identitySource: 'method.request.header.X-Token', authorizerResultTtlInSeconds: 0 },
        },
        resources: {
          '/items/{id}': {
            GET: { authorizer: 'req', integration: mock('{"tenant": "$context.authorizer.tenant", "n": "$context.authorizer.n", "ok": "$context.authorizer.ok", "principal": "$context.authorizer.principalId"}') },
          },
          '/nocache': { GET: { authorizer: 'noCache', integration: { type: 'AWS_PROXY', function: 'echo' } } },
          '/broken': { GET: { authorizer: 'broken', integration: mock('{}') } },
          '/metered': { GET: { authorizer: 'noCache', apiKeyRequired: true, integration: mock('{"key": "$context.identity.apiKeyId"}') } },
        },
      },
      {
        variables: { realm: 'eu' },
        functions: [
          fn(
            'auth',
            `let calls = 0;
            exports.handler = async (event) => {
              calls++;
              console.log('call ' + calls + ' ' + JSON.stringify(Object.keys(event)));
              const tenant = (event.queryStringParameters || {}).tenant || 'none';
              return {
                principalId: 'p-' + tenant,
                policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: event.headers['X-Token'] === 'deny' ? 'Deny' : 'Allow', Resource: '*' }] },
                context: { tenant, n: 7, ok: true, calls },
                usageIdentifierKey: 'metered-key-0123456789abcdef',
              };
            };`,
          ),
          fn('nested', `exports.handler = async () => ({ principalId: 'x', policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: '*' }] }, context: { nested: { a: 1 } } });`),
          fn('echo', `exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event.requestContext.authorizer) });`),
        ],
      },
    );
  });
  afterAll(() => f.close());

  it('answers 401 without invoking when any identity source is missing', async () => {
    const t = await f.send('GET', '/prod/items/1', { headers: { 'X-Token': 'abc' } });
    expect(t.response.statusCode).toBe(401);
    expect(json(t)).toEqual({ message: 'Unauthorized' });
    expect(t.steps.find((s) => s.step === 'authorizer')?.detail?.invoked).toBe(false);
    expect(t.functionLogs ?? []).toEqual([]);
  });

  it('passes the whole request in the event and stringifies context values', async () => {
    const t = await f.send('GET', '/prod/items/1?tenant=acme', { headers: { 'X-Token': 'abc' } });
    expect(t.response.statusCode).toBe(200);
    expect(json(t)).toEqual({ tenant: 'acme', n: '7', ok: 'true', principal: 'p-acme' });
    const event = t.steps.find((s) => s.step === 'authorizer')?.detail?.event as Record<string, unknown>;
    expect(Object.keys(event)).toEqual([
      'type', 'methodArn', 'resource', 'path', 'httpMethod', 'headers', 'multiValueHeaders', 'queryStringParameters',
      'multiValueQueryStringParameters', 'pathParameters', 'stageVariables', 'requestContext',
    ]);
    expect(event).toMatchObject({ type: 'REQUEST', resource: '/items/{id}', path: '/items/1', pathParameters: { id: '1' }, stageVariables: { realm: 'eu' } });
    expect(String(event.methodArn)).toMatch(/^arn:aws:execute-api:us-east-1:123456789012:[a-z0-9]+\/prod\/GET\/items\/1$/);
  });

  it('caches under all identity-source values together', async () => {
    const again = await f.send('GET', '/prod/items/2?tenant=acme', { headers: { 'X-Token': 'abc' } });
    expect(again.executionLog.join('\n')).toContain('Using cached authorizer result');
    const other = await f.send('GET', '/prod/items/2?tenant=globex', { headers: { 'X-Token': 'abc' } });
    expect(other.executionLog.join('\n')).toContain('Starting authorizer');
    expect(json(other)).toMatchObject({ tenant: 'globex' });
  });

  it('invokes every time with a TTL of 0', async () => {
    const a = await f.send('GET', '/prod/nocache', { headers: { 'X-Token': 'same' } });
    const b = await f.send('GET', '/prod/nocache', { headers: { 'X-Token': 'same' } });
    expect(a.executionLog.join('\n')).toContain('Starting authorizer');
    expect(b.executionLog.join('\n')).toContain('Starting authorizer');
    expect(b.executionLog.join('\n')).not.toContain('Using cached');
    // The proxy event's authorizer: principalId, integrationLatency, then the context, stringified.
    expect(json(b)).toMatchObject({ principalId: 'p-none', tenant: 'none', n: '7', ok: 'true' });
  });

  it('denies explicitly with the capital-M body', async () => {
    const t = await f.send('GET', '/prod/nocache', { headers: { 'X-Token': 'deny' } });
    expect(t.response.statusCode).toBe(403);
    expect(json(t)).toEqual({ Message: 'User is not authorized to access this resource with an explicit deny' });
    expect(header(t, 'x-amzn-ErrorType')).toBe('AccessDeniedException');
  });

  it('answers 500 when the context holds an object', async () => {
    const t = await f.send('GET', '/prod/broken', { headers: { 'X-Token': 'x' } });
    expect(t.response.statusCode).toBe(500);
    expect(json(t)).toEqual({ message: null });
  });

  it('takes the API key from usageIdentifierKey when apiKeySource is AUTHORIZER', async () => {
    const none = await f.send('GET', '/prod/metered', { headers: { 'X-Token': 'x' } });
    expect(none.response.statusCode).toBe(403); // the key exists in no usage plan yet
    f.gateway.usage.putKey({ id: 'k1', name: 'metered', value: 'metered-key-0123456789abcdef', enabled: true });
    f.gateway.usage.putPlan({ id: 'p1', name: 'plan', apiStages: [{ apiId: f.api.id, stage: 'prod' }], keyIds: ['k1'] });
    const ok = await f.send('GET', '/prod/metered', { headers: { 'X-Token': 'x', 'x-api-key': 'ignored-because-source-is-authorizer' } });
    expect(ok.response.statusCode).toBe(200);
    expect(json(ok)).toEqual({ key: 'k1' });
    // AWS redacts API key values in execution logs, in the headers line as in the usage-plan lines.
    const headersLine = ok.executionLog.find((l) => l.includes('Method request headers'))!;
    expect(headersLine).toContain('x-api-key=****orizer,');
    expect(headersLine).not.toContain('ignored-because');
  });
});

describe('Cognito user pool authorizers', () => {
  let f: RestFixture;
  let idp: IdentityProvider;
  beforeAll(async () => {
    f = await restFixture({
      authorizers: { pool: { type: 'COGNITO_USER_POOLS', providerARNs: ['arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Test'] } },
      resources: {
        '/me': { GET: { authorizer: 'pool', integration: mock('{"email": "$context.authorizer.claims.email", "use": "$context.authorizer.claims.token_use"}') } },
        '/orders': { GET: { authorizer: 'pool', authorizationScopes: ['orders/read', 'orders/admin'], integration: mock('{"user": "$context.authorizer.claims.username"}') } },
      },
    });
    idp = f.gateway.addIdentityProvider({
      issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Test',
      style: 'cognito',
      clientId: 'web',
      users: { alice: { scope: 'orders/read', claims: { email: 'alice@example.test' } }, bob: { scope: 'profile' } },
    });
  });
  afterAll(() => f.close());

  const call = (path: string, token?: string) => f.send('GET', path, token ? { headers: { Authorization: token } } : {});

  it('accepts an ID token on a method without scopes and exposes its claims', async () => {
    const t = await call('/prod/me', idp.mint({ user: 'alice', use: 'id' }));
    expect(t.response.statusCode).toBe(200);
    expect(json(t)).toEqual({ email: 'alice@example.test', use: 'id' });
  });

  it('refuses an access token on a method without scopes', async () => {
    const t = await call('/prod/me', idp.mint({ user: 'alice', use: 'access' }));
    expect(t.response.statusCode).toBe(401);
  });

  it('needs an access token with one matching scope when the method has scopes', async () => {
    expect((await call('/prod/orders', idp.mint({ user: 'alice', use: 'access' }))).response.statusCode).toBe(200);
    expect((await call('/prod/orders', idp.mint({ user: 'alice', use: 'id' }))).response.statusCode).toBe(401);
    expect((await call('/prod/orders', idp.mint({ user: 'bob', use: 'access' }))).response.statusCode).toBe(401);
  });

  it('says so when the token has expired', async () => {
    const t = await call('/prod/me', idp.mint({ user: 'alice', use: 'id', expiresIn: -5 }));
    expect(t.response.statusCode).toBe(401);
    expect(json(t)).toEqual({ message: 'The incoming token has expired' });
  });

  it('refuses a missing, forged or foreign token', async () => {
    expect((await call('/prod/me')).response.statusCode).toBe(401);
    expect((await call('/prod/me', idp.mint({ user: 'alice', use: 'id', forge: 'tampered-payload' }))).response.statusCode).toBe(401);
    expect((await call('/prod/me', idp.mint({ user: 'alice', use: 'id', issuer: 'https://cognito-idp.us-east-1.amazonaws.com/other' }))).response.statusCode).toBe(401);
  });
});
