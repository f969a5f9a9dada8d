import { useEffect, useRef } from 'preact/hooks';
import { sendEvent } from './api.js';
import { Bubble } from './Bubble.js';
import { Composer } from './Composer.js';
import type { Action, State } from './state.js';

export function Conversation({ state, dispatch, report }: { state: State; dispatch: (action: Action) => void; report: (error: unknown) => void }) {
  const { info, selected } = state;
  const messages = state.messages.filter((m) => m.chat === selected);
  const list = useRef<HTMLDivElement>(null);
  const last = messages.at(-1);
  // Follow the conversation as it grows (a streamed answer grows without new bubbles).
  useEffect(() => {
    const element = list.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, [selected, messages.length, last?.text]);

  const title = selected === 'app' ? 'AI 助手' : `${info?.group.name ?? '群聊'}（3）`;
  const subtitle =
    selected === 'app'
      ? `自建应用 · bot ${info?.bot ?? ''} · replies as ${info?.replyFormat ?? 'text'}`
      : `群聊 · 智能机器人 @${info?.botName ?? ''} · only @-messages reach it`;
  return (
    <main class="conversation">
      <header class="conversation-head">
        <div>
          <div class="conversation-title" data-testid="conversation-title">{title}</div>
          <div class="conversation-sub">{subtitle}</div>
        </div>
        <div class="head-actions">
          <label class="toggle" title="Show Markdown as the WeChat plugin (微信插件) does: unrendered">
            <input type="checkbox" checked={state.rawMarkdown} data-testid="markdown-toggle" onChange={(e) => dispatch({ type: 'rawMarkdown', raw: e.currentTarget.checked })} />
            微信插件视图
          </label>
          {selected === 'app' && (
            <button class="ghost" onClick={() => sendEvent({ event: 'enter_agent' }).catch(report)} data-testid="enter-agent">
              进入应用
            </button>
          )}
        </div>
      </header>
      {info?.notes.map((note) => (
        <div class="note" key={note}>
          {note}
        </div>
      ))}
      <div class="messages" ref={list} data-testid="messages">
        {messages.map((message) => (
          <Bubble
            key={message.id}
            message={message}
            info={info}
            rawMarkdown={state.rawMarkdown}
            highlighted={state.trace !== undefined && message.trace === state.trace}
            onTrace={(trace) => dispatch({ type: 'trace', trace })}
          />
        ))}
      </div>
      <Composer chat={selected} info={info} report={report} />
    </main>
  );
}
