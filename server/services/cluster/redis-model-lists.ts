import { createHash } from 'node:crypto'
import type { OfferedModel } from '../../gateway/model-list'
import type { SharedModelList, SharedModelLists } from '../model-catalog'
import type { RedisLink } from './redis-link'

/**
 * The providers' model lists kept in Redis for every instance (`rosetta:models:<sha256 of the cache
 * id>`, expiring with the catalog's TTL): one instance fetches a provider's list, the others read it
 * instead of asking the provider again. While Redis is away both calls do nothing (the catalog fetches
 * and keeps its lists locally).
 */
export class RedisModelLists implements SharedModelLists {
  constructor(private readonly link: RedisLink) {}

  async get(id: string): Promise<SharedModelList | null> {
    if (!this.link.up) return null
    const text = await this.link.cmd.get(keyOf(id))
    return text === null ? null : parseList(text)
  }

  async put(id: string, list: SharedModelList, ttlMs: number): Promise<void> {
    if (!this.link.up) return
    await this.link.cmd.set(keyOf(id), JSON.stringify(list), 'PX', Math.max(1, Math.round(ttlMs)))
  }
}

// The cache id holds the key's hash and the base URL: hashed again so neither is readable in Redis.
const keyOf = (id: string) => `rosetta:models:${createHash('sha256').update(id).digest('hex')}`

/** What another instance stored, checked field by field (an entry of another shape is ignored: null). */
function parseList(text: string): SharedModelList | null {
  let v: unknown
  try {
    v = JSON.parse(text)
  } catch {
    return null
  }
  if (typeof v !== 'object' || v === null) return null
  const { at, models } = v as { at?: unknown; models?: unknown }
  if (typeof at !== 'number' || !Array.isArray(models)) return null
  const out: OfferedModel[] = []
  for (const m of models as unknown[]) {
    if (typeof m !== 'object' || m === null) return null
    const { id, displayName, created, methods } = m as Record<string, unknown>
    if (typeof id !== 'string') return null
    const o: OfferedModel = { id }
    if (typeof displayName === 'string') o.displayName = displayName
    if (typeof created === 'number') o.created = created
    if (Array.isArray(methods) && methods.every((x) => typeof x === 'string')) o.methods = methods as string[]
    out.push(o)
  }
  return { at, models: out }
}
