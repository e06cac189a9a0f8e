import { cannotCarry, warning, type FilePart, type ImagePart, type IRMessage, type IRMidSystem, type IRWarning, type TextPart } from '../../ir'
import { reasoningInputItem } from './reasoning'
import { DIALECT, type Json } from './wire'

/**
 * IR messages → `input` items for a Responses upstream:
 * user text/images → one `message` item (input_text / input_image); tool results →
 * `function_call_output` items (a lone text part as a plain string output); assistant text → one
 * `message` item per text part (output_text); tool calls → `function_call` items; reasoning →
 * `reasoning` items, only those carrying our own encrypted content (foreign ones dropped, warned).
 * Mid-conversation system messages go back where the client had them (Responses takes them anywhere).
 */
export function encodeMessages(messages: readonly IRMessage[], warnings: IRWarning[], midSystem?: readonly IRMidSystem[]): Json[] {
  const items: Json[] = []
  let droppedReasoning = 0
  const systemBefore = (i: number) => {
    for (const s of midSystem ?? []) {
      if (s.before === i) items.push({ type: 'message', role: s.role, content: s.parts.map((p) => ({ type: 'input_text', text: p.text })) })
    }
  }
  messages.forEach((m, i) => {
    systemBefore(i)
    if (m.role === 'user') {
      let content: Json[] = []
      const flush = () => {
        if (content.length > 0) items.push({ type: 'message', role: 'user', content })
        content = []
      }
      m.parts.forEach((p, j) => {
        if (p.type === 'text' || p.type === 'image') content.push(inputPart(p))
        else if (p.type === 'file') content.push(inputFile(p, `messages[${i}].content[${j}]`))
        else if (p.type === 'tool-result') {
          flush()
          if (p.isError) warnings.push(warning('dropped', `messages[${i}].is_error`, `messages[${i}]: tool result error flag has no Responses field; dropped`))
          const onlyText = p.content.length === 1 && p.content[0]!.type === 'text'
          const output = onlyText ? (p.content[0] as TextPart).text : p.content.map(inputPart)
          items.push({ type: 'function_call_output', call_id: p.callId, output })
        } else warnings.push(warning('dropped', `messages[${i}]`, `messages[${i}]: '${p.type}' part in a user message dropped`))
      })
      flush()
      return
    }
    for (const p of m.parts) {
      switch (p.type) {
        case 'text':
          items.push({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: p.text }] })
          break
        case 'reasoning': {
          const item = reasoningInputItem(p)
          if (item) items.push(item)
          else droppedReasoning++
          break
        }
        case 'tool-call':
          // A call without arguments (Anthropic streams none) is still a JSON object to the API.
          items.push({ type: 'function_call', call_id: p.id, name: p.name, arguments: p.arguments === '' ? '{}' : p.arguments })
          break
        default:
          warnings.push(warning('dropped', `messages[${i}]`, `messages[${i}]: '${p.type}' part in an assistant message dropped`))
      }
    }
  })
  systemBefore(messages.length)
  if (droppedReasoning > 0) {
    warnings.push(warning('dropped', 'reasoning', `${droppedReasoning} reasoning part(s) without ${DIALECT} encrypted content not sent to the Responses upstream`))
  }
  return items
}

/** Responses takes documents as `input_file` (inline data URL or `file_url`), but has no audio input. */
function inputFile(p: FilePart, at: string): Json {
  if (p.mediaType.startsWith('audio/') || p.mediaType.startsWith('video/')) throw cannotCarry(p, 'openai-responses', at)
  if (p.source.kind === 'url') return { type: 'input_file', file_url: p.source.url }
  return { type: 'input_file', filename: p.filename ?? (p.mediaType === 'application/pdf' ? 'document.pdf' : 'file'), file_data: `data:${p.mediaType};base64,${p.source.data}` }
}

function inputPart(p: TextPart | ImagePart): Json {
  if (p.type === 'text') return { type: 'input_text', text: p.text }
  const url = p.source.kind === 'base64' ? `data:${p.source.mediaType};base64,${p.source.data}` : p.source.url
  return { type: 'input_image', image_url: url, detail: p.detail ?? 'auto' }
}
