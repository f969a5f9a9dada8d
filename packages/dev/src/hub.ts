import { randomUUID } from 'node:crypto';
import type { ChatMessage, DevInfo, DevRecord, ServerEvent } from './protocol.js';

/** A page that listens: gets every event from now on. */
export type Listener = (event: ServerEvent) => void;

const MAX_MESSAGES = 500;
const MAX_RECORDS = 2_000;

/**
 * What the page shows, kept on the server so a reload (or a second tab) sees the same chats
 * and panel. Both lists are bounded: a dev server left running for days stays small.
 */
export class Hub {
  private readonly messages = new Map<string, ChatMessage>();
  private readonly records: DevRecord[] = [];
  private readonly listeners = new Set<Listener>();

  constructor(readonly info: DevInfo) {}

  /** Adds a bubble, or replaces the one with the same id (a stream that grew). */
  message(message: Omit<ChatMessage, 'id' | 'at'> & { id?: string; at?: number }): ChatMessage {
    const id = message.id ?? randomUUID();
    const full: ChatMessage = { ...message, id, at: message.at ?? this.messages.get(id)?.at ?? Date.now() };
    this.messages.set(id, full);
    if (this.messages.size > MAX_MESSAGES) this.messages.delete(this.messages.keys().next().value ?? '');
    this.emit({ type: 'message', message: full });
    return full;
  }

  record(record: Omit<DevRecord, 'id' | 'at'> & { at?: number }): DevRecord {
    const full: DevRecord = { ...record, id: randomUUID(), at: record.at ?? Date.now() };
    this.records.push(full);
    if (this.records.length > MAX_RECORDS) this.records.splice(0, this.records.length - MAX_RECORDS);
    this.emit({ type: 'record', record: full });
    return full;
  }

  /** The AI bot's bubbles still growing. */
  openStreams(): ChatMessage[] {
    return [...this.messages.values()].filter((m) => m.streaming);
  }

  /** The page's first event: everything so far. Returns the unsubscribe. */
  listen(listener: Listener): () => void {
    listener({ type: 'hello', info: this.info, messages: [...this.messages.values()], records: [...this.records] });
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: ServerEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
