import type { Context } from './context.js';
import type { Reply } from './reply.js';
import type { ReplyWindow } from './reply-window.js';

/**
 * What a channel calls for every inbound message: the pipeline's `handle`. `window`, when
 * the channel opened one, takes replies inside the platform's own request until it closes.
 */
export type MessageHandler = (context: Context, window?: ReplyWindow<unknown>) => Promise<void>;

/**
 * A platform adapter. It owns its server, turns platform messages into Contexts and hands
 * them to the handler, and delivers Replies the way its platform allows.
 */
export interface Channel {
  /** The channel_type it serves, e.g. "wechatcom_app". */
  readonly name: string;
  /** Whether a group reply can @-mention the sender on this platform. */
  readonly canMention?: boolean;
  /**
   * What a VOICE reply must be for this platform (WeCom: AMR, ≤ 60 s, ≤ 2 MB). The voice
   * plugin transcodes and splits to it; absent means the channel takes any audio.
   */
  readonly voiceOutput?: VoiceOutputSpec;
  start(handler: MessageHandler): Promise<void>;
  /** Stop accepting messages; in-flight replies are finished by the pipeline's drain. */
  stop(): Promise<void>;
  /** Sends a reply actively (the platform's API), outside any request: the reply window is the pipeline's to offer to first. */
  send(reply: Reply, context: Context): Promise<void>;
  /**
   * Proactive: a message nobody asked for (a scheduled report), to a member or a group the
   * platform knows by id. Absent when the platform cannot start a conversation.
   */
  push?(target: PushTarget, reply: Reply): Promise<void>;
  /** For channels that can end by themselves (the terminal at end of input): resolves then. */
  readonly closed?: Promise<void>;
}

/** Where a proactive message goes: a member's user id, or a group's chat id. */
export interface PushTarget {
  receiver: string;
  isGroup: boolean;
}

/** Something that answers a Context: an LLM, the echo bot, yours. */
export interface Bot {
  readonly name: string;
  reply(context: Context): Promise<Reply>;
  /**
   * As `reply`, calling `onText` with the answer so far as it is written (cumulative, not a
   * delta), for channels that show an answer growing. The pipeline uses it only when the
   * message's reply window can stream; the returned Reply is the whole answer, as `reply`'s.
   */
  streamReply?(context: Context, onText: (soFar: string) => void): Promise<Reply>;
  /** Forget a session's history (the `#reset` command). */
  resetSession?(sessionId: string): Promise<void>;
  /**
   * Loads now what the first answer would otherwise load while users wait (a tokenizer takes
   * seconds of blocked event loop). Called once, after the channel is listening.
   */
  warmUp?(): Promise<void>;
}

/** Audio as bytes plus the container format ffmpeg calls it by ("amr", "mp3", "wav"…). */
export interface Audio {
  data: Buffer;
  format: string;
}

/** Speech engines the Bridge picks for voice in and out. */
export interface VoiceEngine {
  readonly name: string;
  /** Formats this engine accepts as input, best first (e.g. ["mp3", "wav"]). */
  readonly inputFormats: readonly string[];
  speechToText(audio: Audio): Promise<string>;
  textToSpeech(text: string): Promise<Audio>;
}

/** The bot and voice engines the config names, built on first use. */
export interface Bots {
  /** The bot `bot_type` names. */
  readonly bot: Bot;
  /** The engine `voice_to_text` names; undefined when voice input is off. */
  readonly speechToText: VoiceEngine | undefined;
  readonly textToSpeech: VoiceEngine | undefined;
}

export interface VoiceOutputSpec {
  /** ffmpeg container name, e.g. "amr". */
  format: string;
  maxSeconds: number;
  maxBytes: number;
}

/** One line of `wecom-bot check`: ok, a warning, or an error that stops start-up. */
export interface CheckItem {
  level: 'ok' | 'warn' | 'error';
  message: string;
}
