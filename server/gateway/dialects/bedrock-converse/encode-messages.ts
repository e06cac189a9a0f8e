/**
 * IR messages → Converse `messages`: alternating roles, tool results first in a user turn, no blank
 * text blocks (Converse rejects them), own reasoning signatures only, media as bytes (base64 in JSON).
 */
import { cannotCarry, parseDataUrl, signatureFor, warning, type FilePart, type ImagePart, type IRMessage, type IRPart, type IRWarning, type TextPart } from '../../ir'
import { GatewayError } from '../../errors'
import { DIALECT, DOCUMENT_FORMATS, IMAGE_FORMATS, VIDEO_FORMATS, documentName, parseArguments, toolUseId, type Json } from './wire'
import { alternatingTurns } from '../_shared/alternating-turns'

/** Converse marks a cache checkpoint with a block of its own after the content it covers. */
const CACHE_POINT: Json = { cachePoint: { type: 'default' } }

function hasCache(cacheControl: unknown): boolean {
  return cacheControl !== undefined && cacheControl !== null
}

/** A text block, or none when blank (Converse: "the text field in the ContentBlock object is blank"). */
export function encodeText(p: TextPart): Json[] {
  if (p.text.trim() === '') return []
  return hasCache(p.cacheControl) ? [{ text: p.text }, CACHE_POINT] : [{ text: p.text }]
}

/** An image as Converse `image` bytes; Converse fetches no URLs (only S3 locations), so a web URL is refused. */
export function encodeImage(p: ImagePart, at: string): Json {
  const s = p.source
  const inline = s.kind === 'base64' ? { mediaType: s.mediaType, data: s.data } : parseDataUrl(s.url)
  if (!inline) throw new GatewayError('unsupported', `${at}: an image URL cannot be sent to ${DIALECT} (Bedrock takes image bytes only); send the image inline as base64`, { param: at })
  const format = IMAGE_FORMATS[inline.mediaType.toLowerCase()]
  if (!format) throw new GatewayError('unsupported', `${at}: image type ${inline.mediaType} cannot be sent to ${DIALECT} (png, jpeg, gif, webp)`, { param: at })
  return { image: { format, source: { bytes: inline.data } } }
}

/** A file as a Converse `document` (PDF, text, office formats) or `video`; audio and other types are refused. */
function encodeFile(p: FilePart, at: string, n: number): Json {
  const inline = p.source.kind === 'base64' ? p.source.data : parseDataUrl(p.source.url)?.data
  if (inline === undefined) throw cannotCarry(p, DIALECT, at, 'Bedrock takes file bytes, not URLs')
  const mediaType = p.mediaType.toLowerCase().split(';')[0]!.trim()
  const doc = DOCUMENT_FORMATS[mediaType]
  if (doc) return { document: { format: doc, name: documentName(p.filename, n), source: { bytes: inline } } }
  const video = VIDEO_FORMATS[mediaType]
  if (video) return { video: { format: video, source: { bytes: inline } } }
  throw cannotCarry(p, DIALECT, at)
}

function encodeToolResultContent(content: Array<TextPart | ImagePart>, at: string): Json[] {
  const out: Json[] = []
  for (const c of content) {
    if (c.type === 'image') out.push(encodeImage(c, at))
    else if (c.text.trim() !== '') out.push({ text: c.text })
  }
  // A tool result needs some content; an empty one says so in words rather than with a blank block.
  return out.length > 0 ? out : [{ text: '(no output)' }]
}

/** One IR part → Converse blocks (none when Converse cannot or need not take it). */
function encodePart(p: IRPart, warnings: IRWarning[], at: string, counter: { documents: number }): Json[] {
  switch (p.type) {
    case 'text':
      return encodeText(p)
    case 'image':
      return hasCache(p.cacheControl) ? [encodeImage(p, at), CACHE_POINT] : [encodeImage(p, at)]
    case 'file':
      return [encodeFile(p, at, ++counter.documents)]
    case 'tool-call': {
      let input = parseArguments(p.arguments)
      if (input === undefined) {
        warnings.push(warning('changed', `tool_call.${p.id}.arguments`, `tool call ${p.id} (${p.name}): arguments are not a JSON object; sent as {}`))
        input = {}
      }
      return [{ toolUse: { toolUseId: toolUseId(p.id), name: p.name, input } }]
    }
    case 'tool-result': {
      const block: Json = { toolUseId: toolUseId(p.callId), content: encodeToolResultContent(p.content, at) }
      if (p.isError) block.status = 'error'
      return hasCache(p.cacheControl) ? [{ toolResult: block }, CACHE_POINT] : [{ toolResult: block }]
    }
    case 'reasoning': {
      if (p.redactedData !== undefined) return [{ reasoningContent: { redactedContent: p.redactedData } }]
      const sig = signatureFor(p.signature, DIALECT)
      if (sig === undefined) {
        // Bedrock verifies reasoning it is sent back: another vendor's, or unsigned, would be refused.
        if (p.text !== '') warnings.push(warning('dropped', at, 'reasoning without a Bedrock signature was dropped (Bedrock rejects it)'))
        return []
      }
      return [{ reasoningContent: { reasoningText: { text: p.text, signature: sig } } }]
    }
  }
}

/**
 * Builds the `messages` array. Empty messages are dropped and consecutive same-role messages merged
 * (Converse requires alternating turns); in a user turn toolResult blocks come first.
 */
export function encodeMessages(messages: IRMessage[], warnings: IRWarning[]): Json[] {
  const counter = { documents: 0 }
  return alternatingTurns(messages, warnings, (p, path) => encodePart(p, warnings, path, counter))
}

/** The names of the tools a conversation's history calls or answers (Converse needs them declared). */
export function toolNamesInHistory(messages: readonly IRMessage[]): string[] {
  const names = new Set<string>()
  const byId = new Map<string, string>()
  for (const m of messages)
    for (const p of m.parts) {
      if (p.type === 'tool-call') {
        names.add(p.name)
        byId.set(p.id, p.name)
      } else if (p.type === 'tool-result') {
        const name = p.name ?? byId.get(p.callId)
        if (name) names.add(name)
      }
    }
  return [...names]
}

/** Whether a conversation holds tool calls or results at all. */
export function historyUsesTools(messages: readonly IRMessage[]): boolean {
  return messages.some((m) => m.parts.some((p) => p.type === 'tool-call' || p.type === 'tool-result'))
}
