import { warning, type FilePart, type ImagePart, type IRMessage, type IRMidSystem, type IRPart, type IRWarning, type TextPart, type ToolCallPart, type ToolResultPart } from '../../ir'
import { GatewayError, invalidRequest } from '../../errors'
import { readToolSignature, reasoningParts } from './reasoning'
import { isRecord, parseDataUrl, str, type Json } from './wire'
import { imagePartFromUrl } from '../_shared/image-part'
import { decodeContentParts } from '../_shared/content-parts'

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function'])

export interface DecodedMessages {
  system: TextPart[]
  messages: IRMessage[]
  /** System/developer messages after the conversation started, kept where they were. */
  midSystem: IRMidSystem[]
}

/**
 * `messages` → system parts + IR messages (consecutive tool messages become one user message).
 * System messages before the conversation form the system prompt; later ones keep their place.
 */
export function decodeMessages(raw: unknown[], warnings: IRWarning[]): DecodedMessages {
  const system: TextPart[] = []
  const messages: IRMessage[] = []
  const midSystem: IRMidSystem[] = []
  const callNames = new Map<string, string>()
  let toolTurn: IRMessage | undefined

  raw.forEach((m, i) => {
    const path = `messages[${i}]`
    if (!isRecord(m)) throw invalidRequest(`${path}: expected an object`, path)
    const role = m.role
    if (typeof role !== 'string' || !ROLES.has(role)) {
      throw invalidRequest(`${path}.role: unknown role ${JSON.stringify(role)}`, `${path}.role`)
    }
    if (role !== 'tool') toolTurn = undefined
    if (typeof m.name === 'string' && role !== 'function') warnings.push(warning('dropped', `${path}.name`, `${path}.name is not carried over`))

    switch (role) {
      case 'system':
      case 'developer': {
        const parts = textParts(m.content, `${path}.content`)
        if (messages.length === 0) system.push(...parts)
        else midSystem.push({ before: messages.length, role, parts, at: path })
        return
      }
      case 'user':
        messages.push({ role: 'user', parts: userParts(m.content, `${path}.content`) })
        return
      case 'assistant': {
        const parts = assistantParts(m, path)
        for (const p of parts) if (p.type === 'tool-call') callNames.set(p.id, p.name)
        messages.push({ role: 'assistant', parts })
        return
      }
      case 'tool': {
        const callId = str(m.tool_call_id)
        if (!callId) throw invalidRequest(`${path}.tool_call_id: required for tool messages`, `${path}.tool_call_id`)
        const part: ToolResultPart = { type: 'tool-result', callId, content: textParts(m.content, `${path}.content`) }
        const name = callNames.get(callId)
        if (name) part.name = name
        if (!toolTurn) {
          toolTurn = { role: 'user', parts: [] }
          messages.push(toolTurn)
        }
        toolTurn.parts.push(part)
        return
      }
      default:
        throw new GatewayError('unsupported', `${path}.role: legacy 'function' messages are not supported; use tool messages`, {
          param: `${path}.role`,
        })
    }
  })
  return { system, messages, midSystem }
}

/** String or text-part content (system, developer, tool, assistant). */
function textParts(content: unknown, path: string): TextPart[] {
  if (content === null || content === undefined) return []
  if (typeof content === 'string') return [{ type: 'text', text: content }]
  if (!Array.isArray(content)) throw invalidRequest(`${path}: expected a string or an array of content parts`, path)
  return content.map((c, j) => {
    const p = `${path}[${j}]`
    if (!isRecord(c)) throw invalidRequest(`${p}: expected an object`, p)
    if (c.type !== 'text') throw invalidRequest(`${p}.type: only 'text' parts are allowed here, got '${String(c.type)}'`, `${p}.type`)
    return { type: 'text', text: requireText(c.text, `${p}.text`) }
  })
}

function requireText(v: unknown, path: string): string {
  if (typeof v !== 'string') throw invalidRequest(`${path}: expected a string`, path)
  return v
}

function userParts(content: unknown, path: string): Array<TextPart | ImagePart | FilePart> {
  return decodeContentParts(content, path, (c, p): TextPart | ImagePart | FilePart => {
    switch (c.type) {
      case 'text':
        return { type: 'text', text: requireText(c.text, `${p}.text`) }
      case 'image_url':
        return imagePart(c.image_url, `${p}.image_url`)
      case 'input_audio':
        return audioPart(c.input_audio, p)
      case 'file':
        return filePart(c.file, p)
      default:
        throw invalidRequest(`${p}.type: unknown content type '${String(c.type)}'`, `${p}.type`)
    }
  })
}

