/**
 * WebSocket API speed (wall time, virtual clock):
 *  - websocket.mockMessageUs: one message through route selection to a two-way MOCK route;
 *  - websocket.broadcastUs: a Lambda that scans a 50-connection table and posts to every id
 *    through @connections (the chat pattern's fan-out), per message.
 */
import { VirtualClock } from '../../engine/core/clock';
import { request } from '../../engine/core/http';
import { Gateway } from '../../engine/gateway';
import { fn } from '../helpers';
import type { BenchResults } from './types';

const BROADCAST = `const ddb = new AWS.DynamoDB.DocumentClient();
exports.handler = async (event) => {
  const { domainName, stage } = event.requestContext;
  const api = new AWS.ApiGatewayManagementApi({ endpoint: 'https://' + domainName + '/' + stage });
  const { Items } = await ddb.scan({ TableName: 'connections' }).promise();
  await Promise.all(Items.map(({ connectionId }) => api.postToConnection({ ConnectionId: connectionId, Data: event.body }).promise()));
  return { statusCode: 200 };
};`;

export async function bench(): Promise<BenchResults> {
  const gateway = new Gateway({ seed: 'bench', clock: new VirtualClock() });
  gateway.lambda.register(fn('broadcast', BROADCAST));
  gateway.tables.createTable({ name: 'connections', partitionKey: { name: 'connectionId', type: 'S' } });
  const host = gateway.createWebSocketApi({
    routes: {
      ping: {
        integration: { integrationType: 'MOCK', requestTemplates: { $default: '{"statusCode":200}' }, integrationResponses: { $default: { responseTemplates: { $default: 'pong' } } } },
        routeResponses: { $default: {} },
      },
      broadcast: { integration: { integrationType: 'AWS_PROXY', function: 'broadcast' } },
    },
  });
  host.deploy('prod');
  const sink = { deliver: () => undefined, close: () => undefined };
  const ids: string[] = [];
  for (let i = 0; i < 50; i++) {
    const r = await host.connect(request({ method: 'GET', path: '/prod' }), sink);
    ids.push(r.connectionId!);
    gateway.tables.document.put({ TableName: 'connections', Item: { connectionId: r.connectionId! } });
  }
  const time = async (data: string, n: number) => {
    const samples: number[] = [];
    for (let i = 0; i < n + 20; i++) {
      const t0 = process.hrtime.bigint();
      const t = await host.message(ids[i % ids.length]!, { data, binary: false }, { snapshots: false });
      if (i >= 20) samples.push(Number(process.hrtime.bigint() - t0) / 1000);
      gateway.clock.advanceTo(t!.startedAt + t!.durationMs + 1);
    }
    return samples.sort((a, b) => a - b);
  };
  const mock = await time('{"action":"ping"}', 2000);
  const fanOut = await time('{"action":"broadcast"}', 100);
  await gateway.close();
  const med = (s: number[]) => Math.round(s[Math.floor(s.length / 2)]! * 10) / 10;
  return {
    'websocket.mockMessageUs': { value: med(mock), unit: 'us', target: 1000, ok: med(mock) <= 1000 },
    'websocket.broadcast50Us': { value: med(fanOut), unit: 'us', target: 20_000, ok: med(fanOut) <= 20_000 },
  };
}
