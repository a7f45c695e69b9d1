/**
 * Fixtures for the AWS-recorded REST conformance suite: stand-ins for the backends the
 * recordings used (httpbin.org, Lambda function URLs, a status server), the Lambda code each
 * case's notes describe, and the HTTP client defaults of the Python `requests` library the
 * recordings were made with. Everything here is test data; the engine never sees a case id.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a backend saw, and what it showed back (its echo view). */
export interface BackendHit {
  readonly kind: BackendKind;
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  /** The JSON the echo answered with (httpbin's or the Lambda URL's view of the request). */
  readonly view?: Record<string, unknown>;
}

export type BackendKind = 'httpbin' | 'lambda-url-echo' | 'raw-echo' | 'status';

/** Fake origins the API definitions use; the gateway's HTTP client sends them to 127.0.0.1. */
export const ORIGINS: Readonly<Record<BackendKind, string>> = {
  httpbin: 'https://httpbin.org',
  'lambda-url-echo': 'https://echo4k2b.lambda-url.us-east-1.on.aws',
  'raw-echo': 'https://rawbody9x.lambda-url.us-east-1.on.aws',
  status: 'https://status.example.com',
};

/**
 * httpbin.org hides the headers its load balancer and router add or consume (its ENV_HEADERS),
 * and the load balancer consumes hop-by-hop headers, so recordings never show them.
 */
const HTTPBIN_HIDDEN = new Set([
  'x-varnish', 'x-request-start', 'x-heroku-queue-depth', 'x-real-ip', 'x-forwarded-proto', 'x-forwarded-protocol',
  'x-forwarded-ssl', 'x-heroku-queue-wait-time', 'x-forwarded-for', 'x-heroku-dynos-in-use', 'x-forwarded-port',
  'x-request-id', 'via', 'total-route-time', 'connect-time', 'connection', 'keep-alive',
]);

export class EchoBackends {
  private server?: http.Server;
  readonly hits: BackendHit[] = [];
  port = 0;

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const headers: Record<string, string> = {};
        for (let i = 0; i < req.rawHeaders.length; i += 2) {
          const k = req.rawHeaders[i]!;
          headers[k] = headers[k] === undefined ? req.rawHeaders[i + 1]! : `${headers[k]},${req.rawHeaders[i + 1]}`;
        }
        const host = (req.headers.host ?? '').toLowerCase();
        const kind = (Object.entries(ORIGINS).find(([, o]) => new URL(o).host === host)?.[0] ?? 'httpbin') as BackendKind;
        const url = new URL(req.url ?? '/', `https://${host}`);
        const reply = this.answer(kind, req.method ?? 'GET', url, headers, body);
        this.hits.push({ kind, method: req.method ?? 'GET', url: url.toString(), headers, body, ...(reply.view ? { view: reply.view } : {}) });
        const payload = typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
        res.writeHead(reply.status, { ...reply.headers, 'Content-Length': String(payload.length) });
        res.end(payload);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  lastHit(): BackendHit | undefined {
    return this.hits[this.hits.length - 1];
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private answer(kind: BackendKind, method: string, url: URL, headers: Record<string, string>, body: Buffer) {
    const text = body.toString('utf8');
    switch (kind) {
      case 'raw-echo':
        // A Lambda function URL that returns the raw request body unchanged.
        return { status: 200, headers: { 'Content-Type': 'application/json' }, body };
      case 'status': {
        const status = Number(/\/status\/(\d{3})/.exec(url.pathname)?.[1] ?? 200);
        return { status, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ message: '', status_code: status }) };
      }
      case 'lambda-url-echo': {
        // A Lambda URL echo: header names lower-cased, repeated query values joined with ",";
        // the function URL front end consumes x-amzn-*, x-forwarded-* and hop-by-hop headers.
        const args: Record<string, string> = {};
        for (const [k, v] of url.searchParams) args[k] = args[k] === undefined ? v : `${args[k]},${v}`;
        const shown: Record<string, string> = {};
        for (const [k, v] of Object.entries(headers)) {
          const lower = k.toLowerCase();
          if (/^(x-amzn-|x-forwarded-)/.test(lower) || lower === 'connection' || lower === 'keep-alive') continue;
          shown[lower] = v;
        }
        const view = { args, headers: shown, method, body: text, path: url.pathname };
        return { status: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(view), view };
      }
      default: {
        const args: Record<string, string | string[]> = {};
        for (const [k, v] of url.searchParams) args[k] = args[k] === undefined ? v : ([] as string[]).concat(args[k]!, v);
        const shown: Record<string, string> = {};
        for (const [k, v] of Object.entries(headers)) if (!HTTPBIN_HIDDEN.has(k.toLowerCase())) shown[k.replace(/(^|-)([a-z])/g, (_m, d: string, c: string) => d + c.toUpperCase())] = v;
        let json: unknown = null;
        try {
          json = text ? JSON.parse(text) : null;
        } catch {
          json = null;
        }
        const view = { args, data: text, files: {}, form: {}, headers: shown, json, method, origin: '203.0.113.10', url: url.toString() };
        return {
          status: 200,
          headers: { 'Content-Type': 'application/json', Server: 'gunicorn/19.9.0', 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Credentials': 'true' },
          body: JSON.stringify(view, null, 2),
          view,
        };
      }
    }
  }
}

/** What the Python `requests` library sends unless told otherwise (the recordings' client). */
export const PYTHON_REQUESTS_DEFAULTS: Readonly<Record<string, string>> = {
  'User-Agent': 'python-requests/2.32.3',
  'Accept-Encoding': 'gzip, deflate',
  Accept: '*/*',
  Connection: 'keep-alive',
};

