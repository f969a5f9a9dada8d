/**
 * Sample data from WeCom's WXBizMsgCrypt reference SDK (data only, no code), as published in
 * sbzhu/weworkapi_php, callback/Sample.php (commit 0855251597a9879090766fae9d475e2ef91f28bd),
 * the same values as the C++ sample (LeoEatle/WXBizMsgCryptNode, Sample.cpp) and the worked
 * example of doc 90968 (developer.work.weixin.qq.com/document/path/90968).
 */
export const SAMPLE_TOKEN = 'QDG6eK';
export const SAMPLE_CORP_ID = 'wx5823bf96d3bd56c7';
export const SAMPLE_ENCODING_AES_KEY = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';

/** GET verify-URL request (the SDK samples give echostr already URL-decoded). */
export const SAMPLE_VERIFY = {
  msgSignature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
  timestamp: '1409659589',
  nonce: '263014780',
  echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
} as const;

/**
 * The samples do not print echostr's plaintext; this is what it decrypts to (with a valid
 * signature, a matching corp id, and re-encryption reproducing echostr byte for byte).
 */
export const SAMPLE_VERIFY_PLAINTEXT = '1616140317555161061';

/** POST message request. */
export const SAMPLE_POST = {
  msgSignature: '477715d11cdb4164915debcba66cb864d751f3e6',
  timestamp: '1409659813',
  nonce: '1372623149',
  encrypt:
    'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==',
} as const;

/** The decrypted POST message as documented in Sample.php (newline-separated lines). */
export const SAMPLE_POST_PLAINTEXT = [
  '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>',
  '<FromUserName><![CDATA[mycreate]]></FromUserName>',
  '<CreateTime>1409659813</CreateTime>',
  '<MsgType><![CDATA[text]]></MsgType>',
  '<Content><![CDATA[hello]]></Content>',
  '<MsgId>4561255354251345929</MsgId>',
  '<AgentID>218</AgentID>',
  '</xml>',
].join('\n');

/** The passive reply the samples encrypt (example three). */
export const SAMPLE_REPLY_XML =
  '<xml><ToUserName><![CDATA[mycreate]]></ToUserName><FromUserName><![CDATA[wx5823bf96d3bd56c7]]></FromUserName><CreateTime>1348831860</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[this is a test]]></Content><MsgId>1234567890123456</MsgId><AgentID>128</AgentID></xml>';
