import type OpenAI from 'openai';

/**
 * Model families that take images through chat completions, by name prefix. A model not
 * listed is sent text only; an admin adds theirs to `vision_models` (or "*").
 */
export const DEFAULT_VISION_MODELS = [
  'gpt-4o', 'chatgpt-4o', 'gpt-4.1', 'gpt-4.5', 'gpt-4-turbo', 'gpt-5', 'o1', 'o3', 'o4',
  'qwen-vl', 'qwen2-vl', 'qwen2.5-vl', 'qwen3-vl', 'qvq', 'glm-4v', 'glm-4.1v', 'glm-4.5v',
  'gemini', 'claude', 'llava', 'llama3.2-vision', 'minicpm-v', 'internvl', 'pixtral', 'doubao-1.5-vision',
] as const;

/**
 * Whether the configured model can see images: its name (lower case, a provider prefix such
 * as "openai/" dropped) starts with an entry of `vision_models`; "*" means every model.
 */
export function canSee(model: string, visionModels: readonly string[]): boolean {
  const name = model.toLowerCase().split('/').pop() ?? '';
  return visionModels.some((entry) => entry === '*' || (entry !== '' && name.startsWith(entry.toLowerCase())));
}

/** OpenAI takes images up to 20 MB; WeCom's own limit for an image message is 10 MB. */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

/** The image type from the magic bytes: channels label every WeCom picture "jpg", screenshots are PNG. */
export function imageMimeType(data: Buffer): string | undefined {
  const ascii = (start: number, end: number) => data.subarray(start, end).toString('latin1');
  if (data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  if (ascii(0, 8) === '\x89PNG\r\n\x1a\n') return 'image/png';
  if (ascii(0, 4) === 'GIF8') return 'image/gif';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  return undefined;
}

/** The picture as OpenAI's data URL, or why it cannot be one. */
export function imageDataUrl(data: Buffer): { url: string } | { problem: 'not an image' | 'too large' } {
  if (data.length > MAX_IMAGE_BYTES) return { problem: 'too large' };
  const mime = imageMimeType(data);
  return mime ? { url: `data:${mime};base64,${data.toString('base64')}` } : { problem: 'not an image' };
}

/** The question with its pictures, as vision content parts: the text first, then each image. */
export function visionContent(question: string, imageUrls: readonly string[]): OpenAI.Chat.Completions.ChatCompletionContentPart[] {
  return [{ type: 'text', text: question }, ...imageUrls.map((url) => ({ type: 'image_url' as const, image_url: { url } }))];
}

/** What the conversation memory keeps of the pictures: a placeholder, never the bytes. */
export function rememberedQuestion(question: string, imageCount: number): string {
  if (imageCount === 0) return question;
  return `${imageCount === 1 ? '[图片]' : `[图片×${imageCount}]`} ${question}`;
}

/** image_question_window_seconds in words, for {window} in image_received_reply. */
export function windowInWords(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} 分钟` : `${seconds} 秒`;
}

/**
 * What one picture is counted as in `conversation_max_tokens`: a 1024×1024 image at high
 * detail (85 + 4 × 170 tokens), so the history left beside it still fits the model.
 */
export const IMAGE_TOKENS = 765;