/** The 25 headers LocalStack's header-remapping tests send (TestApiGatewayHeaderRemapping.invoke_api). */
export const HEADER_REMAPPING_CLIENT_HEADERS: Readonly<Record<string, string>> = {
  Accept: 'application/json',
  'Accept-Charset': 'UTF-8',
  'Accept-Encoding': 'br',
  Age: 'request_Age',
  Authorization: 'Unauthorized',
  Connection: 'close',
  'Content-Encoding': 'deflate',
  'Content-MD5': 'request_Content-MD5',
  'Content-Type': 'application/json',
  Date: 'request_Date',
  Expect: '100-continue',
  'Max-Forwards': '2',
  Pragma: 'cache',
  'Proxy-Authenticate': 'Basic',
  Range: 'bytes=500-999',
  Referer: 'https://example.com/',
  Server: 'https://example.com/',
  TE: 'deflate',
  Trailer: 'Expires',
  'Transfer-Encoding': 'chunked',
  Upgrade: 'HTTP/2.0',
  'User-Agent': 'localStack/0.0',
  Via: 'p.example.net',
  Warn: '299 localStack/0.0',
  'WWW-Authenticate': 'Basic YWxhZGRpbjpvcGVuc2VzYW1l',
};

/** A 1x1 PNG, base64: the image the binary proxy cases return. */
export const PNG_1X1_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

/** Lambda functions the cases describe, as Node.js code for the sandbox. */
export const LAMBDA_CODE = {
  /** Returns the event itself as the proxy body (`{statusCode:200, body: json.dumps(event)}`). */
  eventAsBody: `exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event) });`,
  /** Returns whatever JSON the request body holds (so the test chooses the proxy result); like Python's json.loads(None), a missing body fails. */
  resultFromBody: `exports.handler = async (event) => {
    if (event.body === null || event.body === undefined) throw new TypeError('the JSON object must be str, bytes or bytearray, not NoneType');
    return JSON.parse(event.body);
  };`,
  /** Returns its event (a Lambda custom integration echo). */
  echo: `exports.handler = async (event) => event;`,
  /** lambda_select_pattern: "200" passes, "400"/"500" raise Exception("Error: Raising four/five hundred from within the Lambda function"). */
  selectPattern: `class Exception extends Error { constructor(m) { super(m); this.name = 'Exception'; } }
  exports.handler = async (event) => {
    if (event.statusCode === '400') throw new Exception('Error: Raising four hundred from within the Lambda function');
    if (event.statusCode === '500') throw new Exception('Error: Raising five hundred from within the Lambda function');
    return 'Pass';
  };`,
  /** Returns {statusCode:200, body:'customerror'} when the body's httpStatus is 400 or more, else 'noerror'. */
  customError: `exports.handler = async (event) => {
    const body = event.body || {};
    return { statusCode: 200, body: Number(body.httpStatus) >= 400 ? 'customerror' : 'noerror' };
  };`,
  /** LocalStack's Node.js test function: a proxy-shaped result quoting its event. */
  nodejsProxyShaped: `exports.handler = async (event) => ({
    statusCode: 200,
    body: JSON.stringify('response from localstack lambda: ' + JSON.stringify(event)),
    isBase64Encoded: false,
    headers: {},
  });`,
} as const;

/** tests/aws/files/request-template.vm from LocalStack's repository (the recorded request template). */
export const REQUEST_TEMPLATE_VM = `#set($allParams = $input.params())
#set($jsonBody = $input.json('$'))
#set($path = $allParams.get('path'))
#set($querystring = $allParams.get('querystring'))
#set($header = $allParams.get('header'))
#set($stage = $context.stage)
{
"apiContext": {
"apiId": "$context.apiId",
"method": "$context.httpMethod",
"sourceIp": "$context.identity.sourceIp",
"userAgent": "$context.identity.userAgent",
"path": "$context.path",
"protocol": "$context.protocol",
"requestId": "$context.requestId",
"stage": "$stage"
},
"path": {
"parameterMap": {
#foreach($paramName in $path.keySet())
"$paramName": "$util.escapeJavaScript($path.get($paramName))"#if($foreach.hasNext),#end
#end
}
},
"querystring": {
"parameterMap":{
#foreach($paramName in $querystring.keySet())
"$paramName": "$util.escapeJavaScript($querystring.get($paramName))"#if($foreach.hasNext),#end
#end
}
},
"header": {
"parameterMap": {
#foreach($paramName in $header.keySet())
"$paramName": "$util.escapeJavaScript($header.get($paramName))"#if($foreach.hasNext),#end
#end
}
},
"body": $jsonBody
}
`;

/** tests/aws/files/openapi-mock.json (the recorded OpenAPI import). */
export const OPENAPI_MOCK = JSON.stringify({
  openapi: '3.0.1',
  info: { title: 'wait-for-seconds', description: 'Test API for asynchronous Lambda invocation', version: '2022-04-12T15:36:55Z' },
  paths: {
    '/echo/{data}': {
      'x-amazon-apigateway-any-method': {
        responses: { '200': { description: '200 response', content: { 'application/json': { schema: { $ref: '#/components/schemas/Empty' } } } } },
        'x-amazon-apigateway-integration': {
          type: 'mock',
          responses: { default: { statusCode: '200', responseTemplates: { 'application/json': '{"echo": "$input.params(\'data\')", "response": "mocked"}' } } },
          requestTemplates: { 'application/json': '{"statusCode": 200}' },
          passthroughBehavior: 'when_no_templates',
        },
      },
    },
  },
  components: { schemas: { Empty: { title: 'Empty Schema', type: 'object' } } },
});
