import { afterAll, beforeAll } from 'vitest'
import { startMockUpstream, type MockUpstream } from './mock-upstream'
import { mockConfigYaml, startServer, type RunningServer } from './server'

/** One mock upstream and one built server per test file. */
/**
 * `config` writes the file's own rosetta.yaml from the mock's URL; it is handed the mock too, to
 * arrange what the mock must know before the server starts (credentials it verifies, keys).
 */
export function useGateway(extraYaml = '', opts: { config?: (mockUrl: string, mock: MockUpstream) => string; env?: Record<string, string> } = {}) {
  const ctx = {} as { mock: MockUpstream; server: RunningServer }
  beforeAll(async () => {
    ctx.mock = await startMockUpstream()
    ctx.server = await startServer({ config: opts.config ? opts.config(ctx.mock.url, ctx.mock) : mockConfigYaml(ctx.mock.url, extraYaml), env: opts.env })
  })
  afterAll(async () => {
    await ctx.server?.stop()
    await ctx.mock?.close()
  })
  return ctx
}

/** The four upstream families, by the model prefix the test config routes on. */
export const UPSTREAMS = [
  { prefix: 'oa', dialect: 'openai-chat' as const },
  { prefix: 'an', dialect: 'anthropic' as const },
  { prefix: 'gm', dialect: 'gemini' as const },
  { prefix: 'rs', dialect: 'openai-responses' as const },
]

export const TINY_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='

export const WEATHER_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  properties: {
    city: { type: 'string', description: 'City name' },
    unit: { type: ['string', 'null'], enum: ['celsius', 'fahrenheit', null] },
    where: { $ref: '#/$defs/place' },
  },
  required: ['city'],
  additionalProperties: false,
  $defs: { place: { type: 'object', properties: { lat: { type: 'number' } }, additionalProperties: false } },
}

/** Just a mock upstream for the file, for tests that start (and stop) their own servers. */
export function useMockUpstream(): { readonly mock: MockUpstream } {
  const ctx = {} as { mock: MockUpstream }
  beforeAll(async () => {
    ctx.mock = await startMockUpstream()
  })
  afterAll(async () => {
    await ctx.mock?.close()
  })
  return ctx
}
