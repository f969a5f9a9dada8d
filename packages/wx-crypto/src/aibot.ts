// The AI bot's (智能机器人) crypto: JSON callbacks and encrypted media files.
export { WXBizJsonMsgCrypt } from './json-msg-crypt.js';
export type { JsonEncryptedReply } from './json-msg-crypt.js';
export { mediaFileKey, decryptMediaFile, encryptMediaFile } from './media-file.js';
