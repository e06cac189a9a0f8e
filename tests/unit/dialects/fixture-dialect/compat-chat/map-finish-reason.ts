// The OpenAI-compatible fixture speaks OpenAI Chat on the wire: its map-finish-reason role is Chat's.
export { decodeFinishReason, encodeFinishReason } from '../../../../../server/gateway/dialects/openai-chat/map-finish-reason'
