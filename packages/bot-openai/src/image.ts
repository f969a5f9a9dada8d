import type OpenAI from 'openai';
import type { Reply } from '@wecom-bot/core';
import type { ImageGenerateParams } from 'openai/resources/images';

export interface ImageRequest {
  model: string;
  prompt: string;
  size: string;
}

/**
 * One image for a prompt: an IMAGE_URL reply when the API answers with an URL (dall-e), an
 * IMAGE reply with the bytes when it answers base64 (gpt-image-1 always does). No
 * response_format is sent, because gpt-image-1 rejects it.
 */
export async function generateImage(client: OpenAI, request: ImageRequest, signal: AbortSignal): Promise<Reply> {
  const params: ImageGenerateParams = { model: request.model, prompt: request.prompt, n: 1, size: request.size as ImageGenerateParams['size'] };
  const result = await client.images.generate(params, { signal });
  const image = result.data?.[0];
  if (image?.url) return { type: 'IMAGE_URL', content: image.url };
  if (image?.b64_json) {
    const data = Buffer.from(image.b64_json, 'base64');
    const { ext, mimeType } = imageType(data);
    return { type: 'IMAGE', content: { data, filename: `image.${ext}`, mimeType } };
  }
  throw new Error('the image API answered without an image');
}

/** The type from the first bytes (gpt-image-1 may send png, jpeg or webp). */
function imageType(data: Buffer): { ext: string; mimeType: string } {
  if (data[0] === 0xff && data[1] === 0xd8) return { ext: 'jpg', mimeType: 'image/jpeg' };
  if (data.subarray(0, 4).toString('latin1') === 'RIFF' && data.subarray(8, 12).toString('latin1') === 'WEBP') return { ext: 'webp', mimeType: 'image/webp' };
  return { ext: 'png', mimeType: 'image/png' };
}
