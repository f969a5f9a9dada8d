import { contextKey, ctxGet, type Context } from './context.js';

/**
 * Set by a channel on a message whose sender id nobody vouches for: a request that is neither
 * signed nor keyed (the dialogue platform's legacy API without its key) names its sender in a
 * header anyone can write. The value says why, for the log. Admin commands are never run for
 * such a sender, whoever it claims to be.
 */
export const UNVERIFIED_SENDER = contextKey<string>('core.unverified_sender');

/** Why the sender of `context` is not verified, or undefined when its channel vouches for it. */
export function unverifiedSender(context: Context): string | undefined {
  return ctxGet(context, UNVERIFIED_SENDER);
}
