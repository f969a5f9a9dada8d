import { ContextType, textReply, type Bot, type Context, type Logger, type Reply } from '@wecom-bot/core';
import { BOT_NAME, type FaqConfig } from './config.js';
import { bestMatch, FaqFile } from './faq.js';

/**
 * bot_type "faq": answers from a file, not a model. `reply` is the whole bot contract; it
 * has no history, so no `resetSession`, and no `streamReply` (its answers are instant).
 */
export class FaqBot implements Bot {
  readonly name = BOT_NAME;

  constructor(
    private readonly config: FaqConfig,
    private readonly file: FaqFile,
    private readonly logger: Logger,
  ) {}

  async reply(context: Context): Promise<Reply> {
    if (context.type !== ContextType.TEXT) return textReply('我只能回答文字问题。');
    // A missing or broken file throws: the pipeline logs it and the user gets error_reply.
    const match = bestMatch(this.file.load(), context.content);
    const score = Math.round((match?.score ?? 0) * 100) / 100;
    if (!match || match.score < this.config.faq_min_score) {
      this.logger.info({ session: context.sessionId, score }, 'no FAQ entry close enough; fallback');
      return textReply(this.config.faq_fallback);
    }
    this.logger.debug({ session: context.sessionId, score, question: match.entry.questions[0] }, 'answered from the FAQ');
    return textReply(match.entry.answer);
  }
}
