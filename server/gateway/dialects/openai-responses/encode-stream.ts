import type { StreamEncoder, StreamEncoderOptions } from '../../codec'
import { finalUsage, mergeUsage, type IRStreamEvent, type IRUsage, type Signature } from '../../ir'
import { sseFrame } from '../../sse'
import { functionCallItem, messageItem, outputText, responseId, responseObject } from './encode-response'
import { wireStreamError } from './errors'
import { encodeFinishReason, type WireFinish } from './map-finish-reason'
import { reasoningOutputItem } from './reasoning'
import { epochSeconds, newId, type Json } from './wire'

interface Open {
  kind: 'text' | 'reasoning' | 'tool'
  irIndex: number
  id: string
  outputIndex: number
  acc: string
  /** reasoning: a summary part is open. */
  part: boolean
  callId?: string
  name?: string
  redacted?: string
}

/**
 * IR events → Responses SSE (`event: <type>\ndata: <json>\n\n`), every event with `sequence_number`:
 * response.created (in_progress) → response.in_progress → per block output_item.added →
 * text: content_part.added → output_text.delta* → output_text.done → content_part.done;
 * reasoning: reasoning_summary_part.added → reasoning_summary_text.delta* → .done → part.done;
 * function call: function_call_arguments.delta* → .done — → output_item.done; then
 * response.completed (or response.incomplete) with the assembled output and usage. No `[DONE]`.
 * Error: an `error` event (nested `error` object, which the openai SDK throws as APIError, plus the
 * flat fields of its type), then `response.failed` (what Codex reads).
 */