/** `input_audio: {data, format}` (base64 wav or mp3) → a file part the target decides about. */
function audioPart(v: unknown, path: string): FilePart {
  const data = isRecord(v) ? str(v.data) : undefined
  if (!isRecord(v) || data === undefined) throw invalidRequest(`${path}.input_audio.data: required`, `${path}.input_audio.data`)
  const format = str(v.format)
  if (format !== 'wav' && format !== 'mp3') throw invalidRequest(`${path}.input_audio.format: expected 'wav' or 'mp3'`, `${path}.input_audio.format`)
  return { type: 'file', mediaType: format === 'wav' ? 'audio/wav' : 'audio/mpeg', source: { kind: 'base64', data }, at: path }
}

/** `file: {file_data: data URL, filename}`; an uploaded `file_id` lives at OpenAI only and cannot travel. */
function filePart(v: unknown, path: string): FilePart {
  if (!isRecord(v)) throw invalidRequest(`${path}.file: expected an object`, `${path}.file`)
  const fileData = str(v.file_data)
  if (fileData === undefined) {
    if (str(v.file_id)) throw new GatewayError('unsupported', `${path}.file.file_id: uploaded files are not supported; send file_data`, { param: `${path}.file.file_id` })
    throw invalidRequest(`${path}.file.file_data: required`, `${path}.file.file_data`)
  }
  const data = parseDataUrl(fileData)
  if (!data) throw invalidRequest(`${path}.file.file_data: expected a base64 data URL (data:application/pdf;base64,...)`, `${path}.file.file_data`)
  const part: FilePart = { type: 'file', mediaType: data.mediaType, source: { kind: 'base64', data: data.data }, at: path }
  const filename = str(v.filename)
  if (filename) part.filename = filename
  return part
}

function imagePart(v: unknown, path: string): ImagePart {
  const url = isRecord(v) ? str(v.url) : undefined
  if (!isRecord(v) || !url) throw invalidRequest(`${path}.url: required`, `${path}.url`)
  return imagePartFromUrl(url, str(v.detail))
}

function assistantParts(m: Json, path: string): IRPart[] {
  const parts: IRPart[] = reasoningParts(m)

  const content = m.content
  if (typeof content === 'string') {
    if (content !== '') parts.push({ type: 'text', text: content })
  } else if (Array.isArray(content)) {
    content.forEach((c, j) => {
      const p = `${path}.content[${j}]`
      if (!isRecord(c)) throw invalidRequest(`${p}: expected an object`, p)
      if (c.type === 'text') parts.push({ type: 'text', text: requireText(c.text, `${p}.text`) })
      else if (c.type === 'refusal') parts.push({ type: 'text', text: requireText(c.refusal, `${p}.refusal`) })
      else throw invalidRequest(`${p}.type: unknown content type '${String(c.type)}'`, `${p}.type`)
    })
  } else if (content !== null && content !== undefined) {
    throw invalidRequest(`${path}.content: expected a string, an array of content parts or null`, `${path}.content`)
  }
  const refusal = str(m.refusal)
  if (refusal) parts.push({ type: 'text', text: refusal })

  if (m.function_call !== undefined && m.function_call !== null) {
    throw new GatewayError('unsupported', `${path}.function_call: legacy function calls are not supported; use tool_calls`, {
      param: `${path}.function_call`,
    })
  }
  const calls = m.tool_calls
  if (calls !== undefined && calls !== null) {
    if (!Array.isArray(calls)) throw invalidRequest(`${path}.tool_calls: expected an array`, `${path}.tool_calls`)
    calls.forEach((tc, k) => parts.push(toolCall(tc, `${path}.tool_calls[${k}]`)))
  }
  return parts
}

function toolCall(tc: unknown, path: string): ToolCallPart {
  if (!isRecord(tc)) throw invalidRequest(`${path}: expected an object`, path)
  if (tc.type !== undefined && tc.type !== 'function') {
    throw new GatewayError('unsupported', `${path}.type: '${String(tc.type)}' tool calls are not supported`, { param: `${path}.type` })
  }
  const id = str(tc.id)
  if (!id) throw invalidRequest(`${path}.id: required`, `${path}.id`)
  const fn = tc.function
  if (!isRecord(fn) || !str(fn.name)) throw invalidRequest(`${path}.function.name: required`, `${path}.function.name`)
  const args = fn.arguments
  const part: ToolCallPart = {
    type: 'tool-call',
    id,
    name: fn.name as string,
    arguments: typeof args === 'string' ? args : args === undefined || args === null ? '' : JSON.stringify(args),
  }
  const sig = readToolSignature(tc)
  if (sig) part.signature = sig
  return part
}
