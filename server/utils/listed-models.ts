import type { AppState } from '../services/app-state'
import type { Snapshot } from '../gateway/routing/snapshot'
import { mergeModelLists, type ListedModel } from '../gateway/model-list'

/** The merged public list (configured entries + what providers offer) filtered by the caller's allow-list. */
export async function listedModels(st: AppState, snap: Snapshot, allow?: RegExp[]): Promise<ListedModel[]> {
  const all = mergeModelLists(snap, await st.modelCatalog.offered(snap))
  return allow ? all.filter((m) => allow.some((re) => re.test(m.id))) : all
}
