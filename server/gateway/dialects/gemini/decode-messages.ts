import { unwrapSignature, unwrapThinking, warning, type ReasoningPart, type FilePart, type ImagePart, type IRMessage, type IRPart, type IRWarning, type TextPart } from '../../ir'
import { GatewayError, invalidRequest } from '../../errors'
import { arr, isRecord, mimeFromUrl, str, SYNTHETIC_CALL_ID_PREFIX, type Json } from './wire'

const IMAGE_EXT = /\.(png|jpe?g|gif|webp|heic|heif)$/i

/**
 * Gemini `contents` → IR messages. Roles: user | model | function (legacy name for tool answers, = user);
 * a missing role means user. Function calls without an id get `gmcall_<n>` (deterministic within the
 * request) and every functionResponse without an id is paired, by name and in order, with the first
 * call of that name not answered yet.
 */

interface PendingCall {
  id: string
  name: string
  answered: boolean
}

interface State {
  calls: PendingCall[]
  counter: number
  warnings: IRWarning[]
  /** Thinking restored from the function call just decoded (see unwrapThinking), to go before it. */
  restored?: ReasoningPart[]
}

/**
 * inlineData / fileData → an image part, or a file part for any other MIME type (PDF, audio, video,
 * text): the upstream encoder decides whether its target can take it.
 */
