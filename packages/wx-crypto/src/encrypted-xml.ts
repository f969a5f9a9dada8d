import { WxCryptoError } from './errors.js';

/** An encrypted passive reply: the ciphertext and the signature computed over it. */
export interface EncryptedReply {
  readonly encrypt: string;
  readonly msgSignature: string;
  readonly timestamp: string;
  readonly nonce: string;
}

/**
 * The envelope WeCom expects for an encrypted passive reply. Values go into CDATA unescaped,
 * so anything that could close a CDATA section or a tag is refused rather than emitted.
 */
export function renderEncryptedXml(reply: EncryptedReply): string {
  const { encrypt, msgSignature, timestamp, nonce } = reply;
  const cdataSafe = [encrypt, msgSignature, nonce].every((v) => typeof v === 'string' && !v.includes(']]>'));
  if (!cdataSafe || typeof timestamp !== 'string' || !/^\d+$/.test(timestamp)) {
    throw new WxCryptoError(
      'GenReturnXmlError',
      'cannot render the encrypted reply: fields must be strings without "]]>" and TimeStamp must be decimal digits',
    );
  }
  return (
    `<xml><Encrypt><![CDATA[${encrypt}]]></Encrypt>` +
    `<MsgSignature><![CDATA[${msgSignature}]]></MsgSignature>` +
    `<TimeStamp>${timestamp}</TimeStamp>` +
    `<Nonce><![CDATA[${nonce}]]></Nonce></xml>`
  );
}
