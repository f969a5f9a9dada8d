import { ContextType, ctxGet, errorReply, INBOUND_MEDIA, textReply, type Context, type Logger, type Reply, type SessionStore } from '@wecom-bot/core';
import type { OpenAIBotConfig } from './config.js';
import { canSee, imageDataUrl, MAX_IMAGE_BYTES, windowInWords } from './vision.js';
import { WaitingImages } from './waiting-images.js';

/** Formats channels give pictures (WeCom and the AI bot say "jpg" for every one). */
const IMAGE_FORMATS = new Set(['jpg', 'jpeg', 'png', 'gif', 'webp', 'image']);

const SAY = {
  lost: '这张图片没能收到，请重新发送。',
  tooLarge: `图片太大了（超过 ${MAX_IMAGE_BYTES / 1024 / 1024} MB），请压缩后再发。`,
  notImage: '这张图片的格式读不了，请换成 JPG 或 PNG 再发。',
} as const;

export interface ImageQuestionsDeps {
  config: OpenAIBotConfig;
  sessions: SessionStore;
  logger: Logger;
}

/**
 * Pictures for models that can see (`vision_models`). A member sends a picture, then types
 * the question: the picture is acknowledged and waits `image_question_window_seconds` for
 * that member's next text, which goes to the model with it (chatgpt-on-wechat pairs the same
 * way, for 3 minutes). A picture nobody asks about is forgotten when the window ends.
 */
export class ImageQuestions {
  private readonly waiting: WaitingImages;

  constructor(private readonly deps: ImageQuestionsDeps) {
    this.waiting = new WaitingImages(deps.sessions, () => deps.config.image_question_window_seconds);
  }

  /** An IMAGE message: kept for the member's question, or, for a model that cannot see, said so. */
  async receive(context: Context): Promise<Reply> {
    const { config, logger } = this.deps;
    if (!canSee(config.model, config.vision_models)) {
      logger.info({ session: context.sessionId, model: config.model }, 'an image for a model not in vision_models; answered with unsupported_media_reply');
      return textReply(config.unsupported_media_reply);
    }
    const picture = await this.load(context);
    if ('reply' in picture) return picture.reply;
    await this.waiting.add(context.sessionId, context.senderId, picture.url);
    logger.info({ session: context.sessionId, bytes: picture.bytes }, 'image kept for the next question');
    return textReply(config.image_received_reply.replaceAll('{window}', windowInWords(config.image_question_window_seconds)));
  }

  /** The pictures that go with a text question: those waiting for its sender, then one it carries itself (the AI bot's mixed message). */
  async forQuestion(context: Context): Promise<string[]> {
    const { config } = this.deps;
    if (context.type !== ContextType.TEXT || !canSee(config.model, config.vision_models)) return [];
    const urls = await this.waiting.of(context.sessionId, context.senderId);
    const own = ctxGet(context, INBOUND_MEDIA);
    if (own && IMAGE_FORMATS.has(own.format.toLowerCase())) {
      const picture = await this.load(context);
      // The words alone still make a question: a picture that cannot be read is left out.
      if ('url' in picture) urls.push(picture.url);
    }
    return urls;
  }

  /** The question with these pictures was answered: they do not go with the next one. */
  async used(context: Context): Promise<void> {
    await this.waiting.used(context.sessionId, context.senderId);
  }

  async reset(sessionId: string): Promise<void> {
    await this.waiting.reset(sessionId);
  }

  private async load(context: Context): Promise<{ url: string; bytes: number } | { reply: Reply }> {
    const media = ctxGet(context, INBOUND_MEDIA);
    let data: Buffer;
    try {
      if (!media) throw new Error(`channel ${context.channel} gives no bytes for images`);
      data = await media.load();
    } catch (error) {
      this.deps.logger.warn({ err: error, session: context.sessionId }, 'could not fetch the image');
      return { reply: errorReply(SAY.lost) };
    }
    const picture = imageDataUrl(data);
    if ('url' in picture) return { url: picture.url, bytes: data.length };
    this.deps.logger.info({ session: context.sessionId, bytes: data.length, problem: picture.problem }, 'image not usable');
    return { reply: textReply(picture.problem === 'too large' ? SAY.tooLarge : SAY.notImage) };
  }
}
