import { warning, type IRMessage, type IRWarning } from '../../ir'

/** One turn of an API that wants strictly alternating user/assistant turns (Anthropic, Bedrock Converse). */
interface Turn<B> {
  role: 'user' | 'assistant'
  results: B[]
  blocks: B[]
}

/**
 * The IR's messages as alternating turns: each message's parts encoded by `encode` (tool results
 * kept apart), empty turns dropped, consecutive same-role turns merged, tool results first in a user
 * turn, and tool results found in an assistant message moved to a user turn of their own (warned).
 * Both vendors refuse anything else, so the rule lives once.
 */
export function alternatingTurns<B>(
  messages: IRMessage[],
  warnings: IRWarning[],
  encode: (part: IRMessage['parts'][number], path: string) => B[],
): Array<{ role: 'user' | 'assistant'; content: B[] }> {
  const turns: Turn<B>[] = []
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!
    const results: B[] = []
    const blocks: B[] = []
    for (let j = 0; j < m.parts.length; j++) {
      const p = m.parts[j]!
      const bs = encode(p, `messages[${i}].content[${j}]`)
      if (p.type === 'tool-result') results.push(...bs)
      else blocks.push(...bs)
    }
    if (m.role === 'user') turns.push({ role: 'user', results, blocks })
    else {
      turns.push({ role: 'assistant', results: [], blocks })
      if (results.length > 0) {
        warnings.push(warning('moved', `messages[${i}]`, 'tool results found in an assistant message were sent in a user turn'))
        turns.push({ role: 'user', results, blocks: [] })
      }
    }
  }
  const merged: Turn<B>[] = []
  for (const t of turns) {
    if (t.results.length === 0 && t.blocks.length === 0) continue
    const last = merged[merged.length - 1]
    if (last && last.role === t.role) {
      last.results.push(...t.results)
      last.blocks.push(...t.blocks)
    } else merged.push(t)
  }
  return merged.map((t) => ({ role: t.role, content: [...t.results, ...t.blocks] }))
}
