import { anthropicModelList, openaiModelList } from '../../../gateway/model-list'
import { authorizedSnapshot } from '../../../utils/list-auth'
import { listedModels } from '../../../utils/listed-models'
import { whenReady } from '../../../services/app-state'

/**
 * The configured model entries merged with what each provider offers (see mergeModelLists). OpenAI
 * shape; Anthropic shape when the caller sends `anthropic-version` (the Anthropic SDK does).
 */
export default defineEventHandler(async (event) => {
  const anthropic = typeof event.node.req.headers['anthropic-version'] === 'string'
  const auth = await authorizedSnapshot(event, anthropic ? 'anthropic' : 'openai-chat')
  if (!auth) return
  const models = await listedModels(await whenReady(), auth.snap, auth.allow)
  return anthropic ? anthropicModelList(models) : openaiModelList(models)
})
