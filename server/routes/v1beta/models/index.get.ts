import { geminiModelList } from '../../../gateway/model-list'
import { authorizedSnapshot } from '../../../utils/list-auth'
import { listedModels } from '../../../utils/listed-models'
import { whenReady } from '../../../services/app-state'

/** Gemini shape, with supportedGenerationMethods (embedContent / countTokens where apt). */
export default defineEventHandler(async (event) => {
  const auth = await authorizedSnapshot(event, 'gemini')
  if (!auth) return
  return geminiModelList(await listedModels(await whenReady(), auth.snap, auth.allow))
})