function decodeMedia(p: Json, at: string): ImagePart | FilePart | undefined {
  if (isRecord(p.inlineData)) {
    const mime = str(p.inlineData.mimeType) ?? ''
    const data = str(p.inlineData.data)
    if (data === undefined) throw invalidRequest(`${at}.inlineData.data: expected a base64 string`, at)
    if (!mime) throw invalidRequest(`${at}.inlineData.mimeType: required`, at)
    if (mime.startsWith('image/')) return { type: 'image', source: { kind: 'base64', mediaType: mime, data } }
    return { type: 'file', mediaType: mime, source: { kind: 'base64', data }, at }
  }
  if (isRecord(p.fileData)) {
    const uri = str(p.fileData.fileUri)
    if (uri === undefined) throw invalidRequest(`${at}.fileData.fileUri: expected a string`, at)
    // mimeType may be omitted for an image URL: guess it from the extension.
    const mime = str(p.fileData.mimeType) ?? (IMAGE_EXT.test(uri.split(/[?#]/)[0]!) ? mimeFromUrl(uri) : undefined)
    if (!mime) throw invalidRequest(`${at}.fileData.mimeType: required for a file that is not an image`, at)
    if (mime.startsWith('image/')) return { type: 'image', source: { kind: 'url', url: uri, mediaType: mime } }
    return { type: 'file', mediaType: mime, source: { kind: 'url', url: uri }, at }
  }
  return undefined
}

function decodeImage(p: Json, at: string): ImagePart | undefined {
  const m = decodeMedia(p, at)
  if (m && m.type === 'file') throw new GatewayError('unsupported', `${at}: ${m.mediaType} in a function response is not supported; only images`, { param: at })
  return m
}

/** functionResponse.response → tool-result text (unwrapping the usual one-string envelopes). */
function responseText(response: unknown): { text: string; isError: boolean } {
  if (isRecord(response)) {
    const keys = Object.keys(response)
    if (keys.length === 1) {
      const k = keys[0]!
      const v = response[k]
      if (typeof v === 'string' && (k === 'result' || k === 'output' || k === 'content')) return { text: v, isError: false }
      if (typeof v === 'string' && k === 'error') return { text: v, isError: true }
    }
  }
  return { text: JSON.stringify(response ?? {}), isError: false }
}

function decodePart(raw: unknown, at: string, st: State): IRPart | undefined {
  if (!isRecord(raw)) throw invalidRequest(`${at}: expected an object`, at)
  const sigRaw = str(raw.thoughtSignature)
  // A function call may carry the thinking that led to it (another vendor's, wrapped by our encoder).
  const thinking = sigRaw && isRecord(raw.functionCall) ? unwrapThinking(sigRaw) : undefined
  const signature = sigRaw && !thinking ? unwrapSignature(sigRaw, 'gemini') : undefined
  if (thinking) st.restored = thinking

  if (isRecord(raw.functionCall)) {
    const fc = raw.functionCall
    const name = str(fc.name)
    if (!name) throw invalidRequest(`${at}.functionCall.name: required`, at)
    const id = str(fc.id) || `${SYNTHETIC_CALL_ID_PREFIX}${st.counter++}`
    st.calls.push({ id, name, answered: false })
    const part: IRPart = { type: 'tool-call', id, name, arguments: JSON.stringify(fc.args ?? {}) }
    if (signature) part.signature = signature
    return part
  }
  if (isRecord(raw.functionResponse)) {
    const fr = raw.functionResponse
    const name = str(fr.name)
    let id = str(fr.id)
    if (id) {
      const call = st.calls.find((c) => c.id === id && !c.answered)
      if (call) call.answered = true
    } else {
      const call = st.calls.find((c) => !c.answered && c.name === name)
      if (call) call.answered = true
      id = call?.id ?? `${SYNTHETIC_CALL_ID_PREFIX}${st.counter++}`
    }
    const { text, isError } = responseText(fr.response)
    const content: Array<TextPart | ImagePart> = [{ type: 'text', text }]
    arr(fr.parts).forEach((p, k) => {
      const img = isRecord(p) ? decodeImage(p, `${at}.functionResponse.parts[${k}]`) : undefined
      if (img) content.push(img)
    })
    const part: IRPart = { type: 'tool-result', callId: id, content }
    if (name) part.name = name
    if (isError) part.isError = true
    return part
  }
  const media = decodeMedia(raw, at)
  if (media) return media
  if (typeof raw.text === 'string' || raw.thought === true || signature) {
    const text = str(raw.text) ?? ''
    if (raw.thought === true) return signature ? { type: 'reasoning', text, signature } : { type: 'reasoning', text }
    return signature ? { type: 'text', text, signature } : { type: 'text', text }
  }
  if ('executableCode' in raw || 'codeExecutionResult' in raw) {
    st.warnings.push(warning('dropped', at, `${at}: code execution parts are not carried by the gateway; dropped`))
    return undefined
  }
  throw invalidRequest(`${at}: unknown part with keys ${Object.keys(raw).join(', ') || '(none)'}`, at)
}

export function decodeMessages(contents: unknown, warnings: IRWarning[]): IRMessage[] {
  if (!Array.isArray(contents)) throw invalidRequest('contents: required, expected an array', 'contents')
  const st: State = { calls: [], counter: 0, warnings }
  const messages: IRMessage[] = []
  contents.forEach((c, i) => {
    const at = `contents[${i}]`
    if (!isRecord(c)) throw invalidRequest(`${at}: expected an object`, at)
    const roleRaw = c.role ?? 'user'
    let role: IRMessage['role']
    if (roleRaw === 'model') role = 'assistant'
    else if (roleRaw === 'user' || roleRaw === 'function' || roleRaw === '') role = 'user'
    else throw invalidRequest(`${at}.role: unknown role '${String(roleRaw)}'`, `${at}.role`)
    if (c.parts !== undefined && !Array.isArray(c.parts)) throw invalidRequest(`${at}.parts: expected an array`, `${at}.parts`)
    const parts: IRPart[] = []
    arr(c.parts).forEach((p, j) => {
      const part = decodePart(p, `${at}.parts[${j}]`, st)
      if (st.restored) {
        // Where the thinking was: at the start of the turn, after any reasoning already there, unless
        // the client also sent the thought parts back themselves.
        const fresh = st.restored.filter((r) => !parts.some((q) => q.type === 'reasoning' && sameReasoning(q, r)))
        let at = 0
        while (at < parts.length && parts[at]!.type === 'reasoning') at++
        parts.splice(at, 0, ...fresh)
        st.restored = undefined
      }
      if (part) parts.push(part)
    })
    messages.push({ role, parts })
  })
  return messages
}

function sameReasoning(a: ReasoningPart, b: ReasoningPart): boolean {
  return a.redactedData !== undefined ? a.redactedData === b.redactedData : a.signature?.value === b.signature?.value && a.signature !== undefined
}

/** systemInstruction: `{parts:[{text}]}` or a bare string. */
export function decodeSystem(v: unknown, warnings: IRWarning[]): TextPart[] {
  if (v === undefined || v === null) return []
  if (typeof v === 'string') return [{ type: 'text', text: v }]
  if (!isRecord(v)) throw invalidRequest('systemInstruction: expected an object or a string', 'systemInstruction')
  const out: TextPart[] = []
  arr(v.parts).forEach((p, j) => {
    if (isRecord(p) && typeof p.text === 'string') out.push({ type: 'text', text: p.text })
    else warnings.push(warning('dropped', `systemInstruction.parts[${j}]`, `systemInstruction.parts[${j}]: only text parts are supported; dropped`))
  })
  return out
}
