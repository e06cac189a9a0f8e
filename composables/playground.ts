/** The playground's four client dialects: how to ask, and how to read text out of the answer. */

export const PLAYGROUND_DIALECTS = ['openai-chat', 'openai-responses', 'anthropic', 'gemini'] as const
export type PlaygroundDialect = (typeof PLAYGROUND_DIALECTS)[number]

export interface PlaygroundRequest {
  url: string
  headers: Record<string, string>
  body: Record<string, unknown>
}

export function buildPlaygroundRequest(d: PlaygroundDialect, o: { model: string; prompt: string; system: string; stream: boolean; key: string }): PlaygroundRequest {
  const json = { 'content-type': 'application/json' }
  switch (d) {
    case 'openai-chat':
      return {
        url: '/v1/chat/completions',
        headers: { ...json, authorization: `Bearer ${o.key}` },
        body: {
          model: o.model,
          messages: [...(o.system ? [{ role: 'system', content: o.system }] : []), { role: 'user', content: o.prompt }],
          stream: o.stream,
          ...(o.stream ? { stream_options: { include_usage: true } } : {}),
        },
      }
    case 'openai-responses':
      return {
        url: '/v1/responses',
        headers: { ...json, authorization: `Bearer ${o.key}` },
        body: { model: o.model, input: o.prompt, ...(o.system ? { instructions: o.system } : {}), stream: o.stream },
      }
    case 'anthropic':
      return {
        url: '/v1/messages',
        headers: { ...json, 'x-api-key': o.key, 'anthropic-version': '2023-06-01' },
        body: { model: o.model, max_tokens: 1024, ...(o.system ? { system: o.system } : {}), messages: [{ role: 'user', content: o.prompt }], stream: o.stream },
      }
    case 'gemini':
      return {
        url: `/v1beta/models/${encodeURIComponent(o.model)}:${o.stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`,
        headers: { ...json, 'x-goog-api-key': o.key },
        body: {
          ...(o.system ? { systemInstruction: { parts: [{ text: o.system }] } } : {}),
          contents: [{ role: 'user', parts: [{ text: o.prompt }] }],
        },
      }
  }
}

/** The text in one streamed event (already JSON-parsed `data:`), or '' when it carries none. */
export function streamEventText(d: PlaygroundDialect, ev: any): string {
  if (!ev || typeof ev !== 'object') return ''
  switch (d) {
    case 'openai-chat':
      return ev.choices?.[0]?.delta?.content ?? ''
    case 'openai-responses':
      return ev.type === 'response.output_text.delta' ? (ev.delta ?? '') : ''
    case 'anthropic':
      return ev.type === 'content_block_delta' && ev.delta?.type === 'text_delta' ? (ev.delta.text ?? '') : ''
    case 'gemini':
      return (ev.candidates?.[0]?.content?.parts ?? [])
        .filter((p: any) => typeof p.text === 'string' && !p.thought)
        .map((p: any) => p.text)
        .join('')
  }
}

/** The text of a whole (non-streamed) answer. */
export function responseText(d: PlaygroundDialect, body: any): string {
  if (!body || typeof body !== 'object') return ''
  switch (d) {
    case 'openai-chat':
      return body.choices?.[0]?.message?.content ?? ''
    case 'openai-responses':
      return (body.output ?? [])
        .flatMap((o: any) => o.content ?? [])
        .filter((c: any) => c.type === 'output_text')
        .map((c: any) => c.text)
        .join('')
    case 'anthropic':
      return (body.content ?? [])
        .filter((c: any) => c.type === 'text')
        .map((c: any) => c.text)
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
