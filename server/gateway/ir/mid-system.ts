import type { TextPart } from './content'
import type { IRRequest } from './request'
import { warning, type IRWarning } from './warning'

/**
 * The system prompt for an upstream with one system prompt and no system turns (Anthropic, Gemini):
 * the request's system parts, then each mid-conversation system message, warned as moved.
 */
export function systemWithMoved(req: IRRequest, warnings: IRWarning[]): TextPart[] {
  if (!req.midSystem || req.midSystem.length === 0) return req.system
  const out = [...req.system]
  for (const s of req.midSystem) {
    out.push(...s.parts)
    warnings.push(warning('moved', s.at, `${s.at}: ${s.role} message after the conversation started moved to the system prompt`))
  }
  return out
}
