/**
 * AWS service integrations (type AWS, other than Lambda) over the simulated queue (SQS),
 * object store (S3) and table (DynamoDB), with the services' own request and response shapes,
 * and content handling (binary/text conversions) on both sides.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAwsIntegrationUri } from '../../engine/backends/aws-services';
import { IdGenerator, SeededRandom } from '../../engine/core/random';
import { convertRequestPayload, convertResponsePayload, isBase64 } from '../../engine/rest/content-handling';
import { isBinaryMediaType } from '../../engine/rest/binary';
import { ObjectStore } from '../../engine/services/object-store';
import { QueueService } from '../../engine/services/queue';
import { type RestFixture, header, json, restFixture } from '../helpers';

describe('the simulated queue and object store', () => {
  it('queues keep messages with ids and MD5 digests until deleted', () => {
    const q = new QueueService(new IdGenerator(new SeededRandom('q')), 'us-east-1', '123456789012');
    const queue = q.createQueue('orders');
    expect(queue.url).toBe('https://sqs.us-east-1.amazonaws.com/123456789012/orders');
    const m = q.sendMessage(queue.url, 'hello', 0);
    expect(m.md5OfBody).toBe('5d41402abc4b2a76b9719d911017c592');
    expect(q.find('123456789012/orders')).toBe(queue);
    expect(q.find('999999999999/orders')).toBeUndefined();
    const [received] = q.receiveMessages('orders');
    q.deleteMessage('orders', received!.receiptHandle!);
    expect(queue.messages).toHaveLength(0);
    expect(() => q.sendMessage('missing', 'x', 0)).toThrow('The specified queue does not exist.');
  });

  it('objects carry an ETag that is the MD5 of their bytes, in quotes', () => {
    const s = new ObjectStore();
    s.createBucket('media');
    expect(s.putObject('media', 'a.txt', Buffer.from('this is a UTF8 text typed object')).etag).toBe('"322a648674040849d29154aa1dce24a5"');
    expect(() => s.getObject('media', 'nope')).toThrow('The specified key does not exist.');
    expect(() => s.getObject('other', 'a.txt')).toThrow('The specified bucket does not exist');
  });

  it('parses AWS integration URIs', () => {
    expect(parseAwsIntegrationUri('arn:aws:apigateway:eu-west-1:sqs:path/123456789012/orders')).toEqual({ region: 'eu-west-1', service: 'sqs', kind: 'path', value: '123456789012/orders' });
    expect(parseAwsIntegrationUri('arn:aws:apigateway:us-east-1:dynamodb:action/PutItem')).toMatchObject({ service: 'dynamodb', kind: 'action', value: 'PutItem' });
    expect(parseAwsIntegrationUri('arn:aws:apigateway:us-east-1:mybucket.s3:path/key')).toMatchObject({ service: 's3' });
    expect(parseAwsIntegrationUri('https://example.com')).toBeUndefined();
  });
});

describe('content handling (the conversion tables)', () => {
  const text = Buffer.from('aGVsbG8=');
  const bytes = Buffer.from([0x1f, 0x8b, 0x08]);
  it('request side: passthrough unless told, CONVERT_TO_TEXT encodes binary, CONVERT_TO_BINARY decodes text', () => {
    expect(convertRequestPayload(text, false, undefined)).toMatchObject({ ok: true, converted: 'none' });
    expect(convertRequestPayload(bytes, true, 'CONVERT_TO_TEXT')).toMatchObject({ ok: true, payload: { bytes: Buffer.from('H4sI'), binary: false } });
    expect(convertRequestPayload(text, false, 'CONVERT_TO_BINARY')).toMatchObject({ ok: true, payload: { bytes: Buffer.from('hello'), binary: true } });
    expect(convertRequestPayload(Buffer.from('not base64!'), false, 'CONVERT_TO_BINARY').ok).toBe(false);
  });
  it('response side without contentHandling converts only where payload and Accept differ', () => {
    expect(convertResponsePayload(text, false, false, undefined)).toMatchObject({ converted: 'none' });
    expect(convertResponsePayload(text, false, true, undefined)).toMatchObject({ converted: 'base64-decoded' });
    expect(convertResponsePayload(bytes, true, false, undefined)).toMatchObject({ converted: 'base64-encoded' });
    expect(convertResponsePayload(bytes, true, true, undefined)).toMatchObject({ converted: 'none' });
    expect(convertResponsePayload(text, false, true, 'CONVERT_TO_TEXT')).toMatchObject({ converted: 'none' });
    expect(convertResponsePayload(bytes, true, true, 'CONVERT_TO_TEXT')).toMatchObject({ converted: 'base64-encoded' });
  });
  it('strict base64, and binaryMediaTypes wildcards only as type/* or */*', () => {
    expect(isBase64('aGVsbG8=')).toBe(true);
    expect(isBase64('aGVsbG8')).toBe(false);
    expect(isBinaryMediaType(['image/*'], 'image/png')).toBe(true);
    expect(isBinaryMediaType(['image/png'], 'image/*')).toBe(false);
    expect(isBinaryMediaType(['*/test'], '*/test')).toBe(false);
    expect(isBinaryMediaType(['*/*'], 'text/plain')).toBe(true);
  });
});

