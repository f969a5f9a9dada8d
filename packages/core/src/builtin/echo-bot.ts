import type { Bot } from '../contracts.js';
import { ContextType, type Context } from '../context.js';
import { textReply, type Reply } from '../reply.js';

/** Replies with what it got: text as text, anything else described. Needs no service. */
export class EchoBot implements Bot {
  readonly name = 'echo';

  async reply(context: Context): Promise<Reply> {
    if (context.type === ContextType.TEXT) return textReply(context.content);
    return textReply(`[${context.type}] ${context.content}`);
  }
}
