/** The playground's four client dialects: how to ask, and how to read text out of the answer. */

export const PLAYGROUND_DIALECTS = ['openai-chat', 'openai-responses', 'anthropic', 'gemini'] as const
export type PlaygroundDialect = (typeof PLAYGROUND_DIALECTS)[number]

export interface PlaygroundRequest {
  url: string
  headers: Record<string, string>
  body: Record<string, unknown>
}

/** One earlier turn of the conversation, sent again with the next prompt. */
export interface PlaygroundTurn {
  role: 'user' | 'assistant'
  content: string
}

export interface PlaygroundOptions {
  model: string
  prompt: string
  system: string
  stream: boolean
  key: string
  /** Earlier turns, oldest first (the prompt is appended as the newest user turn). */
  history?: PlaygroundTurn[]
  temperature?: number
  maxTokens?: number
  /** Ask the model to think first (each dialect's own switch, with a small budget). */
  thinking?: boolean
  /** Offer SAMPLE_TOOL, to see a tool call come back. */
  tools?: boolean
  /** Ask for a JSON object as the answer. */
  json?: boolean
}

/** The sample tool the tools switch offers: small, with one required argument. */
export const SAMPLE_TOOL = {
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string', description: 'City name' } }, required: ['city'] },
} as const

/** Tokens a thinking model may spend before answering; the answer's own budget comes on top. */
const THINKING_BUDGET = 1024

export function buildPlaygroundRequest(d: PlaygroundDialect, o: PlaygroundOptions): PlaygroundRequest {
  const json = { 'content-type': 'application/json' }
  const turns: PlaygroundTurn[] = [...(o.history ?? []), { role: 'user', content: o.prompt }]
  const temp = o.temperature === undefined ? {} : { temperature: o.temperature }
  switch (d) {
    case 'openai-chat':
      return {
        url: '/v1/chat/completions',
        headers: { ...json, authorization: `Bearer ${o.key}` },
        body: {
          model: o.model,
          messages: [...(o.system ? [{ role: 'system', content: o.system }] : []), ...turns],
          stream: o.stream,
          ...(o.stream ? { stream_options: { include_usage: true } } : {}),
          ...temp,
          ...(o.maxTokens ? { max_tokens: o.maxTokens } : {}),
          ...(o.thinking ? { reasoning_effort: 'medium' } : {}),
          ...(o.json ? { response_format: { type: 'json_object' } } : {}),
          ...(o.tools ? { tools: [{ type: 'function', function: SAMPLE_TOOL }] } : {}),
        },
      }
    case 'openai-responses':
      return {
        url: '/v1/responses',
        headers: { ...json, authorization: `Bearer ${o.key}` },
        body: {
          model: o.model,
          // A single prompt goes as a plain string, the way most callers send it.
          input: turns.length === 1 ? o.prompt : turns.map((m) => ({ role: m.role, content: m.content })),
          ...(o.system ? { instructions: o.system } : {}),
          stream: o.stream,
          ...temp,
          ...(o.maxTokens ? { max_output_tokens: o.maxTokens } : {}),
          ...(o.thinking ? { reasoning: { effort: 'medium' } } : {}),
          ...(o.json ? { text: { format: { type: 'json_object' } } } : {}),
          ...(o.tools ? { tools: [{ type: 'function', ...SAMPLE_TOOL }] } : {}),
        },
      }
    case 'anthropic': {
      const max = o.maxTokens ?? 1024
      // Anthropic has no JSON switch: the instruction goes into the system prompt.
      const system = [o.system, o.json ? 'Answer with one JSON object only.' : ''].filter(Boolean).join('\n\n')
      return {
        url: '/v1/messages',
        headers: { ...json, 'x-api-key': o.key, 'anthropic-version': '2023-06-01' },
        body: {
          model: o.model,
          // With thinking on, max_tokens must exceed the thinking budget.
          max_tokens: o.thinking ? max + THINKING_BUDGET : max,
          ...(system ? { system } : {}),
          messages: turns,
          stream: o.stream,
          ...temp,
          ...(o.thinking ? { thinking: { type: 'enabled', budget_tokens: THINKING_BUDGET } } : {}),
          ...(o.tools ? { tools: [{ name: SAMPLE_TOOL.name, description: SAMPLE_TOOL.description, input_schema: SAMPLE_TOOL.parameters }] } : {}),
        },
      }
    }
    case 'gemini': {
      const gen = {
        ...temp,
        ...(o.maxTokens ? { maxOutputTokens: o.maxTokens } : {}),
        ...(o.json ? { responseMimeType: 'application/json' } : {}),
        ...(o.thinking ? { thinkingConfig: { includeThoughts: true, thinkingBudget: THINKING_BUDGET } } : {}),
      }
      return {
        url: `/v1beta/models/${encodeURIComponent(o.model)}:${o.stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`,
        headers: { ...json, 'x-goog-api-key': o.key },
        body: {
          ...(o.system ? { systemInstruction: { parts: [{ text: o.system }] } } : {}),
          contents: turns.map((m) => ({ role: m.role === 'assistant' ? 'model' : 'user', parts: [{ text: m.content }] })),
          ...(Object.keys(gen).length ? { generationConfig: gen } : {}),
          ...(o.tools ? { tools: [{ functionDeclarations: [SAMPLE_TOOL] }] } : {}),
        },
      }
    }
  }
}

