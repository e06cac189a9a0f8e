import { proxyEvent } from '../../../../utils/proxy-event'

/** Forces a provider: routing is skipped and the model name goes to it unchanged. */
export default defineEventHandler((event) =>
  proxyEvent(event, { dialect: 'openai-chat', forcedProvider: getRouterParam(event, 'provider') ?? '' }),
)
