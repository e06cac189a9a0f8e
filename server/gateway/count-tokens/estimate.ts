import type { IRPart, IRRequest } from '../ir'

/**
 * A local token estimate for upstreams with no counting endpoint (OpenAI and compatibles), with
 * OpenAI's o200k_base encoding (gpt-tokenizer: pure JS, no network). Messages cost their text plus a
 * small per-message overhead, as OpenAI's own cookbook counts chat prompts; images and non-text files
 * a flat amount (their real cost depends on size and detail, which only the vendor knows). It is an
 * estimate and is logged as one.
 */
const PER_MESSAGE = 3
const PRIMING = 3
/** A 512×512 high-detail image at OpenAI; a fair middle for unknown sizes. */
const IMAGE_TOKENS = 765
/** Non-text files (PDF pages, audio): a flat guess rather than nothing. */
const FILE_TOKENS = 1_000

type Counter = (text: string) => number
let counter: Promise<Counter> | undefined

/** The encoder loads on first use (its rank table is large): boot stays fast. */
function loadCounter(): Promise<Counter> {
  counter ??= import('gpt-tokenizer/encoding/o200k_base').then((m) => (text: string) => (text ? m.countTokens(text) : 0))
  return counter
}

function partTokens(p: IRPart, count: Counter): number {
  switch (p.type) {
    case 'text':
    case 'reasoning':
      return count(p.text)
    case 'image':
      return IMAGE_TOKENS
    case 'file':
      return p.mediaType.startsWith('text/') && p.source.kind === 'base64' ? count(Buffer.from(p.source.data, 'base64').toString('utf8')) : FILE_TOKENS
    case 'tool-call':
      return count(p.name) + count(p.arguments) + PER_MESSAGE
    case 'tool-result':
      return p.content.reduce((n, c) => n + partTokens(c, count), PER_MESSAGE)
  }
}

export async function estimateTokens(ir: IRRequest): Promise<number> {
  const count = await loadCounter()
  let n = PRIMING
  if (ir.system.length) n += PER_MESSAGE + ir.system.reduce((s, t) => s + count(t.text), 0)
  for (const m of ir.messages) n += PER_MESSAGE + m.parts.reduce((s, p) => s + partTokens(p, count), 0)
  for (const m of ir.midSystem ?? []) n += PER_MESSAGE + m.parts.reduce((s, t) => s + count(t.text), 0)
  for (const t of ir.tools ?? []) n += count(t.name) + count(t.description ?? '') + count(JSON.stringify(t.parameters)) + PER_MESSAGE
  return n
}