/** The value at `path` inside parsed JSON, or undefined from the first step that is missing: answers are read, not trusted. */
function at(v: unknown, ...path: Array<string | number>): unknown {
  let cur = v
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined
    cur = (cur as Record<string | number, unknown>)[k]
  }
  return cur
}
const list = (v: unknown): unknown[] => (Array.isArray(v) ? (v as unknown[]) : [])
const textOf = (v: unknown): string => (typeof v === 'string' ? v : '')
const countOf = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined)
const names = (vs: unknown[]): string[] => vs.filter((v): v is string => typeof v === 'string' && v !== '')

/** The text in one streamed event (already JSON-parsed `data:`), or '' when it carries none. */
export function streamEventText(d: PlaygroundDialect, ev: unknown): string {
  if (!ev || typeof ev !== 'object') return ''
  switch (d) {
    case 'openai-chat':
      return textOf(at(ev, 'choices', 0, 'delta', 'content'))
    case 'openai-responses':
      return at(ev, 'type') === 'response.output_text.delta' ? textOf(at(ev, 'delta')) : ''
    case 'anthropic':
      return at(ev, 'type') === 'content_block_delta' && at(ev, 'delta', 'type') === 'text_delta' ? textOf(at(ev, 'delta', 'text')) : ''
    case 'gemini':
      return list(at(ev, 'candidates', 0, 'content', 'parts'))
        .filter((p) => typeof at(p, 'text') === 'string' && !at(p, 'thought'))
        .map((p) => textOf(at(p, 'text')))
        .join('')
  }
}

/** The text of a whole (non-streamed) answer. */
export function responseText(d: PlaygroundDialect, body: unknown): string {
  if (!body || typeof body !== 'object') return ''
  switch (d) {
    case 'openai-chat':
      return textOf(at(body, 'choices', 0, 'message', 'content'))
    case 'openai-responses':
      return list(at(body, 'output'))
        .flatMap((o) => list(at(o, 'content')))
        .filter((c) => at(c, 'type') === 'output_text')
        .map((c) => textOf(at(c, 'text')))
        .join('')
    case 'anthropic':
      return list(at(body, 'content'))
        .filter((c) => at(c, 'type') === 'text')
        .map((c) => textOf(at(c, 'text')))
        .join('')
    case 'gemini':
      return streamEventText('gemini', body)
  }
}

