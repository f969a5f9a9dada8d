import type { MediaContent } from '@wecom-bot/core';
import { readLimited } from '@wecom-bot/core';
import { MEDIA_MAX_BYTES } from '../api/messages.js';

/** Downloads an image a bot answered with by URL, so it can be uploaded to WeCom (≤ 10 MB). */
export async function fetchImage(url: string, timeoutMs = 30_000): Promise<MediaContent> {
  if (!/^https?:\/\//i.test(url)) throw new Error('an IMAGE_URL reply must be an http(s) URL');
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new Error(`downloading the reply image failed: HTTP ${response.status}`);
  }
  const data = await readLimited(response, MEDIA_MAX_BYTES.image, 'the reply image');
  const mimeType = response.headers.get('content-type')?.split(';')[0]?.trim() || 'image/png';
  const ext = mimeType === 'image/jpeg' ? 'jpg' : (mimeType.split('/')[1] ?? 'png');
  return { data, filename: `image.${ext}`, mimeType };
}
