/** The meaning every per-dialect request builder expresses, so one upstream assertion fits all clients. */
import type { Signature, UpstreamDialect } from '../../../../server/gateway/ir'

export const MODEL = 'matrix-model'
export const SYSTEM = 'You are terse.'
export const USER = 'What is the weather in Paris?'
export const STOP = ['END']
export const PNG_B64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='
export const IMAGE_URL = 'https://example.com/photos/cat.jpg'

/** A client JSON Schema with the keywords Gemini rejects ($schema, additionalProperties, $ref/$defs). */
export const WEATHER_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  properties: {
    city: { type: 'string', description: 'City name' },
    unit: { $ref: '#/$defs/unit' },
  },
  required: ['city'],
  additionalProperties: false,
  $defs: { unit: { type: 'string', enum: ['c', 'f'] } },
}
/** The same tool as a Gemini client declares it (Gemini Schema). */
export const WEATHER_SCHEMA_GEMINI = {
  type: 'OBJECT',
  properties: { city: { type: 'STRING', description: 'City name' }, unit: { type: 'STRING', enum: ['c', 'f'] } },
  required: ['city'],
}
export const TIME_SCHEMA = { type: 'object', properties: { tz: { type: 'string' } }, required: ['tz'] }
export const TIME_SCHEMA_GEMINI = { type: 'OBJECT', properties: { tz: { type: 'STRING' } }, required: ['tz'] }

export const WEATHER_ARGS = { city: 'Paris' }
export const TIME_ARGS = { tz: 'Europe/Paris' }
export const WEATHER_RESULT = '{"temp":21,"sky":"clear"}'
export const TIME_RESULT = 'It is 10:00'
export const FOLLOW_UP = 'Thanks, summarise.'

/** A conversation of one user message, in the shape Chat Completions and Anthropic share. */
export const userTurn = (content: unknown) => [{ role: 'user', content }]

export const PERSON_SCHEMA = {
  type: 'object',
  properties: { name: { type: 'string' }, age: { type: 'integer' } },
  required: ['name', 'age'],
  additionalProperties: false,
}
export const PERSON_SCHEMA_GEMINI = {
  type: 'OBJECT',
  properties: { name: { type: 'STRING' }, age: { type: 'INTEGER' } },
  required: ['name', 'age'],
}

export const REASONING_OWN = 'The user wants weather; I recall Paris is mild.'
export const REASONING_FOREIGN = 'Earlier thought from another vendor.'
export const ANSWER = 'It is mild in Paris.'
export const THINKING_BUDGET = 24576

/** The signature an upstream minted (origin = upstream) and one minted by some other vendor. */
export function ownSignature(upstream: UpstreamDialect): Signature {
  return { origin: upstream, value: `own-${upstream}-sig==` }
}
export function foreignSignature(upstream: UpstreamDialect): Signature {
  const origin: UpstreamDialect = upstream === 'anthropic' ? 'gemini' : 'anthropic'
  return { origin, value: `foreign-${origin}-sig==` }
}

export type RequestCase = 'text' | 'stream' | 'tools' | 'tool-result' | 'parallel-tool-results' | 'images' | 'thinking' | 'structured'
export const REQUEST_CASES: RequestCase[] = ['text', 'stream', 'tools', 'tool-result', 'parallel-tool-results', 'images', 'thinking', 'structured']

/** A client body plus what the route would know (Gemini: model and streaming from the path). */
export interface ClientRequest {
  body: Record<string, unknown>
  ctx: { model: string; stream: boolean }
}

export type RequestBuilders = Record<RequestCase, (upstream: UpstreamDialect) => ClientRequest>