export function createStreamEncoder(opts: StreamEncoderOptions): StreamEncoder {
  let id = ''
  let created = epochSeconds()
  let seq = 0
  let started = false
  let closed = false
  let cur: Open | undefined
  const output: Json[] = []
  let usage: IRUsage | undefined

  function frame(type: string, fields: Json): string {
    return sseFrame(JSON.stringify({ type, sequence_number: seq++, ...fields }), type)
  }

  function response(finish?: WireFinish, failed?: { code: string | null; message: string }): Json {
    return responseObject({ id: id || (id = newId('resp')), created, model: opts.model, finish, failed, output, usage })
  }

  function opening(): string {
    if (started) return ''
    started = true
    const r = response()
    return frame('response.created', { response: r }) + frame('response.in_progress', { response: r })
  }

  function openBlock(b: Open, item: Json): string {
    cur = b
    return frame('response.output_item.added', { output_index: b.outputIndex, item })
  }

  function summaryPart(b: Open): string {
    b.part = true
    return frame('response.reasoning_summary_part.added', { item_id: b.id, output_index: b.outputIndex, summary_index: 0, part: { type: 'summary_text', text: '' } })
  }

  function closeBlock(signature?: Signature): string {
    const b = cur
    if (!b) return ''
    cur = undefined
    const at = { item_id: b.id, output_index: b.outputIndex }
    let s = ''
    let item: Json
    if (b.kind === 'text') {
      s += frame('response.output_text.done', { ...at, content_index: 0, text: b.acc, logprobs: [] })
      s += frame('response.content_part.done', { ...at, content_index: 0, part: outputText(b.acc) })
      item = messageItem(b.id, b.acc, 'completed')
    } else if (b.kind === 'reasoning') {
      if (!b.part && b.redacted === undefined && signature) s += summaryPart(b)
      if (b.part) {
        s += frame('response.reasoning_summary_text.done', { ...at, summary_index: 0, text: b.acc })
        s += frame('response.reasoning_summary_part.done', { ...at, summary_index: 0, part: { type: 'summary_text', text: b.acc } })
      }
      item = reasoningOutputItem({ text: b.acc, signature, redactedData: b.redacted }, b.id)
      item.id = b.id
    } else {
      s += frame('response.function_call_arguments.done', { ...at, name: b.name, arguments: b.acc })
      item = functionCallItem(b.id, b.callId ?? '', b.name ?? '', b.acc, 'completed')
    }
    output.push(item)
    return s + frame('response.output_item.done', { output_index: b.outputIndex, item })
  }

  function body(ev: IRStreamEvent): string {
    switch (ev.type) {
      case 'start':
        if (!started) {
          if (ev.id) id = responseId(ev.id)
          if (ev.created) created = ev.created
        }
        if (ev.usage) usage = mergeUsage(usage, ev.usage)
        return opening()
      case 'text-start': {
        const b: Open = { kind: 'text', irIndex: ev.index, id: newId('msg'), outputIndex: output.length, acc: '', part: false }
        return (
          closeBlock() +
          openBlock(b, messageItem(b.id, undefined, 'in_progress')) +
          frame('response.content_part.added', { item_id: b.id, output_index: b.outputIndex, content_index: 0, part: outputText('') })
        )
      }
      case 'text-delta':
        if (cur?.kind !== 'text' || !ev.text) return ''
        cur.acc += ev.text
        return frame('response.output_text.delta', { item_id: cur.id, output_index: cur.outputIndex, content_index: 0, delta: ev.text, logprobs: [] })
      case 'reasoning-start': {
        const b: Open = { kind: 'reasoning', irIndex: ev.index, id: newId('rs'), outputIndex: output.length, acc: '', part: false, redacted: ev.redactedData }
        return closeBlock() + openBlock(b, { id: b.id, type: 'reasoning', summary: [] })
      }
      case 'reasoning-delta': {
        if (cur?.kind !== 'reasoning' || !ev.text) return ''
        const head = cur.part ? '' : summaryPart(cur)
        cur.acc += ev.text
        return head + frame('response.reasoning_summary_text.delta', { item_id: cur.id, output_index: cur.outputIndex, summary_index: 0, delta: ev.text })
      }
      case 'tool-call-start': {
        const b: Open = { kind: 'tool', irIndex: ev.index, id: newId('fc'), outputIndex: output.length, acc: '', part: false, callId: ev.id, name: ev.name }
        return closeBlock() + openBlock(b, functionCallItem(b.id, ev.id, ev.name, '', 'in_progress'))
      }
      case 'tool-call-delta':
        if (cur?.kind !== 'tool' || !ev.argumentsDelta) return ''
        cur.acc += ev.argumentsDelta
        return frame('response.function_call_arguments.delta', { item_id: cur.id, output_index: cur.outputIndex, delta: ev.argumentsDelta })
      case 'text-end':
      case 'tool-call-end':
        return cur?.irIndex === ev.index ? closeBlock() : ''
      case 'reasoning-end':
        return cur?.irIndex === ev.index ? closeBlock(ev.signature) : ''
      case 'usage':
        usage = mergeUsage(usage, ev.usage)
        return ''
      case 'finish': {
        // the finish usage is the final total: its zeros win (as in the other encoders)
        usage = finalUsage(usage, ev.usage)
        const f = encodeFinishReason(ev.reason)
        const s = closeBlock()
        closed = true
        return s + frame(f.status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response: response(f) })
      }
      case 'error': {
        closed = true
        const e = wireStreamError(ev.error)
        return (
          frame('error', { code: e.code, message: e.message, param: e.param, error: e }) +
          frame('response.failed', { response: response(undefined, { code: e.code ?? e.type, message: e.message }) })
        )
      }
    }
  }

  return {
    push(ev: IRStreamEvent): string {
      if (closed) return ''
      if (ev.type === 'start' || ev.type === 'error') return body(ev)
      return opening() + body(ev)
    },
    end(): string {
      if (closed) return ''
      closed = true
      // Decoders always send `finish`; a stream cut short still ends as a response for the client.
      return opening() + closeBlock() + frame('response.completed', { response: response({ status: 'completed' }) })
    },
  }
}
