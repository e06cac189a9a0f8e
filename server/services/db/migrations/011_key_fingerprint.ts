// Migration 11: a stable, showable identity for each upstream key (issue 16).
// fingerprint = a keyed hash of the secret (SecretBox.keyFingerprint). It needs the master key, so
// rows written before this migration are filled in by code at boot (db/key-fingerprints.ts).
export default /* sql */ `
ALTER TABLE provider_keys ADD COLUMN fingerprint VARCHAR;
`
