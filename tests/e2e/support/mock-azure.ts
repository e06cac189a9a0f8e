/**
 * Azure OpenAI as the mock upstream plays it: OpenAI's wire under `/azure/openai/deployments/{d}/…`
 * (the deployment names the model) or `/azure/openai/v1/…`, and streams that open with Azure's
 * prompt-filter verdict alone in their first chunk (`choices: []`).
 */

export const AZURE_FILTER_CHUNK = `data: ${JSON.stringify({ choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: [{ prompt_index: 0, content_filter_results: { hate: { filtered: false, severity: 'safe' } } }] })}\n\n`

/** The deployment a deployment URL names, undefined for any other path. */
export function azureDeployment(pathname: string): string | undefined {
  const m = /\/openai\/deployments\/([^/]+)\//.exec(pathname)
  return m ? decodeURIComponent(m[1]!) : undefined
}
