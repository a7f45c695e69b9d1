/**
 * The execution log reproduces AWS's own example (reference §7.3: the Developer Guide's console
 * Test of a Lambda custom integration), message for message — timestamps, ids and the latency
 * aside.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../engine/core/clock';
import { Gateway } from '../../engine/gateway';
import type { RestApiHost } from '../../engine/rest/rest-api-host';
import { toHttpRequest } from '../../engine/scenario/session';
import { fn } from '../helpers';

const TEMPLATE = `#set($inputRoot = $input.path('$'))
{
  "city": "$input.params('city')",
  "time": "$input.params('time')",
  "day": "$input.params('day')",
  "name" : "$inputRoot.callerName"
}`;

// AWS's lines from §7.3; «…» marks what legitimately differs (ids, dates, latency, signatures).
const EXPECTED = [
  'Starting execution for request: «id»',
  'HTTP Method: POST, Resource Path: /Seattle',
  'Method request path: {city=Seattle}',
  'Method request query string: {time=morning}',
  'Method request headers: {day=Wednesday}',
  'Method request body before transformations: { "callerName": "John" }',
  'Request validation succeeded for content type application/json',
  'Endpoint request URI: https://lambda.us-west-2.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-west-2:123456789012:function:GetStartedLambdaIntegration/invocations',
  'Endpoint request headers: {x-amzn-lambda-integration-tag=«id», Authorization=****«sig», X-Amz-Date=«date», x-amzn-apigateway-api-id=«api», X-Amz-Source-Arn=arn:aws:execute-api:us-west-2:123456789012:«api»/null/POST/{city}, Accept=application/json, User-Agent=AmazonAPIGateway_«api», X-Amz-Security-Token=«token» [TRUNCATED]',
  'Endpoint request body after transformations: {\n  "city": "Seattle",\n  "time": "morning",\n  "day": "Wednesday",\n  "name" : "John"\n}',
  'Sending request to https://lambda.us-west-2.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-west-2:123456789012:function:GetStartedLambdaIntegration/invocations',
  'Received response. Integration latency: «n» ms',
  'Endpoint response body before transformations: {"greeting":"Good morning, John of Seattle. Happy Wednesday!"}',
  'Endpoint response headers: {x-amzn-Remapped-Content-Length=0, x-amzn-RequestId=«id», Connection=keep-alive, Content-Length=62, Date=«date», X-Amzn-Trace-Id=root=«trace»;sampled=0, Content-Type=application/json}',
  'Method response body after transformations: {"greeting":"Good morning, John of Seattle. Happy Wednesday!"}',
  'Method response headers: {X-Amzn-Trace-Id=sampled=0;root=«trace», Content-Type=application/json}',
  'Successfully completed execution',
  'Method completed with status: 200',
];

const pattern = (line: string) =>
  new RegExp(`^${line.split(/«[a-z]+»/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^]+?')}$`);

describe('execution log (console Test format)', () => {
  let gateway: Gateway;
  let api: RestApiHost;
  beforeAll(() => {
    gateway = new Gateway({ seed: 'execution-log', clock: new VirtualClock(Date.UTC(2017, 7, 31, 1, 7, 25)), region: 'us-west-2', executionLogStyle: '2017' });
    gateway.lambda.register(
      fn('GetStartedLambdaIntegration', 'exports.handler = async (e) => ({ greeting: `Good ${e.time}, ${e.name} of ${e.city}. Happy ${e.day}!` });', {
        latencyMs: 300,
        coldStartMs: 0,
      }),
    );
    api = gateway.createRestApi({
      models: { Caller: { schema: { type: 'object', properties: { callerName: { type: 'string' } }, required: ['callerName'] } } },
      requestValidators: { body: { validateRequestBody: true } },
      resources: {
        '/{city}': {
          POST: {
            requestParameters: { 'method.request.path.city': true, 'method.request.querystring.time': true, 'method.request.header.day': true },
            requestModels: { 'application/json': 'Caller' },
            requestValidator: 'body',
            integration: {
              type: 'AWS',
              function: 'GetStartedLambdaIntegration',
              requestTemplates: { 'application/json': TEMPLATE },
              integrationResponses: { '200': {} },
            },
          },
        },
      },
    });
    api.deploy('test');
  });
  afterAll(() => gateway.close());

  it('matches the §7.3 example line by line', async () => {
    const trace = await api.handle(
      toHttpRequest({ method: 'POST', path: '/test/Seattle?time=morning', headers: { day: 'Wednesday' }, body: '{ "callerName": "John" }' }),
      { testInvoke: true },
    );
    expect(trace.response.statusCode).toBe(200);
    const [header, ...lines] = trace.executionLog;
    expect(header).toBe('Execution log for request test-request');
    for (const line of lines) expect(line).toMatch(/^Thu Aug 31 01:07:25 UTC 2017 : /s);
    const messages = lines.map((l) => l.replace(/^[A-Z][a-z]{2} [A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d UTC \d{4} : /, ''));
    expect(messages).toHaveLength(EXPECTED.length);
    messages.forEach((m, i) => expect(m, `line ${i + 1}`).toMatch(pattern(EXPECTED[i]!)));
  });
});
