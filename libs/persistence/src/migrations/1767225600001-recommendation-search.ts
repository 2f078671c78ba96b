import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Full-text search over title, summary and body in both official languages: the document is indexed
 * with the `english` and the `french` configurations, accents folded by `unaccent` where the server
 * has it ("securite" finds "sécurité"). A generated column needs an IMMUTABLE expression, and
 * `unaccent(text)` is only STABLE (it reads its dictionary by search_path), hence the wrappers that
 * name the dictionary explicitly. Without the extension (no privilege to create it) search still
 * works, only accent-sensitive.
 */
export class RecommendationSearch1767225600001 implements MigrationInterface {
  name = 'RecommendationSearch1767225600001';

  async up(q: QueryRunner): Promise<void> {
    const schema = await unaccentSchema(q);
    // Functions are schema-qualified: a generated column and an index must not depend on search_path.
    const [{ self }] = (await q.query(`SELECT current_schema() AS self`)) as [{ self: string }];
    const s = ident(self);
    const fold = schema
      ? `SELECT ${ident(schema)}.unaccent(${quoteLiteral(`${ident(schema)}.unaccent`)}::regdictionary, $1)`
      : `SELECT $1`;
    await q.query(
      `CREATE FUNCTION ${s}.dipb_fold(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ ${fold} $$`,
    );
    await q.query(`
      CREATE FUNCTION ${s}.dipb_search_document(title text, summary text, body text) RETURNS tsvector
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT setweight(to_tsvector('english'::regconfig, ${s}.dipb_fold(coalesce(title, ''))), 'A')
            || setweight(to_tsvector('french'::regconfig, ${s}.dipb_fold(coalesce(title, ''))), 'A')
            || setweight(to_tsvector('english'::regconfig, ${s}.dipb_fold(coalesce(summary, ''))), 'B')
            || setweight(to_tsvector('french'::regconfig, ${s}.dipb_fold(coalesce(summary, ''))), 'B')
            || setweight(to_tsvector('english'::regconfig, ${s}.dipb_fold(coalesce(body, ''))), 'C')
            || setweight(to_tsvector('french'::regconfig, ${s}.dipb_fold(coalesce(body, ''))), 'C')
      $$`);
    // The query side of the same folding: a match in either language counts.
    await q.query(`
      CREATE FUNCTION ${s}.dipb_search_query(q text) RETURNS tsquery
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT websearch_to_tsquery('english'::regconfig, ${s}.dipb_fold(q)) || websearch_to_tsquery('french'::regconfig, ${s}.dipb_fold(q))
      $$`);
    await q.query(`
      ALTER TABLE recommendations
        ADD COLUMN search tsvector GENERATED ALWAYS AS (${s}.dipb_search_document(title, summary, body)) STORED`);
    await q.query(`CREATE INDEX recommendations_search_idx ON recommendations USING gin (search)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX recommendations_search_idx`);
    await q.query(`ALTER TABLE recommendations DROP COLUMN search`);
    await q.query(`DROP FUNCTION dipb_search_query(text)`);
    await q.query(`DROP FUNCTION dipb_search_document(text, text, text)`);
    await q.query(`DROP FUNCTION dipb_fold(text)`);
    // The unaccent extension stays: other databases objects may use it, and it holds no data.
  }
}

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** The schema of the unaccent extension, creating it if the server has it and we may; null if not. */
async function unaccentSchema(q: QueryRunner): Promise<string | null> {
  const find = async (): Promise<string | null> => {
    const rows = (await q.query(
      `SELECT n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'unaccent'`,
    )) as { schema: string }[];
    return rows[0]?.schema ?? null;
  };
  const existing = await find();
  if (existing) return existing;
  const available = (await q.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'unaccent'`)) as unknown[];
  if (available.length === 0) return null;
  // A failed CREATE EXTENSION (no privilege) must not abort the migration's transaction.
  const inTransaction = q.isTransactionActive;
  if (inTransaction) await q.query('SAVEPOINT dipb_unaccent');
  try {
    await q.query('CREATE EXTENSION IF NOT EXISTS unaccent');
    if (inTransaction) await q.query('RELEASE SAVEPOINT dipb_unaccent');
  } catch {
    if (inTransaction) await q.query('ROLLBACK TO SAVEPOINT dipb_unaccent');
    return null;
  }
  return find();
}
