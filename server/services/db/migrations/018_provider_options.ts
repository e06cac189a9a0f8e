// Migration 18 (issue 18): the settings some provider types read beyond base_url and keys —
// azure-openai `api_version`, vertex `project` and `location`, bedrock `region` — as one JSON object
// named as rosetta.yaml names them, so a new type's setting needs no new column.
export default /* sql */ `
ALTER TABLE providers ADD COLUMN options JSON;
`
