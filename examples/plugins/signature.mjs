// Example plugin in plain JavaScript: a reply decorator that adds a footer to text replies.
//
// Shows: no build step and no imports; a factory `(config) => plugin` that gets the entry's
// "config" from config.json; the onDecorateReply hook.
//
// config.json:
//   "plugins": [{ "from": "./examples/plugins/signature.mjs", "config": { "text": "—— 小助手" } }]

const DEFAULT_FOOTER = '—— 由 AI 生成，仅供参考';

/**
 * @param {{ text?: string }} config
 * @returns {import('@wecom-bot/core').Plugin}
 */
export default function signature(config) {
  const footer = typeof config.text === 'string' && config.text !== '' ? config.text : DEFAULT_FOOTER;
  return {
    name: 'signature',
    description: 'Adds a footer to every text reply.',
    // Low priority: runs after the built-in decorators (banwords 850, prefix 600).
    priority: -10,

    onDecorateReply(event) {
      const reply = event.reply;
      // Only text: voice, images and errors stay as they are.
      if (reply?.type !== 'TEXT') return;
      reply.content = `${reply.content}\n\n${footer}`;
      // Returning nothing means CONTINUE: later plugins and the sending still happen.
    },
  };
}
