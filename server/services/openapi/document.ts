import { PUBLIC_PATHS } from './paths-public'
import { OPS_PATHS } from './paths-ops'
import { SECURITY_PATHS } from './paths-security'
import { SCHEMAS } from './schemas'

/** The OpenAPI 3.1 document served at /docs/openapi.json and rendered at /docs. */
export function openApiDocument(version: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Rosetta',
      version,
      summary: 'Self-hosted LLM API gateway: OpenAI, Anthropic and Gemini dialects in, any of them out.',
      description:
        'Point an unmodified OpenAI, Anthropic or Gemini SDK at Rosetta. The model name picks the upstream: a `models` entry, else `routes` by priority, else `default_provider`. Every `/v1` response carries `x-request-id`; every error is in the caller\'s own dialect.',
      license: { name: 'See the repository', identifier: 'MIT' },
    },
    servers: [{ url: '/', description: 'This server' }],
    tags: [
      { name: 'OpenAI', description: 'OpenAI Chat Completions dialect' },
      { name: 'Anthropic', description: 'Anthropic Messages dialect' },
      { name: 'Gemini', description: 'Google Gemini dialect' },
      { name: 'Models', description: 'Model lists' },
      { name: 'Operations', description: 'Health, metrics, documentation' },
      { name: 'Admin', description: 'Admin API' },
    ],
    paths: { ...PUBLIC_PATHS, ...OPS_PATHS, ...SECURITY_PATHS },
    components: {
      schemas: SCHEMAS,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A client key or the admin key (OpenAI SDK style).' },
        apiKeyHeader: { type: 'apiKey', in: 'header', name: 'x-api-key', description: 'Anthropic SDK style.' },
        googApiKey: { type: 'apiKey', in: 'header', name: 'x-goog-api-key', description: 'Gemini SDK style.' },
        keyQuery: { type: 'apiKey', in: 'query', name: 'key', description: 'Gemini REST style.' },
        admin: { type: 'http', scheme: 'bearer', description: 'The admin key.' },
        metricsToken: { type: 'http', scheme: 'bearer', description: 'NUXT_METRICS_TOKEN, when set.' },
      },
    },
  }
}
