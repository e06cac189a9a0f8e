/** Paths of the public API (the three vendor dialects). */
type Op = Record<string, unknown>

const json = (schema: string) => ({ 'application/json': { schema: { $ref: `#/components/schemas/${schema}` } } })

/** Every error a /v1 client sees is in its own dialect, with the request id to find it in the log. */
const errors = (schema: string): Record<string, unknown> => ({
  '400': { description: 'Invalid JSON, invalid UTF-8 or a bad field', content: json(schema) },
  '401': { description: 'Missing or invalid API key', content: json(schema) },
  '404': { description: 'No model entry, route or default provider serves the model', content: json(schema) },
  '413': { description: 'Body larger than NUXT_MAX_BODY_MB', content: json(schema) },
  '429': { description: 'Upstream rate limit (retry-after passed through)', content: json(schema) },
  '502': { description: 'Upstream unreachable or failed', content: json(schema) },
  '503': { description: 'Maintenance mode or shutting down; see retry-after', headers: { 'retry-after': { schema: { type: 'integer' } } }, content: json(schema) },
})

const requestId = { 'x-request-id': { description: 'Finds the row in the request log (also sent as request-id).', schema: { type: 'string' } } }

function post(summary: string, tag: string, req: string, res: string, err: string, extra: Op = {}): Op {
  return {
    post: {
      summary,
      tags: [tag],
      security: [{ bearer: [] }, { apiKeyHeader: [] }, { googApiKey: [] }, { keyQuery: [] }],
      requestBody: { required: true, content: json(req) },
      responses: {
        '200': {
          description: 'The answer; with `stream: true` a server-sent event stream in the same dialect.',
          headers: requestId,
          content: { ...json(res), 'text/event-stream': { schema: { type: 'string' } } },
        },
        ...errors(err),
      },
      ...extra,
    },
  }
}

const providerParam = { name: 'provider', in: 'path', required: true, description: 'Provider id: skips routing and uses this provider.', schema: { type: 'string' } }
const modelParam = { name: 'model', in: 'path', required: true, schema: { type: 'string' } }
const altParam = { name: 'alt', in: 'query', required: false, description: '`sse` for server-sent events; without it a JSON array of chunks.', schema: { type: 'string', enum: ['sse'] } }
const list = (summary: string, tag: string): Op => ({
  get: {
    summary,
    tags: [tag],
    security: [{ bearer: [] }, { apiKeyHeader: [] }, { googApiKey: [] }, { keyQuery: [] }],
    responses: { '200': { description: 'The models this key may use', content: json('ModelList') }, '401': { description: 'Missing or invalid API key' } },
  },
})

export const PUBLIC_PATHS: Record<string, Op> = {
  '/v1/chat/completions': post('OpenAI Chat Completions', 'OpenAI', 'ChatCompletionRequest', 'ChatCompletion', 'OpenAIError'),
  '/v1/{provider}/chat/completions': post('Chat Completions at a forced provider', 'OpenAI', 'ChatCompletionRequest', 'ChatCompletion', 'OpenAIError', { parameters: [providerParam] }),
  '/v1/{provider}/completions': post('Alias of /v1/{provider}/chat/completions', 'OpenAI', 'ChatCompletionRequest', 'ChatCompletion', 'OpenAIError', { parameters: [providerParam] }),
  '/v1/messages': post('Anthropic Messages', 'Anthropic', 'MessagesRequest', 'Message', 'AnthropicError', {
    parameters: [{ name: 'anthropic-version', in: 'header', required: false, schema: { type: 'string' } }],
  }),
  '/v1beta/models/{model}:generateContent': post('Gemini generateContent (also under /v1/models/)', 'Gemini', 'GenerateContentRequest', 'GenerateContentResponse', 'GeminiError', {
    parameters: [modelParam],
  }),
  '/v1beta/models/{model}:streamGenerateContent': post('Gemini streamGenerateContent (also under /v1/models/)', 'Gemini', 'GenerateContentRequest', 'GenerateContentResponse', 'GeminiError', {
    parameters: [modelParam, altParam],
  }),
  '/v1/embeddings': post('OpenAI Embeddings (to OpenAI-compatible or Gemini upstreams; cached)', 'OpenAI', 'EmbeddingRequest', 'EmbeddingList', 'OpenAIError'),
  '/v1/messages/count_tokens': post('Anthropic token counting (the upstream counts; OpenAI upstreams: a local estimate)', 'Anthropic', 'CountTokensRequest', 'CountTokensResponse', 'AnthropicError', {
    parameters: [{ name: 'anthropic-version', in: 'header', required: false, schema: { type: 'string' } }],
  }),
  '/v1beta/models/{model}:countTokens': post('Gemini countTokens (also under /v1/models/)', 'Gemini', 'GeminiCountTokensRequest', 'GeminiCountTokensResponse', 'GeminiError', {
    parameters: [modelParam],
  }),
  '/v1beta/models/{model}:embedContent': post('Gemini embedContent (also under /v1/models/)', 'Gemini', 'EmbedContentRequest', 'EmbedContentResponse', 'GeminiError', {
    parameters: [modelParam],
  }),
  '/v1beta/models/{model}:batchEmbedContents': post('Gemini batchEmbedContents (also under /v1/models/)', 'Gemini', 'BatchEmbedContentsRequest', 'BatchEmbedContentsResponse', 'GeminiError', {
    parameters: [modelParam],
  }),
  '/v1/models': list('Model list: configured entries plus provider models routing reaches (OpenAI shape; Anthropic shape when anthropic-version is sent)', 'Models'),
  '/v1beta/models': list('Model list (Gemini shape)', 'Models'),
}
