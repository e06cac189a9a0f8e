import { proxyEvent } from '../../utils/proxy-event'

/** OpenAI Responses API (Codex CLI, the Vercel AI SDK's default OpenAI model). */
export default defineEventHandler((event) => proxyEvent(event, { dialect: 'openai-responses' }))
