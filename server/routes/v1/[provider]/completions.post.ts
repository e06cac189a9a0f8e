import { proxyEvent } from '../../../utils/proxy-event'

/** Alias of /v1/{provider}/chat/completions (the contract accepts both). */
export default defineEventHandler((event) =>
  proxyEvent(event, { dialect: 'openai-chat', forcedProvider: getRouterParam(event, 'provider') ?? '' }),
)
