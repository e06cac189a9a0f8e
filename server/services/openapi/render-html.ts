/**
 * Renders the OpenAPI document as one self-contained HTML page on the server: no script, no CDN,
 * no fonts, so it reads the same in a browser without network access (and the CSP says so).
 */
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const

/** The parts of an OpenAPI 3.1 document this page shows (the document is this server's own: document.ts). */
interface DocView {
  openapi: string
  info: { title: string; version: string; summary?: string; description?: string }
  tags?: Array<{ name: string; description?: string }>
  paths: Record<string, Partial<Record<(typeof METHODS)[number], OpView>>>
  components?: { securitySchemes?: Record<string, SchemeView>; schemas?: Record<string, unknown> }
}
interface OpView {
  tags?: string[]
  summary?: string
  description?: string
  parameters?: Array<{ name: string; in: string; required?: boolean; description?: string }>
  security?: Array<Record<string, unknown>>
  requestBody?: { content?: Record<string, { schema?: unknown }> }
  responses?: Record<string, { description?: string; content?: Record<string, unknown> }>
}
interface SchemeView {
  type: string
  scheme?: string
  name?: string
  in?: string
  description?: string
}

export const DOCS_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

export function esc(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

/** Inline code spans: the document's descriptions use `backticks` and nothing else. */
const prose = (s: unknown) => esc(s).replace(/`([^`]+)`/g, '<code>$1</code>')

/** Schema JSON with each $ref turned into a link to its section. */
function schemaHtml(schema: unknown): string {
  return esc(JSON.stringify(schema, null, 2)).replace(
    /&quot;\$ref&quot;: &quot;#\/components\/schemas\/([\w-]+)&quot;/g,
    (_m, name: string) => `&quot;$ref&quot;: <a href="#schema-${name}">${name}</a>`,
  )
}

function operation(path: string, method: string, op: OpView): string {
  const params = op.parameters ?? []
  const security = op.security ?? []
  const auth = security.map((s) => Object.keys(s).join(' + ') || 'none').join(' or ') || 'none'
  const body = Object.entries(op.requestBody?.content ?? {})
  const responses = Object.entries(op.responses ?? {})
  return `<details class="op"><summary><span class="m ${method}">${method.toUpperCase()}</span> <code>${esc(path)}</code> <span class="sum">${prose(op.summary)}</span></summary>
${op.description ? `<p>${prose(op.description)}</p>` : ''}
<p><b>Auth:</b> ${esc(auth)}</p>
${params.length ? `<table><tr><th>parameter</th><th>in</th><th>required</th><th>about</th></tr>${params.map((p) => `<tr><td><code>${esc(p.name)}</code></td><td>${esc(p.in)}</td><td>${p.required ? 'yes' : 'no'}</td><td>${prose(p.description)}</td></tr>`).join('')}</table>` : ''}
${body.map(([ct, c]) => `<h4>Request body <small>${esc(ct)}</small></h4><pre>${schemaHtml(c.schema)}</pre>`).join('')}
<h4>Responses</h4><ul>${responses.map(([code, r]) => `<li><b>${esc(code)}</b> ${prose(r.description)}${r.content ? ` <small>(${Object.keys(r.content).map(esc).join(', ')})</small>` : ''}</li>`).join('')}</ul>
</details>`
}

export function renderDocsHtml(document: object): string {
  const doc = document as DocView
  const byTag = new Map<string, string[]>()
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const m of METHODS) {
      const op = item[m]
      if (!op) continue
      const tag = op.tags?.[0] ?? 'Other'
      if (!byTag.has(tag)) byTag.set(tag, [])
      byTag.get(tag)!.push(operation(path, m, op))
    }
  }
  const tags = doc.tags ?? []
  const sections = [...byTag.entries()]
    .map(([tag, ops]) => `<section id="tag-${esc(tag)}"><h2>${esc(tag)}</h2><p class="muted">${prose(tags.find((t) => t.name === tag)?.description)}</p>${ops.join('\n')}</section>`)
    .join('\n')
  const schemes = Object.entries(doc.components?.securitySchemes ?? {})
    .map(([n, s]) => `<li><b>${esc(n)}</b>: ${esc(s.type)}${s.scheme ? ` ${esc(s.scheme)}` : ''}${s.name ? ` <code>${esc(s.name)}</code> in ${esc(s.in)}` : ''} — ${prose(s.description)}</li>`)
    .join('')
  const schemas = Object.entries(doc.components?.schemas ?? {})
    .map(([n, s]) => `<details id="schema-${esc(n)}" class="op"><summary><code>${esc(n)}</code></summary><pre>${schemaHtml(s)}</pre></details>`)
    .join('\n')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(doc.info.title)} API ${esc(doc.info.version)}</title>
<style>
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1f2328;background:#fff}
main{max-width:980px;margin:0 auto;padding:24px}
h1{margin:0 0 4px}h2{border-bottom:1px solid #d0d7de;padding-bottom:4px;margin-top:32px}
code,pre{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace}
pre{background:#f6f8fa;padding:10px;overflow:auto;border-radius:6px}
.op{border:1px solid #d0d7de;border-radius:6px;margin:8px 0;padding:6px 10px}
.op>summary{cursor:pointer}
.m{display:inline-block;min-width:52px;text-align:center;border-radius:4px;color:#fff;font-weight:600;font-size:12px;padding:1px 6px}
.get{background:#1f6feb}.post{background:#1a7f37}.put,.patch{background:#9a6700}.delete{background:#cf222e}
.sum,.muted{color:#59636e}table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:3px 8px;text-align:left}
</style></head>
<body><main>
<h1>${esc(doc.info.title)} <small>${esc(doc.info.version)}</small></h1>
<p>${prose(doc.info.summary)}</p><p>${prose(doc.info.description)}</p>
<p>OpenAPI ${esc(doc.openapi)} · raw document: <a href="/docs/openapi.json">/docs/openapi.json</a></p>
<h2>Authentication</h2><ul>${schemes}</ul>
${sections}
<h2>Schemas</h2>
${schemas}
</main></body></html>`
}
