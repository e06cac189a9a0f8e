import { warning, type FilePart, type ImagePart, type IRMessage, type IRMidSystem, type IRWarning, type TextPart, type ToolCallPart, type ToolResultPart } from '../../ir'
import { GatewayError, invalidRequest } from '../../errors'
import { decodeReasoningItem } from './reasoning'
import { isRecord, parseDataUrl, str, type Json } from './wire'
import { imagePartFromUrl } from '../_shared/image-part'
import { decodeContentParts } from '../_shared/content-parts'

export interface DecodedMessages {
  system: TextPart[]
  messages: IRMessage[]
  /** System/developer items after the conversation started, kept where they were. */
  midSystem: IRMidSystem[]
}

/** Hosted-tool and other items the IR cannot carry: dropped with a warning, never an error. */
const NOT_CARRIED = new Set([
  'web_search_call', 'file_search_call', 'computer_call', 'computer_call_output', 'code_interpreter_call',
  'image_generation_call', 'local_shell_call', 'local_shell_call_output', 'shell_call', 'shell_call_output',
  'apply_patch_call', 'apply_patch_call_output', 'mcp_list_tools', 'mcp_approval_request', 'mcp_approval_response',
  'mcp_call', 'custom_tool_call', 'custom_tool_call_output', 'tool_search_call', 'tool_search_output', 'compaction',
])

/**
 * `input` → system parts + IR messages. Consecutive assistant-side items (reasoning, assistant
 * messages, function calls) form one assistant message; consecutive `function_call_output` items
 * form one user message; every user message item is its own user message. System and developer
 * messages before the conversation join the system prompt; later ones stay where they were (`midSystem`).
 */
export function decodeMessages(input: unknown, warnings: IRWarning[]): DecodedMessages {
  const system: TextPart[] = []
  const messages: IRMessage[] = []
  const midSystem: IRMidSystem[] = []
  if (typeof input === 'string') return { system, messages: [{ role: 'user', parts: [{ type: 'text', text: input }] }], midSystem }
  if (!Array.isArray(input)) throw invalidRequest('input: expected a string or an array of input items', 'input')

  const callNames = new Map<string, string>()
  let assistant: IRMessage | undefined
  let toolTurn: IRMessage | undefined
  const assistantTurn = (): IRMessage => {
    toolTurn = undefined
    if (!assistant) {
      assistant = { role: 'assistant', parts: [] }
      messages.push(assistant)
    }
    return assistant
  }

  input.forEach((item, i) => {
    const path = `input[${i}]`
    if (!isRecord(item)) throw invalidRequest(`${path}: expected an object`, path)
    const type = item.type ?? (item.role !== undefined ? 'message' : undefined)
    switch (type) {
      case 'message': {
        const role = item.role
        if (role === 'system' || role === 'developer') {
          const parts = contentParts(item.content, `${path}.content`, false).filter((p): p is TextPart => p.type === 'text')
          if (messages.length === 0) system.push(...parts)
          else {
            midSystem.push({ before: messages.length, role, parts, at: path })
            // The next item opens a new turn: an assistant item after it must not join the one before.
            assistant = undefined
            toolTurn = undefined
          }
          return
        }
        if (role === 'user') {
          assistant = undefined
          toolTurn = undefined
          messages.push({ role: 'user', parts: contentParts(item.content, `${path}.content`, true, true) })
          return
        }
        if (role === 'assistant') {
          const turn = assistantTurn()
          for (const p of contentParts(item.content, `${path}.content`, false)) if (p.type === 'text') turn.parts.push(p)
          return
        }
        throw invalidRequest(`${path}.role: unknown role ${JSON.stringify(role)}`, `${path}.role`)
      }
      case 'reasoning':
        assistantTurn().parts.push(decodeReasoningItem(item))
        return
      case 'function_call': {
        const call = functionCall(item, path)
        callNames.set(call.id, call.name)
        assistantTurn().parts.push(call)
        return
      }
      case 'function_call_output': {
        const callId = str(item.call_id)
        if (!callId) throw invalidRequest(`${path}.call_id: required`, `${path}.call_id`)
        const part: ToolResultPart = { type: 'tool-result', callId, content: toolOutput(item.output, `${path}.output`) }
        const name = callNames.get(callId)
        if (name) part.name = name
        assistant = undefined
        if (!toolTurn) {
          toolTurn = { role: 'user', parts: [] }
          messages.push(toolTurn)
        }
        toolTurn.parts.push(part)
        return
      }
      case 'item_reference':
        throw invalidRequest(`${path}: item_reference needs stored responses, which this gateway does not keep; send the items themselves`, path)
      default:
        if (typeof type === 'string' && type !== '') {
          if (!NOT_CARRIED.has(type)) warnings.push(warning('dropped', path, `${path}: unknown input item type '${type}' dropped`))
          else warnings.push(warning('dropped', path, `${path}: '${type}' items cannot be carried to another dialect; dropped`))
          return
        }
        throw invalidRequest(`${path}.type: required`, `${path}.type`)
    }
  })
  return { system, messages, midSystem }
}

