import { contextKey } from '@wecom-bot/core';

/** Set by the voice plugin on a context whose text came from a voice message. */
export const FROM_VOICE = contextKey<true>('from voice');
