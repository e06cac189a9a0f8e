import { geminiModelList, publicModelNames } from '../../../gateway/model-list'
import { authorizedSnapshot, visibleNames } from '../../../utils/list-auth'

export default defineEventHandler(async (event) => {
  const auth = await authorizedSnapshot(event, 'gemini')
  if (!auth) return
  return geminiModelList(visibleNames(publicModelNames(auth.snap), auth.allow))
})