function functionCall(item: Json, path: string): ToolCallPart {
  const id = str(item.call_id)
  if (!id) throw invalidRequest(`${path}.call_id: required`, `${path}.call_id`)
  const name = str(item.name)
  if (!name) throw invalidRequest(`${path}.name: required`, `${path}.name`)
  const args = item.arguments
  return {
    type: 'tool-call',
    id,
    name,
    arguments: typeof args === 'string' ? args : args === undefined || args === null ? '' : JSON.stringify(args),
  }
}

function requireText(v: unknown, path: string): string {
  if (typeof v !== 'string') throw invalidRequest(`${path}: expected a string`, path)
  return v
}

/** Message content: a string or typed parts. Images only where `images` (user messages). */
function contentParts(content: unknown, path: string, images: boolean, files = false): Array<TextPart | ImagePart | FilePart> {
  return decodeContentParts(content, path, (c, p): TextPart | ImagePart | FilePart => {
    switch (c.type) {
      case 'input_text':
      case 'output_text':
      case 'text':
        return { type: 'text', text: requireText(c.text, `${p}.text`) }
      case 'refusal':
        return { type: 'text', text: requireText(c.refusal, `${p}.refusal`) }
      case 'input_image':
        if (!images) throw invalidRequest(`${p}.type: images are only allowed in user messages and tool outputs`, `${p}.type`)
        return imagePart(c, p)
      case 'input_file':
        if (!files) throw new GatewayError('unsupported', `${p}: files are only carried in user messages`, { param: p })
        return filePart(c, p)
      case 'input_audio':
        throw new GatewayError('unsupported', `${p}: '${c.type}' parts are not supported yet`, { param: p })
      default:
        throw invalidRequest(`${p}.type: unknown content type '${String(c.type)}'`, `${p}.type`)
    }
  })
}

/** `input_file`: `file_data` (a data URL) or `file_url`; an uploaded `file_id` lives at OpenAI only. */
function filePart(c: Json, path: string): FilePart {
  const fileData = str(c.file_data)
  const fileUrl = str(c.file_url)
  let part: FilePart
  if (fileData !== undefined) {
    const data = parseDataUrl(fileData)
    if (!data) throw invalidRequest(`${path}.file_data: expected a base64 data URL (data:application/pdf;base64,...)`, `${path}.file_data`)
    part = { type: 'file', mediaType: data.mediaType, source: { kind: 'base64', data: data.data }, at: path }
  } else if (fileUrl !== undefined) {
    // A URL says nothing of its type; PDFs are what Responses takes by URL.
    part = { type: 'file', mediaType: /\.txt$/i.test(fileUrl.split(/[?#]/)[0]!) ? 'text/plain' : 'application/pdf', source: { kind: 'url', url: fileUrl }, at: path }
  } else if (str(c.file_id)) {
    throw new GatewayError('unsupported', `${path}.file_id: uploaded files are not supported; send file_data or file_url`, { param: `${path}.file_id` })
  } else throw invalidRequest(`${path}.file_data: required`, `${path}.file_data`)
  const filename = str(c.filename)
  if (filename) part.filename = filename
  return part
}

function imagePart(c: Json, path: string): ImagePart {
  const url = str(c.image_url)
  if (!url) {
    if (str(c.file_id)) throw new GatewayError('unsupported', `${path}.file_id: uploaded files are not supported; send image_url`, { param: `${path}.file_id` })
    throw invalidRequest(`${path}.image_url: required`, `${path}.image_url`)
  }
  return imagePartFromUrl(url, str(c.detail))
}

/** `function_call_output.output`: a string or input_text / input_image parts. */
function toolOutput(output: unknown, path: string): Array<TextPart | ImagePart> {
  if (output === undefined || output === null) return []
  if (typeof output === 'string') return [{ type: 'text', text: output }]
  return contentParts(output, path, true) as Array<TextPart | ImagePart>
}
