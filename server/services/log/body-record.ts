import type { RequestLogEntry, ResponseCapture } from '../../gateway/log-entry'
import { CODECS } from '../../gateway/registry'
import { assembleResponse } from './assemble-response'
import { framesToEvents } from '../../gateway/capture-frames'
import { capText, redactedJson, redactText } from './redact-body'

export interface StoredBody {
  text: string
  truncated: boolean
  /** The body's size before capping (after redaction and base64 summaries). */
  bytes: number
}

export interface BodyRecord {
  requestId: string
  ts: Date
  request: StoredBody | null
  response: StoredBody | null
}

/**
 * One entry's bodies as they are stored: redacted, base64 summarised, a stream reassembled into the
 * response it adds up to in the client's dialect, each capped at `maxBytes`. Done in the body
 * writer's flush, never while the client waits.
 */
export function bodyRecord(e: RequestLogEntry, maxBytes: number): BodyRecord | null {
  if (e.requestBody === undefined && e.responseBody === undefined) return null
  const request = e.requestBody === undefined ? null : capText(redactedJson(requestValue(e.requestBody)), maxBytes)
  const response = e.responseBody === undefined ? null : capText(responseText(e.responseBody, maxBytes), maxBytes)
  return { requestId: e.requestId, ts: e.ts, request, response }
}

/**
 * The request as the hot path captured it: the client's bytes (parsed here, after the answer, so the
 * stored text is the same compact JSON as for a parsed body), or a body the gateway built itself.
 */
function requestValue(body: unknown): unknown {
  if (!(body instanceof Uint8Array)) return body
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8')
  try {
    return JSON.parse(text)
  } catch {
    // Not JSON after all (the door parsed it, so this is not expected): store it as text.
    return text
  }
}

/** An error answer in the client's dialect, as JSON text. */
export function errorText(c: Extract<ResponseCapture, { kind: 'error' }>): string {
  return JSON.stringify(CODECS[c.dialect].encodeError(c.error).body)
}

/** `maxChars`: a frames capture keeps at most this much of its deltas, as the relay's CappedEvents would. */
export function responseText(c: ResponseCapture, maxChars = 64 * 1024): string {
  switch (c.kind) {
    case 'text':
      return redactText(c.text)
    case 'error':
      return errorText(c)
    case 'frames':
      return responseText({ kind: 'events', events: framesToEvents(CODECS[c.dialect], c.bytes, maxChars), dialect: c.dialect, model: c.model }, maxChars)
    case 'events': {
      const { response, error } = assembleResponse(c.events)
      let body: Record<string, unknown>
      try {
        body = CODECS[c.dialect].encodeResponse(response, c.model)
      } catch {
        // A stream cut off in an odd place may not encode: keep what arrived, in the IR's words.
        body = { parts: response.parts, usage: response.usage }
      }
      // A stream that broke off after its first byte: the in-band error, beside what had arrived.
      if (error) body = { ...body, stream_error: CODECS[c.dialect].encodeError(error).body }
      return redactedJson(body)
    }
  }
}
