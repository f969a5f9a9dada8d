import { useRef, useState } from 'preact/hooks';
import type { ChatMessage, DevInfo } from '../src/protocol.js';
import { FileIcon, WaveIcon } from './icons.js';
import { renderMarkdown } from './markdown.js';

export interface BubbleProps {
  message: ChatMessage;
  info: DevInfo | undefined;
  rawMarkdown: boolean;
  highlighted: boolean;
  onTrace: (trace: string | undefined) => void;
}

function size(bytes = 0): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** A voice bubble as WeCom draws it: its length in seconds, wider for longer clips; click to play. */
function Voice({ message }: { message: ChatMessage }) {
  const audio = useRef<HTMLAudioElement>(null);
  const [playing, setPlaying] = useState(false);
  const seconds = Math.max(1, Math.round(message.media?.seconds ?? 0));
  const toggle = () => {
    const element = audio.current;
    if (!element) return;
    if (element.paused) void element.play();
    else element.pause();
  };
  return (
    <button class={`voice ${playing ? 'playing' : ''}`} style={{ width: `${Math.min(240, 80 + seconds * 4)}px` }} onClick={toggle} data-testid="voice">
      <span class="voice-icon">
        <WaveIcon />
      </span>
      <span class="voice-seconds">{seconds}″</span>
      <audio ref={audio} src={message.media?.url} preload="metadata" data-testid="voice-audio" onPlay={() => setPlaying(true)} onPause={() => setPlaying(false)} onEnded={() => setPlaying(false)} />
    </button>
  );
}

function Content({ message, rawMarkdown }: { message: ChatMessage; rawMarkdown: boolean }) {
  const media = message.media;
  switch (message.kind) {
    case 'markdown':
      if (rawMarkdown) return <div class="text raw" title="WeChat plugin (微信插件): markdown messages are not rendered">{message.text}</div>;
      return <div class="md" dangerouslySetInnerHTML={{ __html: renderMarkdown(message.text ?? '') }} />;
    case 'image':
      return <img class="picture" src={media?.url} alt={media?.name ?? 'image'} />;
    case 'voice':
      return <Voice message={message} />;
    case 'video':
      return <video class="picture" src={media?.url} controls />;
    case 'file':
      return (
        <a class="file" href={media?.url} download={media?.name}>
          <span class="file-main">
            <span class="file-name">{media?.name}</span>
            <span class="file-size">{size(media?.bytes)}</span>
          </span>
          <span class="file-icon">
            <FileIcon />
          </span>
        </a>
      );
    case 'news':
      return (
        <div class="news">
          {(message.articles ?? []).map((article, i) => (
            <a class={`news-card ${i === 0 ? 'lead' : ''}`} href={article.url} target="_blank" rel="noreferrer noopener" key={i}>
              <span class="news-title">{article.title}</span>
              {article.description && <span class="news-desc">{article.description}</span>}
              {article.picUrl && <img src={article.picUrl} alt="" />}
            </a>
          ))}
        </div>
      );
    default:
      return <div class="text">{message.text}</div>;
  }
}

export function Bubble({ message, info, rawMarkdown, highlighted, onTrace }: BubbleProps) {
  const select = () => onTrace(highlighted ? undefined : message.trace);
  if (message.kind === 'event') {
    return (
      <div class={`notice ${highlighted ? 'highlighted' : ''}`} onClick={select} data-testid="bubble" data-from={message.from} data-kind="event">
        {info?.member.name ?? '我'} {message.text}
      </div>
    );
  }
  const mine = message.from === 'me';
  const name = mine ? (info?.member.name ?? '我') : message.chat === 'group' ? (info?.botName ?? 'AI') : 'AI 助手';
  const bare = message.kind === 'image' || message.kind === 'news' || message.kind === 'video';
  return (
    <div class={`row ${mine ? 'mine' : 'theirs'} ${highlighted ? 'highlighted' : ''}`} data-testid="bubble" data-from={message.from} data-kind={message.kind} data-streaming={message.streaming ? 'true' : 'false'}>
      <div class={`avatar small ${mine ? 'me' : message.chat}`}>{mine || message.chat === 'group' ? name.slice(-1) : '助'}</div>
      <div class="row-main">
        {message.chat === 'group' && <div class="sender">{name}</div>}
        <div class={`bubble ${bare ? 'bare' : ''} ${message.streaming ? 'streaming' : ''}`} onClick={select} title="show this message's path in the developer panel">
          <Content message={message} rawMarkdown={rawMarkdown} />
        </div>
        {message.via && <div class="via">{message.via}</div>}
      </div>
    </div>
  );
}
