import { parseDataUrl, type ImagePart } from '../../ir'

/** An OpenAI image URL (Chat `image_url.url`, Responses `image_url`): a base64 data URL is inlined, any other stays a URL. */
export function imagePartFromUrl(url: string, detail: string | undefined): ImagePart {
  const data = parseDataUrl(url)
  const part: ImagePart = {
    type: 'image',
    source: data ? { kind: 'base64', mediaType: data.mediaType, data: data.data } : { kind: 'url', url },
  }
  if (detail) part.detail = detail
  return part
}
