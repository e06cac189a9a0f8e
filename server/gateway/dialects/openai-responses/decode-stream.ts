import type { SSEMessage, StreamDecoder } from '../../codec'
import { emptyUsage, mergeUsage, type IRFinishReason, type IRStreamEvent, type IRUsage } from '../../ir'
import { errorEventError, failedResponseError } from './errors'
import { decodeFinishReason } from './map-finish-reason'
import { decodeReasoningItem } from './reasoning'
import { decodeUsage } from './usage'
import { epochSeconds, isRecord, num, str, type Json } from './wire'
import { createEventReader, tallyFrame, terminalFrame, unreadableFrame } from '../_shared/event-reader'

type Kind = 'text' | 'reasoning' | 'tool'

interface Block {
  kind: Kind
  index: number
  /** Wire item id (or `#<output_index>`) and content/summary index it belongs to. */
  item: string
  part: number
  /** Text / arguments of the current part streamed so far (to fill in from `*.done` when a server sent no deltas). */
  acc: string
  /** Anything written to the block at all. */
  any: boolean
}

/** The upstream's own end: `response.completed` / `incomplete` / `failed` (see DialectCodec.isTerminalFrame). */
export const isTerminalFrame = terminalFrame(
  ['response.completed', 'response.incomplete', 'response.failed'],
  /"type"\s*:\s*"response\.(?:completed|incomplete|failed)"/,
)

/** The response's lifecycle events (usage comes with its end) and errors; not its items and deltas (see DialectCodec.isTallyFrame). */
export const isTallyFrame = tallyFrame(
  ['response.created', 'response.in_progress', 'response.queued', 'response.completed', 'response.incomplete', 'response.failed', 'error'],
  /"type"\s*:\s*"(?:error|response\.(?:created|in_progress|queued|completed|incomplete|failed))"/,
)

/**
 * Responses stream events → IR. One IR block at a time, in arrival order: a message's output_text /
 * refusal part → text block; a reasoning item → reasoning block (summary parts joined by a blank
 * line, `reasoning_text` accepted too; signature from `encrypted_content` at output_item.done);
 * a function_call item → tool-call block with call_id as id. Servers that send only `*.done` events
 * (LM Studio arguments) get the full value as one delta. Hosted-tool items are skipped.
 * `response.completed` / `response.incomplete` give usage and finish; `error` and `response.failed`
 * end the stream with an error event.
 */
