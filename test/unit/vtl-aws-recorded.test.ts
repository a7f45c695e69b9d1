/**
 * Template-level expectations recorded against AWS (../shared/conformance/rest-aws-recorded.json,
 * categories vtl-*), reproduced directly with renderTemplate. The case ids are the file's.
 */
import { describe, expect, it } from 'vitest';
import { renderTemplate, renderTemplateDetailed, type RenderOptions } from '../../engine/vtl';

const noParams = { path: {}, querystring: {}, header: {} };

/** The httpbin-style echo backend answers {"json": <request body parsed, or null>, ...}. */
function echoResponse(requestBody: string | null): RenderOptions {
  const json = requestBody === null ? 'null' : requestBody;
  return { input: { body: `{"args": {}, "data": ${JSON.stringify(requestBody ?? '')}, "json": ${json}, "origin": "1.2.3.4"}`, params: noParams } };
}

const DICT_TEMPLATE = '#set($result = $input.path("$.json"))$result';
const PROBE_TEMPLATE =
  '#set($result = $input.path("$.json.listValue")){"body": $result, "nested": $result.nested, "isNull": #if( $result == $null )"true"#else"false"#end, "isEmptyString": #if( $result == "" )"true"#else"false"#end}';

describe('$input.path stringification (vtl-response-template)', () => {
  it.each([
    ['vtl-input-path-dict-response', '{"foo": "bar"}', DICT_TEMPLATE, '{foo=bar}'],
    ['vtl-input-path-json-list', '[{"foo": "bar"}]', DICT_TEMPLATE, '[{"foo":"bar"}]'],
    ['vtl-input-path-nested-dict', '{"nested": {"foo": "bar"}}', '#set($result = $input.path("$.json"))$result.nested', '{foo=bar}'],
    ['vtl-input-path-nested-list', '{"nested": [{"foo": "bar"}]}', '#set($result = $input.path("$.json"))$result.nested', '[{"foo":"bar"}]'],
    ['vtl-input-path-dict-in-list', '[{"foo": "bar"}]', '#set($result = $input.path("$.json"))$result[0]', '{foo=bar}'],
    ['vtl-input-path-list-with-nested-list', '[[{"foo": "bar"}]]', '#set($result = $input.path("$.json"))$result[0]', '[{"foo":"bar"}]'],
    ['vtl-input-path-dict-with-nested-list', '{"foo": [{"nested": "bar"}]}', DICT_TEMPLATE, '{foo=[{"nested":"bar"}]}'],
    ['vtl-input-path-bigger-dict', '{"bigger": "dict", "to": "test", "with": "separators"}', DICT_TEMPLATE, '{bigger=dict, to=test, with=separators}'],
    ['vtl-input-path-to-string', '{"foo": "bar"}', '#set($result = $input.path("$.json"))$result.toString()', '{foo=bar}'],
    ['vtl-input-path-list-to-string', '{"list": [{"foo": "bar"}]}', '#set($result = $input.path("$.json"))$result.toString()', '{list=[{"foo":"bar"}]}'],
  ])('%s', (_id, body, template, expected) => {
    expect(renderTemplate(template, undefined, echoResponse(body))).toBe(expected);
  });

  it('vtl-input-path-empty-body: a missing path renders empty, equals $null and ""', () => {
    const template = PROBE_TEMPLATE.replace('$.json.listValue', '$.nonExisting');
    expect(renderTemplate(template, undefined, echoResponse(null))).toBe('{"body": , "nested": , "isNull": "true", "isEmptyString": "true"}');
  });

  it('vtl-input-path-nested-empty-list', () => {
    expect(renderTemplate(PROBE_TEMPLATE, undefined, echoResponse('{"listValue": []}'))).toBe(
      '{"body": [], "nested": , "isNull": "false", "isEmptyString": "false"}',
    );
  });

  it('vtl-input-path-nested-null-list', () => {
    expect(renderTemplate(PROBE_TEMPLATE, undefined, echoResponse('{"listValue": null}'))).toBe(
      '{"body": , "nested": , "isNull": "true", "isEmptyString": "true"}',
    );
  });
});

