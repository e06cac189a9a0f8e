/** Paths of the security endpoints (admin role). */
const json = { 'application/json': { schema: { type: 'object' } } }
const denied = { '401': { description: 'No or a wrong admin key / admin token' }, '403': { description: 'The caller lacks the admin role' } }

export const SECURITY_PATHS: Record<string, Record<string, unknown>> = {
  '/v1/admin/security/rotate-admin-key': {
    post: {
      summary: 'Rotate the root admin key: `{"admin_key"}` is returned once; the old key stops working at once',
      tags: ['Security'],
      security: [{ admin: [] }],
      responses: { '200': { description: '`{"admin_key": "rsk-admin-…"}`', content: json }, '409': { description: 'NUXT_ADMIN_KEY is set: rotation is refused' }, ...denied },
    },
  },
  '/v1/admin/security/key-info': {
    get: {
      summary: 'The admin key, masked (`rsk-…wxyz`), its source (env or stored), created and rotated times',
      tags: ['Security'],
      security: [{ admin: [] }],
      responses: { '200': { description: '`{"source","masked","created_at","rotated_at","rotatable"}`', content: json }, ...denied },
    },
  },
  '/v1/admin/security/validate-key': {
    post: {
      summary: 'What a key is: `{"key"}` → `{"valid","kind":"admin"|"admin-token"|"client"|null,"name"}`',
      tags: ['Security'],
      security: [{ admin: [] }],
      requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['key'], properties: { key: { type: 'string' } } } } } },
      responses: { '200': { description: 'The verdict', content: json }, ...denied },
    },
  },
}
