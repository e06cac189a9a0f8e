/**
 * Client keys created in this browser tab, so the playground can offer them by name. Only the tab's
 * sessionStorage holds them (as it holds the admin key): the server keeps hashes and can't give them back.
 */
const STORAGE = 'rosetta.playground.keys'

export interface RememberedKey {
  name: string
  secret: string
}

export function rememberedClientKeys(): RememberedKey[] {
  if (!import.meta.client) return []
  try {
    const v = JSON.parse(sessionStorage.getItem(STORAGE) ?? '[]')
    return Array.isArray(v) ? v.filter((k) => typeof k?.name === 'string' && typeof k?.secret === 'string') : []
  } catch {
    return []
  }
}

export function rememberClientKey(name: string, secret: string): void {
  if (!import.meta.client) return
  const keys = rememberedClientKeys().filter((k) => k.name !== name)
  sessionStorage.setItem(STORAGE, JSON.stringify([...keys, { name, secret }]))
}
