import { emptyUsage, unwrapSignature, type IRFinishReason, type IRPart, type IRResponse } from '../../ir'
import { decodeError } from './errors'
import { decodeBlockReason, decodeFinishReason } from './map-finish-reason'
import { decodeUsage } from './usage'
import { arr, isRecord, randomCallId, str, type Json } from './wire'

/** Candidate fields a Gemini client may read back (kept under extras.gemini.candidate). */
const CANDIDATE_EXTRAS = [
  'safetyRatings', 'citationMetadata', 'groundingMetadata', 'urlContextMetadata', 'finishMessage', 'avgLogprobs', 'logprobsResult',
] as const

export function createdOf(createTime: unknown): number {
  const t = typeof createTime === 'string' ? Date.parse(createTime) : NaN
  return Math.floor((Number.isFinite(t) ? t : Date.now()) / 1000)
}

/** Gemini response parts → IR parts (one IR part per wire part; empty unsigned text parts skipped). */
export function decodeResponseParts(parts: unknown): IRPart[] {
  const out: IRPart[] = []
  for (const p of arr(parts)) {
    if (!isRecord(p)) continue
    const sigRaw = str(p.thoughtSignature)
    const signature = sigRaw ? unwrapSignature(sigRaw, 'gemini') : undefined
    if (isRecord(p.functionCall)) {
      const fc = p.functionCall
      const part: IRPart = {
        type: 'tool-call',
        id: str(fc.id) || randomCallId(),
        name: str(fc.name) ?? '',
        arguments: JSON.stringify(fc.args ?? {}),
      }
      if (signature) part.signature = signature
      out.push(part)
    } else if (isRecord(p.inlineData) && typeof p.inlineData.data === 'string') {
      out.push({ type: 'image', source: { kind: 'base64', mediaType: str(p.inlineData.mimeType) ?? 'application/octet-stream', data: p.inlineData.data } })
    } else if (typeof p.text === 'string' || signature) {
      const text = str(p.text) ?? ''
      if (text === '' && !signature) continue
      const type = p.thought === true ? 'reasoning' : 'text'
      out.push(signature ? { type, text, signature } : { type, text })
    }
  }
  return out
}

export function decodeResponse(body: unknown): IRResponse {
  if (!isRecord(body)) throw decodeError(502, JSON.stringify(body ?? null))
  if (isRecord(body.error)) throw decodeError(typeof body.error.code === 'number' ? body.error.code : 500, JSON.stringify(body))
  const candidate = arr(body.candidates)[0]
  const extras: Json = {}
  let parts: IRPart[] = []
  let finish: IRFinishReason
  if (isRecord(candidate)) {
    parts = decodeResponseParts(isRecord(candidate.content) ? candidate.content.parts : undefined)
    finish = decodeFinishReason(str(candidate.finishReason), parts.some((p) => p.type === 'tool-call'))
    const cx: Json = {}
    for (const k of CANDIDATE_EXTRAS) if (candidate[k] !== undefined) cx[k] = candidate[k]
    if (Object.keys(cx).length > 0) extras.candidate = cx
  } else {
    const block = isRecord(body.promptFeedback) ? str(body.promptFeedback.blockReason) : undefined
    finish = block ? decodeBlockReason(block) : { unified: 'other' }
  }
  if (body.promptFeedback !== undefined) extras.promptFeedback = body.promptFeedback
  const res: IRResponse = {
    id: str(body.responseId) ?? `gmresp_${globalThis.crypto.randomUUID().replace(/-/g, '')}`,
    model: str(body.modelVersion) ?? '',
    created: createdOf(body.createTime),
    parts,
    finish,
    usage: decodeUsage(body.usageMetadata) ?? emptyUsage(),
  }
  if (Object.keys(extras).length > 0) res.extras = { gemini: extras }
  // candidateCount > 1: the other candidates, in their index order.
  const others = arr(body.candidates).slice(1).filter(isRecord)
  if (others.length > 0) {
    res.alternatives = others.map((c) => {
      const p = decodeResponseParts(isRecord(c.content) ? c.content.parts : undefined)
      return { parts: p, finish: decodeFinishReason(str(c.finishReason), p.some((x) => x.type === 'tool-call')) }
    })
  }
  return res
}
