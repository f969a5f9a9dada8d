import { ContextType, ctxGet, errorReply, REPLY_DEADLINE, textReply, type Bot, type Context, type Logger, type Reply, type SessionStore } from '@wecom-bot/core';
import { completeChat, type RequestMessage } from './chat.js';
import type { OpenAIClientProvider } from './client.js';
import type { OpenAIBotConfig } from './config.js';
import { describeOpenAIError, USER_MESSAGES } from './errors.js';
import { generateImage } from './image.js';
import { ImageQuestions } from './images.js';
import { questionOf } from './questions.js';
import { RateLimiter } from './rate-limit.js';
import { configuredRetries, withRetries } from './retry.js';
import { ConversationHistory } from './session/history.js';
import { encodingForModel, loadEncoding, tokenCounterFor } from './session/tokenizer.js';
import { buildPrompt, countedTurn } from './session/trim.js';
import { IMAGE_TOKENS, rememberedQuestion, visionContent } from './vision.js';

/** A request with less time than this before the deadline could not finish: it is not started (as for a retry). */
const MIN_USEFUL_REQUEST_MS = 100;

export interface OpenAIBotDeps {
  /** The live config: model, character_desc and the rest are read on every call. */
  config: OpenAIBotConfig;
  clients: OpenAIClientProvider;
  sessions: SessionStore;
  logger: Logger;
  /** First retry pause in ms (default 500); tests shorten it. */
  retryBaseDelayMs?: number;
  now?: () => number;
}

/**
 * Chat with per-session memory (TEXT; LINK and LOCATION as their text; IMAGE with the
 * question that follows it, for models that can see) and image generation (IMAGE_CREATE)
 * through any OpenAI-compatible API. Other messages (files, videos) get a short text. A
 * failed turn is never written to the history; what the user sees on failure is a short
 * message, and the log says why.
 */
export class OpenAIBot implements Bot {
  readonly name = 'openai';
  private readonly history: ConversationHistory;
  private readonly chatLimit: RateLimiter;
  private readonly imageLimit: RateLimiter;
  private readonly images: ImageQuestions;

  constructor(private readonly deps: OpenAIBotDeps) {
    const { config } = deps;
    this.history = new ConversationHistory(deps.sessions, () => config.expires_in_seconds);
    this.images = new ImageQuestions(deps);
    this.chatLimit = new RateLimiter(() => config.rate_limit_chatgpt, deps.now);
    this.imageLimit = new RateLimiter(() => config.rate_limit_dalle, deps.now);
  }

  async reply(context: Context): Promise<Reply> {
    return this.answer(context);
  }

  /** As `reply`; a chat answer is streamed from the API and passed on as it grows. */
  async streamReply(context: Context, onText: (soFar: string) => void): Promise<Reply> {
    return this.answer(context, onText);
  }

  private async answer(context: Context, onText?: (soFar: string) => void): Promise<Reply> {
    const deadline = this.deadline(context);
    const question = questionOf(context);
    const asks = question !== undefined || context.type === ContextType.IMAGE_CREATE;
    if (asks && deadline - Date.now() < MIN_USEFUL_REQUEST_MS) return this.noTimeLeft(context, deadline);
    if (question !== undefined) return this.chat(context, question, deadline, onText);
    if (context.type === ContextType.IMAGE_CREATE) return this.createImage(context, deadline);
    if (context.type === ContextType.IMAGE) return this.images.receive(context);
    // Not an error: the member sent something real, it is just not readable here.
    this.deps.logger.info({ session: context.sessionId, type: context.type }, 'not a message the OpenAI bot reads; answered with unsupported_media_reply');
    return textReply(this.deps.config.unsupported_media_reply);
  }

  /**
   * The tokenizer of the configured model: its first load blocks the event loop for a while.
   * Not the `openai` SDK: chat never needs it, and images and voice import it on first use
   * (about 100 ms once, 14 MB that a text-only bot never holds), not while a restart's first
   * messages are being answered.
   */
  async warmUp(): Promise<void> {
    await loadEncoding(encodingForModel(this.deps.config.model));
  }

  async resetSession(sessionId: string): Promise<void> {
    await this.history.reset(sessionId);
    await this.images.reset(sessionId);
  }

