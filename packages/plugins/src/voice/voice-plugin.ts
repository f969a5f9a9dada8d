import {
  Action, ctxGet, ctxSet, defineConfigSection, definePlugin, errorReply, INBOUND_MEDIA,
  type Audio, type HookEvent, type Plugin, type PluginHost, type Reply, type SectionConfig,
} from '@wecom-bot/core';
import { z } from 'zod';
import { PRIORITY } from '../priorities.js';
import { FROM_VOICE } from '../shared/keys.js';
import { audioFormat } from './audio-formats.js';
import { sniffAudioFormat } from './audio-sniff.js';
import { describeLocation, locateFfmpeg } from './ffmpeg-locator.js';
import { limitTranscoder } from './transcode-limit.js';
import { FfmpegTranscoder, type Transcoder, type VoicePart } from './transcoder.js';

export const VOICE_NOT_UNDERSTOOD = '抱歉，没能听清这条语音，请再说一次或改发文字。';

export const voiceConfigSection = defineConfigSection({
  title: 'voice plugin',
  shape: {
    speech_recognition: z.boolean().default(true).describe('Single chat: transcribe voice messages and answer them as text.'),
    group_speech_recognition: z.boolean().default(false).describe('Group: transcribe voice messages too.'),
    voice_reply_voice: z.boolean().default(false).describe('Answer a voice message with a voice reply.'),
    always_reply_voice: z.boolean().default(false).describe('Answer every message with a voice reply.'),
    ffmpeg_path: z.string().default('').describe('ffmpeg binary to use, and then the only one (no fallback); empty = FFMPEG_PATH, else the first with an AMR encoder of ffmpeg-static, ffmpeg on PATH, @ffmpeg-installer/ffmpeg (a 2018 build, last).'),
    ffmpeg_timeout_seconds: z.number().positive().default(30).describe('One ffmpeg run taking longer is killed and the voice message fails.'),
    voice_max_concurrent_transcodes: z.number().int().nonnegative().default(0).describe('ffmpeg runs at once (voice in and out); more wait their turn. 0 = one per CPU.'),
  },
});

export type VoiceConfig = SectionConfig<typeof voiceConfigSection>;

export interface VoicePluginOptions {
  /** Use this instead of locating ffmpeg at setup (tests, or a different backend). */
  transcoder?: Transcoder;
}

/**
 * Voice in: a VOICE message is transcoded to what the speech engine takes, transcribed, and
 * goes on as TEXT (so the prefix rules, which run after, apply to the words).
 * Voice out: a text reply is spoken, encoded for the channel (AMR for WeCom) and split
 * into parts within its limits; all parts but the last are sent at once, in order.
 */
export function createVoicePlugin(config: VoiceConfig, options: VoicePluginOptions = {}): Plugin {
  // One ffmpeg process per voice message would let a burst take every CPU: runs wait their turn.
  const bounded = (t: Transcoder) => limitTranscoder(t, () => config.voice_max_concurrent_transcodes);
  let transcoder = options.transcoder && bounded(options.transcoder);
  /** Settles once ffmpeg is located (setup's probe); `transcoder` is final then. */
  let located: Promise<void> = Promise.resolve();
  const warned = new Set<string>();
  const warnOnce = (host: PluginHost, key: string, message: string) => {
    if (warned.has(key)) return;
    warned.add(key);
    host.logger.warn(message);
  };

  return definePlugin({
    name: 'voice',
    description: 'Transcribes voice messages; answers with voice when voice_reply_voice / always_reply_voice is on.',
    priority: PRIORITY.voice,

    // Probe ffmpeg once at start-up, never at reply time; in the background, so the channel
    // starts listening without waiting for the probe's ffmpeg runs. Voice work waits for it.
    setup(host) {
      if (transcoder) return;
      located = locateFfmpeg(config.ffmpeg_path).then((location) => {
        if (location.chosen) transcoder = bounded(new FfmpegTranscoder(location.chosen.path, config.ffmpeg_timeout_seconds * 1000));
        const line = describeLocation(location);
        if (location.chosen?.amrEncoder) host.logger.info(line);
        else host.logger.warn(line);
      });
    },

    async onReceiveMessage({ context, host, send }: HookEvent) {
      if (context.type !== 'VOICE') return Action.CONTINUE;
      if (!(context.isGroup ? config.group_speech_recognition : config.speech_recognition)) return Action.CONTINUE;
      const engine = host.bridge.speechToText;
      const media = ctxGet(context, INBOUND_MEDIA);
      if (!engine || !media) {
        warnOnce(host, 'stt', engine ? `channel ${context.channel} gives no audio for voice messages; not transcribed` : 'voice_to_text names no speech engine; voice messages are not transcribed');
        return Action.CONTINUE;
      }
      try {
        const data = await media.load();
        const audio: Audio = { data, format: sniffAudioFormat(data) ?? media.format };
        if (audio.format !== media.format) host.logger.info({ session: context.sessionId, declared: media.format, detected: audio.format }, 'voice message is not in its declared format; reading what the bytes are');
        const wanted = engine.inputFormats[0] ?? 'wav';
        const accepted = engine.inputFormats.includes(audio.format);
        if (!accepted) await located;
        if (!accepted && !transcoder) throw new Error('no ffmpeg to transcode the voice message');
        const input = accepted ? audio : await transcoder!.convert(audio, wanted);
        const text = (await engine.speechToText(input)).trim();
        if (text === '') throw new Error('the speech engine heard no words');
        host.logger.debug({ session: context.sessionId, chars: text.length }, 'voice message transcribed');
        context.type = 'TEXT';
        context.content = text;
        ctxSet(context, FROM_VOICE, true);
        return Action.CONTINUE;
      } catch (error) {
        host.logger.warn({ err: error, session: context.sessionId }, 'voice message could not be transcribed');
        await send(errorReply(VOICE_NOT_UNDERSTOOD));
        return Action.BREAK_PASS;
      }
    },

    async onDecorateReply(event: HookEvent) {
      const { context, reply, host, channel } = event;
      if (reply?.type !== 'TEXT') return Action.CONTINUE;
      if (!(config.always_reply_voice || (config.voice_reply_voice && ctxGet(context, FROM_VOICE)))) return Action.CONTINUE;
      const engine = host.bridge.textToSpeech;
      if (!engine) {
        warnOnce(host, 'tts', 'text_to_voice names no speech engine; replies stay text');
        return Action.CONTINUE;
      }
      try {
        const speech = await engine.textToSpeech(reply.content);
        const spec = channel.voiceOutput;
        if (spec) await located;
        if (spec && !transcoder) throw new Error('no ffmpeg to encode the voice reply');
        const parts: Array<Audio & { durationSeconds?: number }> = spec ? await transcoder!.toVoiceParts(speech, spec) : [speech];
        const replies = parts.map((part, i) => voiceReply(part, i, parts.length));
        // Earlier parts go out now; the last one continues through the pipeline.
        for (const part of replies.slice(0, -1)) await event.send(part);
        event.reply = replies.at(-1);
      } catch (error) {
        host.logger.warn({ err: error, session: context.sessionId }, 'voice reply failed; sending text instead');
      }
      return Action.CONTINUE;
    },
  });
}

function voiceReply(part: Audio & Partial<Pick<VoicePart, 'durationSeconds'>>, index: number, count: number): Reply {
  const spec = audioFormat(part.format);
  const suffix = count > 1 ? `-${index + 1}` : '';
  return {
    type: 'VOICE',
    content: { data: part.data, filename: `reply${suffix}.${spec.extension}`, mimeType: spec.mimeType, durationSeconds: part.durationSeconds },
  };
}
