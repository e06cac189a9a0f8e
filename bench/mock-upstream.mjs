// Zero-latency mock upstream: OpenAI Chat Completions and Anthropic Messages shapes, plain and SSE.
// Run as its own process: `PORT=0 node bench/mock-upstream.mjs` prints {"port":N} on stdout.
//
// Streams are chosen by the model name: `sse-<frames>x<gapMs>` sends <frames> content frames,
// <gapMs> apart (0 = all in one write). Every content frame carries `T<monotonic ns>.`, the
// process.hrtime.bigint() stamp taken right before the write, so a client on the same machine
// (CLOCK_MONOTONIC is system-wide) can measure each frame's delivery latency end to end.
import { createServer } from 'node:http'

const OPENAI_JSON = Buffer.from(
  JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    created: 1700000000,
    model: 'gpt-bench',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Hello! How can I help you today?' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 12, completion_tokens: 9, total_tokens: 21 },
  }),
)
const ANTHROPIC_JSON = Buffer.from(
  JSON.stringify({
    id: 'msg_bench',
    type: 'message',
    role: 'assistant',
    model: 'claude-bench',
    content: [{ type: 'text', text: 'Hello! How can I help you today?' }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 12, output_tokens: 9 },
  }),
)

const stamp = () => `T${process.hrtime.bigint()}.`

const openaiFrames = {
  first: () => `data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"gpt-bench","choices":[{"index":0,"delta":{"role":"assistant","content":"${stamp()}"},"finish_reason":null}]}\n\n`,
  delta: () => `data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"gpt-bench","choices":[{"index":0,"delta":{"content":"${stamp()}"},"finish_reason":null}]}\n\n`,
  end: () =>
    'data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"gpt-bench","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n' +
    'data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"gpt-bench","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":9,"total_tokens":21}}\n\n' +
    'data: [DONE]\n\n',
}
const anthropicFrames = {
  first: () =>
    'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_bench","type":"message","role":"assistant","model":"claude-bench","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":1}}}\n\n' +
    'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n' +
    anthropicFrames.delta(),
  delta: () => `event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"${stamp()}"}}\n\n`,
  end: () =>
    'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n' +
    'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":9}}\n\n' +
    'event: message_stop\ndata: {"type":"message_stop"}\n\n',
}

// `sse-<frames>x<gapMs>-prose`: each frame's text is its stamp followed by words (the plugins bench:
// a redaction holds back text that might still be part of a match, and releases it at whitespace).
const PROSE = ' and a few more words of an ordinary answer '
const withProse = (f) => ({ first: () => f.first().replace(/(T\d+\.)/, `$1${PROSE}`), delta: () => f.delta().replace(/(T\d+\.)/, `$1${PROSE}`), end: f.end })

let open = 0
let maxOpen = 0
let served = 0

function stream(res, frames, n, gap) {
  open++
  if (open > maxOpen) maxOpen = open
  res.once('close', () => open--)
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
  if (gap <= 0) {
    let s = frames.first()
    for (let i = 1; i < n; i++) s += frames.delta()
    res.end(s + frames.end())
    return
  }
  res.write(frames.first())
  let i = 1
  const tick = () => {
    if (res.destroyed) return
    if (i >= n) return void res.end(frames.end())
    i++
    res.write(frames.delta())
    setTimeout(tick, gap)
  }
  setTimeout(tick, gap)
}

const server = createServer((req, res) => {
  if (req.method === 'GET') {
    if (req.url === '/stats') {
      res.writeHead(200, { 'content-type': 'application/json' })
      return void res.end(JSON.stringify({ open, maxOpen, served }))
    }
    if (req.url === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' })
      return void res.end('{"status":"ok"}')
    }
    if (req.url === '/stats/reset') {
      maxOpen = open
      served = 0
      return void res.end('{}')
    }
    res.writeHead(404)
    return void res.end()
  }
  const chunks = []
  req.on('data', (c) => chunks.push(c))
  req.on('end', () => {
    served++
    const anthropic = req.url.endsWith('/messages')
    if (!anthropic && !req.url.endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' })
      return void res.end('{"error":{"message":"not found"}}')
    }
    let body
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' })
      return void res.end('{"error":{"message":"bad json"}}')
    }
    if (body.stream === true) {
      const m = /^sse-(\d+)x(\d+)(-prose)?/.exec(String(body.model ?? ''))
      const frames = anthropic ? anthropicFrames : openaiFrames
      return stream(res, m?.[3] ? withProse(frames) : frames, m ? Number(m[1]) : 8, m ? Number(m[2]) : 0)
    }
    const out = anthropic ? ANTHROPIC_JSON : OPENAI_JSON
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': out.length })
    res.end(out)
  })
})
server.keepAliveTimeout = 120_000
server.headersTimeout = 125_000
server.maxRequestsPerSocket = 0
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(JSON.stringify({ port: server.address().port }))
})
