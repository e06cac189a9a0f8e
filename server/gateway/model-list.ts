import type { Snapshot } from './routing/snapshot'
import { resolveModel } from './routing/resolve'

/** A model as a provider's own list describes it. */
export interface OfferedModel {
  id: string
  displayName?: string
  /** Unix seconds. */
  created?: number
  /** Gemini `supportedGenerationMethods`. */
  methods?: string[]
}

/** A public model name and what is known about it, for every dialect's list shape. */
export interface ListedModel {
  id: string
  /** The provider it reaches ('rosetta' for a configured model entry). */
  ownedBy: string
  displayName?: string
  created?: number
  methods?: string[]
}

const CREATED = 1_700_000_000
const CHAT_METHODS = ['generateContent', 'streamGenerateContent', 'countTokens']
const EMBED_METHODS = ['embedContent', 'batchEmbedContents']

/** The public model names: the configured model entries only (see `mergeModelLists` for the full list). */
export function publicModelNames(snap: Snapshot): string[] {
  return [...snap.models.keys()]
}

/**
 * The configured model entries, then every provider-offered model that routing would really send to
 * that provider under the same name: `resolveModel(name)` must pick that provider as its first target
 * and ask it for that very model (a `{model}` route or the default provider). A name a model entry,
 * a higher route or another provider would take is not listed under this provider, so the list never
 * promises a model the request would not reach. Each name once; entries first, then providers in
 * configuration order.
 */
export function mergeModelLists(snap: Snapshot, offered: Map<string, OfferedModel[]>): ListedModel[] {
  const out: ListedModel[] = []
  const seen = new Set<string>()
  for (const name of snap.models.keys()) {
    seen.add(name)
    out.push({ id: name, ownedBy: 'rosetta' })
  }
  for (const [providerId, models] of offered) {
    for (const m of models) {
      if (seen.has(m.id)) continue
      const r = resolveModel(snap, m.id, undefined, () => 0)
      const head = r?.targets[0]
      if (!head || head.provider.id !== providerId || head.model !== m.id) continue
      seen.add(m.id)
      out.push({ id: m.id, ownedBy: providerId, displayName: m.displayName, created: m.created, methods: m.methods })
    }
  }
  return out
}

export function openaiModelList(models: ListedModel[]) {
  return { object: 'list', data: models.map(openaiModel) }
}

export function openaiModel(m: ListedModel | string) {
  const x = typeof m === 'string' ? { id: m, ownedBy: 'rosetta' } : m
  return { id: x.id, object: 'model', created: (x as ListedModel).created ?? CREATED, owned_by: x.ownedBy }
}

export function anthropicModelList(models: ListedModel[]) {
  const data = models.map((m) => ({ type: 'model', id: m.id, display_name: m.displayName ?? m.id, created_at: new Date((m.created ?? CREATED) * 1000).toISOString() }))
  return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null }
}

/** Gemini methods for a name: the provider's own when it is a Gemini model, else by what the name is. */
export function geminiMethods(m: ListedModel): string[] {
  if (m.methods) return m.methods
  return /embed/i.test(m.id) ? EMBED_METHODS : CHAT_METHODS
}

export function geminiModel(m: ListedModel | string) {
  const x: ListedModel = typeof m === 'string' ? { id: m, ownedBy: 'rosetta' } : m
  return {
    name: `models/${x.id}`,
    baseModelId: x.id,
    version: '001',
    displayName: x.displayName ?? x.id,
    description: `${x.id} through Rosetta`,
    supportedGenerationMethods: geminiMethods(x),
  }
}

export function geminiModelList(models: ListedModel[]) {
  return { models: models.map(geminiModel) }
}
