import { GatewayError } from '../../../gateway/errors'
import { sendError } from '../../../gateway/http/respond'
import { openaiModel } from '../../../gateway/model-list'
import { authorizedSnapshot } from '../../../utils/list-auth'
import { listedModels } from '../../../utils/listed-models'
import { whenReady } from '../../../services/app-state'
import { percentDecode } from '../../../gateway/http/percent-decode'

/** OpenAI `models.retrieve`: any name the merged list shows. */
export default defineEventHandler(async (event) => {
  const auth = await authorizedSnapshot(event, 'openai-chat')
  if (!auth) return
  const id = percentDecode(getRouterParam(event, 'target') ?? '')
  if (id === undefined) {
    sendError(event.node.res, 'openai-chat', new GatewayError('invalid_request', 'malformed percent-encoding in the model id'))
    return
  }
  const m = (await listedModels(await whenReady(), auth.snap, auth.allow)).find((x) => x.id === id)
  if (!m) {
    sendError(event.node.res, 'openai-chat', new GatewayError('not_found', `model '${id}' does not exist`))
    return
  }
  return openaiModel(m)
})
