import { anthropicModelList, openaiModelList, publicModelNames } from '../../../gateway/model-list'
import { authorizedSnapshot, visibleNames } from '../../../utils/list-auth'

/** OpenAI shape; Anthropic shape when the caller sends `anthropic-version` (the Anthropic SDK does). */
export default defineEventHandler(async (event) => {
  const anthropic = typeof event.node.req.headers['anthropic-version'] === 'string'
  const auth = await authorizedSnapshot(event, anthropic ? 'anthropic' : 'openai-chat')
  if (!auth) return
  const names = visibleNames(publicModelNames(auth.snap), auth.allow)
  return anthropic ? anthropicModelList(names) : openaiModelList(names)
})
