import { randomUUID } from 'node:crypto';
import { ExpiringMap } from '@wecom-bot/core';

export interface StoredMedia {
  data: Buffer;
  contentType: string;
  name: string;
}

/**
 * Bytes the page shows or the stand-ins serve (images, voice made playable, files), under
 * `/media/<id>`. Bounded like the chat history: old media go with old bubbles.
 */
export class MediaShelf {
  private readonly items = new ExpiringMap<StoredMedia>({ ttlMs: 12 * 3_600_000, maxEntries: 300 });

  put(media: StoredMedia): { id: string; path: string } {
    const id = randomUUID();
    this.items.set(id, media);
    return { id, path: `/media/${id}` };
  }

  get(id: string): StoredMedia | undefined {
    return this.items.get(id);
  }
}
