/**
 * AWS service integrations (integration type AWS, other than Lambda): API Gateway signs a
 * request to an AWS service endpoint and relays the service's answer. Here the services are
 * the engine's small simulations — a queue (SQS), an object store (S3) and a table
 * (DynamoDB) — reached with the request and response shapes the real services use, so mapping
 * templates written for AWS work unchanged.
 *
 * Integration URIs:
 *   arn:aws:apigateway:{region}:{service}:path/{service path}    e.g. sqs:path/{account}/{queue}, s3:path/{bucket}/{key}
 *   arn:aws:apigateway:{region}:{service}:action/{Action}         e.g. dynamodb:action/PutItem, sqs:action/SendMessage
 */
import { parseQuery, type MultiMap } from '../core/http';
import type { IdGenerator } from '../core/random';
import { httpDate } from '../core/time-format';
import { ObjectStoreError, type ObjectStore } from '../services/object-store';
import { QueueError, type QueueService } from '../services/queue';

export interface AwsTarget {
  readonly region: string;
  readonly service: string;
  readonly kind: 'path' | 'action';
  /** The service path (`{account}/{queue}`, `{bucket}/{key}`) or the action name. */
  readonly value: string;
}

/** Parse `arn:aws:apigateway:{region}:{service}:{path|action}/{rest}`. */
export function parseAwsIntegrationUri(uri: string): AwsTarget | undefined {
  const m = /^arn:aws[\w-]*:apigateway:([^:]+):([^:]+):(path|action)\/(.*)$/s.exec(uri);
  if (!m) return undefined;
  // A subdomain can be given as `{subdomain}.{service}` (e.g. `mybucket.s3`); the service is the last label.
  const service = m[2]!.split('.').pop()!.toLowerCase();
  return { region: m[1]!, service, kind: m[3] as 'path' | 'action', value: m[4]! };
}

/** The HTTPS endpoint API Gateway calls, as execution logs show it. */
export function awsEndpointUrl(t: AwsTarget): string {
  const host = `${t.service}.${t.region}.amazonaws.com`;
  return t.kind === 'path' ? `https://${host}/${t.value}` : `https://${host}/?Action=${encodeURIComponent(t.value)}`;
}

export interface AwsServiceRequest {
  readonly target: AwsTarget;
  readonly httpMethod: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly query: MultiMap;
  readonly body: Buffer;
}

export interface AwsServiceResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  /** Simulated service latency on the engine clock. */
  readonly latencyMs: number;
  /** What the service did, for the trace: operation, resource, result. */
  readonly detail: Record<string, unknown>;
}

/**
 * The contract of the table service (engine/services/table.ts, built with the WebSocket APIs):
 * `call(action, input)` runs one DynamoDB API action (PutItem, GetItem, UpdateItem, DeleteItem,
 * Query, Scan) on DynamoDB's request shape and returns its response shape; a failure throws an
 * error with the HTTP `statusCode` and a `toJSON()` that is DynamoDB's error body
 * (`{"__type": "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", "message": …}`).
 */
export interface TableBackend {
  call(action: string, input: unknown): unknown;
}

interface TableErrorShape {
  readonly statusCode: number;
  toJSON(): unknown;
}

function isTableError(err: unknown): err is Error & TableErrorShape {
  return err instanceof Error && typeof (err as Partial<TableErrorShape>).statusCode === 'number' && typeof (err as Partial<TableErrorShape>).toJSON === 'function';
}

export interface AwsServices {
  readonly queues: QueueService;
  readonly objects: ObjectStore;
  readonly tables?: TableBackend;
}

/** Simulated service times (?): typical in-region latencies. */
const LATENCY_MS: Readonly<Record<string, number>> = { sqs: 12, s3: 18, dynamodb: 8 };

const header = (headers: Readonly<Record<string, string>>, name: string): string | undefined => {
  const k = Object.keys(headers).find((h) => h.toLowerCase() === name.toLowerCase());
  return k === undefined ? undefined : headers[k];
};

const json = (statusCode: number, value: unknown, contentType = 'application/json', extra: Record<string, string> = {}) => ({
  statusCode,
  headers: { 'Content-Type': contentType, ...extra },
  body: Buffer.from(JSON.stringify(value)),
});

