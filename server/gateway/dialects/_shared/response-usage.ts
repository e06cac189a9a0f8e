import { isRecord } from '../../json'
import { mergeUsage, type IRUsage } from '../../ir'

/**
 * A codec's `decodeUsage(body)`: the usage of a complete response body, which every dialect keeps
 * in one field (`usage`, Gemini's `usageMetadata`) and reads with its own usage decoder. Null when
 * the body has none, so the same-dialect path can tell "no usage" from zeros.
 */
export function responseUsage(
  field: string,
  decode: (u: unknown) => Partial<IRUsage> | undefined,
): (body: unknown) => IRUsage | null {
  return (body) => {
    const u = isRecord(body) ? body[field] : undefined
    const usage = isRecord(u) ? decode(u) : undefined
    return usage ? mergeUsage(undefined, usage) : null
  }
}
