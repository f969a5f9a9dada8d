import type { SessionStore } from '@wecom-bot/core';

/** One finished exchange: stored only once the assistant answered. */
export interface Turn {
  user: string;
  assistant: string;
  /** The pair's token count in `encoding`, kept so old turns are not re-encoded on every call. */
  tokens?: number;
  encoding?: string;
}

interface StoredHistory {
  turns: Turn[];
}

/**
 * The turns of each session in core's SessionStore, expiring `expires_in_seconds` after the
 * last exchange. The system prompt is not stored: it is read from config on every call, so
 * a changed `character_desc` applies to running conversations.
 */
export class ConversationHistory {
  constructor(
    private readonly store: SessionStore,
    private readonly ttlSeconds: () => number,
  ) {}

  async turns(sessionId: string): Promise<Turn[]> {
    return (await this.store.get<StoredHistory>(key(sessionId)))?.turns ?? [];
  }

  async save(sessionId: string, turns: Turn[]): Promise<void> {
    await this.store.set<StoredHistory>(key(sessionId), { turns }, this.ttlSeconds());
  }

  async reset(sessionId: string): Promise<void> {
    await this.store.delete(key(sessionId));
  }
}

function key(sessionId: string): string {
  return `openai:history:${sessionId}`;
}
