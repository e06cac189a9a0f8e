import type { StreamEncoder, StreamEncoderOptions } from '../../codec'
import { finalUsage, mergeUsage, wrapSignature, wrapThinking, type IRStreamEvent, type IRUsage, type ReasoningPart, type Signature } from '../../ir'
import { encodeResponsePart } from './encode-response'
import { encodeError } from './errors'
import { encodeFinishReason } from './map-finish-reason'
import { encodeUsage } from './usage'
import type { Json } from './wire'

/**
 * IR events → streamGenerateContent output, one GenerateContentResponse chunk per event that carries
 * content. `sse: true` (`?alt=sse`) writes `data: <json>\r\n\r\n` frames like the real API (the
 * @google/genai parser splits on \n\n, \r\r and \r\n\r\n); `sse: false` writes the streamed JSON array
 * the API returns without alt=sse: `[` chunk `,\r\n` chunk ... `]`. Tool calls are buffered until
 * tool-call-end (Gemini sends whole calls); the finish chunk carries finishReason and usageMetadata.
 */
export function createStreamEncoder(opts: StreamEncoderOptions): StreamEncoder {
  const sse = opts.sse !== false
  let responseId = ''
  let wrote = false
  let closed = false
  let usage: IRUsage | undefined
  const calls = new Map<number, { id: string; name: string; args: string }>()
  /** Reasoning so far, for the first unsigned call to carry (see encodeResponseParts). */
  const reasoning = new Map<number, ReasoningPart>()
  let carried = false

  function frame(chunk: Json): string {
    const json = JSON.stringify(chunk)
    if (sse) return `data: ${json}\r\n\r\n`
    const prefix = wrote ? ',\r\n' : '['
    wrote = true
    return prefix + json
  }

  function chunk(parts: Json[], extra: Json = {}): string {
    return frame({
      candidates: [{ content: { role: 'model', parts }, ...extra, index: 0 }],
      ...(extra.finishReason !== undefined && usage ? { usageMetadata: encodeUsage(usage) } : {}),
      modelVersion: opts.model,
      responseId,
    })
  }

  function signed(part: Json, sig: Signature | undefined): Json {
    return sig ? { ...part, thoughtSignature: wrapSignature(sig, 'gemini') } : part
  }

  return {
    push(ev: IRStreamEvent): string {
      if (closed) return ''
      switch (ev.type) {
        case 'start':
          responseId = ev.id
          if (ev.usage) usage = mergeUsage(usage, ev.usage)
          return ''
        case 'text-start':
          return ''
        case 'reasoning-start':
          reasoning.set(ev.index, ev.redactedData !== undefined ? { type: 'reasoning', text: '', redactedData: ev.redactedData } : { type: 'reasoning', text: '' })
          return ''
        case 'text-delta':
          return ev.text ? chunk([{ text: ev.text }]) : ''
        case 'reasoning-delta': {
          const r = reasoning.get(ev.index)
          if (r) r.text += ev.text
          else reasoning.set(ev.index, { type: 'reasoning', text: ev.text })
          return ev.text ? chunk([{ text: ev.text, thought: true }]) : ''
        }
        case 'text-end':
          return ev.signature ? chunk([signed({ text: '' }, ev.signature)]) : ''
        case 'reasoning-end':
          if (ev.signature) {
            const r = reasoning.get(ev.index)
            if (r) r.signature = ev.signature
          }
          return ev.signature ? chunk([signed({ text: '', thought: true }, ev.signature)]) : ''
        case 'tool-call-start':
          calls.set(ev.index, { id: ev.id, name: ev.name, args: '' })
          return ''
        case 'tool-call-delta': {
          const c = calls.get(ev.index)
          if (c) c.args += ev.argumentsDelta
          return ''
        }
        case 'tool-call-end': {
          const c = calls.get(ev.index)
          if (!c) return ''
          calls.delete(ev.index)
          const carrier = carried || ev.signature ? undefined : wrapThinking([...reasoning.values()])
          carried = true
          const part = encodeResponsePart({
            type: 'tool-call',
            id: c.id,
            name: c.name,
            arguments: c.args || '{}',
            ...(ev.signature ? { signature: ev.signature } : {}),
          })
          if (part && carrier) part.thoughtSignature = carrier
          return part ? chunk([part]) : ''
        }
        case 'usage':
          usage = mergeUsage(usage, ev.usage)
          return ''
        case 'finish':
          usage = finalUsage(usage, ev.usage)
          // The real API sends the last chunk with an empty text part next to finishReason.
          return chunk([{ text: '' }], { finishReason: encodeFinishReason(ev.reason) })
        case 'error': {
          closed = true
          const { body } = encodeError(ev.error)
          const out = frame(body)
          return sse ? out : out + ']'
        }
        default: {
          const never: never = ev
          return never
        }
      }
    },
    end(): string {
      if (closed) return ''
      closed = true
      if (sse) return ''
      return wrote ? ']' : '[]'
    },
  }
}

