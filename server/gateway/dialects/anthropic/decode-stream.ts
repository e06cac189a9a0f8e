/** Anthropic Messages SSE events → IR stream events. */
import type { SSEMessage, StreamDecoder } from '../../codec'
import { emptyUsage, unwrapSignature, type IRFinishReason, type IRStreamEvent, type IRUsage } from '../../ir'
import { decodeStreamError } from './errors'
import { decodeFinishReason } from './map-finish-reason'
import { isRecord, num, str, type Json } from './wire'
import { decodeUsage } from './usage'
import { createEventReader, tallyFrame, terminalFrame, unreadableFrame } from '../_shared/event-reader'

type Kind = 'text' | 'reasoning' | 'tool'

interface Block {
  index: number
  kind: Kind
  open: boolean
  signature: string
  argsSeen: boolean
  /** A tool_use whose `input` came whole in content_block_start (no input_json_delta follows). */
  initialInput?: Json
}

/** The upstream's own end: `message_stop` (see DialectCodec.isTerminalFrame). */
export const isTerminalFrame = terminalFrame(['message_stop'], /"type"\s*:\s*"message_stop"/)

/** The message's own events (usage at its start and in its delta, the stop) and errors; not the content blocks (see DialectCodec.isTallyFrame). */
export const isTallyFrame = tallyFrame(['message_start', 'message_delta', 'message_stop', 'error'], /"type"\s*:\s*"(?:message_start|message_delta|message_stop|error)"/)

/**
 * Anthropic block indexes are mapped to contiguous IR indexes: server tool blocks
 * (server_tool_use, *_tool_result) and their deltas are skipped. The finish is emitted at
 * message_stop (or end()); blocks never stopped (max_tokens mid tool call) are closed first.
 */
