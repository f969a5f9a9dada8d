import { randomBytes, randomUUID } from 'node:crypto';
import type { FakeAibotServer } from '@wecom-bot/channel-wecom-bot/testing';
import { ExpiringMap } from '@wecom-bot/core';
import { encryptMediaFile, mediaFileKey } from '@wecom-bot/wx-crypto';
import type { Hub } from './hub.js';
import type { MediaShelf } from './media.js';
import { prettyJson } from './show.js';

export interface GroupStandInDeps {
  hub: Hub;
  shelf: MediaShelf;
  server: FakeAibotServer;
  aibotId: string;
  /** The name members @-mention; only mentioned messages reach the AI bot in a group. */
  botName: string;
  member: string;
  groupId: string;
  origin: () => string;
  /** Makes every stream seen so far refuse further frames with 846608 (the fake's clock jumps). */
  expireStreamsNow: () => void;
  sendingTrace: () => string | undefined;
}

/** A frame the channel sent, as the fake records it. */
type ReceivedFrame = FakeAibotServer['frames'][number];

type StreamBody = { msgtype?: string; stream?: { id?: string; finish?: boolean; content?: string }; markdown?: { content?: string }; text?: { content?: string } };

/**
 * Plays WeCom for the AI bot in a group chat: a member's @-message becomes an
 * aibot_msg_callback on the long connection, and the frames the real channel sends back
 * become bubbles, the stream growing in place.
 */
export class GroupStandIn {
  /** req_id of each callback pushed → its msgid (the trace) and when it left, for frame timings. */
  private readonly pushed = new ExpiringMap<{ trace: string; at: number }>({ ttlMs: 10 * 60_000, maxEntries: 1_000 });
  /** Streams WeCom would refuse now (846608), so their bubble grows no more. */
  private readonly expired = new ExpiringMap<true>({ ttlMs: 10 * 60_000, maxEntries: 1_000 });

  constructor(private readonly deps: GroupStandInDeps) {}

  mentions(text: string): boolean {
    return text.includes(`@${this.deps.botName}`);
  }

  async text(text: string): Promise<void> {
    const msgid = this.newMsgId();
    this.deps.hub.message({ chat: 'group', from: 'me', kind: 'text', text, trace: msgid });
    if (!this.mentions(text)) {
      const title = `not delivered: in a group the AI bot receives only messages that @${this.deps.botName}`;
      this.deps.hub.record({ chat: 'group', kind: 'frame', title, ok: true, trace: msgid });
      return;
    }
    this.push({ ...this.head(msgid), msgtype: 'text', text: { content: text } }, msgid);
  }

  /** An image with an @-mention: a "mixed" message, its picture encrypted as WeCom serves it. */
  async image(data: Buffer, contentType: string, name: string): Promise<void> {
    const msgid = this.newMsgId();
    const shown = this.deps.shelf.put({ data, contentType, name });
    this.deps.hub.message({ chat: 'group', from: 'me', kind: 'image', media: { url: shown.path, name, bytes: data.length }, trace: msgid });
    const aeskey = randomBytes(32).toString('base64');
    const served = this.deps.shelf.put({ data: encryptMediaFile(data, mediaFileKey(aeskey, '')), contentType: 'application/octet-stream', name });
    const items = [
      { msgtype: 'text', text: { content: `@${this.deps.botName} ` } },
      { msgtype: 'image', image: { url: `${this.deps.origin()}${served.path}`, aeskey } },
    ];
    this.push({ ...this.head(msgid), msgtype: 'mixed', mixed: { msg_item: items } }, msgid);
  }

  /** The 846608 fault: streams open now are refused from here on, as after WeCom's ~6 minutes. */
  expireStreams(): void {
    this.deps.expireStreamsNow();
    for (const bubble of this.deps.hub.openStreams()) {
      this.expired.set(bubble.id.replace(/^stream-/, ''), true);
      this.deps.hub.message({ ...bubble, streaming: false });
      this.deps.hub.record({ chat: 'group', kind: 'frame', title: 'stream expired: its further frames get 846608', ok: false, trace: bubble.trace });
    }
    this.deps.hub.record({ chat: 'group', kind: 'frame', title: 'fault 846608: every stream open now has expired', ok: false });
  }

  /** Each frame the channel sent: a panel line, and the bubble it changes. */
  onFrame(frame: ReceivedFrame): void {
    if (frame.cmd === 'ping') return; // every 30 s: noise in the panel
    const origin = this.pushed.get(frame.reqId);
    const trace = origin?.trace ?? this.deps.sendingTrace();
    const body = (frame.body ?? {}) as StreamBody;
    const stream = body.msgtype === 'stream' ? body.stream : undefined;
    const refused = stream?.id !== undefined && this.expired.has(stream.id);
    const what = stream ? (refused ? ' (refused: 846608)' : stream.finish ? ' (finish)' : ' (stream)') : '';
    const shown = frame.cmd === 'aibot_subscribe' ? { ...(frame.body as object), secret: '…' } : frame.body;
    this.deps.hub.record({ chat: 'group', kind: 'frame', title: `${frame.cmd}${what}`, ok: !refused, ms: origin ? Date.now() - origin.at : undefined, request: prettyJson(shown), trace });
    if (frame.cmd === 'aibot_respond_msg' && stream?.id && !refused) {
      const text = stream.content ?? '';
      this.deps.hub.message({ id: `stream-${stream.id}`, chat: 'group', from: 'bot', kind: 'markdown', text, streaming: !stream.finish, via: 'stream', trace });
    } else if (frame.cmd === 'aibot_send_msg' || frame.cmd === 'aibot_respond_welcome_msg') {
      const text = body.markdown?.content ?? body.text?.content ?? '';
      this.deps.hub.message({ chat: 'group', from: 'bot', kind: body.msgtype === 'text' ? 'text' : 'markdown', text, via: frame.cmd, trace });
    }
  }

  private head(msgid: string) {
    return { msgid, aibotid: this.deps.aibotId, chatid: this.deps.groupId, chattype: 'group', from: { userid: this.deps.member }, create_time: Math.floor(Date.now() / 1000) };
  }

  private push(body: Record<string, unknown>, msgid: string): void {
    try {
      const reqId = this.deps.server.pushMessage(body);
      this.pushed.set(reqId, { trace: msgid, at: Date.now() });
      this.deps.hub.record({ chat: 'group', kind: 'frame', title: `aibot_msg_callback (${String(body.msgtype)}) pushed`, ok: true, request: prettyJson({ cmd: 'aibot_msg_callback', headers: { req_id: reqId }, body }), trace: msgid });
    } catch (error) {
      this.deps.hub.record({ chat: 'group', kind: 'frame', title: 'not delivered: the AI bot is not connected', ok: false, response: String(error), trace: msgid });
    }
  }

  private newMsgId(): string {
    return `devmsg${randomUUID().replace(/-/g, '')}`;
  }
}
