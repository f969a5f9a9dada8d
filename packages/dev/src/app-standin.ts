import { nextMsgId, memberMessage, type FakeWecomApi, type RecordedCall, type WecomCallbackClient } from '@wecom-bot/channel-wechatcom-app/testing';
import { parseMessage } from '@wecom-bot/channel-wechatcom-app';
import type { Hub } from './hub.js';
import type { MediaShelf } from './media.js';
import type { ChatMessage, NewsCard } from './protocol.js';
import { maskQuery, prettyJson, prettyXml } from './show.js';
import type { VoiceTools } from './voice.js';

export interface AppStandInDeps {
  hub: Hub;
  shelf: MediaShelf;
  api: FakeWecomApi;
  client: WecomCallbackClient;
  corpId: string;
  member: string;
  voice?: VoiceTools;
  /** The dev server's own address, for PicUrl (the bot may fetch the picture). */
  origin: () => string;
  /** The message whose reply is being sent now (from the plugin trace), for API calls that name none. */
  sendingTrace: () => string | undefined;
}

type Bubble = Omit<ChatMessage, 'id' | 'at' | 'chat' | 'from'>;

/**
 * Plays WeCom for the self-built app: a member's actions become signed, encrypted callbacks
 * to the real channel, and what the channel sends back (passive replies inside the callback
 * answer, message/send calls to the fake API) becomes bubbles on the page.
 */
export class AppStandIn {
  constructor(private readonly deps: AppStandInDeps) {}

  async text(text: string): Promise<void> {
    const msgId = nextMsgId();
    this.mine({ kind: 'text', text, trace: msgId });
    await this.callback('text', { Content: text, MsgId: msgId }, msgId);
  }

  async image(data: Buffer, contentType: string, name: string): Promise<void> {
    const msgId = nextMsgId();
    const { path } = this.deps.shelf.put({ data, contentType, name });
    this.mine({ kind: 'image', media: { url: path, name, bytes: data.length }, trace: msgId });
    const mediaId = this.deps.api.addMedia(data, contentType, name);
    await this.callback('image', { PicUrl: `${this.deps.origin()}${path}`, MediaId: mediaId, MsgId: msgId }, msgId);
  }

  async file(data: Buffer, contentType: string, name: string): Promise<void> {
    const msgId = nextMsgId();
    const { path } = this.deps.shelf.put({ data, contentType, name });
    this.mine({ kind: 'file', media: { url: path, name, bytes: data.length }, trace: msgId });
    const mediaId = this.deps.api.addMedia(data, contentType, name);
    await this.callback('file', { MediaId: mediaId, FileName: name, MsgId: msgId }, msgId);
  }

  /** `amr`: what WeCom carries; the bubble plays it back decoded, as the bot will hear it. */
  async voice(amr: Buffer): Promise<void> {
    const msgId = nextMsgId();
    this.mine({ kind: 'voice', media: await this.playable(amr, 'voice.amr'), trace: msgId });
    const mediaId = this.deps.api.addMedia(amr, 'audio/amr', `${msgId}.amr`);
    await this.callback('voice', { MediaId: mediaId, Format: 'amr', MsgId: msgId }, msgId);
  }

  /** enter_agent (the member opened the app) or click (a menu item): events have no MsgId. */
  async event(event: 'enter_agent' | 'click', key = ''): Promise<void> {
    const createTime = Math.floor(Date.now() / 1000);
    const trace = `${this.deps.member}:${createTime}:${event}`;
    this.mine({ kind: 'event', text: event === 'click' ? `点击菜单 ${key}` : '进入应用', trace });
    await this.callback('event', { Event: event, EventKey: key, CreateTime: createTime }, trace);
  }

  /** Every call the channel made to the fake WeCom API: a panel line, and a bubble for each message sent. */
  async onApiCall(call: RecordedCall): Promise<void> {
    const trace = call.api === 'message/send' ? this.deps.sendingTrace() : undefined;
    const upload = call.api === 'media/upload' ? this.deps.api.uploads.find((u) => u.mediaId === (call.response as { media_id?: string } | undefined)?.media_id) : undefined;
    const request = [`${call.method} /cgi-bin/${call.api}?${maskQuery(call.query)}`, call.json ? prettyJson(call.json) : upload ? `media: ${upload.filename} (${upload.contentType}, ${upload.data.length} bytes)` : '']
      .filter(Boolean)
      .join('\n');
    const errcode = (call.response as { errcode?: number } | undefined)?.errcode;
    const title = `${call.api} → ${call.answered === 0 ? 'ok' : `errcode ${call.answered}`}`;
    this.deps.hub.record({ chat: 'app', kind: 'api', title, ok: call.answered === 0 && !errcode, ms: call.ms, request, response: call.response === undefined ? '(media bytes)' : prettyJson(call.response), trace });
    if (call.api !== 'message/send' || call.answered !== 0 || !call.json) return;
    const bubble = await this.fromSend(call.json as Record<string, unknown>);
    if (bubble) this.deps.hub.message({ chat: 'app', from: 'bot', ...bubble, via: 'message/send', trace });
  }

