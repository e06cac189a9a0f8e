import type { Snapshot } from './routing/snapshot'

/** The public model names: the configured model entries (provider lists are merged in later). */
export function publicModelNames(snap: Snapshot): string[] {
  return [...snap.models.keys()]
}

const CREATED = 1_700_000_000

export function openaiModelList(names: string[]) {
  return { object: 'list', data: names.map((id) => openaiModel(id)) }
}

export function openaiModel(id: string) {
  return { id, object: 'model', created: CREATED, owned_by: 'rosetta' }
}

export function anthropicModelList(names: string[]) {
  const data = names.map((id) => ({ type: 'model', id, display_name: id, created_at: new Date(CREATED * 1000).toISOString() }))
  return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null }
}

export function geminiModel(id: string) {
  return {
    name: `models/${id}`,
    baseModelId: id,
    version: '001',
    displayName: id,
    description: `${id} through Rosetta`,
    supportedGenerationMethods: ['generateContent', 'streamGenerateContent'],
  }
}

export function geminiModelList(names: string[]) {
  return { models: names.map(geminiModel) }
}
