import { whenReady } from '../../services/app-state'
import { openApiDocument } from '../../services/openapi/document'
import { DOCS_CSP, renderDocsHtml } from '../../services/openapi/render-html'

/** GET /docs: the OpenAPI document rendered server-side into one page with no external assets. */
export default defineEventHandler(async (event) => {
  const html = renderDocsHtml(openApiDocument((await whenReady()).ops.version))
  setResponseHeaders(event, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': DOCS_CSP })
  return html
})
