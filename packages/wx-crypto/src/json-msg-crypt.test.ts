import { describe, expect, it } from 'vitest';
import { WXBizJsonMsgCrypt } from './json-msg-crypt.js';
import { pkcs7Pad } from './pkcs7.js';
import { computeSignature } from './signature.js';
import { catchError, rawEncrypt } from './testing/index.js';

/**
 * Official JSON sample: workweixin/weworkapi_golang @c1fdfd3, json_callback/sample.go (data
 * only). Use the values its code passes: the comment above them shows a stale `encrypt` with
 * the XML sample's signature. Its receive id is non-empty, so it checks the JSON envelope,
 * the signature over `encrypt` and the 32-byte padding, not the AI bot's empty receive id.
 */
const GO = {
  token: 'QDG6eK',
  encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  receiveId: 'wx5823bf96d3bd56c7',
  verify: {
    msgSignature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
    timestamp: '1409659589',
    nonce: '263014780',
    echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
  },
  post: {
    msgSignature: '0623cbc5a8cbee5bcc137c70de99575366fc2af3',
    timestamp: '1409659813',
    nonce: '1372623149',
    body: '{"tousername":"wx5823bf96d3bd56c7","encrypt":"CZWs4CWRpI4VolQlvn4dlEC1alN2MUEY2VklGehgBVLBrlVF7SyT+SV+Toj43l4ayJ9UMGKphktKKmP7B2j/P1ey67XB8PBgS7Wr5/8+w/yWriZv3Vmoo/MH3/1HsIWZrPQ3N2mJrelStIfI2Y8kLKXA7EhfZgZX4o+ffdkZDM76SEl79Ib9mw7TGjZ9Aw/x/A2VjNbV1E8BtEbRxYYcQippYNw7hr8sFfa3nW1xLdxokt8QkRX83vK3DFP2F6TQFPL2Tu98UwhcUpPvdJBuu1/yiOQIScppV3eOuLWEsko=","agentid":"218"}',
  },
} as const;
// The sample prints no plaintexts; these are what its ciphertexts decrypt to.
const GO_ECHO_PLAINTEXT = '1616140317555161061';
const GO_POST_PLAINTEXT =
  '{"ToUserName":"wx5823bf96d3bd56c7","FromUserName":"mycreate","CreateTime": 1409659813,"MsgType":"text","Content":"hello","MsgId":4561255354251345929,"AgentID": 218}';
const goEncrypt = (JSON.parse(GO.post.body) as { encrypt: string }).encrypt;

/**
 * Empty receive id, not official (no source prints one): the Go echostr plaintext encrypted
 * with receive id "" and the sample's random prefix by the official @wecom/crypto 1.0.1
 * (../shared/PROTOCOLS-AIBOT-KF.md §1.9), so a second implementation agrees with ours.
 */
const EMPTY_ID_ECHOSTR = 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKnyZP901mej+/Kx8sFd+6WUvACxpMYJc74oFTUo+sPDFg==';
const EMPTY_ID_ECHO_SIGNATURE = '46bf7bc5ee52a0ec54c80500383fd152d900b77c';

/** Ours: an AI-bot group message (D:100719's example fields), receive id "", prefix "aibotEmptyId0001". */
const AIBOT_TEXT =
  '{"msgid":"CAIQ16HMjQYY/NGagIOAgAMgq4KM0AI=","aibotid":"AIBOTID","chatid":"CHATID","chattype":"group","from":{"userid":"USERID"},"response_url":"RESPONSEURL","msgtype":"text","text":{"content":"@RobotA hello robot"}}';
const AIBOT_POST = {
  msgSignature: '3d5bdff76523e9b14cf8451f1de7481f80964a6f',
  timestamp: '1765432100',
  nonce: '1804289383',
  encrypt:
    '2nFeUBSIeh2pXBdwshrfavIWzjhFVg3AT3RCEGCItTgmyb9sIq+mSbgizFL1JWt7UOtVv9LG/akK1Qn5VgZM0tE42GRUE7Haoi/gJ6sB4PlO2+mLk9rp+cgiG7FiqM/GIErdqpwVzIipNgm/ETSUnh+w/tPQJB2ulkxrT61eNrQKAX1ZRiWX2ircrxfNOaRfmLEInif7N+H4t2Ilyf5HoZx+v1p4GcE/faBzZ1zyKRP70cVaurtZzavB63K0eeMHI3Gn3LzVvhn8sshe3mn16s/Kr+BVggsZcZUd2tJC14a3SSi5g4RxjlcPVvly0Ue7S2xN1/1d+chZQ9zt3IclkQ==',
} as const;

