/**
 * ConverseStream events → IR stream events. The events (after eventstream framing, eventstream.ts):
 * `messageStart`, `contentBlockStart` (tool use only: text and reasoning blocks open with their first
 * delta), `contentBlockDelta`, `contentBlockStop`, `messageStop` (the stop reason), then `metadata`
 * (usage); an exception frame ends the stream with an error.
 */
import type { SSEMessage, StreamDecoder } from '../../codec'
import { emptyUsage, mergeUsage, type IRFinishReason, type IRStreamEvent, type IRUsage, type Signature } from '../../ir'
import { createEventReader } from '../_shared/event-reader'
import { responseId } from './decode-response'
import { decodeStreamException } from './errors'
import { decodeFinishReason } from './map-finish-reason'
import { decodeUsage } from './usage'
import { DIALECT, isRecord, num, str, type Json } from './wire'

type Kind = 'text' | 'reasoning' | 'tool-call'

interface OpenBlock {
  kind: Kind
  index: number
  signature?: Signature
}

/** Whether this message ends the upstream's answer: `messageStop` (usage may still follow in `metadata`), or an exception. */
export function isTerminalFrame(msg: SSEMessage): boolean {
  return msg.event === 'messageStop' || msg.event === 'metadata' || (msg.event?.startsWith('exception:') ?? false) || (msg.event?.startsWith('error:') ?? false)
}

export function createStreamDecoder(): StreamDecoder {
  const reader = createEventReader()
  let started = false
  let next = 0
  let usage: IRUsage = emptyUsage()
  let finish: IRFinishReason | undefined
  /** Bedrock's contentBlockIndex → the IR block it opened. */
  const open = new Map<number, OpenBlock>()

  const start = (out: IRStreamEvent[]) => {
    if (started) return
    started = true
    out.push({ type: 'start', id: responseId(), model: '', created: Math.floor(Date.now() / 1000) })
  }
  const close = (at: number, out: IRStreamEvent[]) => {
    const b = open.get(at)
    if (!b) return
    open.delete(at)
    if (b.kind === 'text') out.push({ type: 'text-end', index: b.index })
    else if (b.kind === 'reasoning') out.push(b.signature ? { type: 'reasoning-end', index: b.index, signature: b.signature } : { type: 'reasoning-end', index: b.index })
    else out.push({ type: 'tool-call-end', index: b.index })
  }
  /** The open block at `at`, opened as `kind` if it is not (a block of another kind there is closed first). */
  const block = (at: number, kind: Kind, out: IRStreamEvent[], redactedData?: string): OpenBlock => {
    const b = open.get(at)
    if (b && b.kind === kind) return b
    if (b) close(at, out)
    const nb: OpenBlock = { kind, index: next++ }
    open.set(at, nb)
    if (kind === 'text') out.push({ type: 'text-start', index: nb.index })
    else if (kind === 'reasoning') out.push(redactedData !== undefined ? { type: 'reasoning-start', index: nb.index, redactedData } : { type: 'reasoning-start', index: nb.index })
    return nb
  }
  const closeAll = (out: IRStreamEvent[]) => {
    for (const at of [...open.keys()].sort((a, b) => a - b)) close(at, out)
  }
  const finishNow = (out: IRStreamEvent[]) => {
    start(out)
    closeAll(out)
    out.push({ type: 'finish', reason: finish ?? { unified: 'stop' }, usage })
    reader.stop()
  }

  const onDelta = (ev: Json, out: IRStreamEvent[]) => {
    const at = num(ev.contentBlockIndex) ?? 0
    const d = isRecord(ev.delta) ? ev.delta : {}
    if (typeof d.text === 'string') {
      const b = block(at, 'text', out)
      if (d.text !== '') out.push({ type: 'text-delta', index: b.index, text: d.text })
    } else if (isRecord(d.toolUse)) {
      const b = open.get(at)
      const input = str(d.toolUse.input) ?? ''
      // A tool-use delta always follows its contentBlockStart; one without it has no name to give.
      if (b?.kind === 'tool-call' && input !== '') out.push({ type: 'tool-call-delta', index: b.index, argumentsDelta: input })
    } else if (isRecord(d.reasoningContent)) {
      const r = d.reasoningContent
      const redacted = str(r.redactedContent)
      const b = block(at, 'reasoning', out, redacted)
      if (typeof r.text === 'string' && r.text !== '') out.push({ type: 'reasoning-delta', index: b.index, text: r.text })
      const sig = str(r.signature)
      if (sig !== undefined) b.signature = { origin: DIALECT, value: (b.signature?.value ?? '') + sig }
    }
  }

  return {
    push(msg: SSEMessage): IRStreamEvent[] {
      if (reader.stopped) return []
      const out: IRStreamEvent[] = []
      const ev = msg.event ?? ''
      if (ev.startsWith('exception:') || ev.startsWith('error:')) {
        // Before anything else (Bedrock may throttle right after the 200), the error comes alone, so
        // the request can still fail over; after, open blocks are closed first.
        closeAll(out)
        out.push({ type: 'error', error: decodeStreamException(ev.slice(ev.indexOf(':') + 1), msg.data) })
        reader.stop()
        return out
      }
      const data = reader.read(msg.data)
      if (!data) return out
      switch (ev) {
        case 'messageStart':
          start(out)
          break
        case 'contentBlockStart': {
          start(out)
          const at = num(data.contentBlockIndex) ?? 0
          const s = isRecord(data.start) ? data.start : {}
          if (isRecord(s.toolUse)) {
            if (open.has(at)) close(at, out)
            const index = next++
            open.set(at, { kind: 'tool-call', index })
            out.push({ type: 'tool-call-start', index, id: str(s.toolUse.toolUseId) ?? '', name: str(s.toolUse.name) ?? '' })
          }
          break
        }
        case 'contentBlockDelta':
          start(out)
          onDelta(data, out)
          break
        case 'contentBlockStop':
          close(num(data.contentBlockIndex) ?? 0, out)
          break
        case 'messageStop':
          start(out)
          closeAll(out)
          finish = decodeFinishReason(str(data.stopReason))
          break
        case 'metadata':
          usage = mergeUsage(usage, decodeUsage(data.usage))
          // Usage is the last thing Bedrock sends: the answer is complete.
          if (finish) finishNow(out)
          else out.push({ type: 'usage', usage: decodeUsage(data.usage) })
          break
        default:
      }
      return out
    },
    end(): IRStreamEvent[] {
      if (reader.stopped) return []
      const out: IRStreamEvent[] = []
      finishNow(out)
      return out
    },
    unparseable: () => reader.unparseable,
  }
}
