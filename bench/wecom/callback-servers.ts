/**
 * One server of bench/wecom-callback.ts, in its own process (the parent pins it to a core):
 *
 *   bare            node:http answering 200 to anything: the machine's ceiling
 *   channel-memory  the wechatcom_app channel wired as `wecom-bot start` wires it, memory store
 *   channel-disk    the same with the disk store in a fresh temp dir (fsynced seen ids, outbox)
 *   minimal         node:http + node:crypto doing only what a correct callback must
 *
 * IPC: sends { port } once listening; answers { cpuUs } to "stop" with the CPU this process
 * used since the last "start" (process.cpuUsage, user + system). With BENCH_ALLOC_PROF=DIR,
 * what the timed pass allocated (sampled, collected objects included) goes to DIR/<kind>.heapprofile.
 */
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Operations, SecretRegistry, coreConfigSection, type Stores } from '@wecom-bot/core';
import { createDiskStores, createLogger, createMemoryStores, validateConfig } from '@wecom-bot/core/runtime';
import { wechatcomAppConfigSection, wechatcomAppIntegration } from '@wecom-bot/channel-wechatcom-app';
import { testWecomConfig } from '@wecom-bot/channel-wechatcom-app/testing';
import { AllocationSampler } from '../support/allocation-sampler.js';
import { createMinimalCallbackServer } from './minimal-callback-server.js';

const kind = process.argv[2] ?? '';
const raw = testWecomConfig('http://127.0.0.1:9');
let cleanup = async () => {};

async function startChannel(store: 'memory' | 'disk'): Promise<number> {
  const secrets = new SecretRegistry();
  const { config, secretValues } = validateConfig(raw, [coreConfigSection, wechatcomAppConfigSection]);
  secretValues.forEach((v) => secrets.add(v));
  // Production log level (info), written to nowhere: the cost of formatting and scrubbing stays in.
  const sink = new Writable({ write: (_chunk, _enc, done) => done() });
  const logger = createLogger({ secrets, destination: sink, pretty: false, level: 'info' });
  const dir = store === 'disk' ? mkdtempSync(join(tmpdir(), 'wecom-bench-disk-')) : '';
  const stores: Stores = store === 'disk' ? await createDiskStores({ dir }) : createMemoryStores();
  // The integration's own factory, so the channel has the seen store and outbox it has in production.
  const channel = wechatcomAppIntegration.channels!.wechatcom_app!.create({
    config,
    logger,
    secrets,
    sessions: stores.sessions,
    stores,
    instanceId: `bench:${process.pid}`,
    ops: new Operations({ secrets, stores }),
  });
  // The bot is not part of the callback path: the handler returns at once, so each callback is
  // answered as soon as it is verified, decrypted, parsed, deduplicated and recorded.
  await channel.start(async () => undefined);
  cleanup = async () => {
    await channel.stop();
    await stores.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
  return (channel as unknown as { port: number }).port;
}

async function listen(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

function bareServer(): Server {
  return createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.statusCode = 200;
      res.end('');
    });
  });
}

const keys = { token: String(raw.wechatcomapp_token), aesKey: String(raw.wechatcomapp_aes_key), corpId: String(raw.wechatcom_corp_id) };
let port: number;
switch (kind) {
  case 'bare':
    port = await listen(bareServer());
    break;
  case 'minimal':
    port = await listen(createMinimalCallbackServer(keys));
    break;
  case 'channel-memory':
    port = await startChannel('memory');
    break;
  case 'channel-disk':
    port = await startChannel('disk');
    break;
  default:
    throw new Error(`unknown server kind "${kind}": bare, minimal, channel-memory or channel-disk`);
}

let since = process.cpuUsage();
const allocations = process.env.BENCH_ALLOC_PROF && kind !== 'bare' ? new AllocationSampler(join(process.env.BENCH_ALLOC_PROF, `${kind}.heapprofile`)) : undefined;
process.on('message', (message: string) => {
  if (message === 'start') {
    since = process.cpuUsage();
    void allocations?.start();
  }
  if (message === 'stop') {
    const used = process.cpuUsage(since);
    void allocations?.stop();
    process.send?.({ cpuUs: used.user + used.system });
  }
});
process.on('disconnect', () => {
  void cleanup().finally(() => process.exit(0));
});
process.send?.({ port });
