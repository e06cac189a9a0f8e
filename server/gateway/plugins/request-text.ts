import type { IRPart, IRRequest } from '../ir'

/**
 * Every piece of text a request sends upstream, for plugins that read or rewrite it (deny-words,
 * redact): the system prompt, mid-conversation system messages, message text and tool results.
 * `visit` gets each text part; it may change `part.text` in place.
 */
export function visitRequestText(req: IRRequest, visit: (part: { text: string }) => void): void {
  for (const p of req.system) visit(p)
  for (const m of req.midSystem ?? []) for (const p of m.parts) visit(p)
  for (const m of req.messages) visitParts(m.parts, visit)
}

/** Text and reasoning of an answer's (or a message's) parts, tool results' text included. */
export function visitParts(parts: readonly IRPart[], visit: (part: { text: string }) => void): void {
  for (const p of parts) {
    if (p.type === 'text' || p.type === 'reasoning') visit(p)
    else if (p.type === 'tool-result') for (const c of p.content) if (c.type === 'text') visit(c)
  }
}
