import { signatureFor, unwrapSignature, wrapSignature, type ReasoningPart, type Signature } from '../../ir'
import { DIALECT, isRecord, str, type Json } from './wire'

/**
 * Reasoning items ⇄ IR reasoning parts.
 *
 * Signature value (origin 'openai-responses'): the item's `encrypted_content`, prefixed with the
 * item id when known: `rsid1.<rs_id>.<encrypted_content>`. The IR has no field for the item id, and
 * the signature is the one value every client echoes (Codex drops reasoning item ids on the way
 * back), so the id travels inside it. A value without the prefix is plain encrypted content.
 * Only items with `encrypted_content` get a signature: an id alone (a `store: true` reference) is
 * not carried, since an id we cannot tell from one we invented would make the upstream fail.
 *
 * Foreign signatures ride in `encrypted_content` wrapped (`rsig1.<origin>.<value>`). Anthropic
 * redacted thinking is written as a reasoning item with an empty `summary` and a wrapped
 * anthropic value; signed thinking always has one summary entry (possibly empty text).
 * Several summary entries are joined with a blank line into one reasoning part.
 */
const ID_PREFIX = 'rsid1.'

export function joinIdValue(id: string | undefined, encrypted: string): string {
  if (!id || id.includes('.') || encrypted.startsWith(ID_PREFIX)) return encrypted
  return `${ID_PREFIX}${id}.${encrypted}`
}

export function splitIdValue(value: string): { id?: string; encrypted: string } {
  if (value.startsWith(ID_PREFIX)) {
    const rest = value.slice(ID_PREFIX.length)
    const dot = rest.indexOf('.')
    if (dot > 0) return { id: rest.slice(0, dot), encrypted: rest.slice(dot + 1) }
  }
  return { encrypted: value }
}

function texts(list: unknown, type: string): string[] {
  if (!Array.isArray(list)) return []
  const out: string[] = []
  for (const s of list) if (isRecord(s) && (s.type === undefined || s.type === type) && typeof s.text === 'string') out.push(s.text)
  return out
}

/** Summary text, else the raw `reasoning_text` content (gpt-oss, LM Studio). */
export function reasoningItemText(item: Json): string {
  const summary = texts(item.summary, 'summary_text')
  if (summary.length > 0) return summary.join('\n\n')
  return texts(item.content, 'reasoning_text').join('\n\n')
}

/** The IR signature of a reasoning item's encrypted content (ours keeps the item id). */
export function readReasoningSignature(encrypted: string, id: string | undefined): Signature {
  const s = unwrapSignature(encrypted, DIALECT)
  return s.origin === DIALECT ? { origin: DIALECT, value: joinIdValue(id, s.value) } : s
}

/** A reasoning item (input or output) → a reasoning part. */
export function decodeReasoningItem(item: Json): ReasoningPart {
  const text = reasoningItemText(item)
  const enc = str(item.encrypted_content)
  if (!enc) return { type: 'reasoning', text }
  const sig = readReasoningSignature(enc, str(item.id))
  const emptySummary = Array.isArray(item.summary) && item.summary.length === 0
  if (sig.origin === 'anthropic' && emptySummary && text === '') return { type: 'reasoning', text: '', redactedData: sig.value }
  return { type: 'reasoning', text, signature: sig }
}

/** The id to show for a reasoning item: the upstream's own when the signature carries it. */
export function reasoningItemId(sig: Signature | undefined, fallback: string): string {
  const v = signatureFor(sig, DIALECT)
  return (v && splitIdValue(v).id) || fallback
}

/** A reasoning part → an output item for a client (response body, stream `output_item.done`). */
export function reasoningOutputItem(p: Pick<ReasoningPart, 'text' | 'signature' | 'redactedData'>, fallbackId: string): Json {
  if (p.redactedData !== undefined) {
    return {
      id: fallbackId,
      type: 'reasoning',
      summary: [],
      encrypted_content: wrapSignature({ origin: 'anthropic', value: p.redactedData }, DIALECT),
    }
  }
  const item: Json = {
    id: reasoningItemId(p.signature, fallbackId),
    type: 'reasoning',
    summary: p.text || p.signature ? [{ type: 'summary_text', text: p.text }] : [],
  }
  if (p.signature) item.encrypted_content = wrapSignature(p.signature, DIALECT)
  return item
}

/** A reasoning part → an input item for a Responses upstream; undefined when it has no own signature. */
export function reasoningInputItem(p: ReasoningPart): Json | undefined {
  const v = signatureFor(p.signature, DIALECT)
  if (!v) return undefined
  const { id, encrypted } = splitIdValue(v)
  const item: Json = { type: 'reasoning' }
  if (id) item.id = id
  item.summary = p.text ? [{ type: 'summary_text', text: p.text }] : []
  if (encrypted) item.encrypted_content = encrypted
  return item
}
