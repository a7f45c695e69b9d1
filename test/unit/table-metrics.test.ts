/**
 * The simulated services WebSocket (and REST AWS) integrations use: the DynamoDB-like table
 * (wire JSON and DocumentClient views, expressions, errors) and the CloudWatch metrics store.
 */
import { describe, expect, it } from 'vitest';
import { MetricsStore, v2DimensionSets } from '../../engine/services/metrics';
import { TableService, TableServiceError, tableHostService } from '../../engine/services/table';

function orders(): TableService {
  const t = new TableService();
  t.createTable({ name: 'orders', partitionKey: { name: 'customer', type: 'S' }, sortKey: { name: 'n', type: 'N' } });
  for (let n = 1; n <= 5; n++) t.document.put({ TableName: 'orders', Item: { customer: 'ann', n, total: n * 10, tags: ['a'] } });
  t.document.put({ TableName: 'orders', Item: { customer: 'bob', n: 1, total: 99 } });
  return t;
}

describe('the table service', () => {
  it('answers the wire API as DynamoDB does: attribute values in and out, errors with __type', () => {
    const t = orders();
    const got = t.callWire('GetItem', JSON.stringify({ TableName: 'orders', Key: { customer: { S: 'ann' }, n: { N: '2' } } }));
    expect(got.statusCode).toBe(200);
    expect(got.contentType).toBe('application/x-amz-json-1.0');
    expect(JSON.parse(got.body)).toEqual({ Item: { customer: { S: 'ann' }, n: { N: '2' }, total: { N: '20' }, tags: { L: [{ S: 'a' }] } } });
    expect(JSON.parse(t.callWire('GetItem', JSON.stringify({ TableName: 'orders', Key: { customer: { S: 'zed' }, n: { N: '1' } } })).body)).toEqual({});
    const missing = t.callWire('PutItem', JSON.stringify({ TableName: 'nope', Item: { customer: { S: 'x' } } }));
    expect(missing.statusCode).toBe(400);
    expect(JSON.parse(missing.body)).toEqual({ __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException', message: 'Requested resource not found' });
    expect(JSON.parse(t.callWire('Scan', '{not json').body).__type).toBe('com.amazon.coral.service#SerializationException');
    const noSort = t.callWire('PutItem', JSON.stringify({ TableName: 'orders', Item: { customer: { S: 'x' } } }));
    expect(JSON.parse(noSort.body).message).toBe('One or more parameter values were invalid: Missing the key n in the item');
  });

  it('queries a partition in sort-key order, with conditions, filters, projections, limits and pages', () => {
    const t = orders();
    const q = t.document.query({
      TableName: 'orders',
      KeyConditionExpression: 'customer = :c AND n BETWEEN :lo AND :hi',
      FilterExpression: '#t > :min',
      ProjectionExpression: 'n, #t',
      ExpressionAttributeNames: { '#t': 'total' },
      ExpressionAttributeValues: { ':c': 'ann', ':lo': 2, ':hi': 5, ':min': 20 },
    });
    expect(q).toEqual({ Items: [{ n: 3, total: 30 }, { n: 4, total: 40 }, { n: 5, total: 50 }], Count: 3, ScannedCount: 4 });
    const back = t.document.query({ TableName: 'orders', KeyConditionExpression: 'customer = :c', ExpressionAttributeValues: { ':c': 'ann' }, ScanIndexForward: false, Limit: 2 });
    expect((back.Items as { n: number }[]).map((i) => i.n)).toEqual([5, 4]);
    expect(back.LastEvaluatedKey).toEqual({ customer: 'ann', n: 4 });
    const next = t.document.query({ TableName: 'orders', KeyConditionExpression: 'customer = :c', ExpressionAttributeValues: { ':c': 'ann' }, ScanIndexForward: false, Limit: 2, ExclusiveStartKey: back.LastEvaluatedKey as Record<string, unknown> });
    expect((next.Items as { n: number }[]).map((i) => i.n)).toEqual([3, 2]);
    expect(() => t.document.query({ TableName: 'orders', KeyConditionExpression: 'n = :n', ExpressionAttributeValues: { ':n': 1 } })).toThrow('Query condition missed key schema element: customer');
    expect(() => t.document.scan({ TableName: 'orders', FilterExpression: 'total > :x', ExpressionAttributeValues: { ':x': 1, ':unused': 2 } })).toThrow(/unused/i);
  });

  it('conditional writes, updates and idempotent deletes', () => {
    const t = orders();
    expect(() => t.document.put({ TableName: 'orders', Item: { customer: 'bob', n: 1 }, ConditionExpression: 'attribute_not_exists(customer)' })).toThrow(
      expect.objectContaining({ code: 'ConditionalCheckFailedException', message: 'The conditional request failed' }),
    );
    const updated = t.document.update({
      TableName: 'orders',
      Key: { customer: 'bob', n: 1 },
      UpdateExpression: 'SET total = total + :d, note = :note REMOVE tags ADD visits :one',
      ExpressionAttributeValues: { ':d': 1, ':note': 'vip', ':one': 1 },
      ReturnValues: 'ALL_NEW',
    });
    expect(updated.Attributes).toEqual({ customer: 'bob', n: 1, total: 100, note: 'vip', visits: 1 });
    expect(() => t.document.update({ TableName: 'orders', Key: { customer: 'bob', n: 1 }, UpdateExpression: 'SET customer = :x', ExpressionAttributeValues: { ':x': 'y' } })).toThrow(/part of the key/);
    expect(t.document.delete({ TableName: 'orders', Key: { customer: 'nobody', n: 1 } })).toEqual({});
    expect(t.snapshot('orders')!.itemCount).toBe(6);
  });

  it('scans in partition-hash order, not insertion order, and reports every change', () => {
    const t = new TableService();
    t.createTable({ name: 'c', partitionKey: { name: 'id', type: 'S' } });
    const changes: string[] = [];
    t.onChange((name) => changes.push(name));
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    for (const id of ids) t.document.put({ TableName: 'c', Item: { id } });
    const scanned = (t.document.scan({ TableName: 'c' }).Items as { id: string }[]).map((i) => i.id);
    expect([...scanned].sort()).toEqual(ids);
    expect(scanned).not.toEqual(ids);
    expect(t.document.scan({ TableName: 'c' }).Items).toEqual(t.snapshot('c')!.items);
    expect(changes).toHaveLength(8);
    expect(() => t.createTable({ name: 'c', partitionKey: { name: 'id', type: 'S' } })).toThrow(TableServiceError);
  });

  it('reaches handler code as a host service with DynamoDB error names', async () => {
    const t = orders();
    const svc = tableHostService(t);
    const r = await svc('dynamodb', 'document.get', { TableName: 'orders', Key: { customer: 'bob', n: 1 } });
    expect(r.value).toEqual({ Item: { customer: 'bob', n: 1, total: 99 } });
    await expect(svc('dynamodb', 'document.get', { TableName: 'missing', Key: { id: 'x' } })).rejects.toMatchObject({ code: 'ResourceNotFoundException', statusCode: 400 });
    await expect(svc('dynamodb', 'Query', { TableName: 'orders', KeyConditionExpression: 'customer = :c', ExpressionAttributeValues: { ':c': { S: 'bob' } } })).resolves.toMatchObject({ value: { Count: 1 } });
  });
});

describe('the metrics store (as WebSocket APIs publish to it)', () => {
  it('keeps one-minute periods per metric and exact dimension set, as CloudWatch does', () => {
    const m = new MetricsStore();
    const t0 = Date.UTC(2026, 0, 15, 9, 0, 0);
    const put = (name: string, value: number, at: number) => {
      for (const d of v2DimensionSets('a1', 'prod')) m.put(name, d, value, at);
    };
    put('MessageCount', 1, t0 + 1_000);
    put('MessageCount', 2, t0 + 59_999);
    put('MessageCount', 1, t0 + 60_000);
    put('IntegrationLatency', 40, t0);
    put('IntegrationLatency', 10, t0 + 5);
    expect(m.statistics({ metricName: 'MessageCount', dimensions: { ApiId: 'a1' } })).toEqual([
      { timestamp: t0, sampleCount: 2, sum: 3, minimum: 1, maximum: 2, average: 1.5 },
      { timestamp: t0 + 60_000, sampleCount: 1, sum: 1, minimum: 1, maximum: 1, average: 1 },
    ]);
    expect(m.total({ metricName: 'MessageCount', dimensions: { Stage: 'prod', ApiId: 'a1' } })).toBe(4);
    expect(m.total({ metricName: 'MessageCount', dimensions: { ApiId: 'a1' }, start: t0 + 60_000 })).toBe(1);
    // No aggregation across dimension sets: {ApiId, Stage, Route} was never published.
    expect(m.total({ metricName: 'MessageCount', dimensions: { ApiId: 'a1', Stage: 'prod', Route: 'x' } })).toBe(0);
    expect(m.statistics({ metricName: 'IntegrationLatency', dimensions: { ApiId: 'a1' } })[0]).toMatchObject({ sampleCount: 2, minimum: 10, maximum: 40, average: 25 });
    expect(m.list().map((id) => `${id.metricName} ${JSON.stringify(id.dimensions)}`)).toEqual([
      'MessageCount {"ApiId":"a1"}',
      'MessageCount {"ApiId":"a1","Stage":"prod"}',
      'IntegrationLatency {"ApiId":"a1"}',
      'IntegrationLatency {"ApiId":"a1","Stage":"prod"}',
    ]);
  });
});
