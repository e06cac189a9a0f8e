import { fixtureText } from '../../helpers/fixtures'

/**
 * Real recorded upstream traffic the mock replays byte for byte (framed per dialect), so the
 * end-to-end tests also see what the vendors really send. Key: `<dialect>:<scenario>`.
 */
function lines(rel: string): any[] {
  return fixtureText(rel)
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l))
}

const openaiFrames = (rel: string) => lines(rel).map((c) => `data: ${JSON.stringify(c)}\n\n`).join('') + 'data: [DONE]\n\n'
const anthropicFrames = (rel: string) => lines(rel).map((c) => `event: ${c.type}\ndata: ${JSON.stringify(c)}\n\n`).join('')
const geminiFrames = (rel: string) => lines(rel).map((c) => `data: ${JSON.stringify(c)}\r\n\r\n`).join('')
/** Some recorded .sse files lack the final blank line; a faithful replay adds it. */
const sse = (rel: string) => fixtureText(rel).replace(/\n*$/, '\n\n')

export const REPLAYS: Record<string, { stream: string; json?: string }> = {
  'openai-chat:rtext': { stream: sse('openai-chat-sse/openai-python-173417d55340.sse'), json: fixtureText('openai-chat-chunks/vercel-openai-text.json') },
  'openai-chat:rtool': { stream: sse('openai-chat-sse/openai-python-2018feb66ae1.sse'), json: fixtureText('openai-compatible-chat/vercel-xai-tool-call.json') },
  'openai-chat:rreason': { stream: openaiFrames('openai-compatible-chat/vercel-deepseek-reasoning.chunks.txt') },
  'anthropic:rtext': { stream: sse('anthropic-sse/anthropic-sdk-python-basic_response.sse'), json: fixtureText('anthropic-chunks/vercel-anthropic-text.json') },
  'anthropic:rtool': { stream: sse('anthropic-sse/anthropic-sdk-python-tool_use_response.sse') },
  // A tool call without arguments: the API streams one empty input_json_delta.
  'anthropic:rnoargs': { stream: anthropicFrames('anthropic-chunks/vercel-anthropic-tool-no-args.chunks.txt') },
  'anthropic:rthink': { stream: anthropicFrames('anthropic-chunks/vercel-anthropic-claude-sonnet-5-reasoning-summarized.chunks.txt') },
  'gemini:rtext': { stream: geminiFrames('gemini-chunks/vercel-google-text.chunks.txt'), json: fixtureText('gemini-chunks/vercel-google-text.json') },
  'gemini:rtool': { stream: geminiFrames('gemini-chunks/vercel-google-tool-call.chunks.txt') },
  'gemini:rthink': { stream: geminiFrames('gemini-chunks/vercel-google-reasoning.chunks.txt') },
}