  private async chat(context: Context, question: string, deadline: number, onText?: (soFar: string) => void): Promise<Reply> {
    const { config, logger } = this.deps;
    if (!this.chatLimit.tryTake(context.senderId)) return this.tooFast(this.chatLimit, context, 'rate_limit_chatgpt');
    const model = config.model;
    const counter = await tokenCounterFor(model);
    const turns = await this.history.turns(context.sessionId);
    const images = await this.images.forQuestion(context);
    // The memory keeps a placeholder for the pictures; only this request carries them.
    const remembered = rememberedQuestion(question, images.length);
    const prompt = buildPrompt(config.character_desc, turns, remembered, config.conversation_max_tokens - images.length * IMAGE_TOKENS, counter);
    const messages: RequestMessage[] = images.length === 0 ? prompt.messages : [...prompt.messages.slice(0, -1), { role: 'user', content: visionContent(question, images) }];
    const api = this.deps.clients.api();
    try {
      const answer = await withRetries(
        (signal) =>
          completeChat(
            api,
            { model, messages, temperature: config.temperature, topP: config.top_p, stream: config.open_ai_stream, onText },
            signal,
          ),
        this.retryOptions(context, 'chat', model, deadline),
      );
      // Committed only now, after success: a failed turn leaves the history as it was.
      await this.history.save(context.sessionId, [...prompt.kept, countedTurn(remembered, answer.content, counter)]);
      if (images.length > 0) await this.images.used(context);
      logger.debug({ session: context.sessionId, model, images: images.length, promptTokens: prompt.tokens, dropped: turns.length - prompt.kept.length, totalTokens: answer.totalTokens }, 'chat answered');
      return textReply(answer.content);
    } catch (error) {
      return this.failed(error, context, model);
    }
  }

  private async createImage(context: Context, deadline: number): Promise<Reply> {
    const { config } = this.deps;
    if (!this.imageLimit.tryTake(context.senderId)) return this.tooFast(this.imageLimit, context, 'rate_limit_dalle');
    const model = config.text_to_image;
    try {
      const client = await this.deps.clients.get();
      return await withRetries(
        (signal) => generateImage(client, { model, prompt: context.content, size: config.image_create_size }, signal),
        this.retryOptions(context, 'image', model, deadline),
      );
    } catch (error) {
      return this.failed(error, context, model);
    }
  }

  /**
   * The pipeline sends its generic error reply at REPLY_DEADLINE and frees the session, but
   * cannot stop us: we give up a little earlier, so the user sees our own short message, and
   * an answer that came too late is never written to the history. The pipeline's deadline
   * counts from the message's arrival (queueing for a bot slot included), so it is the one to use.
   */
  private deadline(context: Context): number {
    const end = ctxGet(context, REPLY_DEADLINE) ?? Date.now() + this.deps.config.reply_timeout_seconds * 1000;
    return end - Math.min(1000, Math.max(0, end - Date.now()) / 4);
  }

  private retryOptions(context: Context, what: string, model: string, deadline: number) {
    const { config, logger } = this.deps;
    return {
      deadline,
      ...configuredRetries(config, this.deps.retryBaseDelayMs),
      onRetry: (error: unknown, attempt: number, delayMs: number) =>
        logger.warn({ session: context.sessionId, attempt, delayMs, reason: describeOpenAIError(error, this.where(model)).log }, `${what} request failed; retrying`),
    };
  }

  private failed(error: unknown, context: Context, model: string): Reply {
    const described = describeOpenAIError(error, this.where(model));
    this.deps.logger.error({ session: context.sessionId, type: context.type, reason: described.log }, 'OpenAI request failed (no retries left, or not worth retrying)');
    return errorReply(described.user);
  }

  private noTimeLeft(context: Context, deadline: number): Reply {
    this.deps.logger.warn({ session: context.sessionId, type: context.type, msLeft: Math.max(0, deadline - Date.now()) }, 'too little time left before reply_timeout_seconds for a request; not asking the API');
    return errorReply(USER_MESSAGES.timeout);
  }

  private tooFast(limiter: RateLimiter, context: Context, key: string): Reply {
    const seconds = Math.max(1, limiter.secondsUntilNext(context.senderId));
    this.deps.logger.warn({ session: context.sessionId, from: context.senderId, key }, `${key} reached for this member; asking them to wait`);
    return errorReply(`提问太快啦，请 ${seconds} 秒后再试。`);
  }

  private where(model: string) {
    return { baseURL: this.deps.clients.baseURL, model };
  }
}
