/**
 * The JSON body answering a skill request (mode 1, doc aispeech/confapi/thirdapi).
 *
 * NOT CONFIRMED: the doc page specifies the request, the signature and the encryption, but
 * not the response fields. `answer_type` + `text_info.short_answer` is the best-supported
 * reading (the platform's own answers carry `answer_type: "text"`; text_info/short_answer is
 * how its skill answers are modelled). If the platform shows nothing, correct it here only.
 */
export function renderSkillResponse(text: string): Record<string, unknown> {
  return { answer_type: 'text', text_info: { short_answer: text } };
}
