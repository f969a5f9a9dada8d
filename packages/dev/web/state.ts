import type { ChatId, ChatMessage, DevInfo, DevRecord, ServerEvent } from '../src/protocol.js';

/** At most this many panel lines are kept in the page (the server keeps more for a reload). */
const PAGE_RECORDS = 1_000;

export interface State {
  info?: DevInfo;
  messages: ChatMessage[];
  records: DevRecord[];
  connected: boolean;
  selected: ChatId;
  /** Show Markdown as the WeChat plugin would: its source, unrendered. */
  rawMarkdown: boolean;
  /** The panel shows only this message's lines. */
  trace?: string;
  unread: Record<ChatId, number>;
  error?: string;
}

export type Action =
  | { type: 'server'; event: ServerEvent }
  | { type: 'connected'; connected: boolean }
  | { type: 'select'; chat: ChatId }
  | { type: 'rawMarkdown'; raw: boolean }
  | { type: 'trace'; trace?: string }
  | { type: 'error'; error?: string };

export const initialState: State = { messages: [], records: [], connected: false, selected: 'app', rawMarkdown: false, unread: { app: 0, group: 0 } };

export function reduce(state: State, action: Action): State {
  switch (action.type) {
    case 'server':
      return onServer(state, action.event);
    case 'connected':
      return { ...state, connected: action.connected };
    case 'select':
      return { ...state, selected: action.chat, unread: { ...state.unread, [action.chat]: 0 } };
    case 'rawMarkdown':
      return { ...state, rawMarkdown: action.raw };
    case 'trace':
      return { ...state, trace: action.trace };
    case 'error':
      return { ...state, error: action.error };
  }
}

function onServer(state: State, event: ServerEvent): State {
  switch (event.type) {
    case 'hello':
      return { ...state, info: event.info, messages: event.messages, records: event.records.slice(-PAGE_RECORDS) };
    case 'record':
      return { ...state, records: [...state.records.slice(-(PAGE_RECORDS - 1)), event.record] };
    case 'message': {
      const index = state.messages.findIndex((m) => m.id === event.message.id);
      if (index >= 0) {
        const messages = state.messages.slice();
        messages[index] = event.message;
        return { ...state, messages };
      }
      const { chat, from } = event.message;
      const unread = chat !== state.selected && from !== 'me' ? { ...state.unread, [chat]: state.unread[chat] + 1 } : state.unread;
      return { ...state, messages: [...state.messages, event.message], unread };
    }
  }
}
