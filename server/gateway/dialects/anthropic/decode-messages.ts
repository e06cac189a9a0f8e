/** Anthropic request `system` and `messages` (content blocks) → IR. */
import { GatewayError, invalidRequest } from '../../errors'
import { unwrapSignature, type FilePart, type ImagePart, type IRMessage, type IRPart, type TextPart } from '../../ir'
import { isRecord, str, type Json } from './wire'

/** Block types Anthropic defines that the IR cannot carry yet (a 400 `unsupported`, not "unknown"). */
const KNOWN_UNSUPPORTED = new Set([
  'search_result',
  'server_tool_use',
  'web_search_tool_result',
  'web_fetch_tool_result',
  'code_execution_tool_result',
  'bash_code_execution_tool_result',
  'text_editor_code_execution_tool_result',
  'tool_search_tool_result',
  'mcp_tool_use',
  'mcp_tool_result',
  'container_upload',
  'tool_reference',
  'compaction',
])

function unsupportedBlock(path: string, type: string): GatewayError {
  return new GatewayError('unsupported', `${path}: '${type}' blocks are not supported yet`, { param: path })
}

function unknownBlock(path: string, type: unknown): GatewayError {
  if (typeof type === 'string' && KNOWN_UNSUPPORTED.has(type)) return unsupportedBlock(path, type)
  return invalidRequest(`${path}.type: unknown content type '${String(type)}'`, `${path}.type`)
}

function reqString(b: Json, key: string, path: string): string {
  const v = b[key]
  if (typeof v !== 'string') throw invalidRequest(`${path}.${key}: expected a string`, `${path}.${key}`)
  return v
}

function withCache<T extends { cacheControl?: unknown }>(part: T, b: Json): T {
  if (b.cache_control !== undefined && b.cache_control !== null) part.cacheControl = b.cache_control
  return part
}

export function decodeTextBlock(b: Json, path: string): TextPart {
  return withCache<TextPart>({ type: 'text', text: reqString(b, 'text', path) }, b)
}

export function decodeImageBlock(b: Json, path: string): ImagePart {
  const src = b.source
  if (!isRecord(src)) throw invalidRequest(`${path}.source: expected an object`, `${path}.source`)
  if (src.type === 'base64') {
    const mediaType = reqString(src, 'media_type', `${path}.source`)
    const data = reqString(src, 'data', `${path}.source`)
    return withCache<ImagePart>({ type: 'image', source: { kind: 'base64', mediaType, data } }, b)
  }
  if (src.type === 'url') {
    return withCache<ImagePart>({ type: 'image', source: { kind: 'url', url: reqString(src, 'url', `${path}.source`) } }, b)
  }
  if (src.type === 'file') {
    throw new GatewayError('unsupported', `${path}.source: 'file' image sources are not supported yet`, { param: `${path}.source` })
  }
  throw invalidRequest(`${path}.source.type: unknown image source type '${String(src.type)}'`, `${path}.source.type`)
}

/**
 * `document` blocks: a base64 or URL PDF, or plain text (carried as base64 text/plain so every
 * encoder sees one shape). `title` travels as the file name. A `content` source (blocks) and a
 * `file` source (Anthropic's Files API) exist only at Anthropic and are refused.
 */
export function decodeDocumentBlock(b: Json, path: string): FilePart {
  const src = b.source
  if (!isRecord(src)) throw invalidRequest(`${path}.source: expected an object`, `${path}.source`)
  let part: FilePart
  if (src.type === 'base64') {
    part = { type: 'file', mediaType: reqString(src, 'media_type', `${path}.source`), source: { kind: 'base64', data: reqString(src, 'data', `${path}.source`) }, at: path }
  } else if (src.type === 'url') {
    part = { type: 'file', mediaType: 'application/pdf', source: { kind: 'url', url: reqString(src, 'url', `${path}.source`) }, at: path }
  } else if (src.type === 'text') {
    const text = reqString(src, 'data', `${path}.source`)
    part = { type: 'file', mediaType: 'text/plain', source: { kind: 'base64', data: Buffer.from(text, 'utf8').toString('base64') }, at: path }
  } else if (src.type === 'content' || src.type === 'file') {
    throw new GatewayError('unsupported', `${path}.source: '${src.type}' document sources are not supported`, { param: `${path}.source` })
  } else throw invalidRequest(`${path}.source.type: unknown document source type '${String(src.type)}'`, `${path}.source.type`)
  const title = str(b.title)
  if (title) part.filename = title
  return withCache(part, b)
}

