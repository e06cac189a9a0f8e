import type { DialectTransport } from '../../../../../server/gateway/transport'

/** The fixture dialect's vendor: an OpenAI-compatible server at its own URL, with its own door. */
export const transport: DialectTransport = {
  defaultBaseUrl: 'https://compat.example/api',
  auth: { header: 'authorization', template: 'Bearer {key}' },
  path: (c) => (c.op === 'generate' ? 'chat' : undefined),
  models: { page: () => 'models', read: () => ({ models: [] }), probe: 'models' },
  doors: { exact: { '/compat/chat': { dialect: 'openai-chat' } } },
}