describe('AWS integrations through the pipeline', () => {
  let f: RestFixture;
  beforeAll(async () => {
    f = await restFixture(
      {
        binaryMediaTypes: ['image/png'],
        resources: {
          '/orders': {
            POST: {
              integration: {
                type: 'AWS',
                httpMethod: 'POST',
                uri: 'arn:aws:apigateway:us-east-1:sqs:path/123456789012/orders',
                requestParameters: { 'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'" },
                requestTemplates: { 'application/json': 'Action=SendMessage&MessageBody=$util.urlEncode($input.body)' },
                integrationResponses: {
                  '200': { responseTemplates: { 'application/json': '{"queued": "$input.path(\'$.SendMessageResponse.SendMessageResult.MessageId\')"}' } },
                  '400': { selectionPattern: '4\\d{2}', responseTemplates: { 'application/json': '{"error": "$input.path(\'$.Error.Code\')"}' } },
                },
              },
            },
          },
          '/lost': {
            POST: {
              integration: {
                type: 'AWS',
                httpMethod: 'POST',
                uri: 'arn:aws:apigateway:us-east-1:sqs:path/123456789012/nowhere',
                requestParameters: { 'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'" },
                requestTemplates: { 'application/json': 'Action=SendMessage&MessageBody=x' },
              },
            },
          },
          '/files/{key+}': {
            ANY: {
              integration: {
                type: 'AWS',
                httpMethod: 'ANY',
                uri: 'arn:aws:apigateway:us-east-1:s3:path/media/{key}',
                requestParameters: {
                  'integration.request.path.key': 'method.request.path.key',
                  'integration.request.header.Content-Type': 'method.request.header.Content-Type',
                },
                integrationResponses: [
                  { statusCode: '200', responseParameters: { 'method.response.header.ETag': 'integration.response.header.ETag' } },
                  { statusCode: '404', selectionPattern: '404' },
                ],
              },
            },
          },
          '/b64/{key}': {
            GET: {
              integration: {
                type: 'AWS',
                httpMethod: 'GET',
                uri: 'arn:aws:apigateway:us-east-1:s3:path/media/{key}',
                requestParameters: { 'integration.request.path.key': 'method.request.path.key' },
                integrationResponses: [{ statusCode: '200', contentHandling: 'CONVERT_TO_TEXT' }],
              },
            },
          },
          '/table': {
            POST: {
              integration: {
                type: 'AWS',
                httpMethod: 'POST',
                uri: 'arn:aws:apigateway:us-east-1:dynamodb:action/PutItem',
                requestTemplates: { 'application/json': '{"TableName": "pets", "Item": {"id": {"S": "$input.path(\'$.id\')"}}}' },
                integrationResponses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"stored": true}' } }, { statusCode: '400', selectionPattern: '400' }],
              },
            },
            GET: {
              integration: {
                type: 'AWS',
                httpMethod: 'POST',
                uri: 'arn:aws:apigateway:us-east-1:dynamodb:action/GetItem',
                requestTemplates: { 'application/json': '{"TableName": "$input.params(\'table\')", "Key": {"id": {"S": "$input.params(\'id\')"}}}' },
                integrationResponses: [{ statusCode: '200' }, { statusCode: '400', selectionPattern: '400' }],
              },
            },
          },
        },
      },
      { seed: 'aws-services' },
    );
    f.gateway.queues.createQueue('orders');
    f.gateway.objects.createBucket('media');
    f.gateway.objects.putObject('media', 'logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47]), 'image/png');
    // The table service (engine/services/table.ts), reached through its call() contract in DynamoDB JSON.
    f.gateway.tables.createTable({ name: 'pets', partitionKey: { name: 'id', type: 'S' } });
  });
  afterAll(() => f.close());

  it('SQS SendMessage (query protocol): the message is in the queue, the JSON answer is mapped', async () => {
    const t = await f.send('POST', '/prod/orders', { body: { sku: 'lamp', qty: 2 } });
    expect(t.response.statusCode).toBe(200);
    const queue = f.gateway.queues.find('orders')!;
    expect(queue.messages.map((m) => m.body)).toEqual(['{"sku":"lamp","qty":2}']);
    expect(json(t)).toEqual({ queued: queue.messages[0]!.messageId });
    expect(t.executionLog.join('\n')).toContain('Endpoint request URI: https://sqs.us-east-1.amazonaws.com/123456789012/orders');
    expect(t.steps.find((s) => s.step === 'integration')?.detail?.service).toMatchObject({ service: 'sqs', operation: 'SendMessage' });
  });

  it('SQS errors are endpoint responses: a selection pattern on 4xx maps them', async () => {
    const t = await f.send('POST', '/prod/lost', { body: {} });
    // No integration response for 400: the default 200 passes the SQS error JSON through (the "always 200" trap).
    expect(t.response.statusCode).toBe(200);
    expect(json(t)).toMatchObject({ Error: { Code: 'AWS.SimpleQueueService.NonExistentQueue', Type: 'Sender' } });
  });

  it('S3 PutObject and GetObject with the ETag mapped, 404 for a missing key', async () => {
    const put = await f.send('PUT', '/prod/files/notes/today.txt', { headers: { 'Content-Type': 'text/plain' }, body: 'buy milk' });
    expect(put.response.statusCode).toBe(200);
    expect(f.gateway.objects.getObject('media', 'notes/today.txt').contentType).toBe('text/plain');
    const get = await f.send('GET', '/prod/files/notes/today.txt');
    expect(get.response.body).toBe('buy milk');
    expect(header(get, 'ETag')).toBe(`"${createHash('md5').update('buy milk').digest('hex')}"`);
    const missing = await f.send('GET', '/prod/files/none.txt');
    expect(missing.response.statusCode).toBe(404);
    expect(missing.response.body).toContain('<Code>NoSuchKey</Code>');
  });

  it('binary payloads: decoded for a binary Accept, base64 text for a text Accept, CONVERT_TO_TEXT always text', async () => {
    const bin = await f.send('GET', '/prod/files/logo.png', { headers: { Accept: 'image/png' } });
    expect(bin.response.isBase64Encoded).toBe(true);
    expect(Buffer.from(bin.response.body, 'base64')).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    const asText = await f.send('GET', '/prod/files/logo.png', { headers: { Accept: 'text/plain' } });
    expect(asText.response).toMatchObject({ isBase64Encoded: false, body: 'iVBORw==' });
    const converted = await f.send('GET', '/prod/b64/logo.png', { headers: { Accept: 'image/png' } });
    expect(converted.response).toMatchObject({ isBase64Encoded: false, body: 'iVBORw==' });
  });

  it('DynamoDB actions go to the table service in DynamoDB JSON', async () => {
    const put = await f.send('POST', '/prod/table', { body: { id: 'rex' } });
    expect(json(put)).toEqual({ stored: true });
    const get = await f.send('GET', '/prod/table?table=pets&id=rex');
    expect(json(get)).toEqual({ Item: { id: { S: 'rex' } } });
    const wrong = await f.send('GET', '/prod/table?table=cats&id=rex');
    expect(wrong.response.statusCode).toBe(400);
    expect(json(wrong)).toEqual({ __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException', message: 'Requested resource not found' });
  });
});