export function createStreamDecoder(): StreamDecoder {
  const frames = createEventReader()
  const blocks = new Map<number, Block>()
  let nextIndex = 0
  let started = false
  let finish: IRFinishReason | undefined
  /** Raw Anthropic counters, latest wins, so input can be recomputed with the cache numbers. */
  const raw: Json = {}

  function ensureStart(out: IRStreamEvent[]): void {
    if (started) return
    started = true
    out.push({ type: 'start', id: '', model: '', created: Math.floor(Date.now() / 1000) })
  }

  function addUsage(u: unknown, out: IRStreamEvent[]): void {
    if (!isRecord(u)) return
    for (const [k, v] of Object.entries(u)) if (v !== null && v !== undefined) raw[k] = v
    out.push({ type: 'usage', usage: decodeUsage(raw) })
  }

  function close(b: Block, out: IRStreamEvent[]): void {
    if (!b.open) return
    b.open = false
    if (b.kind === 'text') out.push({ type: 'text-end', index: b.index })
    else if (b.kind === 'reasoning') {
      out.push(
        b.signature !== ''
          ? { type: 'reasoning-end', index: b.index, signature: unwrapSignature(b.signature, 'anthropic') }
          : { type: 'reasoning-end', index: b.index },
      )
    } else {
      // No argument text streamed: the input came whole at the start, or the call takes no arguments
      // (the API then streams one empty input_json_delta). Either way clients get a JSON object, never "".
      if (!b.argsSeen) out.push({ type: 'tool-call-delta', index: b.index, argumentsDelta: JSON.stringify(b.initialInput ?? {}) })
      out.push({ type: 'tool-call-end', index: b.index })
    }
  }

  function finishAll(out: IRStreamEvent[]): void {
    ensureStart(out)
    for (const b of blocks.values()) close(b, out)
    // Anthropic counters are cumulative totals (latest wins, a final 0 included), not increments.
    const usage: IRUsage = { ...emptyUsage(), ...decodeUsage(raw) }
    out.push({ type: 'finish', reason: finish ?? { unified: 'other' }, usage })
    frames.stop()
  }

  function blockStart(ev: Json, out: IRStreamEvent[]): void {
    const wireIndex = num(ev.index) ?? -1
    const cb = isRecord(ev.content_block) ? ev.content_block : {}
    const index = nextIndex
    const add = (kind: Kind, extra: Partial<Block> = {}): Block => {
      nextIndex++
      const b: Block = { index, kind, open: true, signature: '', argsSeen: false, ...extra }
      blocks.set(wireIndex, b)
      return b
    }
    switch (cb.type) {
      case 'text': {
        add('text')
        out.push({ type: 'text-start', index })
        const text = str(cb.text)
        if (text) out.push({ type: 'text-delta', index, text })
        return
      }
      case 'thinking': {
        add('reasoning', { signature: str(cb.signature) ?? '' })
        out.push({ type: 'reasoning-start', index })
        const text = str(cb.thinking)
        if (text) out.push({ type: 'reasoning-delta', index, text })
        return
      }
      case 'redacted_thinking':
        add('reasoning')
        out.push({ type: 'reasoning-start', index, redactedData: str(cb.data) ?? '' })
        return
      case 'tool_use':
        add('tool', isRecord(cb.input) ? { initialInput: cb.input } : {})
        out.push({ type: 'tool-call-start', index, id: str(cb.id) ?? '', name: str(cb.name) ?? '' })
        return
      default:
        // server_tool_use, *_tool_result ...: skipped with their deltas (no IR index used).
        break
    }
  }

  function blockDelta(ev: Json, out: IRStreamEvent[]): void {
    const b = blocks.get(num(ev.index) ?? -1)
    const d = isRecord(ev.delta) ? ev.delta : {}
    if (!b || !b.open) return
    if (d.type === 'text_delta' && b.kind === 'text') {
      const text = str(d.text)
      if (text) out.push({ type: 'text-delta', index: b.index, text })
    } else if (d.type === 'thinking_delta' && b.kind === 'reasoning') {
      const text = str(d.thinking)
      if (text) out.push({ type: 'reasoning-delta', index: b.index, text })
    } else if (d.type === 'signature_delta' && b.kind === 'reasoning') {
      b.signature += str(d.signature) ?? ''
    } else if (d.type === 'input_json_delta' && b.kind === 'tool') {
      const json = str(d.partial_json)
      if (json) {
        b.argsSeen = true
        out.push({ type: 'tool-call-delta', index: b.index, argumentsDelta: json })
      }
    }
    // citations_delta and unknown deltas carry nothing the IR models.
  }

  return {
    push(msg: SSEMessage): IRStreamEvent[] {
      if (frames.stopped) return []
      const ev = frames.read(msg.data)
      if (!ev) return unreadableFrame(msg, frames)
      const out: IRStreamEvent[] = []
      const type = str(ev.type) ?? msg.event
      switch (type) {
        case 'message_start': {
          const m = isRecord(ev.message) ? ev.message : {}
          if (!started) {
            started = true
            const startUsage = isRecord(m.usage) ? decodeUsage(m.usage) : undefined
            out.push({
              type: 'start',
              id: str(m.id) ?? '',
              model: str(m.model) ?? '',
              created: Math.floor(Date.now() / 1000),
              ...(startUsage ? { usage: startUsage } : {}),
            })
          }
          addUsage(m.usage, out)
          break
        }
        case 'content_block_start':
          ensureStart(out)
          blockStart(ev, out)
          break
        case 'content_block_delta':
          blockDelta(ev, out)
          break
        case 'content_block_stop': {
          const b = blocks.get(num(ev.index) ?? -1)
          if (b) close(b, out)
          break
        }
        case 'message_delta': {
          ensureStart(out)
          const d = isRecord(ev.delta) ? ev.delta : {}
          if (d.stop_reason !== undefined && d.stop_reason !== null) finish = decodeFinishReason(d.stop_reason, d.stop_sequence)
          addUsage(ev.usage, out)
          break
        }
        case 'message_stop':
          finishAll(out)
          break
        case 'error':
          out.push({ type: 'error', error: decodeStreamError(ev) })
          frames.stop()
          break
        default:
          // ping and unknown events
          break
      }
      return out
    },
    unparseable: () => frames.unparseable,
    end(): IRStreamEvent[] {
      if (frames.stopped) return []
      const out: IRStreamEvent[] = []
      finishAll(out)
      return out
    },
  }
}
