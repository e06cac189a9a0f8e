import type { Operation } from './operation'
import { embeddingsOperation } from '../embeddings/operation'
import { countTokensOperation } from '../count-tokens/operation'

export type { Operation } from './operation'

/** Door operation → how it is delivered. Chat has none: it is `attempt.ts`. */
export const OPERATIONS: Record<NonNullable<import('../door').Door['op']>, Operation> = {
  embeddings: embeddingsOperation,
  count_tokens: countTokensOperation,
}
