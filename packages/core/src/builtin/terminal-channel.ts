import { createInterface } from 'node:readline';
import type { Channel, MessageHandler } from '../contracts.js';
import { createContext, ContextType, type Context } from '../context.js';
import type { Reply } from '../reply.js';

export interface TerminalChannelOptions {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** Show a "> " prompt; off when input is piped. */
  prompt?: boolean;
  userId?: string;
}

/** Type a line, get the reply: the bot without any platform, as in chatgpt-on-wechat. */
export class TerminalChannel implements Channel {
  readonly name = 'terminal';
  readonly closed: Promise<void>;
  private resolveClosed!: () => void;
  private readonly input: NodeJS.ReadableStream;
  private readonly output: NodeJS.WritableStream;
  private readonly prompt: boolean;
  private readonly userId: string;
  private rl: ReturnType<typeof createInterface> | undefined;
  private counter = 0;

  constructor(options: TerminalChannelOptions = {}) {
    this.input = options.input ?? process.stdin;
    this.output = options.output ?? process.stdout;
    this.prompt = options.prompt ?? Boolean((this.input as { isTTY?: boolean }).isTTY);
    this.userId = options.userId ?? 'terminal-user';
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
  }

  async start(handler: MessageHandler): Promise<void> {
    const rl = createInterface({ input: this.input, terminal: false });
    this.rl = rl;
    const pending = new Set<Promise<void>>();
    this.showPrompt();
    rl.on('line', (line) => {
      const text = line.trim();
      if (!text) return this.showPrompt();
      const done = handler(this.contextFor(text)).finally(() => pending.delete(done));
      pending.add(done);
    });
    // At end of input, answer what was typed, then end.
    rl.on('close', () => void Promise.allSettled([...pending]).then(() => this.resolveClosed()));
  }

  async stop(): Promise<void> {
    this.rl?.close();
  }

  async send(reply: Reply, _context: Context): Promise<void> {
    const body = typeof reply.content === 'string' ? reply.content : describeMedia(reply);
    const label = reply.type === 'ERROR' ? 'Bot (error)' : 'Bot';
    this.output.write(`${label}: ${body}\n`);
    this.showPrompt();
  }

  private contextFor(text: string): Context {
    this.counter += 1;
    return createContext({
      type: ContextType.TEXT,
      content: text,
      channel: this.name,
      senderId: this.userId,
      senderName: 'You',
      receiver: this.userId,
      messageId: `terminal-${process.pid}-${this.counter}`,
    });
  }

  private showPrompt(): void {
    if (this.prompt) this.output.write('> ');
  }
}

function describeMedia(reply: Reply): string {
  if (reply.type === 'NEWS') return reply.content.map((a) => `${a.title} <${a.url}>`).join('\n');
  if (typeof reply.content === 'object' && 'filename' in reply.content) {
    return `[${reply.type}: ${reply.content.filename}, ${reply.content.data.length} bytes]`;
  }
  return `[${reply.type}]`;
}
