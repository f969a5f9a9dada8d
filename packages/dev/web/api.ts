import type { ChatId, EventRequest, FaultName, ServerEvent } from '../src/protocol.js';

/** Listens to the dev server; EventSource reconnects by itself after a restart. */
export function connect(onEvent: (event: ServerEvent) => void, onState: (connected: boolean) => void): () => void {
  const source = new EventSource('/api/events');
  source.onopen = () => onState(true);
  source.onerror = () => onState(false);
  source.onmessage = (message: MessageEvent<string>) => onEvent(JSON.parse(message.data) as ServerEvent);
  return () => source.close();
}

async function post(path: string, body: BodyInit | undefined, contentType?: string): Promise<void> {
  const response = await fetch(path, { method: 'POST', body, headers: contentType ? { 'content-type': contentType } : undefined });
  if (!response.ok) throw new Error((await response.text()) || `HTTP ${response.status}`);
}

export const sendText = (chat: ChatId, text: string) => post(`/api/chats/${chat}/text`, JSON.stringify({ text }), 'application/json');
export const sendVoice = (chat: ChatId, audio: Blob, format: 'wav' | 'amr') => post(`/api/chats/${chat}/voice`, audio, `audio/${format}`);
export const sendUpload = (chat: ChatId, file: Blob, name: string) =>
  post(`/api/chats/${chat}/upload?name=${encodeURIComponent(name)}`, file, file.type || 'application/octet-stream');
export const sendEvent = (request: EventRequest) => post('/api/chats/app/event', JSON.stringify(request), 'application/json');
export const injectFault = (name: FaultName) => post(`/api/faults/${name}`, undefined);
