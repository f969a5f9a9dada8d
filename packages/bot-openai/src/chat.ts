import type OpenAI from 'openai';
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

/** One chat completion, plain or streamed and assembled; `signal` bounds the whole answer. */
export async function completeChat(client: OpenAI, request: ChatRequest, signal: AbortSignal): Promise<ChatAnswer> {
  const body = { model: request.model, messages: request.messages, ...samplingFor(request) };
  if (request.stream || request.onText) {
    const stream = await client.chat.completions.create({ ...body, stream: true }, { signal });
    let content = '';
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      const delta = choice?.delta?.content ?? '';
      content += delta;
      if (delta !== '') request.onText?.(content);
      finish = choice?.finish_reason ?? finish;
    }
    // The SDK ends a stream quietly when it is aborted: a cut-off answer must not pass as whole.
    signal.throwIfAborted();
    if (!content.trim()) throw new EmptyAnswerError(`stream ended, finish_reason ${String(finish)}`);
    return { content };
  }
  const completion = await client.chat.completions.create(body, { signal });
  const message = completion.choices[0]?.message;
  const content = message?.content ?? '';
  if (!content.trim()) throw new EmptyAnswerError(message?.refusal ? `refusal: ${message.refusal}` : `finish_reason ${String(completion.choices[0]?.finish_reason)}`);
  return { content, ...(completion.usage ? { totalTokens: completion.usage.total_tokens } : {}) };
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
