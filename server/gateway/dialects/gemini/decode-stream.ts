import type { SSEMessage, StreamDecoder } from '../../codec'
import { mergeUsage, unwrapSignature, type IRFinishReason, type IRStreamEvent, type IRUsage, type Signature } from '../../ir'
import { createdOf } from './decode-response'
import { decodeError } from './errors'
import { decodeBlockReason, decodeFinishReason } from './map-finish-reason'
import { createPartialArgsBuilder, type PartialArgsBuilder } from './partial-args'
import { decodeUsage } from './usage'
import { arr, isRecord, randomCallId, str, type Json } from './wire'
import { createEventReader, terminalFrame } from '../_shared/event-reader'

/** The upstream's own end: a `finishReason` (see DialectCodec.isTerminalFrame). */
export const isTerminalFrame = terminalFrame([], /"finishReason"\s*:\s*"/)

/**
 * streamGenerateContent (SSE) → IR events. Each SSE data is a GenerateContentResponse chunk.
 * Consecutive text parts continue one text block, thought parts one reasoning block. A thoughtSignature
 * rides on the END of the block it belongs to (Gemini often sends it on an empty text part after the
 * text). Function calls arrive whole (start+delta+end at once) or, on Vertex with
 * streamFunctionCallArguments, as `{name, willContinue}` + `partialArgs` chunks + a closing part
 * without `willContinue`. usageMetadata is cumulative: the latest wins. `finish` is sent by end().
 */
export function createStreamDecoder(): StreamDecoder {
  // The JSON-array stream (no ?alt=sse) sends each chunk as `[{...}]`.
  const frames = createEventReader((v) => (Array.isArray(v) ? v[0] : v))
  let started = false
  let nextIndex = 0
  let text: { kind: 'text' | 'reasoning'; index: number; signature?: Signature } | undefined
  let call: { index: number; builder: PartialArgsBuilder; signature?: Signature } | undefined
  let hasToolCalls = false
  let rawFinish: string | undefined
  let blockReason: string | undefined
  let usage: IRUsage | undefined
  let lastUsageJson = ''

  function closeText(out: IRStreamEvent[]): void {
    if (!text) return
    const ev: IRStreamEvent = text.kind === 'text' ? { type: 'text-end', index: text.index } : { type: 'reasoning-end', index: text.index }
    if (text.signature) ev.signature = text.signature
    out.push(ev)
    text = undefined
  }

  function closeCall(out: IRStreamEvent[]): void {
    if (!call) return
    const rest = call.builder.finish()
    if (rest) out.push({ type: 'tool-call-delta', index: call.index, argumentsDelta: rest })
    out.push(call.signature ? { type: 'tool-call-end', index: call.index, signature: call.signature } : { type: 'tool-call-end', index: call.index })
    call = undefined
  }

  function openText(kind: 'text' | 'reasoning', out: IRStreamEvent[]): NonNullable<typeof text> {
    closeText(out)
    text = { kind, index: nextIndex++ }
    out.push(kind === 'text' ? { type: 'text-start', index: text.index } : { type: 'reasoning-start', index: text.index })
    return text
  }

  function onFunctionCall(fc: Json, signature: Signature | undefined, out: IRStreamEvent[]): void {
    const name = str(fc.name)
    const partial = arr(fc.partialArgs)
    if (call && !name) {
      // continuation of a streamed call
      const d = call.builder.apply(partial)
      if (d) out.push({ type: 'tool-call-delta', index: call.index, argumentsDelta: d })
      if (signature && !call.signature) call.signature = signature
      if (fc.willContinue !== true) closeCall(out)
      return
    }
    if (!name) return // a stray closing part with no call open
    closeCall(out)
    hasToolCalls = true
    const index = nextIndex++
    const id = str(fc.id) || randomCallId()
    out.push(signature ? { type: 'tool-call-start', index, id, name, signature } : { type: 'tool-call-start', index, id, name })
    if (fc.willContinue === true) {
      const open: NonNullable<typeof call> = { index, builder: createPartialArgsBuilder(fc.args) }
      if (signature) open.signature = signature
      call = open
      const d = open.builder.apply(partial)
      if (d) out.push({ type: 'tool-call-delta', index, argumentsDelta: d })
      return
    }
    out.push({ type: 'tool-call-delta', index, argumentsDelta: JSON.stringify(fc.args ?? {}) })
    out.push(signature ? { type: 'tool-call-end', index, signature } : { type: 'tool-call-end', index })
  }

  function onPart(p: Json, out: IRStreamEvent[]): void {
    const sigRaw = str(p.thoughtSignature)
    const signature = sigRaw ? unwrapSignature(sigRaw, 'gemini') : undefined
    if (isRecord(p.functionCall)) {
      closeText(out)
      onFunctionCall(p.functionCall, signature, out)
      return
    }
    if (typeof p.text !== 'string' && !signature) return // inlineData, executableCode ...: not streamed
    closeCall(out)
    const t = str(p.text) ?? ''
    if (t === '') {
      if (!signature) return
      // A signature-only part: it closes the block it follows (or stands as an empty text block).
      if (text && !text.signature) text.signature = signature
      else {
        const b = openText('text', out)
        b.signature = signature
        closeText(out)
      }
      return
    }
    const kind = p.thought === true ? 'reasoning' : 'text'
    // A second signature means a new part: Gemini never merges signed parts.
    const block = text && text.kind === kind && !(signature && text.signature) ? text : openText(kind, out)
    out.push(kind === 'text' ? { type: 'text-delta', index: block.index, text: t } : { type: 'reasoning-delta', index: block.index, text: t })
    if (signature) block.signature = signature
  }

  return {
    push(msg: SSEMessage): IRStreamEvent[] {
      if (frames.stopped) return []
      const out: IRStreamEvent[] = []
      const chunk = frames.read(msg.data)
      if (!chunk) return []
      if (isRecord(chunk.error)) {
        const code = typeof chunk.error.code === 'number' ? chunk.error.code : 500
        out.push({ type: 'error', error: decodeError(code, msg.data) })
        frames.stop()
        return out
      }
      if (!started) {
        started = true
        out.push({
          type: 'start',
          id: str(chunk.responseId) ?? `gmresp_${globalThis.crypto.randomUUID().replace(/-/g, '')}`,
          model: str(chunk.modelVersion) ?? '',
          created: createdOf(chunk.createTime),
        })
      }
      const candidate = arr(chunk.candidates)[0]
      if (isRecord(candidate)) {
        for (const p of arr(isRecord(candidate.content) ? candidate.content.parts : undefined)) if (isRecord(p)) onPart(p, out)
        const fr = str(candidate.finishReason)
        if (fr) rawFinish = fr
      }
      if (isRecord(chunk.promptFeedback)) blockReason = str(chunk.promptFeedback.blockReason) ?? blockReason
      const u = decodeUsage(chunk.usageMetadata)
      if (u) {
        const j = JSON.stringify(u)
        if (j !== lastUsageJson) {
          lastUsageJson = j
          usage = mergeUsage(usage, u)
          out.push({ type: 'usage', usage: u })
        }
      }
      return out
    },
    unparseable: () => frames.unparseable,
    end(): IRStreamEvent[] {
      if (frames.stopped) return []
      frames.stop()
      const out: IRStreamEvent[] = []
      if (!started) out.push({ type: 'start', id: `gmresp_${globalThis.crypto.randomUUID().replace(/-/g, '')}`, model: '', created: createdOf(undefined) })
      closeText(out)
      closeCall(out)
      let reason: IRFinishReason
      if (rawFinish) reason = decodeFinishReason(rawFinish, hasToolCalls)
      else if (blockReason) reason = decodeBlockReason(blockReason)
      else reason = decodeFinishReason(undefined, hasToolCalls)
      out.push({ type: 'finish', reason, usage: mergeUsage(usage, undefined) })
      return out
    },
  }
}
