import { describe, expect, it } from 'vitest'
import * as openaiChatCodec from '../../../../server/gateway/dialects/openai-chat'
import { toUnified, fromUnified } from '../../../../server/gateway/dialects/openai-chat/map-finish-reason'
import { GatewayError, type GatewayErrorKind } from '../../../../server/gateway/errors'

const { decodeError, encodeError } = openaiChatCodec
const j = (v: unknown) => JSON.stringify(v)

describe('openai-chat decodeError', () => {
  const cases: Array<[string, number, string, GatewayErrorKind, string, string?]> = [
    [
      'invalid key',
      401,
      j({ error: { message: 'Incorrect API key provided: sk-abc. You can find your API key at https://platform.openai.com/account/api-keys.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } }),
      'authentication',
      'Incorrect API key provided: sk-abc. You can find your API key at https://platform.openai.com/account/api-keys.',
    ],
    [
      'spent quota',
      429,
      j({ error: { message: 'You exceeded your current quota, please check your plan and billing details.', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } }),
      'quota',
      'You exceeded your current quota, please check your plan and billing details.',
    ],
    [
      'unknown model',
      404,
      j({ error: { message: 'The model `gpt-9` does not exist or you do not have access to it.', type: 'invalid_request_error', param: null, code: 'model_not_found' } }),
      'not_found',
      'The model `gpt-9` does not exist or you do not have access to it.',
    ],
    [
      'context too long',
      400,
      j({ error: { message: "This model's maximum context length is 128000 tokens.", type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' } }),
      'invalid_request',
      "This model's maximum context length is 128000 tokens.",
      'messages',
    ],
    [
      'DeepSeek thinking mode',
      400,
      j({ error: { message: 'The reasoning_content in the thinking mode must be passed back to the API.', type: 'invalid_request_error', param: null, code: 'invalid_request_error' } }),
      'invalid_request',
      'The reasoning_content in the thinking mode must be passed back to the API.',
    ],
    [
      "Gemini's OpenAI endpoint (array body)",
      400,
      j([{ error: { code: 400, message: 'Function call is missing a thought_signature in functionCall parts.', status: 'INVALID_ARGUMENT' } }]),
      'invalid_request',
      'Function call is missing a thought_signature in functionCall parts.',
    ],
    [
      'Cerebras (top-level message)',
      400,
      j({ message: "messages.2.assistant.reasoning_content: property 'messages.2.assistant.reasoning_content' is unsupported", type: 'invalid_request_error', param: 'validation_error', code: 'wrong_api_format' }),
      'invalid_request',
      "messages.2.assistant.reasoning_content: property 'messages.2.assistant.reasoning_content' is unsupported",
    ],
    ['Ollama (string error)', 404, j({ error: 'model "llama9" not found, try pulling it first' }), 'not_found', 'model "llama9" not found, try pulling it first'],
    ['server error', 500, j({ error: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } }), 'upstream_error', 'The server had an error while processing your request.'],
    ['overloaded', 503, j({ error: { message: 'The engine is currently overloaded.', type: 'server_error', param: null, code: null } }), 'overloaded', 'The engine is currently overloaded.'],
  ]
  for (const [name, status, body, kind, message, param] of cases) {
    it(name, () => {
      const e = decodeError(status, body)
      expect(GatewayError.is(e)).toBe(true)
      expect(e.kind).toBe(kind)
      expect(e.message).toBe(message)
      expect(e.upstreamStatus).toBe(status)
      expect(e.upstreamBody).toBe(body)
      if (param) expect(e.param).toBe(param)
    })
  }

  it('non-JSON body: message from the text, truncated to 500 chars', () => {
    const html = `<html><head><title>502 Bad Gateway</title></head><body>${'x'.repeat(900)}</body></html>`
    const e = decodeError(502, html)
    expect(e.kind).toBe('upstream_error')
    expect(e.message).toBe(html.slice(0, 500))
    expect(e.upstreamBody).toBe(html)
    expect(decodeError(504, '').message).toBe('upstream returned HTTP 504')
    expect(decodeError(504, '').kind).toBe('timeout')
  })

  it('rate limit with retry-after-ms / retry-after headers', () => {
    const body = j({ error: { message: 'Rate limit reached for gpt-4o on tokens per min (TPM): Limit 30000. Please try again in 2s.', type: 'tokens', param: null, code: 'rate_limit_exceeded' } })
    const a = decodeError(429, body, { 'retry-after-ms': '1500', 'retry-after': '2' })
    expect(a.kind).toBe('rate_limit')
    expect(a.retryable).toBe(true)
    expect(a.retryAfter).toBe(1.5)
    expect(decodeError(429, body, { 'Retry-After': ['7'] }).retryAfter).toBe(7)
    const date = new Date(Date.now() + 30_000).toUTCString()
    const viaDate = decodeError(429, body, { 'retry-after': date }).retryAfter!
    expect(viaDate).toBeGreaterThanOrEqual(28)
    expect(viaDate).toBeLessThanOrEqual(31)
    expect(decodeError(429, body, {}).retryAfter).toBeUndefined()
  })
})

describe('openai-chat encodeError', () => {
  const table: Array<[GatewayErrorKind, number, string, string | null]> = [
    ['invalid_request', 400, 'invalid_request_error', null],
    ['authentication', 401, 'authentication_error', 'invalid_api_key'],
    ['permission', 403, 'permission_error', null],
    ['not_found', 404, 'not_found_error', 'model_not_found'],
    ['payload_too_large', 413, 'invalid_request_error', null],
    ['rate_limit', 429, 'rate_limit_error', 'rate_limit_exceeded'],
    ['quota', 429, 'insufficient_quota', 'insufficient_quota'],
    ['overloaded', 503, 'server_error', null],
    ['upstream_error', 502, 'server_error', null],
    ['timeout', 504, 'server_error', null],
    ['connection', 502, 'server_error', null],
    ['unsupported', 400, 'invalid_request_error', 'unsupported_content'],
    ['unavailable', 503, 'server_error', null],
    ['internal', 500, 'server_error', null],
  ]
  for (const [kind, status, type, code] of table) {
    it(kind, () => {
      const out = encodeError(new GatewayError(kind, `msg ${kind}`))
      expect(out).toEqual({ status, body: { error: { message: `msg ${kind}`, type, param: null, code } } })
    })
  }

  it('keeps an explicit status and param; 529 becomes 503', () => {
    expect(encodeError(new GatewayError('upstream_error', 'x', { status: 500 })).status).toBe(500)
    expect(encodeError(new GatewayError('overloaded', 'x', { status: 529 })).status).toBe(503)
    const e = encodeError(new GatewayError('invalid_request', 'bad', { param: 'messages[0].role' }))
    expect((e.body.error as Record<string, unknown>).param).toBe('messages[0].role')
  })

  it('decodeError(encodeError(e)) keeps the kind', () => {
    for (const [kind] of table) {
      const out = encodeError(new GatewayError(kind, 'm'))
      const back = decodeError(out.status, JSON.stringify(out.body))
      const expected: Partial<Record<GatewayErrorKind, GatewayErrorKind>> = {
        connection: 'upstream_error',
        unavailable: 'overloaded',
        unsupported: 'invalid_request',
        internal: 'upstream_error',
      }
      expect(back.kind).toBe(expected[kind] ?? kind)
    }
  })
})

describe('openai-chat finish reasons', () => {
  it('maps both ways', () => {
    expect(['stop', 'length', 'tool_calls', 'function_call', 'content_filter', 'weird'].map(toUnified)).toEqual([
      'stop',
      'length',
      'tool-calls',
      'tool-calls',
      'content-filter',
      'other',
    ])
    expect((['stop', 'length', 'tool-calls', 'content-filter', 'error', 'other'] as const).map(fromUnified)).toEqual([
      'stop',
      'length',
      'tool_calls',
      'content_filter',
      'stop',
      'stop',
    ])
  })
})
