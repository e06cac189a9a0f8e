import type { SSEMessage, StreamDecoder } from '../../codec'
import { emptyUsage, mergeUsage, type IRStreamEvent, type IRUsage, type Signature } from '../../ir'
import { streamError } from './errors'
import { decodeFinishReason } from './map-finish-reason'
import { decodeReasoningDetail, readToolSignature, reasoningText } from './reasoning'
import { decodeUsage } from './usage'
import { epochSeconds, isRecord, num, str, type Json } from './wire'
import { createEventReader, tallyFrame, terminalFrame, unreadableFrame } from '../_shared/event-reader'

type Block =
  | { kind: 'text'; index: number }
  | { kind: 'reasoning'; index: number }
  | { kind: 'tool'; index: number; key: string }

interface ToolState {
  index: number
  id: string
  signature?: Signature
}

/** The upstream's own end: `[DONE]` or a `finish_reason` (see DialectCodec.isTerminalFrame). */
export const isTerminalFrame = terminalFrame([], /^\[DONE\]$|"finish_reason"\s*:\s*"/)

/** Usage (an object, not `null`; Groq's sits in `x_groq`), an error, or the finish (see DialectCodec.isTallyFrame). */
export const isTallyFrame = tallyFrame(['error'], /"usage"\s*:\s*\{|"error"\s*:|"finish_reason"\s*:\s*"/)

/**
 * Chat Completions chunks → IR events. Blocks open and close one at a time in arrival order
 * (reasoning_content, content/refusal, tool_calls by their wire `index`). `finish` is held until
 * `[DONE]` or end(), because usage arrives in a later chunk with `choices: []` and some providers
 * (xAI) only put finish_reason on the last chunk. Only choice 0 is read.
 */
export function createStreamDecoder(): StreamDecoder {
  const frames = createEventReader()
  let started = false
  let nextIndex = 0
  let current: Block | undefined
  const tools = new Map<string, ToolState>()
  let lastToolKey: string | undefined
  let hadTools = false
  let hadRefusal = false
  let rawFinish: string | undefined
  let usage: IRUsage | undefined

  function close(out: IRStreamEvent[], signature?: Signature): void {
    const b = current
    if (!b) return
    current = undefined
    if (b.kind === 'text') out.push({ type: 'text-end', index: b.index })
    else if (b.kind === 'reasoning') out.push(signature ? { type: 'reasoning-end', index: b.index, signature } : { type: 'reasoning-end', index: b.index })
    else {
      const sig = tools.get(b.key)?.signature
      out.push(sig ? { type: 'tool-call-end', index: b.index, signature: sig } : { type: 'tool-call-end', index: b.index })
    }
  }

  function text(out: IRStreamEvent[], t: string): void {
    if (current?.kind !== 'text') {
      close(out)
      current = { kind: 'text', index: nextIndex++ }
      out.push({ type: 'text-start', index: current.index })
    }
    out.push({ type: 'text-delta', index: current.index, text: t })
  }

  function reasoning(out: IRStreamEvent[], t: string): void {
    if (current?.kind !== 'reasoning') {
      close(out)
      current = { kind: 'reasoning', index: nextIndex++ }
      out.push({ type: 'reasoning-start', index: current.index })
    }
    if (t) out.push({ type: 'reasoning-delta', index: current.index, text: t })
  }

  function reasoningDetail(out: IRStreamEvent[], d: unknown): void {
    const p = decodeReasoningDetail(d)
    if (!p) return
    if (p.redactedData !== undefined) {
      close(out)
      const index = nextIndex++
      out.push({ type: 'reasoning-start', index, redactedData: p.redactedData }, { type: 'reasoning-end', index })
      return
    }
    if (p.text || p.signature) reasoning(out, p.text)
    if (p.signature) close(out, p.signature)
  }

  function toolCall(out: IRStreamEvent[], tc: unknown): void {
    if (!isRecord(tc)) return
    const id = str(tc.id)
    const fn = isRecord(tc.function) ? tc.function : {}
    const wireIndex = num(tc.index)
    let key = wireIndex !== undefined ? `i:${wireIndex}` : id ? `id:${id}` : lastToolKey
    let state = key ? tools.get(key) : undefined
    // Same index, new id: a provider that numbers every call 0.
    if (state && id && state.id !== id) {
      key = `${key}#${id}`
      state = tools.get(key)
    }
    if (!state || !key) {
      key ??= `n:${nextIndex}`
      close(out)
      state = { index: nextIndex++, id: id ?? `call_${tools.size}` }
      tools.set(key, state)
      current = { kind: 'tool', index: state.index, key }
      hadTools = true
      out.push({ type: 'tool-call-start', index: state.index, id: state.id, name: str(fn.name) ?? '' })
    }
    lastToolKey = key
    const args = str(fn.arguments)
    if (args) out.push({ type: 'tool-call-delta', index: state.index, argumentsDelta: args })
    const sig = readToolSignature(tc)
    if (sig) state.signature = sig
  }

  function choice(out: IRStreamEvent[], c: Json): void {
    const delta = isRecord(c.delta) ? c.delta : {}
    const details = delta.reasoning_details
    if (Array.isArray(details) && details.length > 0) for (const d of details) reasoningDetail(out, d)
    else {
      const r = reasoningText(delta)
      if (r) reasoning(out, r)
    }
    const content = str(delta.content)
    if (content) text(out, content)
    const refusal = str(delta.refusal)
    if (refusal) {
      hadRefusal = true
      text(out, refusal)
    }
    if (Array.isArray(delta.tool_calls)) for (const tc of delta.tool_calls) toolCall(out, tc)
    const fr = str(c.finish_reason)
    if (fr) rawFinish = fr
  }

  function start(out: IRStreamEvent[], chunk: Json): void {
    if (started) return
    started = true
    out.push({ type: 'start', id: str(chunk.id) ?? '', model: str(chunk.model) ?? '', created: num(chunk.created) ?? epochSeconds() })
  }

  function finish(): IRStreamEvent[] {
    const out: IRStreamEvent[] = []
    start(out, {})
    close(out)
    frames.stop()
    out.push({ type: 'finish', reason: decodeFinishReason(rawFinish, hadTools, hadRefusal), usage: usage ?? emptyUsage() })
    return out
  }

  return {
    push(msg: SSEMessage): IRStreamEvent[] {
      if (frames.stopped) return []
      const data = msg.data.trim()
      if (data === '[DONE]') return finish()
      const chunk = frames.read(data)
      if (!chunk) return unreadableFrame(msg, frames)
      if (msg.event === 'error' || (chunk.error !== undefined && chunk.error !== null)) {
        frames.stop()
        return [{ type: 'error', error: streamError(chunk) }]
      }
      // Azure OpenAI opens a stream with its prompt filter's verdict alone (`choices: []`, an empty
      // id and model, `created: 0`): not the answer's start, and nothing to convert.
      if (!started && Array.isArray(chunk.choices) && chunk.choices.length === 0 && chunk.prompt_filter_results !== undefined && !chunk.usage) return []
      const out: IRStreamEvent[] = []
      start(out, chunk)
      const groq = isRecord(chunk.x_groq) ? chunk.x_groq.usage : undefined
      const u = decodeUsage(chunk.usage) ?? decodeUsage(groq)
      if (u) {
        usage = mergeUsage(usage, u)
        out.push({ type: 'usage', usage: u })
      }
      if (Array.isArray(chunk.choices)) {
        for (const c of chunk.choices) if (isRecord(c) && (num(c.index) ?? 0) === 0) choice(out, c)
      }
      return out
    },
    unparseable: () => frames.unparseable,
    end(): IRStreamEvent[] {
      return frames.stopped ? [] : finish()
    },
  }
}
