/** The wire dialects clients speak at Rosetta's doors; each is also an upstream dialect. */
export type DialectName = 'openai-chat' | 'openai-responses' | 'anthropic' | 'gemini'

export const DIALECTS: readonly DialectName[] = ['openai-chat', 'openai-responses', 'anthropic', 'gemini']

/**
 * Every dialect an upstream can speak: the client dialects, plus AWS Bedrock's Converse API, which
 * no client speaks to Rosetta (its codec only encodes requests and decodes answers).
 */
export type UpstreamDialect = DialectName | 'bedrock-converse'

export const UPSTREAM_DIALECTS: readonly UpstreamDialect[] = [...DIALECTS, 'bedrock-converse']
