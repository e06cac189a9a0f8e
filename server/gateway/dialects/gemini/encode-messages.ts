import { signatureFor, warning, type IRWarning, type FilePart, type ImagePart, type IRMessage, type IRPart, type ToolResultPart } from '../../ir'
import { DUMMY_THOUGHT_SIGNATURE, isSyntheticCallId, mimeFromUrl, parseDataUrl, wireCallId, type Json } from './wire'

/**
 * IR messages → Gemini `contents`. Consecutive same-role messages are merged (Gemini alternates
 * user/model). Only Gemini's own signatures are sent; see `encodeToolCall` for the dummy signature.
 */

function encodeImage(p: ImagePart): Json {
  const src = p.source
  if (src.kind === 'base64') return { inlineData: { mimeType: src.mediaType, data: src.data } }
  const data = parseDataUrl(src.url)
  if (data) return { inlineData: { mimeType: data.mediaType, data: data.data } }
  // fileData accepts Files API URIs and, since 2026, any public or signed HTTPS URL ("External URLs",
  // https://blog.google/innovation-and-ai/technology/developers-tools/gemini-api-new-file-limits).
  return { fileData: { mimeType: src.mediaType || mimeFromUrl(src.url), fileUri: src.url } }
}

/** Gemini takes any MIME type inline or by URI: PDFs, audio, video, text. */
function encodeFile(p: FilePart): Json {
  if (p.source.kind === 'base64') return { inlineData: { mimeType: p.mediaType, data: p.source.data } }
  return { fileData: { mimeType: p.mediaType, fileUri: p.source.url } }
}

/** Tool output: a JSON object text is sent as the object, anything else as {result}; errors as {error}. */
function toolResponse(part: ToolResultPart): Json {
  const text = part.content.map((c) => (c.type === 'text' ? c.text : '')).join('')
  if (part.isError) return { error: text }
  try {
    const parsed: unknown = JSON.parse(text)
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Json
  } catch {
    // not JSON
  }
  return { result: text }
}

interface Ctx {
  names: Map<string, string>
  warnings: IRWarning[]
}

function encodePart(p: IRPart, ctx: Ctx): Json | undefined {
  switch (p.type) {
    case 'text': {
      const sig = signatureFor(p.signature, 'gemini')
      // Gemini rejects an empty text part; one that only carries a signature is how Gemini sent it.
      if (p.text === '' && !sig) return undefined
      return sig ? { text: p.text, thoughtSignature: sig } : { text: p.text }
    }
    case 'image':
      return encodeImage(p)
    case 'file':
      return encodeFile(p)
    case 'reasoning': {
      // Thought summaries may be sent back as parts with `thought: true`; what Gemini validates is the
      // thoughtSignature on the part it was attached to (https://ai.google.dev/gemini-api/docs/thought-signatures:
      // "Return the entire response with all parts back to the model"). Another vendor's reasoning
      // (signed or redacted) means nothing to Gemini and is dropped.
      if (p.redactedData !== undefined || (p.signature && p.signature.origin !== 'gemini')) {
        ctx.warnings.push(warning('dropped', 'reasoning', 'reasoning from another vendor dropped: Gemini cannot verify it'))
        return undefined
      }
      const sig = signatureFor(p.signature, 'gemini')
      if (p.text === '' && !sig) return undefined
      return sig ? { text: p.text, thought: true, thoughtSignature: sig } : { text: p.text, thought: true }
    }
    case 'tool-call': {
      let args: unknown = {}
      try {
        args = p.arguments.trim() === '' ? {} : JSON.parse(p.arguments)
      } catch {
        ctx.warnings.push(warning('changed', `tool_call.${p.id}.arguments`, `tool call ${p.id}: arguments are not valid JSON; sent as {}`))
      }
      if (typeof args !== 'object' || args === null || Array.isArray(args)) args = {}
      const fc: Json = { name: p.name, args }
      const id = wireCallId(p.id)
      if (id) fc.id = id
      const sig = signatureFor(p.signature, 'gemini')
      return sig ? { functionCall: fc, thoughtSignature: sig } : { functionCall: fc }
    }
    case 'tool-result': {
      let name = p.name ?? ctx.names.get(p.callId)
      if (!name) {
        ctx.warnings.push(warning('changed', `tool_result.${p.callId}.name`, `tool result ${p.callId}: no matching tool call to name it; the id is used as name`))
        name = p.callId
      }
      const fr: Json = { name, response: toolResponse(p) }
      const id = wireCallId(p.callId)
      if (id) fr.id = id
      const media = p.content.filter((c): c is ImagePart => c.type === 'image').map(encodeImage)
      if (media.length > 0) fr.parts = media
      return { functionResponse: fr }
    }
    default: {
      const never: never = p
      return never
    }
  }
}

/** `fromGemini`: the request was decoded from a Gemini client body (extras.gemini present). */
export function encodeMessages(messages: IRMessage[], warnings: IRWarning[], fromGemini: boolean): Json[] {
  const names = new Map<string, string>()
  for (const m of messages) for (const p of m.parts) if (p.type === 'tool-call') names.set(p.id, p.name)
  const ctx: Ctx = { names, warnings }
  const contents: Json[] = []
  for (const m of messages) {
    const role = m.role === 'assistant' ? 'model' : 'user'
    const parts: Json[] = []
    let firstCall = true
    for (const p of m.parts) {
      const part = encodePart(p, ctx)
      if (!part) continue
      if (p.type === 'tool-call') {
        // Gemini 3 rejects a model turn whose first functionCall lacks its thoughtSignature. When the
        // call was not signed by Gemini (history from another model/vendor), the documented dummy value
        // skips the check (see DUMMY_THOUGHT_SIGNATURE). A Gemini client's own unsigned call (no id on its
        // wire, so a synthetic one here) is left exactly as the client sent it.
        if (firstCall && part.thoughtSignature === undefined && !(fromGemini && isSyntheticCallId(p.id))) {
          part.thoughtSignature = DUMMY_THOUGHT_SIGNATURE
        }
        firstCall = false
      }
      parts.push(part)
    }
    if (parts.length === 0) continue
    const last = contents[contents.length - 1]
    if (last && last.role === role) (last.parts as Json[]).push(...parts)
    else contents.push({ role, parts })
  }
  return contents
}
