import { GatewayError } from '../../../gateway/errors'
import { sendError } from '../../../gateway/http/respond'
import { openaiModel, publicModelNames } from '../../../gateway/model-list'
import { authorizedSnapshot, visibleNames } from '../../../utils/list-auth'

/** OpenAI `models.retrieve`. */
export default defineEventHandler(async (event) => {
  const auth = await authorizedSnapshot(event, 'openai-chat')
  if (!auth) return
  const id = decodeURIComponent(getRouterParam(event, 'target') ?? '')
  if (!visibleNames(publicModelNames(auth.snap), auth.allow).includes(id)) {
    sendError(event.node.res, 'openai-chat', new GatewayError('not_found', `model '${id}' does not exist`))
    return
  }
  return openaiModel(id)
})
