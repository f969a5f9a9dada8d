/**
 * Child process of bench/conversations.ts for `--instances 2`: a tiny HTTP proxy handing each
 * callback to the next bot instance in turn over keep-alive connections, as a load balancer in
 * front of several `wecom-bot start` processes would. Ports of the instances are the arguments;
 * sends { port } once listening.
 */
import { once } from 'node:events';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

const upstreams = process.argv.slice(2).map(Number);
const agent = new Agent({ keepAlive: true });
let next = 0;

const server = createServer((req, res) => {
  const port = upstreams[next++ % upstreams.length]!;
  const upstream = request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers, agent }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  req.pipe(upstream);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1');
await once(server, 'listening');
process.send?.({ port: (server.address() as AddressInfo).port });
process.on('disconnect', () => process.exit(0));
