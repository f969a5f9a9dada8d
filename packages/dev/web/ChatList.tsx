import type { ChatId, ChatMessage } from '../src/protocol.js';
import { sendEvent } from './api.js';
import { SearchIcon } from './icons.js';
import type { Action, State } from './state.js';

/** What a chat list row says about the last message. */
function preview(message: ChatMessage | undefined): string {
  if (!message) return '';
  const text = { image: '[图片]', voice: '[语音]', file: '[文件]', video: '[视频]', news: '[图文]' }[message.kind as string];
  // As the client previews Markdown: its words, without the marks.
  const words = (message.text ?? '').replace(/<\/?font[^>]*>/gi, '').replace(/[#*`>_~]|\[([^\]]*)\]\([^)]*\)/g, (_m, label?: string) => label ?? '');
  return text ?? words.replace(/\s+/g, ' ').trim().slice(0, 40);
}

export function clock(at: number): string {
  return new Date(at).toTimeString().slice(0, 5);
}

/** Opening the app's chat is "entering the app": WeCom sends enter_agent then, so the page does too. */
export function ChatList({ state, dispatch, report }: { state: State; dispatch: (action: Action) => void; report: (error: unknown) => void }) {
  const info = state.info;
  const rows: Array<{ chat: ChatId; name: string; avatar: string; tone: string }> = [
    { chat: 'app', name: 'AI 助手', avatar: '助', tone: 'app' },
    { chat: 'group', name: info?.group.name ?? '群聊', avatar: '群', tone: 'group' },
  ];
  return (
    <aside class="chat-list">
      <div class="search">
        <SearchIcon /> 搜索
      </div>
      {rows.map((row) => {
        const last = state.messages.filter((m) => m.chat === row.chat).at(-1);
        const unread = state.unread[row.chat];
        return (
          <div
            key={row.chat}
            class={`chat-row ${state.selected === row.chat ? 'selected' : ''}`}
            data-testid={`chat-${row.chat}`}
            onClick={() => {
              if (row.chat === 'app' && state.selected !== 'app') sendEvent({ event: 'enter_agent' }).catch(report);
              dispatch({ type: 'select', chat: row.chat });
            }}
          >
            <div class={`avatar ${row.tone}`}>{row.avatar}</div>
            <div class="chat-row-main">
              <div class="chat-row-top">
                <span class="chat-name">{row.name}</span>
                <span class="chat-time">{last ? clock(last.at) : ''}</span>
              </div>
              <div class="chat-preview">{preview(last)}</div>
            </div>
            {unread > 0 && <span class="badge">{unread}</span>}
          </div>
        );
      })}
    </aside>
  );
}
