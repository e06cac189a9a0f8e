import type { IRResponse, IRUsage } from '../../ir'
import { encodeFinishReason, type WireFinish } from './map-finish-reason'
import { reasoningOutputItem } from './reasoning'
import { encodeUsage } from './usage'
import { DIALECT, isRecord, newId, type Json } from './wire'

/**
 * IR → a `response` object for a client. One output item per part: reasoning items (reasoning text as
 * `summary_text`, signature wrapped in `encrypted_content` so Codex and SDK users echo it back),
 * one `message` item per text part, `function_call` items (call id = IR tool-call id).
 * Tool-call and text signatures have no field here and are not written.
 */
export function encodeResponse(res: IRResponse, model: string): Json {
  const output: Json[] = []
  for (const p of res.parts) {
    if (p.type === 'reasoning') output.push(reasoningOutputItem(p, newId('rs')))
    else if (p.type === 'text') output.push(messageItem(newId('msg'), p.text, 'completed'))
    else if (p.type === 'tool-call') output.push(functionCallItem(newId('fc'), p.id, p.name, p.arguments, 'completed'))
  }
  const body = responseObject({ id: responseId(res.id), created: res.created, model, finish: encodeFinishReason(res.finish), output, usage: res.usage })
  const extras = res.extras?.[DIALECT]
  if (isRecord(extras) && typeof extras.service_tier === 'string') body.service_tier = extras.service_tier
  return body
}

export function responseId(id: string): string {
  if (!id) return newId('resp')
  return id.startsWith('resp_') ? id : `resp_${id}`
}

export function outputText(text: string): Json {
  return { type: 'output_text', annotations: [], logprobs: [], text }
}

export function messageItem(id: string, text: string | undefined, status: string): Json {
  return { id, type: 'message', status, content: text === undefined ? [] : [outputText(text)], role: 'assistant' }
}

export function functionCallItem(id: string, callId: string, name: string, args: string, status: string): Json {
  return { id, type: 'function_call', status, arguments: args, call_id: callId, name }
}

export interface ResponseFields {
  id: string
  created: number
  model: string
  /** undefined: still running (`in_progress`). */
  finish?: WireFinish
  failed?: { code: string | null; message: string }
  output: Json[]
  usage?: IRUsage
}

/** The `response` object, as the API returns it and as stream lifecycle events carry it. */
export function responseObject(f: ResponseFields): Json {
  const status = f.failed ? 'failed' : (f.finish?.status ?? 'in_progress')
  return {
    id: f.id,
    object: 'response',
    created_at: f.created,
    status,
    error: f.failed ?? null,
    incomplete_details: f.finish?.reason ? { reason: f.finish.reason } : null,
    instructions: null,
    metadata: {},
    model: f.model,
    output: f.output,
    parallel_tool_calls: true,
    temperature: null,
    tool_choice: 'auto',
    tools: [],
    top_p: null,
    usage: f.usage ? encodeUsage(f.usage) : null,
  }
}