describe('$input.body (vtl-request-and-response-template)', () => {
  const render = (template: string, body: string) => renderTemplate(template, undefined, { input: { body, params: noParams } });
  const bodies: Array<[string, string, string]> = [
    ['empty-body', '', '{}'],
    ['json-body', '{"some": "value"}', '{"some": "value"}'],
    ['str-body', 'some raw data', 'some raw data'],
  ];

  it.each(bodies)('raw-body %s', (_name, body, expected) => {
    expect(render('#set($result = $input.body)$result', body)).toBe(expected);
  });

  it.each(bodies)('str-body-input %s', (_name, body, expected) => {
    expect(render('Action=SendMessage&MessageBody=$input.body', body)).toBe(`Action=SendMessage&MessageBody=${expected}`);
  });

  it.each(bodies)('body-attr-access %s: $input.body.<attr> renders empty', (_name, body) => {
    expect(render('#set($result = $input.body.testAccess)$result', body)).toBe('');
  });

  it.each([
    ['empty-body', '', 'EncodedBody=%7B%7D&EncodedBodyAccess='],
    ['json-body', '{"some": "value"}', 'EncodedBody=%7B%22some%22%3A+%22value%22%7D&EncodedBodyAccess='],
    ['str-body', 'some raw data', 'EncodedBody=some+raw+data&EncodedBodyAccess='],
  ])('url-encode %s', (_name, body, expected) => {
    expect(render('EncodedBody=$util.urlEncode($input.body)&EncodedBodyAccess=$util.urlEncode($input.body.testAccess)', body)).toBe(expected);
  });
});

describe('$context overrides in MOCK templates (vtl-mock-overrides)', () => {
  const requestTemplate =
    "#set($body = $util.base64Decode($input.params('testPath')))\n    #set($context.requestOverride.path.body = $body)\n    {\n      \"statusCode\": 200\n    }\n";
  const responseTemplate =
    '\n#set($body = $util.parseJson($context.requestOverride.path.body))\n#set($inputBody = $body.message)\n#if($inputBody == "path1")\n{\n   "response": "path was path one"\n}\n#elseif($inputBody == "path2")\n{\n   "response": "path was path two"\n}\n#else\n{\n  "response": "this is the else clause"\n}\n#end\n';

  it.each([
    ['mock-requestoverride-invoke-path1', 'eyJtZXNzYWdlIjogInBhdGgxIn0=', 'path was path one'],
    ['mock-requestoverride-invoke-path2', 'eyJtZXNzYWdlIjogInBhdGgyIn0=', 'path was path two'],
    ['mock-requestoverride-invoke-path-else', 'eyJtZXNzYWdlIjogIndoYXRldmVyIn0=', 'this is the else clause'],
  ])('%s', (_id, testPath, response) => {
    const req = renderTemplateDetailed(requestTemplate, undefined, {
      input: { body: '', params: { path: { testPath }, querystring: {}, header: {} } },
      context: { requestId: 'r-1' },
    });
    expect(JSON.parse(req.output)).toEqual({ statusCode: 200 });
    const res = renderTemplate(responseTemplate, undefined, {
      input: { body: '', params: noParams },
      context: { requestOverride: req.requestOverride },
    });
    expect(JSON.parse(res)).toEqual({ response });
  });

  it('mock-responseoverride-in-request-template: status, header and custom keys', () => {
    const req = renderTemplateDetailed(
      '\n#set($context.responseOverride.status = 444)\n#set($context.responseOverride.header.foo = "bar")\n#set($context.responseOverride.custom = "is also passed around")\n{\n  "statusCode": 200\n}\n',
      undefined,
      { context: {} },
    );
    expect(req.responseOverride).toEqual({ status: 444, header: { foo: 'bar' } });
    const res = renderTemplate(
      '\n#set($statusOverride = $context.responseOverride.status)\n#set($fooHeader = $context.responseOverride.header.foo)\n#set($custom = $context.responseOverride.custom)\n{\n    "statusOverride": "$statusOverride",\n    "fooHeader": "$fooHeader",\n    "custom": "$custom"\n}\n',
      undefined,
      { context: { responseOverride: { status: 444, header: { foo: 'bar' }, custom: 'is also passed around' } } },
    );
    expect(JSON.parse(res)).toEqual({ custom: 'is also passed around', fooHeader: 'bar', statusOverride: '444' });
  });

  it('mock-vtl-map-assignation: #set with [$key], .put() (renders nothing) and $context["requestOverride"]', () => {
    const req = renderTemplateDetailed(
      '\n#set($paramName = "foo")\n#set($context.requestOverride.querystring[$paramName] = "bar")\n#set($paramPutName = "putfoo")\n$context.requestOverride.querystring.put($paramPutName, "putBar")\n#set($context["requestOverride"].querystring["nestedfoo"] = "nestedFoo")\n{\n  "statusCode": 200\n}\n',
      undefined,
      { context: {} },
    );
    expect(JSON.parse(req.output)).toEqual({ statusCode: 200 });
    expect(req.requestOverride.querystring).toEqual({ foo: 'bar', putfoo: 'putBar', nestedfoo: 'nestedFoo' });
  });

  it('selection-responseoverride: a map from $input.path("$") prints Java-style for .contains()', () => {
    const template =
      '#set($inputRoot = $input.path(\'$\'))\n$input.json("$")\n#if($inputRoot.toString().contains("customerror"))\n    #set($context.responseOverride.status = 400)\n#else\n    #set($context.responseOverride.status = 202)\n#end\n';
    const ok = renderTemplateDetailed(template, undefined, { input: { body: '{"statusCode": 200, "body": "noerror"}', params: noParams } });
    expect(ok.responseOverride.status).toBe(202);
    expect(JSON.parse(ok.output)).toEqual({ statusCode: 200, body: 'noerror' });
    const bad = renderTemplateDetailed(template, undefined, { input: { body: '{"statusCode": 200, "body": "customerror"}', params: noParams } });
    expect(bad.responseOverride.status).toBe(400);
  });
});

