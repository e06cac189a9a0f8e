import { DuckDBInstance } from '@duckdb/node-api'
import { copyFileSync, statSync } from 'node:fs'
const a = '/tmp/d21/g/a.duckdb', b = '/tmp/d21/g/b.duckdb'
{ const db = await DuckDBInstance.create(b); const c = await db.connect(); await c.run("CREATE TABLE keep (a INTEGER)"); await c.run("INSERT INTO keep VALUES (7)"); c.closeSync(); db.closeSync() }
{ const db = await DuckDBInstance.create(a); const c = await db.connect(); await c.run("CREATE TABLE keep (a VARCHAR, b VARCHAR, c VARCHAR)"); await c.run('CHECKPOINT'); await c.run("PRAGMA disable_checkpoint_on_shutdown"); await c.run("INSERT INTO keep VALUES ('x','y','z')"); await c.run("DROP TABLE keep"); c.closeSync(); db.closeSync() }
copyFileSync(a + '.wal', b + '.wal')
try { const d2 = await DuckDBInstance.create(b); const c2 = await d2.connect(); console.log('opened', (await c2.runAndReadAll('select * from keep')).getRowObjectsJson()) } catch (e) { console.log('ERR', e.message.split('\n')[0]) }
