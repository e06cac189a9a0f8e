import { geminiGenerate } from '../../../utils/gemini-route'

/** Gemini clients pointed at the v1 API root use /v1/models/{model}:generateContent. */
export default defineEventHandler((event) => geminiGenerate(event))
