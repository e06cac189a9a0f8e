import type { DialectName } from '../../../../../server/gateway/ir'

/**
 * A TEST FIXTURE, never registered in production: a fifth, OpenAI-compatible dialect under its own
 * name, built only from its own folder and a registry entry (issue 20, "Done when"). The name is cast
 * because the production union lists the four real dialects.
 */
export const DIALECT = 'compat-chat' as DialectName

export { isRecord, num, str, type Json } from '../../../../../server/gateway/dialects/openai-chat/wire'
