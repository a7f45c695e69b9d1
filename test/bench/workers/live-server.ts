/**
 * The baseline of the live-endpoint benchmark, run in its own process: a bare Node
 * http.createServer hello world. Prints its URL. (The MOCK and Lambda routes are served by the
 * real `gateway-lab serve`; see ../live.ts.)
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end('{"message":"hello"}');
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hello\n`));

// Exit cleanly on a signal, so profilers (--cpu-prof) write their output.
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(0));
