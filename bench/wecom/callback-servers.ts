/**
 * Child process of bench/wecom-callback.ts: runs the wechatcom_app callback server and a bare
 * node:http server side by side on loopback, so the load generator does not share their
 * event loop. Sends { channelPort, barePort } to the parent, then serves until killed.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { SecretRegistry, coreConfigSection } from '@wecom-bot/core';
import { createLogger, createMemoryStores, validateConfig } from '@wecom-bot/core/runtime';
import { WechatcomAppChannel, wechatcomAppConfigSection } from '@wecom-bot/channel-wechatcom-app';
import { testWecomConfig } from '@wecom-bot/channel-wechatcom-app/testing';

const secrets = new SecretRegistry();
const { config, secretValues } = validateConfig(testWecomConfig('http://127.0.0.1:9'), [coreConfigSection, wechatcomAppConfigSection]);
secretValues.forEach((v) => secrets.add(v));
// Production log level (info), written to nowhere: the cost of formatting and scrubbing stays in.
const sink = new Writable({ write: (_chunk, _enc, done) => done() });
const logger = createLogger({ secrets, destination: sink, pretty: false, level: 'info' });

const channel = new WechatcomAppChannel(wechatcomAppConfigSection.read(config), { logger, secrets, seen: createMemoryStores().seen });
// The bot is not part of the callback path: the handler returns at once, so each callback is
// answered as soon as it is verified, decrypted, parsed and deduplicated.
await channel.start(async () => undefined);

const bare = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.statusCode = 200;
    res.end('');
  });
});
bare.listen(0, '127.0.0.1');
await once(bare, 'listening');

process.send?.({ channelPort: channel.port, barePort: (bare.address() as AddressInfo).port });
process.on('disconnect', () => process.exit(0));
