/**
 * The fake WeCom long connection of bench/wecom-bot.ts, in a child process of its own (forked
 * with the bench's loader), so the channel's event loop and heap hold only the channel.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { BOT_ID, BOT_SECRET, FakeAibotServer } from '@wecom-bot/channel-wecom-bot/testing';
import WebSocket, { WebSocketServer } from 'ws';
import type { BatchReport, Command, EchoReport } from './protocol.js';

interface Track {
  t0: number;
  first?: number;
  final?: number;
  frames: number;
  content?: string;
}

async function fakeProcess(): Promise<void> {
  const fake = await FakeAibotServer.start({ botId: BOT_ID, secret: BOT_SECRET });
  const echoServer = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(echoServer, 'listening');
  let echoPeer: WebSocket | undefined;
  echoServer.on('connection', (socket) => (echoPeer = socket));

  let batch = new Map<string, Track>();
  let firsts = 0;
  let finals = 0;
  const counts = { respond: 0, sendMsg: 0 };
  let changed: () => void = () => undefined;
  // The fake records each frame it receives in `frames` just before acking it: the frame is
  // timestamped there, and not kept (a run sends tens of thousands).
  fake.frames.push = (...frames) => {
    const at = performance.now();
    for (const frame of frames) {
      if (frame.cmd === 'aibot_send_msg') counts.sendMsg += 1;
      if (frame.cmd !== 'aibot_respond_msg') continue;
      counts.respond += 1;
      const track = batch.get(frame.reqId);
      if (!track) continue;
      track.frames += 1;
      if (track.first === undefined) {
        track.first = at;
        firsts += 1;
      }
      const stream = (frame.body as { stream?: { finish?: boolean; content?: string } }).stream;
      if (stream?.finish && track.final === undefined) {
        track.final = at;
        track.content = stream.content;
        finals += 1;
      }
    }
    changed();
    return 0;
  };

  const until = (done: () => boolean, timeoutMs: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(finish, timeoutMs);
      function finish(): void {
        clearTimeout(timer);
        changed = () => undefined;
        resolve();
      }
      changed = () => {
        if (done()) finish();
      };
      changed();
    });

  let seq = 0;
  let since = { ...counts };
  let started = 0;
  let pushMs = 0;
  const report = (expect: string | undefined): BatchReport => {
    const tracks = [...batch.values()];
    const done = tracks.filter((t) => t.final !== undefined);
    return {
      pushed: tracks.length,
      firsts: tracks.flatMap((t) => (t.first === undefined ? [] : [t.first - t.t0])),
      answered: done.length,
      wrong: expect === undefined ? 0 : done.filter((t) => t.content !== expect).length,
      framesPerAnswer: done.map((t) => t.frames),
      totalMs: Math.max(0, ...done.map((t) => t.final! - started)),
      pushMs,
      respondFrames: counts.respond - since.respond,
      sendMsg: counts.sendMsg - since.sendMsg,
    };
  };

  const handle = async (command: Command): Promise<BatchReport | EchoReport> => {
    switch (command.kind) {
      case 'echo': {
        const peer = echoPeer;
        if (!peer) throw new Error('no echo peer');
        const payload = JSON.stringify({ cmd: 'aibot_msg_callback', headers: { req_id: randomUUID() }, body: messageBody(0, 'echo') });
        const rtts: number[] = [];
        for (let i = 0; i < command.count; i++) {
          const back = once(peer, 'message');
          const t0 = performance.now();
          peer.send(payload);
          await back;
          rtts.push(performance.now() - t0);
          await sleep(command.gapMs);
        }
        return { rtts };
      }
      case 'push': {
        batch = new Map();
        firsts = 0;
        finals = 0;
        since = { ...counts };
        started = performance.now();
        for (let i = 0; i < command.count; i++) {
          seq += 1;
          const t0 = performance.now();
          const reqId = fake.pushMessage(messageBody(seq, command.text));
          batch.set(reqId, { t0, frames: 0 });
          if (command.gapMs > 0) await sleep(command.gapMs);
        }
        pushMs = performance.now() - started;
        const count = command.count;
        await until(() => (command.until === 'first' ? firsts >= count : finals >= count), command.timeoutMs);
        return report(command.expect);
      }
      case 'await-final': {
        const count = batch.size;
        await until(() => finals >= count, command.timeoutMs);
        return report(command.expect);
      }
    }
  };

  process.on('message', (message) => {
    handle(message as Command).then(
      (result) => process.send?.(result),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.({ url: fake.url, echoUrl: `ws://127.0.0.1:${(echoServer.address() as AddressInfo).port}` });
}

/** A text message from its own member (sessions run in parallel), with its own msgid. */
function messageBody(seq: number, text: string): Record<string, unknown> {
  return {
    msgid: `bench${process.pid}-${seq}`,
    aibotid: BOT_ID,
    chattype: 'single',
    from: { userid: `member${seq}` },
    msgtype: 'text',
    text: { content: `${text} ${seq}` },
  };
}

// ───────────────────────────── figures ─────────────────────────────

await fakeProcess();
