/**
 * Two Lambda behaviours the learner-pain scenarios rest on:
 *  - the function's resource-based policy: without a statement for apigateway.amazonaws.com
 *    (from the calling API's source ARN) API Gateway gets a Lambda 403 and answers 500,
 *    logged "Invalid permissions on Lambda function";
 *  - X-Amz-Invocation-Type: Event on a Lambda custom integration: Lambda answers 202 at once and
 *    the function runs on its own, so a 35-second job no longer hits the 29-second timeout.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { arnLike } from '../../engine/backends/lambda/service';
import { type RestFixture, fn, header, json, restFixture } from '../helpers';
import { type HttpFixture, httpFixture } from '../http-helpers';

const OK = `exports.handler = async () => ({ statusCode: 200, body: JSON.stringify({ ok: true }) })`;

describe('arnLike', () => {
  it('matches * and ? as IAM does, and everything else literally', () => {
    expect(arnLike('arn:aws:execute-api:us-east-1:123456789012:*/prod/GET/pets', 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/pets')).toBe(true);
    expect(arnLike('arn:aws:execute-api:us-east-1:123456789012:*/prod/GET/pets', 'arn:aws:execute-api:us-east-1:123456789012:abc123/dev/GET/pets')).toBe(false);
    expect(arnLike('arn:aws:execute-api:*:*:*/*/*/pets/?', 'arn:aws:execute-api:eu-west-1:1:x/s/POST/pets/7')).toBe(true);
    expect(arnLike('a.b', 'axb')).toBe(false);
  });
});

describe('the function resource-based policy (REST)', () => {
  let f: RestFixture;
  afterEach(() => f.close());
  const api = (credentials?: string) => ({
    resources: { '/profile': { GET: { integration: { type: 'AWS_PROXY' as const, function: 'profile', ...(credentials ? { credentials } : {}) } } } },
  });

  it('by default API Gateway may invoke the function (the console adds the permission)', async () => {
    f = await restFixture(api(), { functions: [fn('profile', OK)] });
    expect((await f.send('GET', '/prod/profile')).response.statusCode).toBe(200);
  });

  it('with no policy the client gets 500 and the log says Invalid permissions; the function never runs', async () => {
    f = await restFixture(api(), { functions: [fn('profile', OK, { permissions: [] })] });
    const t = await f.send('GET', '/prod/profile');
    expect(t.response.statusCode).toBe(500);
    expect(json(t)).toEqual({ message: 'Internal server error' });
    expect(header(t, 'x-amzn-ErrorType')).toBe('InternalServerErrorException');
    expect(t.stoppedAt).toBe('integration');
    expect(t.executionLog.join('\n')).toContain('Execution failed due to configuration error: Invalid permissions on Lambda function');
    expect(t.functionLogs ?? []).toEqual([]);
  });

  it('a statement scoped to another stage does not cover this one; one for this stage does', async () => {
    f = await restFixture(api(), {
      functions: [fn('profile', OK, { permissions: [{ principal: 'apigateway.amazonaws.com', sourceArn: 'arn:aws:execute-api:us-east-1:123456789012:*/dev/GET/profile' }] })],
    });
    expect((await f.send('GET', '/prod/profile')).response.statusCode).toBe(500);
    f.gateway.lambda.update('profile', { permissions: [{ principal: 'apigateway.amazonaws.com', sourceArn: 'arn:aws:execute-api:us-east-1:123456789012:*/prod/GET/profile' }] });
    expect((await f.send('GET', '/prod/profile')).response.statusCode).toBe(200);
  });

  it('integration credentials (an IAM role) replace the resource policy', async () => {
    f = await restFixture(api('arn:aws:iam::123456789012:role/apigw-invoke'), { functions: [fn('profile', OK, { permissions: [] })] });
    expect((await f.send('GET', '/prod/profile')).response.statusCode).toBe(200);
  });
});

describe('the function resource-based policy (HTTP)', () => {
  let f: HttpFixture;
  afterEach(() => f.close());
  it('answers 500 Internal Server Error without the permission', async () => {
    f = await httpFixture(
      { integrations: { p: { integrationType: 'AWS_PROXY', function: 'profile' } }, routes: { 'GET /profile': { target: 'integrations/p' } } },
      { functions: [fn('profile', OK, { permissions: [] })] },
    );
    const t = await f.send('GET', '/profile');
    expect(t.response.statusCode).toBe(500);
    expect(JSON.parse(t.response.body)).toEqual({ message: 'Internal Server Error' });
    expect(t.steps.find((s) => s.step === 'integration')?.summary).toContain('resource-based policy');
  });
});

describe('asynchronous invocation (X-Amz-Invocation-Type: Event)', () => {
  let f: RestFixture;
  afterEach(() => f.close());
  const job = fn(
    'job',
    `exports.handler = async (e) => { console.log('job ' + e.id + ' started'); await new Promise((r) => setTimeout(r, 35000)); console.log('job done'); return { done: true }; }`,
    { timeoutSeconds: 60 },
  );
  const definition = (async: boolean) => ({
    resources: {
      '/jobs': {
        POST: {
          integration: {
            type: 'AWS' as const,
            function: 'job',
            ...(async ? { requestParameters: { 'integration.request.header.X-Amz-Invocation-Type': "'Event'" } } : {}),
            requestTemplates: { 'application/json': '{"id": "$context.requestId"}' },
            integrationResponses: { '202': { responseTemplates: { 'application/json': '{"accepted": true}' } } },
          },
          methodResponses: { '202': {} },
        },
      },
    },
  });

  it('synchronously, a 35-second function is a 504 at 29 seconds', async () => {
    f = await restFixture(definition(false), { functions: [job] });
    const t = await f.send('POST', '/prod/jobs', { body: {} });
    expect(t.response.statusCode).toBe(504);
  });

  it('asynchronously, Lambda answers 202 at once; the function still runs to the end', async () => {
    f = await restFixture(definition(true), { functions: [job] });
    const t = await f.send('POST', '/prod/jobs', { body: {} });
    expect(t.response.statusCode).toBe(202);
    expect(json(t)).toEqual({ accepted: true });
    expect(t.durationMs).toBeLessThan(1000);
    const log = t.executionLog.join('\n');
    expect(log).toContain('X-Amz-Invocation-Type=Event');
    expect(log).toContain('Endpoint response body before transformations: ');
    expect((t.functionLogs ?? []).join('\n')).toMatch(/job done[\s\S]*Duration: 35\d\d\d/);
    const step = t.steps.find((s) => s.step === 'integration');
    expect(step?.summary).toContain('asynchronously');
  });
});
