import { contextKey } from './context.js';

/**
 * The bytes behind an inbound media message (voice, image, file, video), fetched only when
 * a plugin needs them: a channel sets it on the Context, the voice plugin reads it.
 */
export interface InboundMedia {
  /** ffmpeg's name for the container as the platform declared it ("amr" for WeCom voice). */
  format: string;
  /** Downloads the bytes (WeCom: `media/get`); may be called more than once. */
  load(): Promise<Buffer>;
}

/** `ctxSet(context, INBOUND_MEDIA, { format: 'amr', load })` in a channel; `ctxGet` in a plugin. */
export const INBOUND_MEDIA = contextKey<InboundMedia>('inbound media');