describe('parameters, stage variables and $context (vtl-response-template, vtl-stage-variables, vtl-context)', () => {
  it('mock-input-params-path: $input.params().path.id unquoted', () => {
    const out = renderTemplate('{"statusCode": 200, "id": $input.params().path.id}', undefined, {
      input: { body: '', params: { path: { id: '42' }, querystring: {}, header: {} } },
    });
    expect(JSON.parse(out)).toEqual({ statusCode: 200, id: 42 });
  });

  it("mock-openapi-input-params-by-name: $input.params('data')", () => {
    const out = renderTemplate('{"echo": "$input.params(\'data\')", "response": "mocked"}', undefined, {
      input: { body: '', params: { path: { data: 'foobar' }, querystring: {}, header: {} } },
    });
    expect(JSON.parse(out)).toEqual({ echo: 'foobar', response: 'mocked' });
  });

  it('stagevars-default-deployment: a missing stage variable renders empty', () => {
    const out = renderTemplate(
      '{"statusCode": 200, "message": "default deployment", "variable": "$stageVariables.testVar", "nonExistingDefault": "$stageVariables.noStageVar", "nonOverridden": "$stageVariables.defaultVar", "isCanary": "$context.isCanaryRequest"}',
      undefined,
      { stageVariables: { testVar: 'default', defaultVar: 'default' }, context: { isCanaryRequest: false } },
    );
    expect(JSON.parse(out)).toEqual({
      isCanary: 'false',
      message: 'default deployment',
      nonExistingDefault: '',
      nonOverridden: 'default',
      statusCode: 200,
      variable: 'default',
    });
  });

  it("stage variables: all three syntaxes", () => {
    const out = renderTemplate("$stageVariables.env|$stageVariables['env']|${stageVariables['env']}", undefined, { stageVariables: { env: 'prod' } });
    expect(out).toBe('prod|prod|prod');
  });

  it('vtl-context-keyset-iteration: nested context objects print as "", null identity values as ""', () => {
    const template =
      '{#foreach( $key in $context.keySet() )"$key": "$context.get($key)"#if($foreach.hasNext),#end#end}|{#foreach( $key in $context.identity.keySet() )"$key": "$context.identity.get($key)"#if($foreach.hasNext),#end#end}|{#foreach( $key in $context.requestOverride.keySet() )"$key": "$context.requestOverride.get($key)"#if($foreach.hasNext),#end#end}|{#foreach( $key in $context.responseOverride.keySet() )"$key": "$context.responseOverride.get($key)"#if($foreach.hasNext),#end#end}|{#foreach( $key in $context.authorizer.keySet() )"$key": "$util.escapeJavaScript($context.authorizer.get($key))"#if($foreach.hasNext),#end#end}';
    const out = renderTemplate(template, undefined, {
      context: {
        resourcePath: '/sqs',
        httpMethod: 'POST',
        path: '/testing/sqs',
        protocol: 'HTTP/1.1',
        requestOverride: {},
        stage: 'testing',
        identity: { caller: null, sourceIp: '1.2.3.4', userAgent: 'python/requests/tests', user: null },
        responseOverride: {},
        authorizer: {},
      },
    });
    const [context, identity, requestOverride, responseOverride, authorizer] = out.split('|').map((s) => JSON.parse(s) as unknown);
    expect(context).toEqual({
      resourcePath: '/sqs',
      httpMethod: 'POST',
      path: '/testing/sqs',
      protocol: 'HTTP/1.1',
      requestOverride: '',
      stage: 'testing',
      identity: '',
      responseOverride: '',
      authorizer: '',
    });
    expect(identity).toEqual({ caller: '', sourceIp: '1.2.3.4', userAgent: 'python/requests/tests', user: '' });
    expect(requestOverride).toEqual({ header: '', querystring: '', path: '' });
    expect(responseOverride).toEqual({ header: '' });
    expect(authorizer).toEqual({});
  });
});
