// The OpenAI-compatible fixture speaks OpenAI Chat on the wire: its encode-stream role is Chat's.
export { createStreamEncoder } from '../../../../../server/gateway/dialects/openai-chat/encode-stream'
