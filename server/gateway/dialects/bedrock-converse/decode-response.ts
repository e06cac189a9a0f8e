/** Converse response → IR response. Converse has no response id: one is made (the request id is in a header). */
import type { IRResponse } from '../../ir'
import { mergeUsage } from '../../ir'
import { decodeMessages } from './decode-messages'
import { decodeFinishReason } from './map-finish-reason'
import { decodeUsage } from './usage'
import { isRecord, str } from './wire'

export function responseId(): string {
  return `bedrock-${globalThis.crypto.randomUUID().replace(/-/g, '')}`
}

export function decodeResponse(body: unknown): IRResponse {
  if (!isRecord(body)) throw new Error('the response is not a JSON object')
  const output = isRecord(body.output) ? body.output : undefined
  const message = output && isRecord(output.message) ? output.message : undefined
  if (!message) throw new Error('the response has no output.message')
  return {
    id: responseId(),
    model: '',
    created: Math.floor(Date.now() / 1000),
    parts: decodeMessages(message.content),
    finish: decodeFinishReason(str(body.stopReason)),
    usage: mergeUsage(undefined, decodeUsage(body.usage)),
  }
}
