/**
 * Component schemas for the OpenAPI document. Wire bodies are described at the level a reader
 * needs (the vendors' own references are the full truth); unknown fields pass through, hence
 * `additionalProperties: true` everywhere on request bodies.
 */
type Schema = Record<string, unknown>

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })

const message = (roles: string[]): Schema => ({
  type: 'object',
  required: ['role', 'content'],
  properties: { role: { type: 'string', enum: roles }, content: { description: 'A string, or an array of content parts (text, image, tool use/result).' } },
  additionalProperties: true,
})

export const SCHEMAS: Record<string, Schema> = {
  ChatCompletionRequest: {
    type: 'object',
    required: ['model', 'messages'],
    properties: {
      model: { type: 'string', description: 'A public model name, routed by the gateway (models entry, route, or default provider).' },
      messages: { type: 'array', items: message(['system', 'developer', 'user', 'assistant', 'tool']) },
      stream: { type: 'boolean', default: false },
      stream_options: { type: 'object', properties: { include_usage: { type: 'boolean' } } },
      max_tokens: { type: 'integer' },
      max_completion_tokens: { type: 'integer' },
      temperature: { type: 'number' },
      tools: { type: 'array', items: { type: 'object' } },
      tool_choice: {},
      reasoning_effort: { type: 'string' },
    },
    additionalProperties: true,
  },
  ChatCompletion: {
    type: 'object',
    required: ['id', 'object', 'choices'],
    properties: {
      id: { type: 'string' },
      object: { const: 'chat.completion' },
      created: { type: 'integer' },
      model: { type: 'string' },
      choices: { type: 'array', items: { type: 'object' } },
      usage: { type: 'object', properties: { prompt_tokens: { type: 'integer' }, completion_tokens: { type: 'integer' }, total_tokens: { type: 'integer' } } },
    },
  },
  MessagesRequest: {
    type: 'object',
    required: ['model', 'messages', 'max_tokens'],
    properties: {
      model: { type: 'string' },
      max_tokens: { type: 'integer' },
      system: { description: 'A string or an array of text blocks.' },
      messages: { type: 'array', items: message(['user', 'assistant']) },
      stream: { type: 'boolean', default: false },
      tools: { type: 'array', items: { type: 'object' } },
      thinking: { type: 'object' },
    },
    additionalProperties: true,
  },
  Message: {
    type: 'object',
    required: ['id', 'type', 'role', 'content'],
    properties: {
      id: { type: 'string' },
      type: { const: 'message' },
      role: { const: 'assistant' },
      model: { type: 'string' },
      content: { type: 'array', items: { type: 'object' } },
      stop_reason: { type: ['string', 'null'] },
      usage: { type: 'object', properties: { input_tokens: { type: 'integer' }, output_tokens: { type: 'integer' } } },
    },
  },
  GenerateContentRequest: {
    type: 'object',
    required: ['contents'],
    properties: {
      contents: { type: 'array', items: { type: 'object', properties: { role: { type: 'string' }, parts: { type: 'array', items: { type: 'object' } } } } },
      systemInstruction: { type: 'object' },
      generationConfig: { type: 'object' },
      tools: { type: 'array', items: { type: 'object' } },
    },
    additionalProperties: true,
  },
  GenerateContentResponse: {
    type: 'object',
    properties: { candidates: { type: 'array', items: { type: 'object' } }, usageMetadata: { type: 'object' }, modelVersion: { type: 'string' } },
  },
  EmbeddingRequest: {
    type: 'object',
    required: ['model', 'input'],
    properties: {
      model: { type: 'string' },
      input: { description: 'A string, an array of strings, a token array or an array of token arrays (token arrays: OpenAI-compatible upstreams only).' },
      dimensions: { type: 'integer', minimum: 1, description: 'Sent to Gemini as outputDimensionality.' },
      encoding_format: { type: 'string', enum: ['float', 'base64'] },
      user: { type: 'string' },
    },
    additionalProperties: true,
  },
  EmbeddingList: {
    type: 'object',
    properties: {
      object: { type: 'string', const: 'list' },
      data: { type: 'array', items: { type: 'object', properties: { object: { type: 'string' }, index: { type: 'integer' }, embedding: { description: 'Floats, or base64 little-endian float32.' } } } },
      model: { type: 'string' },
      usage: { type: 'object', properties: { prompt_tokens: { type: 'integer' }, total_tokens: { type: 'integer' } } },
    },
  },
  CountTokensRequest: {
    type: 'object',
    required: ['model', 'messages'],
    properties: { model: { type: 'string' }, messages: { type: 'array', items: { type: 'object' } }, system: {}, tools: { type: 'array', items: { type: 'object' } }, thinking: { type: 'object' } },
    additionalProperties: true,
  },
  CountTokensResponse: { type: 'object', required: ['input_tokens'], properties: { input_tokens: { type: 'integer' } } },
  GeminiCountTokensRequest: {
    type: 'object',
    properties: { contents: { type: 'array', items: { type: 'object' } }, generateContentRequest: { type: 'object' } },
    additionalProperties: true,
  },
  GeminiCountTokensResponse: { type: 'object', required: ['totalTokens'], properties: { totalTokens: { type: 'integer' } } },
  EmbedContentRequest: {
    type: 'object',
    required: ['content'],
    properties: { content: { type: 'object' }, taskType: { type: 'string' }, title: { type: 'string' }, outputDimensionality: { type: 'integer' } },
    additionalProperties: true,
  },
  EmbedContentResponse: { type: 'object', properties: { embedding: { type: 'object', properties: { values: { type: 'array', items: { type: 'number' } } } } } },
  BatchEmbedContentsRequest: {
    type: 'object',
    required: ['requests'],
    properties: { requests: { type: 'array', items: { $ref: '#/components/schemas/EmbedContentRequest' } } },
  },
  BatchEmbedContentsResponse: {
    type: 'object',
    properties: { embeddings: { type: 'array', items: { type: 'object', properties: { values: { type: 'array', items: { type: 'number' } } } } } },
  },
  ModelList: {
    type: 'object',
    description: 'OpenAI shape `{object:"list",data:[{id,object:"model",owned_by}]}`; Anthropic shape `{data:[{id,type:"model",display_name}],has_more}` when `anthropic-version` is sent.',
    properties: { object: { type: 'string' }, data: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' } } } } },
  },
  OpenAIError: {
    type: 'object',
    required: ['error'],
    properties: { error: { type: 'object', required: ['message', 'type'], properties: { message: { type: 'string' }, type: { type: 'string' }, code: { type: ['string', 'null'] }, param: { type: ['string', 'null'] } } } },
  },
  AnthropicError: {
    type: 'object',
    required: ['type', 'error'],
    properties: { type: { const: 'error' }, error: { type: 'object', required: ['type', 'message'], properties: { type: { type: 'string' }, message: { type: 'string' } } } },
  },
  GeminiError: {
    type: 'object',
    required: ['error'],
    properties: { error: { type: 'object', required: ['code', 'message', 'status'], properties: { code: { type: 'integer' }, message: { type: 'string' }, status: { type: 'string' } } } },
  },
  AdminError: {
    type: 'object',
    properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } } },
  },
  Health: {
    type: 'object',
    required: ['status'],
    properties: { status: { type: 'string', enum: ['ok', 'starting'] }, uptime_s: { type: 'integer' } },
  },
  DetailedHealth: {
    type: 'object',
    required: ['status', 'version', 'mode', 'database', 'providers'],
    properties: {
      status: { type: 'string', enum: ['ok', 'degraded', 'error'] },
      version: { type: 'string' },
      mode: { type: 'object', properties: { mode: { type: 'string', enum: ['normal', 'debug', 'maintenance'] }, until: { type: ['string', 'null'] }, shuttingDown: { type: 'boolean' } } },
      uptimeSeconds: { type: 'integer' },
      config: { type: 'object', properties: { source: { type: 'string', enum: ['file', 'database'] }, file: { type: ['string', 'null'] }, loadedAt: { type: ['string', 'null'] } } },
      database: {
        type: 'object',
        properties: {
          path: { type: 'string' },
          writable: { type: 'boolean' },
          sizeMb: { type: ['number', 'null'] },
          logQueue: { type: 'object', properties: { depth: { type: 'integer' }, dropped: { type: 'integer' }, written: { type: 'integer' } } },
        },
      },
      providers: { type: 'array', items: ref('ProviderHealth') },
      keys: { type: 'object' },
      memory: { type: 'object' },
      cpu: { type: 'object' },
      eventLoop: { type: 'object' },
      disk: { type: ['object', 'null'] },
      monitor: { type: 'object', description: 'Per-endpoint counts, errors and latency percentiles over a sliding window.' },
    },
  },
  ProviderHealth: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      status: { type: 'string', enum: ['up', 'degraded', 'down', 'unknown', 'disabled'] },
      source: { type: 'string', enum: ['passive', 'probe'] },
      lastStatus: { type: ['integer', 'null'] },
      lastError: { type: ['object', 'null'] },
      window: { type: 'object' },
      latencyMs: { type: 'object', properties: { p50: { type: ['number', 'null'] }, p95: { type: ['number', 'null'] } } },
    },
  },
}
