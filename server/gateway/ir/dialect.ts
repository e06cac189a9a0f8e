/** The wire dialects the gateway speaks, on either side. */
export type DialectName = 'openai-chat' | 'anthropic' | 'gemini'

export const DIALECTS: readonly DialectName[] = ['openai-chat', 'anthropic', 'gemini']