const goCrypt = () => new WXBizJsonMsgCrypt(GO.token, GO.encodingAesKey, GO.receiveId);
const botCrypt = () => new WXBizJsonMsgCrypt(GO.token, GO.encodingAesKey);

describe('WXBizJsonMsgCrypt on the official Go JSON sample', () => {
  it('verifyUrl decrypts the sample echostr', () => {
    const { msgSignature, timestamp, nonce, echostr } = GO.verify;
    expect(goCrypt().verifyUrl(msgSignature, timestamp, nonce, echostr)).toBe(GO_ECHO_PLAINTEXT);
  });

  it('decryptMessage reads "encrypt" from the JSON body, checks its signature and decrypts it', () => {
    const { msgSignature, timestamp, nonce, body } = GO.post;
    const plain = goCrypt().decryptMessage(msgSignature, timestamp, nonce, body);
    expect(plain).toBe(GO_POST_PLAINTEXT);
    expect(Buffer.byteLength(plain)).toBe(164);
  });

  it('encrypt reproduces the sample ciphertext byte for byte given its random prefix', () => {
    expect(goCrypt().encrypt(GO_POST_PLAINTEXT, Buffer.from('EDH75AiKExevY8L3'))).toBe(goEncrypt);
  });

  it('another nonce fails the signature (-40001)', () => {
    const { msgSignature, timestamp, body } = GO.post;
    const err = catchError(() => goCrypt().decryptMessage(msgSignature, timestamp, '1372623150', body));
    expect(err.kind).toBe('ValidateSignatureError');
    expect(err.code).toBe(-40001);
    expect(err.httpStatus).toBe(401);
  });

  it('a configured receive id that differs is ValidateCorpidError (-40005)', () => {
    const other = new WXBizJsonMsgCrypt(GO.token, GO.encodingAesKey, 'ww0000000000000000');
    const { msgSignature, timestamp, nonce, body } = GO.post;
    expect(catchError(() => other.decryptMessage(msgSignature, timestamp, nonce, body)).code).toBe(-40005);
  });

  it('receive id "" accepts it anyway: the check is skipped, as in the Go sample and the SDK (the Python lib would say -40005)', () => {
    const { msgSignature, timestamp, nonce, body } = GO.post;
    expect(botCrypt().decryptMessage(msgSignature, timestamp, nonce, body)).toBe(GO_POST_PLAINTEXT);
  });
});

