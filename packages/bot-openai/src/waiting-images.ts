import type { SessionStore } from '@wecom-bot/core';

interface Waiting {
  sender: string;
  /** The picture as a data URL: the store holds it only until the question comes (minutes). */
  url: string;
  at: number;
}

/** At most this many pictures wait per member; older ones go first. */
const MAX_WAITING = 4;

/**
 * Pictures waiting for their sender's question, in the session store (so every instance of a
 * deployment sees them), each for `image_question_window_seconds` from its arrival. One
 * entry per session; a shared group session keeps each member's pictures apart.
 */
export class WaitingImages {
  constructor(
    private readonly store: SessionStore,
    private readonly windowSeconds: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  async add(sessionId: string, sender: string, url: string): Promise<void> {
    const live = await this.live(sessionId);
    const mine = [...live.filter((w) => w.sender === sender), { sender, url, at: this.now() }].slice(-MAX_WAITING);
    await this.save(sessionId, [...live.filter((w) => w.sender !== sender), ...mine]);
  }

  /** The sender's pictures still within the window, oldest first. */
  async of(sessionId: string, sender: string): Promise<string[]> {
    return (await this.live(sessionId)).filter((w) => w.sender === sender).map((w) => w.url);
  }

  /** The sender's pictures went with a question that was answered: they are not sent again. */
  async used(sessionId: string, sender: string): Promise<void> {
    const live = await this.live(sessionId);
    await this.save(sessionId, live.filter((w) => w.sender !== sender));
  }

  async reset(sessionId: string): Promise<void> {
    await this.store.delete(key(sessionId));
  }

  private async live(sessionId: string): Promise<Waiting[]> {
    const since = this.now() - this.windowSeconds() * 1000;
    return ((await this.store.get<{ images: Waiting[] }>(key(sessionId)))?.images ?? []).filter((w) => w.at > since);
  }

  private async save(sessionId: string, images: Waiting[]): Promise<void> {
    if (images.length === 0) await this.store.delete(key(sessionId));
    else await this.store.set(key(sessionId), { images }, this.windowSeconds());
  }
}

function key(sessionId: string): string {
  return `openai:images:${sessionId}`;
}