function decodeToolResult(b: Json, path: string): IRPart {
  const callId = reqString(b, 'tool_use_id', path)
  const content: Array<TextPart | ImagePart> = []
  const c = b.content
  if (typeof c === 'string') content.push({ type: 'text', text: c })
  else if (Array.isArray(c)) {
    c.forEach((item: unknown, k) => {
      const p = `${path}.content[${k}]`
      if (!isRecord(item)) throw invalidRequest(`${p}: expected an object`, p)
      if (item.type === 'text') content.push(decodeTextBlock(item, p))
      else if (item.type === 'image') content.push(decodeImageBlock(item, p))
      else throw unknownBlock(p, item.type)
    })
  } else if (c !== undefined && c !== null) {
    throw invalidRequest(`${path}.content: expected a string or an array`, `${path}.content`)
  }
  const part: IRPart = { type: 'tool-result', callId, content }
  if (b.is_error === true) part.isError = true
  return withCache(part, b)
}

/** One request content block → IR part. */
export function decodeBlock(b: unknown, path: string, role: 'user' | 'assistant'): IRPart {
  if (!isRecord(b)) throw invalidRequest(`${path}: expected an object`, path)
  switch (b.type) {
    case 'text':
      return decodeTextBlock(b, path)
    case 'image':
      return decodeImageBlock(b, path)
    case 'document':
      return decodeDocumentBlock(b, path)
    case 'tool_use': {
      const input = b.input === undefined ? {} : b.input
      if (!isRecord(input)) throw invalidRequest(`${path}.input: expected an object`, `${path}.input`)
      const part: IRPart = {
        type: 'tool-call',
        id: reqString(b, 'id', path),
        name: reqString(b, 'name', path),
        arguments: JSON.stringify(input),
      }
      return withCache(part, b)
    }
    case 'tool_result':
      if (role !== 'user') throw invalidRequest(`${path}: tool_result blocks belong in user messages`, path)
      return decodeToolResult(b, path)
    case 'thinking': {
      const part: IRPart = { type: 'reasoning', text: reqString(b, 'thinking', path) }
      const sig = str(b.signature)
      if (sig) part.signature = unwrapSignature(sig, 'anthropic')
      return part
    }
    case 'redacted_thinking':
      // Anthropic-origin opaque data: it is only ever sent back to Anthropic.
      return { type: 'reasoning', text: '', redactedData: reqString(b, 'data', path) }
    default:
      throw unknownBlock(path, b.type)
  }
}

/** A message's `content` (string or block array) → IR parts. */
export function decodeContent(content: unknown, path: string, role: 'user' | 'assistant'): IRPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }]
  if (!Array.isArray(content)) throw invalidRequest(`${path}: expected a string or an array of content blocks`, path)
  return content.map((b: unknown, j) => decodeBlock(b, `${path}[${j}]`, role))
}

/** `system`: a string or text blocks → IR system parts. */
export function decodeSystem(system: unknown): TextPart[] {
  if (system === undefined || system === null) return []
  if (typeof system === 'string') return system === '' ? [] : [{ type: 'text', text: system }]
  if (!Array.isArray(system)) throw invalidRequest('system: expected a string or an array of text blocks', 'system')
  return system.map((b: unknown, i) => {
    const path = `system[${i}]`
    if (!isRecord(b) || b.type !== 'text') throw invalidRequest(`${path}.type: system blocks must be 'text'`, `${path}.type`)
    return decodeTextBlock(b, path)
  })
}

/** `messages` → IR messages (user and assistant turns, their content blocks). */
export function decodeMessages(messages: unknown): IRMessage[] {
  if (!Array.isArray(messages)) throw invalidRequest('messages: Field required (an array of messages)', 'messages')
  return messages.map((m: unknown, i) => {
    const path = `messages[${i}]`
    if (!isRecord(m)) throw invalidRequest(`${path}: expected an object`, path)
    if (m.role !== 'user' && m.role !== 'assistant') {
      throw invalidRequest(`${path}.role: expected 'user' or 'assistant', got '${String(m.role)}'`, `${path}.role`)
    }
    return { role: m.role, parts: decodeContent(m.content, `${path}.content`, m.role) }
  })
}