describe('WXBizJsonMsgCrypt with the AI bot empty receive id', () => {
  it('matches @wecom/crypto on the derived echostr, byte for byte, and verifies it', () => {
    expect(botCrypt().encrypt(GO_ECHO_PLAINTEXT, Buffer.from('c41b64491c2468d0'))).toBe(EMPTY_ID_ECHOSTR);
    const { timestamp, nonce } = GO.verify;
    expect(botCrypt().verifyUrl(EMPTY_ID_ECHO_SIGNATURE, timestamp, nonce, EMPTY_ID_ECHOSTR)).toBe(GO_ECHO_PLAINTEXT);
  });

  it('writes no receive id at all: the frame ends right after the message', () => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(Buffer.byteLength(AIBOT_TEXT));
    const framed = Buffer.concat([Buffer.from('aibotEmptyId0001'), length, Buffer.from(AIBOT_TEXT)]);
    expect(rawEncrypt(pkcs7Pad(framed))).toBe(AIBOT_POST.encrypt);
    expect(botCrypt().encrypt(AIBOT_TEXT, Buffer.from('aibotEmptyId0001'))).toBe(AIBOT_POST.encrypt);
  });

  it('decrypts our AI-bot POST vector; a crypt expecting a corp id refuses it (-40005)', () => {
    const { msgSignature, timestamp, nonce, encrypt } = AIBOT_POST;
    const body = JSON.stringify({ encrypt });
    expect(computeSignature(GO.token, timestamp, nonce, encrypt)).toBe(msgSignature);
    expect(botCrypt().decryptMessage(msgSignature, timestamp, nonce, body)).toBe(AIBOT_TEXT);
    expect(catchError(() => goCrypt().decryptMessage(msgSignature, timestamp, nonce, body)).code).toBe(-40005);
  });

  it('round-trips text with line breaks, emoji and CJK, in 32-byte blocks', () => {
    const text = JSON.stringify({ msgtype: 'stream', stream: { id: 's1', finish: false, content: '第一行\n第二行 👋\n' } });
    const encrypted = botCrypt().encrypt(text);
    expect(Buffer.from(encrypted, 'base64').length % 32).toBe(0);
    expect(botCrypt().decrypt(encrypted)).toBe(text);
  });

  it('encryptReply: all four fields are strings, signed over the new ciphertext, request timestamp/nonce reused', () => {
    const reply = botCrypt().encryptReply(AIBOT_TEXT, AIBOT_POST.timestamp, AIBOT_POST.nonce);
    expect(Object.keys(reply)).toEqual(['encrypt', 'msgsignature', 'timestamp', 'nonce']);
    expect(Object.values(reply).every((v) => typeof v === 'string')).toBe(true);
    expect(reply).toMatchObject({ timestamp: AIBOT_POST.timestamp, nonce: AIBOT_POST.nonce });
    expect(reply.msgsignature).toBe(computeSignature(GO.token, reply.timestamp, reply.nonce, reply.encrypt));
  });

  it('renderEncryptedJson is a JSON body that decryptMessage accepts', () => {
    const body = botCrypt().renderEncryptedJson('{"msgtype":"text","text":{"content":"欢迎"}}');
    const parsed = JSON.parse(body) as { msgsignature: string; timestamp: string; nonce: string };
    expect(parsed.timestamp).toMatch(/^\d+$/);
    expect(botCrypt().decryptMessage(parsed.msgsignature, parsed.timestamp, parsed.nonce, body)).toBe('{"msgtype":"text","text":{"content":"欢迎"}}');
  });
});

describe('WXBizJsonMsgCrypt refusals', () => {
  const { msgSignature, timestamp, nonce } = GO.post;

  it.each([
    ['not JSON', '{"encrypt":'],
    ['a JSON array', '["x"]'],
    ['JSON null', 'null'],
    ['no encrypt', '{"Encrypt":"abc"}'],
    ['encrypt not a string', '{"encrypt":42}'],
    ['encrypt empty', '{"encrypt":""}'],
  ])('a body that is %s is -40002, HTTP 400, and the message quotes nothing of it', (_label, body) => {
    const err = catchError(() => goCrypt().decryptMessage(msgSignature, timestamp, nonce, body));
    expect(err.code).toBe(-40002);
    expect(err.httpStatus).toBe(400);
    expect(err.message).not.toContain('abc');
  });

  it('bad base64 under a valid signature is DecodeBase64Error (-40010)', () => {
    const encrypt = 'not*base64';
    const signature = computeSignature(GO.token, timestamp, nonce, encrypt);
    const err = catchError(() => goCrypt().decryptMessage(signature, timestamp, nonce, JSON.stringify({ encrypt })));
    expect(err.kind).toBe('DecodeBase64Error');
    expect(err.httpStatus).toBe(400);
  });

  it('a wrong AES key is -40007 or -40005, never the plaintext; errors never quote token or key', () => {
    const wrongKey = new WXBizJsonMsgCrypt(GO.token, 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', GO.receiveId);
    const err = catchError(() => wrongKey.decryptMessage(msgSignature, timestamp, nonce, GO.post.body));
    expect([-40007, -40008, -40005]).toContain(err.code);
    expect(err.message).not.toContain(GO.token);
    expect(err.message).not.toContain(GO.encodingAesKey);
  });

  it('a bad EncodingAESKey is refused at construction (-40004)', () => {
    expect(catchError(() => new WXBizJsonMsgCrypt(GO.token, GO.encodingAesKey.slice(1))).code).toBe(-40004);
  });
});
