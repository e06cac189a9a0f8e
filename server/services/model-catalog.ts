import { request } from 'undici'
import type { ProviderRuntime, Snapshot } from '../gateway/routing/snapshot'
import type { OfferedModel } from '../gateway/model-list'
import { upstreamHeaders } from '../gateway/upstream/auth-headers'
import { readBounded } from '../gateway/upstream/read-bounded'
import { logger } from '../utils/logger'

interface Entry {
  at: number
  models: OfferedModel[]
  refreshing?: Promise<void>
}

/** A model list as one instance fetched it, for the others (cluster mode). */
export interface SharedModelList {
  /** When it was fetched (ms since the epoch). */
  at: number
  models: OfferedModel[]
}

/** Where instances share the lists they fetched (Redis in cluster mode: cluster/redis-model-lists.ts). */
export interface SharedModelLists {
  get(id: string): Promise<SharedModelList | null>
  put(id: string, list: SharedModelList, ttlMs: number): Promise<void>
}

const TTL_MS = 10 * 60_000
/** After a failed fetch, wait this long before asking that provider again. */
const RETRY_MS = 60_000
/** How long a list request waits for a provider never fetched before (later ones never wait). */
const FIRST_WAIT_MS = 3_000

/**
 * What each enabled provider offers, from its own model list endpoint (its transport's `models`:
 * OpenAI `/models`, Anthropic `/models`, Gemini `/models`), fetched with one of its keys and kept in memory for 10 minutes. A stale
 * list is served while a background refresh runs; a failing provider keeps its last list (or none).
 */
export class ModelCatalog {
  private entries = new Map<string, Entry>()

  constructor(
    private readonly fetchList: (p: ProviderRuntime) => Promise<OfferedModel[]> = fetchProviderModels,
    private readonly ttlMs = TTL_MS,
    /** In cluster mode, the lists other instances fetched: read before fetching, written after. */
    private readonly shared?: SharedModelLists,
  ) {}

  async offered(snap: Snapshot, now = Date.now()): Promise<Map<string, OfferedModel[]>> {
    const waits: Promise<void>[] = []
    for (const p of snap.providers.values()) {
      if (!p.enabled) continue
      const id = cacheId(p)
      let e = this.entries.get(id)
      if (!e) {
        e = { at: 0, models: [] }
        this.entries.set(id, e)
      }
      if (now - e.at >= this.ttlMs && !e.refreshing) e.refreshing = this.refresh(p, e)
      if (e.at === 0 && e.refreshing) waits.push(e.refreshing)
    }
    if (waits.length) await Promise.race([Promise.all(waits), new Promise((r) => setTimeout(r, FIRST_WAIT_MS).unref())])
    const out = new Map<string, OfferedModel[]>()
    for (const p of snap.providers.values()) if (p.enabled) out.set(p.id, this.entries.get(cacheId(p))?.models ?? [])
    return out
  }

  private async refresh(p: ProviderRuntime, e: Entry): Promise<void> {
    const id = cacheId(p)
    try {
      const theirs = await this.readShared(id)
      if (theirs && Date.now() - theirs.at < this.ttlMs) {
        // Another instance fetched it within the TTL: no call to the provider; it expires on their clock.
        e.models = theirs.models
        e.at = theirs.at
        return
      }
      e.models = await this.fetchList(p)
      e.at = Date.now()
      await this.shared?.put(id, { at: e.at, models: e.models }, this.ttlMs).catch((err: Error) => logger.debug('model list not shared (redis)', { provider: p.id, error: err.message }))
    } catch (err) {
      // Tolerated: the configured entries are still listed; try again in a minute.
      e.at = Date.now() - this.ttlMs + RETRY_MS
      logger.warn('provider model list unavailable', { provider: p.id, error: (err as Error).message })
    } finally {
      e.refreshing = undefined
    }
  }

  /** Redis failing is no reason to fail the list: the provider is asked directly (degraded mode). */
  private async readShared(id: string): Promise<SharedModelList | null> {
    if (!this.shared) return null
    try {
      return await this.shared.get(id)
    } catch (err) {
      logger.debug('shared model list unreadable (redis): fetching it here', { error: (err as Error).message })
      return null
    }
  }
}

/** A provider's identity for the cache: a key or URL change is a different list. */
function cacheId(p: ProviderRuntime): string {
  return `${p.id}\0${p.baseUrl}\0${p.keys[0]?.hash ?? ''}`
}

export async function getJson(p: ProviderRuntime, path: string): Promise<unknown> {
  const headers = await upstreamHeaders(p, p.keys[0], p.dialect, undefined)
  delete headers['content-type']
  const res = await request(new URL(path, p.baseUrl), { method: 'GET', headers, headersTimeout: 10_000, bodyTimeout: 10_000 })
  if (res.statusCode >= 400) {
    // The body is not used (it could quote the key): discard it, bounded.
    await res.body.dump().catch(() => undefined)
    throw new Error(`GET ${path}: HTTP ${res.statusCode}`)
  }
  return JSON.parse(await readBounded(res, p.id)) as unknown
}

/**
 * One provider's model list, in a common shape, from the list its transport names (`models`); follows
 * pagination a few pages at most. A type without a list a key can read offers none.
 */
export async function fetchProviderModels(p: ProviderRuntime): Promise<OfferedModel[]> {
  const list = p.transport.models?.(p.options)
  if (!list) return []
  const out: OfferedModel[] = []
  let cursor: string | undefined
  for (let page = 0; page < 5; page++) {
    const got = list.read(await getJson(p, list.page(cursor)))
    out.push(...got.models)
    cursor = got.next
    if (!cursor) break
  }
  return out
}