export function createStreamDecoder(): StreamDecoder {
  const frames = createEventReader()
  let started = false
  let nextIndex = 0
  let current: Block | undefined
  let hadTools = false
  let hadRefusal = false
  let usage: IRUsage | undefined
  /** Message items whose text already streamed. */
  const textItems = new Set<string>()

  function itemKey(ev: Json): string {
    const id = str(ev.item_id) ?? (isRecord(ev.item) ? str(ev.item.id) : undefined)
    return id ?? `#${num(ev.output_index) ?? 0}`
  }

  function start(out: IRStreamEvent[], response?: Json): void {
    if (started) return
    started = true
    const r = response ?? {}
    out.push({ type: 'start', id: str(r.id) ?? '', model: str(r.model) ?? '', created: num(r.created_at) ?? epochSeconds() })
  }

  function close(out: IRStreamEvent[], ev?: IRStreamEvent): void {
    const b = current
    if (!b) return
    current = undefined
    if (ev) out.push(ev)
    else if (b.kind === 'text') out.push({ type: 'text-end', index: b.index })
    else if (b.kind === 'reasoning') out.push({ type: 'reasoning-end', index: b.index })
    else out.push({ type: 'tool-call-end', index: b.index })
  }

  function open(out: IRStreamEvent[], kind: Kind, item: string, part: number, startEv?: (index: number) => IRStreamEvent): Block {
    if (current && current.kind === kind && current.item === item && current.part === part) return current
    if (current && !(kind === 'reasoning' && current.kind === 'reasoning' && current.item === item)) close(out)
    if (current) {
      // another summary part of the same reasoning item: same block, a blank line between
      if (current.any) out.push({ type: 'reasoning-delta', index: current.index, text: '\n\n' })
      current.part = part
      current.acc = ''
      return current
    }
    if (kind === 'text') textItems.add(item)
    const b: Block = { kind, index: nextIndex++, item, part, acc: '', any: false }
    current = b
    out.push(startEv ? startEv(b.index) : kind === 'text' ? { type: 'text-start', index: b.index } : { type: 'reasoning-start', index: b.index })
    return b
  }

  function delta(out: IRStreamEvent[], b: Block, text: string): void {
    if (!text) return
    b.acc += text
    b.any = true
    if (b.kind === 'text') out.push({ type: 'text-delta', index: b.index, text })
    else if (b.kind === 'reasoning') out.push({ type: 'reasoning-delta', index: b.index, text })
    else out.push({ type: 'tool-call-delta', index: b.index, argumentsDelta: text })
  }

  /** A `*.done` value: whatever the deltas did not already say (servers may skip deltas). */
  function fill(out: IRStreamEvent[], b: Block, full: string | undefined): void {
    if (full && full.length > b.acc.length && full.startsWith(b.acc)) delta(out, b, full.slice(b.acc.length))
  }

  function itemAdded(out: IRStreamEvent[], item: Json, key: string): void {
    if (item.type !== 'function_call') return
    hadTools = true
    const b = open(out, 'tool', key, 0, (index) => ({ type: 'tool-call-start', index, id: str(item.call_id) ?? str(item.id) ?? '', name: str(item.name) ?? '' }))
    fill(out, b, str(item.arguments))
  }

  function itemDone(out: IRStreamEvent[], item: Json, key: string): void {
    if (item.type === 'function_call') {
      if (current?.kind !== 'tool' || current.item !== key) itemAdded(out, item, key)
      if (current) fill(out, current, str(item.arguments))
      close(out)
    } else if (item.type === 'reasoning') {
      const p = decodeReasoningItem(item)
      const b = current?.kind === 'reasoning' && current.item === key ? current : undefined
      if (!b) {
        if (p.redactedData === undefined && p.text === '' && !p.signature) return
        const nb = open(out, 'reasoning', key, 0, (index) =>
          p.redactedData !== undefined ? { type: 'reasoning-start', index, redactedData: p.redactedData } : { type: 'reasoning-start', index })
        fill(out, nb, p.text)
        close(out, p.signature ? { type: 'reasoning-end', index: nb.index, signature: p.signature } : undefined)
        return
      }
      close(out, p.signature ? { type: 'reasoning-end', index: b.index, signature: p.signature } : undefined)
    } else if (item.type === 'message') {
      if (current?.kind === 'text' && current.item === key) close(out)
      else if (Array.isArray(item.content) && !textItems.has(key)) {
        // a message announced only when done: its text in one piece
        item.content.forEach((c, j) => {
          if (!isRecord(c)) return
          const text = c.type === 'output_text' ? str(c.text) : c.type === 'refusal' ? str(c.refusal) : undefined
          if (c.type === 'refusal') hadRefusal = true
          if (!text) return
          delta(out, open(out, 'text', key, j), text)
          close(out)
        })
      }
    }
  }

  function finish(out: IRStreamEvent[], response: Json | undefined): void {
    start(out, response)
    close(out)
    frames.stop()
    let reason: IRFinishReason = decodeFinishReason(undefined, undefined, hadTools, hadRefusal)
    if (response) {
      const u = decodeUsage(response.usage)
      if (u) {
        usage = mergeUsage(usage, u)
        out.push({ type: 'usage', usage: u })
      }
      const incomplete = isRecord(response.incomplete_details) ? str(response.incomplete_details.reason) : undefined
      reason = decodeFinishReason(str(response.status) ?? 'completed', incomplete, hadTools, hadRefusal)
    }
    out.push({ type: 'finish', reason, usage: usage ?? emptyUsage() })
  }

  function handle(out: IRStreamEvent[], ev: Json, type: string): void {
    const key = itemKey(ev)
    const index = num(ev.content_index) ?? num(ev.summary_index) ?? 0
    switch (type) {
      case 'response.created':
      case 'response.in_progress':
      case 'response.queued':
        start(out, isRecord(ev.response) ? ev.response : undefined)
        return
      case 'response.output_item.added':
        if (isRecord(ev.item)) itemAdded(out, ev.item, key)
        return
      case 'response.output_item.done':
        if (isRecord(ev.item)) itemDone(out, ev.item, key)
        return
      case 'response.content_part.added':
        if (isRecord(ev.part) && (ev.part.type === 'output_text' || ev.part.type === 'refusal')) open(out, 'text', key, index)
        return
      case 'response.output_text.delta':
        delta(out, open(out, 'text', key, index), str(ev.delta) ?? '')
        return
      case 'response.refusal.delta':
        hadRefusal = true
        delta(out, open(out, 'text', key, index), str(ev.delta) ?? '')
        return
      case 'response.output_text.done':
      case 'response.refusal.done':
        if (type === 'response.refusal.done') hadRefusal = true
        fill(out, open(out, 'text', key, index), str(ev.text) ?? str(ev.refusal))
        return
      case 'response.content_part.done':
        if (current?.kind === 'text' && current.item === key) close(out)
        return
      case 'response.reasoning_summary_part.added':
      case 'response.reasoning_text.delta':
      case 'response.reasoning_summary_text.delta':
        delta(out, open(out, 'reasoning', key, index), str(ev.delta) ?? '')
        return
      case 'response.reasoning_summary_text.done':
      case 'response.reasoning_text.done':
        fill(out, open(out, 'reasoning', key, index), str(ev.text))
        return
      case 'response.function_call_arguments.delta':
        if (current?.kind === 'tool' && current.item === key) delta(out, current, str(ev.delta) ?? '')
        return
      case 'response.function_call_arguments.done':
        if (current?.kind === 'tool' && current.item === key) fill(out, current, str(ev.arguments))
        return
      case 'response.completed':
      case 'response.incomplete':
        finish(out, isRecord(ev.response) ? ev.response : {})
        return
      default:
    }
  }

  return {
    push(msg: SSEMessage): IRStreamEvent[] {
      if (frames.stopped) return []
      const ev = frames.read(msg.data)
      if (!ev) return unreadableFrame(msg, frames)
      const type = str(ev.type) ?? msg.event ?? ''
      if (type === 'error' || (type === '' && isRecord(ev.error))) {
        frames.stop()
        return [{ type: 'error', error: errorEventError(ev) }]
      }
      if (type === 'response.failed') {
        frames.stop()
        return [{ type: 'error', error: failedResponseError(isRecord(ev.response) ? ev.response : {}) }]
      }
      const out: IRStreamEvent[] = []
      start(out, isRecord(ev.response) ? ev.response : undefined)
      handle(out, ev, type)
      return out
    },
    unparseable: () => frames.unparseable,
    end(): IRStreamEvent[] {
      if (frames.stopped) return []
      const out: IRStreamEvent[] = []
      finish(out, undefined)
      return out
    },
  }
}
