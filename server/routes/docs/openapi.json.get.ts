import { whenReady } from '../../services/app-state'
import { openApiDocument } from '../../services/openapi/document'

/** GET /docs/openapi.json: the OpenAPI 3.1 document (no auth, like /docs). */
export default defineEventHandler(async () => openApiDocument((await whenReady()).ops.version))
