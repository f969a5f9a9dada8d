import type OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import { readEvents, readJson, type ApiAnswer, type OpenAIApi } from './http/api.js';
import type { ChatMessage } from './session/trim.js';

/** A message of the request: the history's text, or a question with pictures (vision content parts). */
export type RequestMessage = ChatMessage | OpenAI.Chat.Completions.ChatCompletionUserMessageParam;

export interface ChatRequest {
  model: string;
  messages: RequestMessage[];
  temperature: number;
  topP: number;
  stream: boolean;
  /** Called with the answer so far as it streams in (a channel shows it growing); implies `stream`. */
  onText?: (soFar: string) => void;
}

export interface ChatAnswer {
  content: string;
  /** Tokens the server counted, when it said (not on streams). */
  totalTokens?: number;
}

/** An answer without text (a refusal, an empty choice): a failure, not an empty reply. */
export class EmptyAnswerError extends Error {
  constructor(reason: string) {
    super(`the model gave no text (${reason})`);
    this.name = 'EmptyAnswerError';
  }
}

/**
 * One chat completion, plain or streamed and assembled; `signal` bounds the whole answer. A
 * direct call rather than the SDK's: this one runs for every message, and costs a fraction of
 * the CPU (see bench/openai-bot.ts).
 */
export async function completeChat(api: OpenAIApi, request: ChatRequest, signal: AbortSignal): Promise<ChatAnswer> {
  const body = { model: request.model, messages: request.messages, ...samplingFor(request) };
  const streamed = request.stream || request.onText !== undefined;
  const answer = await api.post('/chat/completions', streamed ? { ...body, stream: true } : body, signal);
  // A server that ignores `stream` answers with one JSON completion: taken as it is.
  const content = streamed && !isJson(answer) ? await assembleStream(answer, request.onText) : undefined;
  if (content !== undefined) {
    // A stream cut short by our deadline must not pass as a whole answer.
    signal.throwIfAborted();
    if (!content.text.trim()) throw new EmptyAnswerError(`stream ended, finish_reason ${String(content.finish)}`);
    return { content: content.text };
  }
  const completion = (await readJson(answer)) as Partial<ChatCompletion> | null;
  const choice = completion?.choices?.[0];
  const text = choice?.message?.content ?? '';
  if (!text.trim()) throw new EmptyAnswerError(choice?.message?.refusal ? `refusal: ${choice.message.refusal}` : `finish_reason ${String(choice?.finish_reason)}`);
  request.onText?.(text);
  return { content: text, ...(completion?.usage ? { totalTokens: completion.usage.total_tokens } : {}) };
}

/** The text of a stream of completion chunks, passed on as it grows; an error event fails it. */
async function assembleStream(answer: ApiAnswer, onText?: (soFar: string) => void): Promise<{ text: string; finish: string | null | undefined }> {
  let text = '';
  let finish: string | null | undefined;
  let done = false;
  // Read on to the end, not left at [DONE]: a body left unread closes its kept-alive connection.
  await readEvents(answer, ({ data }) => {
    if (done || data.startsWith('[DONE]')) {
      done = true;
      return;
    }
    const chunk = JSON.parse(data) as Partial<ChatCompletionChunk> & { error?: { message?: unknown } };
    if (chunk.error) throw new Error(`the API sent an error in the stream: ${typeof chunk.error.message === 'string' ? chunk.error.message : JSON.stringify(chunk.error)}`);
    const choice = chunk.choices?.[0];
    const delta = choice?.delta?.content ?? '';
    text += delta;
    if (delta !== '') onText?.(text);
    finish = choice?.finish_reason ?? finish;
  });
  return { text, finish };
}

function isJson(answer: ApiAnswer): boolean {
  return /^application\/json/i.test(answer.headers['content-type'] ?? '');
}

/**
 * OpenAI's reasoning models (o1, o3, o4-mini, gpt-5) reject a temperature or top_p other than
 * the default with a 400: leave both out for them.
 */
export function samplingFor(request: Pick<ChatRequest, 'model' | 'temperature' | 'topP'>): { temperature?: number; top_p?: number } {
  const name = request.model.toLowerCase().split('/').pop() ?? '';
  if (/^(o\d|gpt-5(?!-chat))/.test(name)) return {};
  return { temperature: request.temperature, top_p: request.topP };
}