/** Splits an SSE byte stream's text into complete `data:` payloads, keeping the unfinished tail. */
export function takeSseData(buffer: string): { data: string[]; rest: string } {
  const parts = buffer.split(/\r?\n\r?\n/)
  const rest = parts.pop() ?? ''
  const data: string[] = []
  for (const block of parts) {
    const lines = block.split(/\r?\n/).filter((l) => l.startsWith('data:'))
    if (lines.length) data.push(lines.map((l) => l.slice(5).replace(/^ /, '')).join('\n'))
  }
  return { data, rest }
}

/**
 * The error message in an error body or a streamed error event, in any dialect's shape: OpenAI and
 * Gemini `{error: {message}}`, Anthropic `{type: "error", error: {message}}`, Responses
 * `response.failed` / `error` events. Null when the payload is not an error.
 */
export function errorText(body: unknown): string | null {
  if (!body || typeof body !== 'object') return null
  if (at(body, 'type') === 'response.failed') return textOf(at(body, 'response', 'error', 'message')) || 'response failed'
  const e = at(body, 'error')
  if (typeof e === 'string') return e
  if (e && typeof e === 'object') return String(at(e, 'message') ?? at(e, 'type') ?? JSON.stringify(e))
  if (at(body, 'type') === 'error') return String(at(body, 'message') ?? 'error')
  return null
}

/** Token counts a payload reports (a streamed event or a whole answer); missing ones stay undefined. */
export interface PlaygroundUsage {
  input?: number
  output?: number
}

export function usageOf(d: PlaygroundDialect, ev: unknown): PlaygroundUsage {
  if (!ev || typeof ev !== 'object') return {}
  switch (d) {
    case 'openai-chat': {
      const u = at(ev, 'usage')
      return u ? { input: countOf(at(u, 'prompt_tokens')), output: countOf(at(u, 'completion_tokens')) } : {}
    }
    case 'openai-responses': {
      const u = at(ev, 'usage') ?? at(ev, 'response', 'usage')
      return u ? { input: countOf(at(u, 'input_tokens')), output: countOf(at(u, 'output_tokens')) } : {}
    }
    case 'anthropic': {
      // Streams put input tokens in message_start and the output count in message_delta.
      const u = at(ev, 'usage') ?? at(ev, 'message', 'usage')
      return u ? { input: countOf(at(u, 'input_tokens')), output: countOf(at(u, 'output_tokens')) } : {}
    }
    case 'gemini': {
      const u = at(ev, 'usageMetadata')
      return u ? { input: countOf(at(u, 'promptTokenCount')), output: countOf(at(u, 'candidatesTokenCount')) } : {}
    }
  }
}

/** The name of a tool the model calls in this payload, if any (streamed or whole). */
export function toolCallNames(d: PlaygroundDialect, ev: unknown): string[] {
  if (!ev || typeof ev !== 'object') return []
  switch (d) {
    case 'openai-chat':
      return names([...list(at(ev, 'choices', 0, 'delta', 'tool_calls')), ...list(at(ev, 'choices', 0, 'message', 'tool_calls'))].map((c) => at(c, 'function', 'name')))
    case 'openai-responses':
      if (at(ev, 'type') === 'response.output_item.added' && at(ev, 'item', 'type') === 'function_call') return names([at(ev, 'item', 'name')])
      return names(list(at(ev, 'output')).filter((o) => at(o, 'type') === 'function_call').map((o) => at(o, 'name')))
    case 'anthropic':
      if (at(ev, 'type') === 'content_block_start' && at(ev, 'content_block', 'type') === 'tool_use') return names([at(ev, 'content_block', 'name')])
      return names(list(at(ev, 'content')).filter((c) => at(c, 'type') === 'tool_use').map((c) => at(c, 'name')))
    case 'gemini':
      return names(list(at(ev, 'candidates', 0, 'content', 'parts')).map((p) => at(p, 'functionCall', 'name')))
  }
}
