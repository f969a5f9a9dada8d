import { useState } from 'preact/hooks';
import type { ChatId, DevInfo } from '../src/protocol.js';
import { sendEvent, sendText, sendUpload, sendVoice } from './api.js';
import { startRecording, toWav, type Recording } from './audio.js';
import { AudioFileIcon, FileIcon, ImageIcon, MicIcon } from './icons.js';

export interface ComposerProps {
  chat: ChatId;
  info: DevInfo | undefined;
  report: (error: unknown) => void;
}

/** The picked file of an <input type=file>, cleared so the same file can be picked again. */
function picked(event: Event): File | undefined {
  const input = event.currentTarget as HTMLInputElement;
  const file = input.files?.[0];
  input.value = '';
  return file;
}

/**
 * Typing, @-mentions (group), pictures and files, voice (recorded, or from a file) and the
 * app's menu. Every action goes to the dev server, which plays WeCom's part.
 */
export function Composer({ chat, info, report }: ComposerProps) {
  const [text, setText] = useState('');
  const [recording, setRecording] = useState<Recording>();
  const [working, setWorking] = useState('');
  const botName = info?.botName ?? '';
  const voiceOn = chat === 'app' && info?.voice === true;

  const run = (label: string, task: () => Promise<void>) => {
    setWorking(label);
    task()
      .catch(report)
      .finally(() => setWorking(''));
  };
  const send = () => {
    const message = text.trim();
    if (message === '') return;
    setText('');
    run('', () => sendText(chat, message));
  };
  const mention = () => {
    if (!text.includes(`@${botName}`)) setText(`@${botName} ${text.replace(/@$/, '')}`);
  };
  const record = async () => {
    if (recording) {
      setRecording(undefined);
      run('正在发送语音…', async () => sendVoice(chat, await recording.stop(), 'wav'));
      return;
    }
    try {
      setRecording(await startRecording());
    } catch (error) {
      report(new Error(`cannot record: ${error instanceof Error ? error.message : String(error)}`));
    }
  };
  const voiceFile = (file: File | undefined) => {
    if (!file) return;
    const amr = /\.amr$/i.test(file.name);
    run('正在发送语音…', async () => sendVoice(chat, amr ? file : await toWav(file), amr ? 'amr' : 'wav'));
  };
  const upload = (file: File | undefined) => {
    if (file) run('正在上传…', () => sendUpload(chat, file, file.name));
  };

  return (
    <footer class="composer">
      <div class="tools">
        {chat === 'group' && (
          <button class="tool" title={`@${botName}`} onClick={mention} data-testid="mention">
            @
          </button>
        )}
        <label class="tool" title={chat === 'group' ? `picture with @${botName}` : 'picture'}>
          <ImageIcon />
          <input type="file" accept="image/*" hidden data-testid="image-file" onChange={(e) => upload(picked(e))} />
        </label>
        {chat === 'app' && (
          <label class="tool" title="file">
            <FileIcon />
            <input type="file" hidden data-testid="file-file" onChange={(e) => upload(picked(e))} />
          </label>
        )}
        {voiceOn && (
          <button class={`tool ${recording ? 'recording' : ''}`} title={recording ? 'stop and send' : 'record voice'} onClick={() => void record()} data-testid="record-voice">
            {recording ? '● 录音中，点击发送' : <MicIcon />}
          </button>
        )}
        {voiceOn && (
          <label class="tool" title="voice from a file (wav, mp3, ogg, amr …)">
            <AudioFileIcon />
            <input type="file" accept="audio/*,.amr" hidden data-testid="voice-file" onChange={(e) => voiceFile(picked(e))} />
          </label>
        )}
        {working && <span class="working">{working}</span>}
      </div>
      {chat === 'group' && text.endsWith('@') && (
        <div class="mention-pop" onClick={mention} data-testid="mention-pop">
          <span class="avatar small group">{botName.slice(-1)}</span> {botName} <span class="muted">智能机器人</span>
        </div>
      )}
      <textarea
        value={text}
        placeholder={chat === 'group' ? `发送到群聊，@${botName} 让机器人回答` : '发送给 AI 助手'}
        data-testid="composer-input"
        onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            send();
          }
        }}
      />
      <div class="composer-foot">
        {chat === 'app' && (
          <div class="menu" title="the app's menu: a click sends its key">
            {info?.menu.map((item) => (
              <button class="menu-item" key={item.key} data-testid={`menu-${item.key}`} onClick={() => run('', () => sendEvent({ event: 'click', key: item.key }))}>
                {item.name}
              </button>
            ))}
          </div>
        )}
        <button class="send" onClick={send} data-testid="send" disabled={text.trim() === ''}>
          发送
        </button>
      </div>
    </footer>
  );
}
