import type { RequestLogEntry, ResponseCapture } from '../../gateway/log-entry'
import { CODECS } from '../../gateway/registry'
import { assembleResponse } from './assemble-response'
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
  const request = e.requestBody === undefined ? null : capText(redactedJson(e.requestBody), maxBytes)
  const response = e.responseBody === undefined ? null : capText(responseText(e.responseBody), maxBytes)
  return { requestId: e.requestId, ts: e.ts, request, response }
}

export function responseText(c: ResponseCapture): string {
  switch (c.kind) {
    case 'text':
      return redactText(c.text)
    case 'error':
      return JSON.stringify(CODECS[c.dialect].encodeError(c.error).body)
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
