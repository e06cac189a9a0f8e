import { audioFormat, cannotCarry, warning, type FilePart, type ImagePart, type IRMessage, type IRMidSystem, type IRPart, type IRWarning, type TextPart, type ToolResultPart } from '../../ir'
import type { Json } from './wire'
import type { ReasoningField } from '../../../../shared/presets/types'

/**
 * IR messages → wire `messages` for an upstream. System parts become one leading system message;
 * tool results become `tool` messages (placed before the user's other parts, as OpenAI requires
 * them right after the assistant's tool_calls); reasoning text goes back in `reasoningField`
 * (`reasoning_content` unless the upstream's preset says otherwise; left out, with a note, for
 * upstreams whose strict schemas refuse it).
 * Signatures are not sent, except a Gemini function-call signature in `extra_content`, which
 * Gemini's own OpenAI-compatible endpoint reads. Mid-conversation system messages stay in place.
 */
export function encodeMessages(
  system: TextPart[],
  messages: IRMessage[],
  warnings: IRWarning[],
  midSystem?: readonly IRMidSystem[],
  reasoningField: ReasoningField = 'reasoning_content',
): Json[] {
  const out: Json[] = []
  const note = noteOnce(warnings)
  if (system.some(hasCacheControl)) note(CACHE_NOTE)
  if (system.length > 0) out.push({ role: 'system', content: textContent(system) })
  const systemBefore = (i: number) => {
    for (const s of midSystem ?? []) if (s.before === i) out.push({ role: s.role, content: textContent(s.parts) })
  }
  for (let i = 0; i < messages.length; i++) {
    systemBefore(i)
    const m = messages[i]!
    if (m.role === 'user') encodeUser(m.parts, out, note, i)
    else out.push(encodeAssistant(m.parts, note, i, reasoningField))
  }
  systemBefore(messages.length)
  return out
}

const CACHE_NOTE = warning('dropped', 'cache_control', 'cache_control is not supported by OpenAI Chat Completions; dropped')

function hasCacheControl(p: IRPart): boolean {
  return 'cacheControl' in p && p.cacheControl !== undefined
}

type Note = (w: IRWarning) => void

function noteOnce(warnings: IRWarning[]): Note {
  const seen = new Set<string>()
  return (w) => {
    if (seen.has(w.message)) return
    seen.add(w.message)
    warnings.push(w)
  }
}

/** One text part → string; several → text-part array (kept apart, so they round-trip). */
function textContent(parts: TextPart[]): string | Json[] {
  if (parts.length === 1) return parts[0]!.text
  return parts.map((p) => ({ type: 'text', text: p.text }))
}

function imageUrl(p: ImagePart): Json {
  const url = p.source.kind === 'base64' ? `data:${p.source.mediaType};base64,${p.source.data}` : p.source.url
  return p.detail ? { url, detail: p.detail } : { url }
}

/**
 * A file part as Chat Completions carries it: wav/mp3 audio as `input_audio`, a PDF as a `file` with
 * `file_data`. Anything else (a URL, other audio, other types) is refused, never dropped.
 */
function encodeFile(p: FilePart, at: string): Json {
  if (p.mediaType.startsWith('audio/')) {
    const format = audioFormat(p.mediaType)
    if (!format) throw cannotCarry(p, 'openai-chat', at, 'only wav and mp3 audio')
    if (p.source.kind !== 'base64') throw cannotCarry(p, 'openai-chat', at, 'audio must be inline base64, not a URL')
    return { type: 'input_audio', input_audio: { data: p.source.data, format } }
  }
  if (p.mediaType !== 'application/pdf') throw cannotCarry(p, 'openai-chat', at, 'only PDF files')
  if (p.source.kind !== 'base64') throw cannotCarry(p, 'openai-chat', at, 'files must be inline base64, not a URL')
  const file: Json = { file_data: `data:${p.mediaType};base64,${p.source.data}` }
  file.filename = p.filename ?? 'document.pdf'
  return { type: 'file', file }
}

function encodeUser(parts: IRPart[], out: Json[], note: Note, i: number): void {
  const rest: Array<TextPart | ImagePart | Json> = []
  for (let j = 0; j < parts.length; j++) {
    const p = parts[j]!
    if (hasCacheControl(p)) note(CACHE_NOTE)
    if (p.type === 'tool-result') out.push(encodeToolResult(p, note))
    else if (p.type === 'text' || p.type === 'image') rest.push(p)
    else if (p.type === 'file') rest.push(encodeFile(p, `messages[${i}].content[${j}]`))
    else note(warning('dropped', `messages[${i}]`, `user ${p.type} parts cannot be sent to OpenAI Chat Completions; dropped`))
  }
  if (rest.length === 0) return
  const only = rest[0]!
  if (rest.length === 1 && only.type === 'text') {
    out.push({ role: 'user', content: (only as TextPart).text })
    return
  }
  out.push({
    role: 'user',
    content: rest.map((p) =>
      p.type === 'text' ? { type: 'text', text: (p as TextPart).text } : p.type === 'image' ? { type: 'image_url', image_url: imageUrl(p as ImagePart) } : p,
    ),
  })
}

function encodeToolResult(p: ToolResultPart, note: Note): Json {
  const texts: TextPart[] = []
  for (const c of p.content) {
    if (c.type === 'text') texts.push(c)
    else {
      texts.push({ type: 'text', text: '[image omitted: tool result images are not supported by this upstream]' })
      note(warning('dropped', 'tool_result.image', 'tool result images are not supported by OpenAI Chat Completions; replaced by a text note'))
    }
  }
  if (p.isError) note(warning('dropped', 'tool_result.is_error', 'tool result is_error has no OpenAI Chat Completions field; sent as a plain result'))
  return { role: 'tool', tool_call_id: p.callId, content: texts.length === 0 ? '' : textContent(texts) }
}

function encodeAssistant(parts: IRPart[], note: Note, i: number, reasoningField: ReasoningField): Json {
  const texts: TextPart[] = []
  const calls: Json[] = []
  let reasoning = ''
  for (const p of parts) {
    if (hasCacheControl(p)) note(CACHE_NOTE)
    switch (p.type) {
      case 'text':
        texts.push(p)
        break
      case 'reasoning':
        reasoning += p.text
        break
      case 'tool-call': {
        // A call without arguments (Anthropic streams none) is still a JSON object to OpenAI.
        const tc: Json = { id: p.id, type: 'function', function: { name: p.name, arguments: p.arguments === '' ? '{}' : p.arguments } }
        if (p.signature?.origin === 'gemini') tc.extra_content = { google: { thought_signature: p.signature.value } }
        calls.push(tc)
        break
      }
      default:
        note(warning('dropped', `messages[${i}]`, `assistant ${p.type} parts cannot be sent to OpenAI Chat Completions; dropped`))
    }
  }
  const msg: Json = { role: 'assistant', content: texts.length > 0 ? textContent(texts) : calls.length > 0 ? null : '' }
  if (reasoning && reasoningField !== 'omit') msg[reasoningField] = reasoning
  else if (reasoning) note(warning('dropped', `messages[${i}].reasoning`, 'earlier reasoning cannot be sent back to this upstream (its schema refuses the field); dropped'))
  if (calls.length > 0) msg.tool_calls = calls
  return msg
}
