/** IR messages → Anthropic `messages`: alternating roles, tool results first, own signatures only. */
import { cannotCarry, parseDataUrl, signatureFor, warning, type FilePart, type ImagePart, type IRMessage, type IRPart, type IRWarning, type TextPart } from '../../ir'
import { parseArguments, toolId, type Json } from './wire'
import { alternatingTurns } from '../_shared/alternating-turns'

function withCache(block: Json, cacheControl: unknown): Json {
  if (cacheControl !== undefined && cacheControl !== null) block.cache_control = cacheControl
  return block
}

export function encodeText(p: TextPart): Json {
  return withCache({ type: 'text', text: p.text }, p.cacheControl)
}

export function encodeImage(p: ImagePart): Json {
  const s = p.source
  let source: Json
  if (s.kind === 'base64') source = { type: 'base64', media_type: s.mediaType, data: s.data }
  else {
    const m = /^data:([^;,]+);base64,(.*)$/s.exec(s.url)
    source = m ? { type: 'base64', media_type: m[1], data: m[2] } : { type: 'url', url: s.url }
  }
  return withCache({ type: 'image', source }, p.cacheControl)
}

/**
 * A file as an Anthropic `document`: PDFs (base64 or URL) and plain text. Audio, video and other
 * types have no Anthropic block: refused with the part's own path.
 */
export function encodeDocument(p: FilePart, at: string): Json {
  let source: Json
  if (p.mediaType === 'application/pdf') {
    const inline = p.source.kind === 'url' ? parseDataUrl(p.source.url) : undefined
    source =
      p.source.kind === 'base64'
        ? { type: 'base64', media_type: 'application/pdf', data: p.source.data }
        : inline
          ? { type: 'base64', media_type: 'application/pdf', data: inline.data }
          : { type: 'url', url: p.source.url }
  } else if (p.mediaType.startsWith('text/plain') && p.source.kind === 'base64') {
    source = { type: 'text', media_type: 'text/plain', data: Buffer.from(p.source.data, 'base64').toString('utf8') }
  } else throw cannotCarry(p, 'anthropic', at)
  const block: Json = { type: 'document', source }
  if (p.filename) block.title = p.filename
  return withCache(block, p.cacheControl)
}

function encodeToolResultContent(content: Array<TextPart | ImagePart>): string | Json[] | undefined {
  const parts = content.filter((c) => c.type !== 'text' || c.text !== '' || c.cacheControl !== undefined)
  if (parts.length === 0) return undefined
  const only = parts[0]
  if (parts.length === 1 && only && only.type === 'text' && only.cacheControl === undefined) return only.text
  return parts.map((c) => (c.type === 'text' ? encodeText(c) : encodeImage(c)))
}

/** One IR part → an Anthropic block, or null when Anthropic cannot take it. */
function encodePart(p: IRPart, warnings: IRWarning[], at: string): Json | null {
  switch (p.type) {
    case 'file':
      return encodeDocument(p, at)
    case 'text':
      // Anthropic rejects empty text blocks; a foreign (Gemini) text signature cannot be sent.
      return p.text === '' ? null : encodeText(p)
    case 'image':
      return encodeImage(p)
    case 'tool-call': {
      let input = parseArguments(p.arguments)
      if (input === undefined) {
        warnings.push(warning('changed', `tool_call.${p.id}.arguments`, `tool call ${p.id} (${p.name}): arguments are not a JSON object; sent as {}`))
        input = {}
      }
      return withCache({ type: 'tool_use', id: toolId(p.id), name: p.name, input }, p.cacheControl)
    }
    case 'tool-result': {
      const block: Json = { type: 'tool_result', tool_use_id: toolId(p.callId) }
      const content = encodeToolResultContent(p.content)
      if (content !== undefined) block.content = content
      if (p.isError) block.is_error = true
      return withCache(block, p.cacheControl)
    }
    case 'reasoning': {
      if (p.redactedData !== undefined) return { type: 'redacted_thinking', data: p.redactedData }
      const sig = signatureFor(p.signature, 'anthropic')
      if (sig === undefined) {
        if (p.text !== '') warnings.push(warning('dropped', at, 'reasoning without an Anthropic signature was dropped (Anthropic rejects it)'))
        return null
      }
      return { type: 'thinking', thinking: p.text, signature: sig }
    }
  }
}

/**
 * Builds the `messages` array. Empty messages are dropped and consecutive same-role messages merged
 * (Anthropic requires alternation); in a user message tool_result blocks come first.
 */
export function encodeMessages(messages: IRMessage[], warnings: IRWarning[]): Json[] {
  const turns = alternatingTurns(messages, warnings, (p, path) => {
    const b = encodePart(p, warnings, path)
    return b === null ? [] : [b]
  })
  return turns.map((m) => {
    const only = m.content[0]
    // A lone plain text block is sent as a string, the way most clients write it.
    if (m.content.length === 1 && only && only.type === 'text' && only.cache_control === undefined) {
      return { role: m.role, content: only.text }
    }
    return m
  })
}
