/** The wire dialects the gateway speaks, on either side. */
export type DialectName = 'openai-chat' | 'openai-responses' | 'anthropic' | 'gemini'

export const DIALECTS: readonly DialectName[] = ['openai-chat', 'openai-responses', 'anthropic', 'gemini']