export class AwsServiceIntegrations {
  constructor(
    private readonly services: AwsServices,
    private readonly ids: IdGenerator,
  ) {}

  invoke(req: AwsServiceRequest, now: number): AwsServiceResponse {
    const latencyMs = LATENCY_MS[req.target.service] ?? 20;
    const requestId = this.ids.requestId();
    let r: Omit<AwsServiceResponse, 'latencyMs'>;
    switch (req.target.service) {
      case 'sqs':
        r = this.sqs(req, now, requestId);
        break;
      case 's3':
        r = this.s3(req, now, requestId);
        break;
      case 'dynamodb':
        r = this.dynamodb(req);
        break;
      default:
        // (?) An unsimulated service: answered as the real endpoint would answer an unknown action.
        r = {
          ...json(400, { __type: 'UnknownOperationException', message: `Gateway Lab does not simulate the ${req.target.service} service` }),
          detail: { service: req.target.service, simulated: false },
        };
    }
    return { ...r, headers: { ...r.headers, 'x-amzn-RequestId': requestId, Date: httpDate(now + latencyMs) }, latencyMs };
  }

  // ---- SQS -------------------------------------------------------------------------------

  private sqs(req: AwsServiceRequest, now: number, requestId: string): Omit<AwsServiceResponse, 'latencyMs'> {
    const amzTarget = header(req.headers, 'X-Amz-Target');
    // JSON protocol (X-Amz-Target: AmazonSQS.SendMessage, Content-Type application/x-amz-json-1.0).
    if (amzTarget) {
      const operation = amzTarget.replace(/^AmazonSQS\./, '');
      let input: Record<string, unknown> = {};
      try {
        input = req.body.length ? (JSON.parse(req.body.toString('utf8')) as Record<string, unknown>) : {};
      } catch {
        return { ...json(400, { __type: 'com.amazon.coral.service#SerializationException', message: null }, 'application/x-amz-json-1.0'), detail: { operation, error: 'SerializationException' } };
      }
      const queueRef = String(input.QueueUrl ?? (req.target.kind === 'path' ? req.target.value : ''));
      try {
        const out = this.sqsOperation(operation, queueRef, (k) => (input[k] === undefined ? undefined : String(input[k])), now);
        return { ...json(200, out.json, 'application/x-amz-json-1.0'), detail: { service: 'sqs', protocol: 'json', operation, queue: queueRef, ...out.detail } };
      } catch (err) {
        if (!(err instanceof QueueError)) throw err;
        const type = err.code === 'AWS.SimpleQueueService.NonExistentQueue' ? 'com.amazonaws.sqs#QueueDoesNotExist' : `com.amazonaws.sqs#${err.code}`;
        return {
          ...json(err.statusCode, { __type: type, message: err.message }, 'application/x-amz-json-1.0', { 'x-amzn-query-error': `${err.code};Sender` }),
          detail: { service: 'sqs', operation, queue: queueRef, error: err.code },
        };
      }
    }
    // Query protocol: Action=SendMessage&MessageBody=... in a form body and/or the query string.
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.query)) if (v.length) params[k] = v[v.length - 1]!;
    const contentType = header(req.headers, 'Content-Type') ?? '';
    if (/application\/x-www-form-urlencoded/i.test(contentType)) {
      for (const [k, v] of Object.entries(parseQuery(req.body.toString('utf8')))) if (v.length) params[k] = v[v.length - 1]!;
    }
    const action = req.target.kind === 'action' ? req.target.value : params.Action;
    const queueRef = req.target.kind === 'path' ? req.target.value : (params.QueueUrl ?? '');
    if (!action) {
      return {
        ...json(400, { Error: { Code: 'MissingAction', Message: 'MissingAction; see the SQS docs.', Type: 'Sender' }, RequestId: requestId }),
        detail: { service: 'sqs', protocol: 'query', error: 'MissingAction', hint: 'no Action parameter: map Content-Type to application/x-www-form-urlencoded and send Action=SendMessage&MessageBody=…' },
      };
    }
    try {
      const out = this.sqsOperation(action, queueRef, (k) => params[k], now);
      // With Accept: application/json (API Gateway always sends it) the query API answers JSON.
      return {
        ...json(200, { [`${action}Response`]: { ResponseMetadata: { RequestId: requestId }, [`${action}Result`]: out.query } }),
        detail: { service: 'sqs', protocol: 'query', operation: action, queue: queueRef, ...out.detail },
      };
    } catch (err) {
      if (!(err instanceof QueueError)) throw err;
      const message = err.code === 'AWS.SimpleQueueService.NonExistentQueue' ? 'The specified queue does not exist for this wsdl version.' : err.message;
      return {
        ...json(err.statusCode, { Error: { Code: err.code, Message: message, Type: 'Sender' }, RequestId: requestId }),
        detail: { service: 'sqs', operation: action, queue: queueRef, error: err.code },
      };
    }
  }

  private sqsOperation(
    operation: string,
    queueRef: string,
    param: (name: string) => string | undefined,
    now: number,
  ): { json: unknown; query: unknown; detail: Record<string, unknown> } {
    const queues = this.services.queues;
    switch (operation) {
      case 'SendMessage': {
        const m = queues.sendMessage(queueRef, param('MessageBody') ?? '', now);
        return {
          json: { MD5OfMessageBody: m.md5OfBody, MessageId: m.messageId },
          query: { MD5OfMessageAttributes: null, MD5OfMessageBody: m.md5OfBody, MD5OfMessageSystemAttributes: null, MessageId: m.messageId, SequenceNumber: null },
          detail: { messageId: m.messageId, body: m.body, depth: queues.find(queueRef)?.messages.length },
        };
      }
      case 'ReceiveMessage': {
        const list = queues.receiveMessages(queueRef, Number(param('MaxNumberOfMessages') ?? 1));
        const msgs = list.map((m) => ({ Body: m.body, MD5OfBody: m.md5OfBody, MessageId: m.messageId, ReceiptHandle: m.receiptHandle }));
        return {
          json: { Messages: msgs },
          query: { messages: msgs.map((m) => ({ Attributes: null, ...m, MD5OfMessageAttributes: null, MessageAttributes: null })) },
          detail: { received: list.length },
        };
      }
      case 'DeleteMessage':
        queues.deleteMessage(queueRef, param('ReceiptHandle') ?? '');
        return { json: {}, query: null, detail: {} };
      case 'PurgeQueue':
        queues.purge(queueRef);
        return { json: {}, query: null, detail: {} };
      case 'GetQueueAttributes': {
        const attributes = queues.attributes(queueRef);
        return { json: { Attributes: attributes }, query: { Attributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })) }, detail: {} };
      }
      default:
        throw new QueueError('InvalidAction', `The action ${operation} is not valid for this endpoint.`);
    }
  }

  // ---- S3 --------------------------------------------------------------------------------

  private s3(req: AwsServiceRequest, now: number, requestId: string): Omit<AwsServiceResponse, 'latencyMs'> {
    const store = this.services.objects;
    const path = req.target.kind === 'path' ? req.target.value : '';
    const slash = path.indexOf('/');
    const bucket = slash < 0 ? path : path.slice(0, slash);
    const key = slash < 0 ? '' : decodeURIComponent(path.slice(slash + 1));
    const method = req.httpMethod.toUpperCase();
    const amz = { 'x-amz-request-id': requestId.replace(/-/g, '').slice(0, 16).toUpperCase(), Server: 'AmazonS3' };
    try {
      if (key === '' && method === 'GET') {
        const objects = store.listObjects(bucket, String(req.query.prefix?.[0] ?? ''));
        const xml =
          `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${xmlEscape(bucket)}</Name><KeyCount>${objects.length}</KeyCount>` +
          objects.map((o) => `<Contents><Key>${xmlEscape(o.key)}</Key><ETag>${xmlEscape(o.etag)}</ETag><Size>${o.body.length}</Size></Contents>`).join('') +
          `</ListBucketResult>`;
        return { statusCode: 200, headers: { 'Content-Type': 'application/xml', ...amz }, body: Buffer.from(xml), detail: { service: 's3', operation: 'ListObjectsV2', bucket, count: objects.length } };
      }
      switch (method) {
        case 'GET':
        case 'HEAD': {
          const o = store.getObject(bucket, key);
          // `response-content-type` in the query overrides the stored Content-Type, as S3 does.
          const contentType = req.query['response-content-type']?.[0] ?? o.contentType;
          return {
            statusCode: 200,
            headers: {
              'Accept-Ranges': 'bytes',
              'Content-Type': contentType,
              ETag: o.etag,
              'Last-Modified': httpDate(o.lastModified),
              ...amz,
            },
            body: method === 'HEAD' ? Buffer.alloc(0) : o.body,
            detail: { service: 's3', operation: method === 'GET' ? 'GetObject' : 'HeadObject', bucket, key, size: o.body.length, etag: o.etag, contentType },
          };
        }
        case 'PUT': {
          const o = store.putObject(bucket, key, req.body, header(req.headers, 'Content-Type') ?? 'binary/octet-stream', now);
          return { statusCode: 200, headers: { ETag: o.etag, ...amz }, body: Buffer.alloc(0), detail: { service: 's3', operation: 'PutObject', bucket, key, size: o.body.length, etag: o.etag, contentType: o.contentType } };
        }
        case 'DELETE':
          store.deleteObject(bucket, key);
          return { statusCode: 204, headers: { ...amz }, body: Buffer.alloc(0), detail: { service: 's3', operation: 'DeleteObject', bucket, key } };
        default: {
          const xml = s3ErrorXml('MethodNotAllowed', 'The specified method is not allowed against this resource.', requestId, `<Method>${method}</Method><ResourceType>OBJECT</ResourceType>`);
          return { statusCode: 405, headers: { 'Content-Type': 'application/xml', ...amz }, body: Buffer.from(xml), detail: { service: 's3', operation: method, error: 'MethodNotAllowed' } };
        }
      }
    } catch (err) {
      if (!(err instanceof ObjectStoreError)) throw err;
      const extra = err.code === 'NoSuchKey' ? `<Key>${xmlEscape(key)}</Key>` : err.code === 'NoSuchBucket' ? `<BucketName>${xmlEscape(bucket)}</BucketName>` : '';
      return {
        statusCode: err.statusCode,
        headers: { 'Content-Type': 'application/xml', ...amz },
        body: method === 'HEAD' ? Buffer.alloc(0) : Buffer.from(s3ErrorXml(err.code, err.message, requestId, extra)),
        detail: { service: 's3', operation: method, bucket, key, error: err.code },
      };
    }
  }

  // ---- DynamoDB --------------------------------------------------------------------------

  private dynamodb(req: AwsServiceRequest): Omit<AwsServiceResponse, 'latencyMs'> {
    const ct = 'application/x-amz-json-1.0';
    const operation = req.target.kind === 'action' ? req.target.value : (header(req.headers, 'X-Amz-Target') ?? '').replace(/^DynamoDB_\d+\./, '');
    const tables = this.services.tables;
    if (!tables) {
      return { ...json(400, { __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException', message: 'Requested resource not found' }, ct), detail: { service: 'dynamodb', operation, error: 'no table service' } };
    }
    let input: unknown;
    try {
      input = JSON.parse(req.body.toString('utf8') || '{}');
    } catch {
      return { ...json(400, { __type: 'com.amazon.coral.service#SerializationException', Message: 'Start of structure or map found where not expected.' }, ct), detail: { service: 'dynamodb', operation, error: 'SerializationException' } };
    }
    try {
      const out = tables.call(operation, input);
      return { ...json(200, out, ct), detail: { service: 'dynamodb', operation, input, output: out } };
    } catch (err) {
      if (!isTableError(err)) throw err;
      // DynamoDB answers its errors with 400 and a JSON body; API Gateway relays them as an
      // ordinary endpoint response (integration responses decide the status the client sees).
      return { ...json(err.statusCode, err.toJSON(), ct), detail: { service: 'dynamodb', operation, input, error: err.name } };
    }
  }
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function s3ErrorXml(code: string, message: string, requestId: string, extra: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message>${extra}<RequestId>${requestId.replace(/-/g, '').slice(0, 16).toUpperCase()}</RequestId><HostId>${Buffer.from(requestId).toString('base64')}</HostId></Error>`;
}
