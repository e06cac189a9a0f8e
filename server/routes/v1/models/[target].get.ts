import { GatewayError } from '../../../gateway/errors'
import { sendError } from '../../../gateway/http/respond'
import { openaiModel } from '../../../gateway/model-list'
import { authorizedSnapshot } from '../../../utils/list-auth'
import { listedModels } from '../../../utils/listed-models'
import { whenReady } from '../../../services/app-state'

/** OpenAI `models.retrieve`: any name the merged list shows. */
export default defineEventHandler(async (event) => {
  const auth = await authorizedSnapshot(event, 'openai-chat')
  if (!auth) return
  let id: string
  try {
    id = decodeURIComponent(getRouterParam(event, 'target') ?? '')
  } catch {
    id = '' // not valid percent-encoding: no model has that name
  }
  const m = (await listedModels(await whenReady(), auth.snap, auth.allow)).find((x) => x.id === id)
  if (!m) {
    sendError(event.node.res, 'openai-chat', new GatewayError('not_found', `model '${id}' does not exist`))
    return
  }
  return openaiModel(m)
})