  private mine(bubble: Bubble): void {
    this.deps.hub.message({ chat: 'app', from: 'me', ...bubble });
  }

  private async callback(msgType: string, fields: Record<string, string | number>, trace: string): Promise<void> {
    const { client, hub } = this.deps;
    const plain = memberMessage(this.deps.corpId, this.deps.member, msgType, fields);
    const prepared = client.prepare(plain);
    const request = `decrypted:\n${prettyXml(plain)}\n\n— as sent (signed, encrypted) —\nPOST ${new URL(prepared.url).pathname}?${new URL(prepared.url).searchParams}\n${prepared.body}`;
    const started = performance.now();
    try {
      const answer = await client.send(prepared);
      const response = answer.reply ? `${answer.status}, passive reply (decrypted):\n${prettyXml(answer.reply)}` : `${answer.status} ${answer.body || '(empty body: received, answer follows through message/send)'}`;
      hub.record({ chat: 'app', kind: 'callback', title: `callback ${msgType} → HTTP ${answer.status}`, ok: answer.status === 200, ms: performance.now() - started, request, response, trace });
      if (answer.reply) {
        const bubble = passiveBubble(answer.reply);
        if (bubble) hub.message({ chat: 'app', from: 'bot', ...bubble, via: 'passive reply', trace });
      }
    } catch (error) {
      hub.record({ chat: 'app', kind: 'callback', title: `callback ${msgType} failed`, ok: false, ms: performance.now() - started, request, response: String(error), trace });
    }
  }

  /** A message/send body as the member's client would show it. */
  private async fromSend(body: Record<string, unknown>): Promise<Bubble | undefined> {
    const type = String(body.msgtype);
    const part = (body[type] ?? {}) as { content?: string; media_id?: string; articles?: Array<Record<string, string>> };
    if (type === 'text' || type === 'markdown') return { kind: type, text: part.content ?? '' };
    if (type === 'news') return { kind: 'news', articles: (part.articles ?? []).map((a) => newsCard(a.title, a.description, a.url, a.picurl)) };
    const upload = this.deps.api.uploads.find((u) => u.mediaId === part.media_id);
    if (!upload) return { kind: 'text', text: `(${type}: media ${part.media_id ?? '?'} was never uploaded)` };
    if (type === 'voice') return { kind: 'voice', media: await this.playable(upload.data, upload.filename) };
    const { path } = this.deps.shelf.put({ data: upload.data, contentType: upload.contentType, name: upload.filename });
    const kind = type === 'image' || type === 'video' ? type : 'file';
    return { kind, media: { url: path, name: upload.filename, bytes: upload.data.length } };
  }

  /** AMR made playable for the page; without ffmpeg the AMR itself, to download. */
  private async playable(amr: Buffer, name: string): Promise<ChatMessage['media']> {
    const voice = this.deps.voice;
    if (voice) {
      const { wav, seconds } = await voice.playable(amr);
      return { url: this.deps.shelf.put({ data: wav, contentType: 'audio/wav', name }).path, name, bytes: amr.length, seconds };
    }
    return { url: this.deps.shelf.put({ data: amr, contentType: 'audio/amr', name }).path, name, bytes: amr.length };
  }
}

/** The decrypted passive reply (text or news: what WeCom takes inside the callback answer). */
export function passiveBubble(xml: string): Bubble | undefined {
  const message = parseMessage(xml);
  const fields = message.fields;
  if (message.msgType === 'text') return { kind: 'text', text: typeof fields.Content === 'string' ? fields.Content : '' };
  if (message.msgType !== 'news') return { kind: 'text', text: `(passive ${message.msgType} reply)` };
  const articles = fields.Articles;
  const items = typeof articles === 'object' && !Array.isArray(articles) ? articles.item : undefined;
  const list = Array.isArray(items) ? items : items ? [items] : [];
  const text = (node: unknown, name: string) => (typeof node === 'object' && node !== null && !Array.isArray(node) ? String((node as Record<string, unknown>)[name] ?? '') : '');
  return { kind: 'news', articles: list.map((item) => newsCard(text(item, 'Title'), text(item, 'Description'), text(item, 'Url'), text(item, 'PicUrl'))) };
}

function newsCard(title = '', description?: string, url = '', picUrl?: string): NewsCard {
  return { title, description: description || undefined, url, picUrl: picUrl || undefined };
}
