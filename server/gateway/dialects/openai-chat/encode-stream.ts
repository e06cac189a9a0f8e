import type { StreamEncoder, StreamEncoderOptions } from '../../codec'
import { finalUsage, mergeUsage, type IRStreamEvent, type IRUsage } from '../../ir'
import { sseFrame } from '../../sse'
import { encodeError } from './errors'
import { encodeFinishReason } from './map-finish-reason'
import { encodeReasoningDetail, toolSignatureExtra } from './reasoning'
import { encodeUsage } from './usage'
import { epochSeconds, type Json } from './wire'

/**
 * IR events → `chat.completion.chunk` SSE frames, as the openai SDKs accumulate them:
 * a first chunk with the role, content / reasoning_content / tool_calls deltas (tool calls numbered
 * 0, 1, 2 by their own order, not by IR block index), a finish chunk, a usage chunk with
 * `choices: []` only when the client asked for include_usage, and `data: [DONE]`.
 * Signatures: reasoning → `reasoning_details`; tool calls → `extra_content.google.thought_signature`,
 * in the call's first delta (with id, type and function, as Google's own endpoint writes it) when the
 * signature came with the call; else in a later delta that still has a `function` object (the Vercel
 * AI SDK rejects a tool-call delta without one).
 */
export function createStreamEncoder(opts: StreamEncoderOptions): StreamEncoder {
  let id = `chatcmpl-${Math.random().toString(36).slice(2, 14)}`
  let created = epochSeconds()
  let started = false
  let finished = false
  let closed = false
  let toolCount = 0
  const toolOrdinal = new Map<number, number>()
  /** Calls whose signature went out with their first delta. */
  const signedAtStart = new Set<number>()
  let usage: IRUsage | undefined

  function chunk(delta: Json, finishReason: string | null = null): string {
    return sseFrame(
      JSON.stringify({
        id,
        object: 'chat.completion.chunk',
        created,
        model: opts.model,
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      }),
    )
  }

  /** The role chunk, written once before anything else. */
  function opening(): string {
    if (started) return ''
    started = true
    return chunk({ role: 'assistant', content: '' })
  }

  function finishFrames(reason: string, total: IRUsage | undefined): string {
    finished = true
    let s = opening() + chunk({}, reason)
    if (opts.includeUsage === true && total) {
      s += sseFrame(JSON.stringify({ id, object: 'chat.completion.chunk', created, model: opts.model, choices: [], usage: encodeUsage(total) }))
    }
    return s
  }

  function body(ev: IRStreamEvent): string {
    switch (ev.type) {
      case 'start':
        if (ev.id) id = ev.id
        if (ev.created) created = ev.created
        if (ev.usage) usage = mergeUsage(usage, ev.usage)
        return opening()
      case 'text-start':
      case 'text-end':
        return ''
      case 'text-delta':
        return ev.text ? chunk({ content: ev.text }) : ''
      case 'reasoning-start':
        if (ev.redactedData === undefined) return ''
        return chunk({ reasoning_details: [encodeReasoningDetail({ type: 'reasoning', text: '', redactedData: ev.redactedData })] })
      case 'reasoning-delta':
        return ev.text ? chunk({ reasoning_content: ev.text }) : ''
      case 'reasoning-end':
        if (!ev.signature) return ''
        return chunk({ reasoning_details: [encodeReasoningDetail({ type: 'reasoning', text: '', signature: ev.signature })] })
      case 'tool-call-start': {
        const index = toolCount++
        toolOrdinal.set(ev.index, index)
        const call: Json = { index, id: ev.id, type: 'function', function: { name: ev.name, arguments: '' } }
        if (ev.signature) {
          call.extra_content = toolSignatureExtra(ev.signature)
          signedAtStart.add(ev.index)
        }
        return chunk({ tool_calls: [call] })
      }
      case 'tool-call-delta': {
        const index = toolOrdinal.get(ev.index)
        if (index === undefined || !ev.argumentsDelta) return ''
        return chunk({ tool_calls: [{ index, function: { arguments: ev.argumentsDelta } }] })
      }
      case 'tool-call-end': {
        const index = toolOrdinal.get(ev.index)
        if (index === undefined || !ev.signature || signedAtStart.has(ev.index)) return ''
        return chunk({ tool_calls: [{ index, function: { arguments: '' }, extra_content: toolSignatureExtra(ev.signature) }] })
      }
      case 'usage':
        usage = mergeUsage(usage, ev.usage)
        return ''
      case 'finish':
        return finishFrames(encodeFinishReason(ev.reason), finalUsage(usage, ev.usage))
      case 'error':
        closed = true
        return sseFrame(JSON.stringify(encodeError(ev.error).body))
    }
  }

  return {
    push(ev: IRStreamEvent): string {
      if (closed || finished) return ''
      // `start` sets the id before the role chunk is written; an error needs no role chunk.
      if (ev.type === 'start' || ev.type === 'error') return body(ev)
      return opening() + body(ev)
    },
    end(): string {
      if (closed) return ''
      closed = true
      // A finish chunk is required by the SDK accumulator; decoders always send one, but be safe.
      const tail = finished ? '' : finishFrames('stop', usage)
      return tail + sseFrame('[DONE]')
    },
  }
}
