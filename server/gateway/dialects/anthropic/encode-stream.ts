/** IR stream events → Anthropic Messages SSE, as @anthropic-ai/sdk's MessageStream expects it. */
import type { StreamEncoder, StreamEncoderOptions } from '../../codec'
import { sseFrame } from '../../sse'
import { finalUsage, mergeUsage, wrapSignature, type IRStreamEvent, type IRUsage } from '../../ir'
import { anthropicErrorMessage, anthropicErrorType } from './errors'
import { encodeFinishReason } from './map-finish-reason'
import { messageId, type Json } from './wire'
import { encodeUsage } from './usage'

interface OpenBlock {
  wire: number
  kind: 'text' | 'thinking' | 'redacted' | 'tool'
}

function frame(data: Json): string {
  return sseFrame(JSON.stringify(data), String(data.type))
}

/**
 * Wire block indexes are our own, contiguous from 0 (the SDK pushes blocks on content_block_start and
 * addresses them by index). Usage: message_start carries what is known then (0s otherwise); the
 * message_delta carries the merged totals, input and cache counters included (the SDK overwrites
 * them from message_delta when present).
 */
export function createStreamEncoder(opts: StreamEncoderOptions): StreamEncoder {
  const open = new Map<number, OpenBlock>()
  let nextWire = 0
  let started = false
  let closed = false
  let usage: IRUsage | undefined

  function start(id: string, startUsage?: Partial<IRUsage>): string {
    started = true
    if (startUsage) usage = mergeUsage(usage, startUsage)
    return frame({
      type: 'message_start',
      message: {
        id: messageId(id),
        type: 'message',
        role: 'assistant',
        model: opts.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: encodeUsage(usage),
      },
    })
  }

  function openBlock(index: number, kind: OpenBlock['kind'], contentBlock: Json): string {
    const wire = nextWire++
    open.set(index, { wire, kind })
    return frame({ type: 'content_block_start', index: wire, content_block: contentBlock })
  }

  function delta(index: number, d: Json): string {
    const b = open.get(index)
    return b ? frame({ type: 'content_block_delta', index: b.wire, delta: d }) : ''
  }

  function stop(index: number): string {
    const b = open.get(index)
    if (!b) return ''
    open.delete(index)
    return frame({ type: 'content_block_stop', index: b.wire })
  }

  function closeAll(): string {
    let s = ''
    for (const index of [...open.keys()]) s += stop(index)
    return s
  }

  function push(ev: IRStreamEvent): string {
    if (closed) return ''
    let pre = ''
    if (!started && ev.type !== 'start' && ev.type !== 'error') pre = start('')
    switch (ev.type) {
      case 'start':
        return started ? '' : start(ev.id, ev.usage)
      case 'text-start':
        return pre + openBlock(ev.index, 'text', { type: 'text', text: '' })
      case 'text-delta':
        return pre + (ev.text ? delta(ev.index, { type: 'text_delta', text: ev.text }) : '')
      case 'reasoning-start':
        return (
          pre +
          (ev.redactedData !== undefined
            ? openBlock(ev.index, 'redacted', { type: 'redacted_thinking', data: ev.redactedData })
            : openBlock(ev.index, 'thinking', { type: 'thinking', thinking: '', signature: '' }))
        )
      case 'reasoning-delta': {
        const b = open.get(ev.index)
        if (!b || b.kind !== 'thinking' || !ev.text) return pre
        return pre + delta(ev.index, { type: 'thinking_delta', thinking: ev.text })
      }
      case 'reasoning-end': {
        const b = open.get(ev.index)
        let s = pre
        if (b && b.kind === 'thinking' && ev.signature) {
          s += delta(ev.index, { type: 'signature_delta', signature: wrapSignature(ev.signature, 'anthropic') })
        }
        return s + stop(ev.index)
      }
      case 'tool-call-start':
        return pre + openBlock(ev.index, 'tool', { type: 'tool_use', id: ev.id, name: ev.name, input: {} })
      case 'tool-call-delta':
        return pre + (ev.argumentsDelta ? delta(ev.index, { type: 'input_json_delta', partial_json: ev.argumentsDelta }) : '')
      case 'text-end':
      case 'tool-call-end':
        return pre + stop(ev.index)
      case 'usage':
        usage = mergeUsage(usage, ev.usage)
        return pre
      case 'finish': {
        // finish.usage is the decoder's merged total: it wins, zeros included (as in the other encoders).
        usage = finalUsage(usage, ev.usage)
        closed = true
        return (
          pre +
          closeAll() +
          frame({
            type: 'message_delta',
            delta: { stop_reason: encodeFinishReason(ev.reason), stop_sequence: ev.reason.stopSequence ?? null },
            usage: encodeUsage(usage),
          }) +
          frame({ type: 'message_stop' })
        )
      }
      case 'error':
        closed = true
        return frame({
          type: 'error',
          error: { type: anthropicErrorType(ev.error.kind), message: anthropicErrorMessage(ev.error) },
        })
    }
  }

  return {
    push,
    end(): string {
      if (closed) return ''
      // The IR always ends with finish; a stream cut short still gets a well-formed ending.
      return push({ type: 'finish', reason: { unified: 'other' }, usage: usage ?? mergeUsage(undefined, {}) })
    },
  }
}
