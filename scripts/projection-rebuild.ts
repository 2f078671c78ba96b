// `npm run projection:rebuild -- [ref] [--write] [--json]`: re-derives the read model of one or every
// recommendation from the append-only event log and compares it with what is stored. Exits 1 on a
// difference unless --write, which replaces what differs (the event log itself is never changed).
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { openDataSource } from '../libs/persistence/src/data-source-options';
import { ProjectionRebuildRepository } from '../libs/persistence/src/repositories/projection-rebuild.repository';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { write: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
});

async function main(): Promise<number> {
  const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/dipb';
  const ds = await openDataSource(databaseUrl);
  try {
    const report = await new ProjectionRebuildRepository(ds).rebuild({
      ...(positionals[0] ? { reference: positionals[0] } : {}),
      write: values.write,
    });
    if (values.json) {
      console.log(JSON.stringify(report, null, 2));
    } else {
      for (const d of report.differences) {
        console.log(
          `${d.reference} ${d.path}\n  stored:  ${JSON.stringify(d.stored)}\n  derived: ${JSON.stringify(d.derived)}`,
        );
      }
      const differing = new Set(report.differences.map((d) => d.reference));
      console.log(
        `checked ${report.checked.length} recommendation(s): ${differing.size} differ from the event log` +
          (values.write
            ? `; rewrote ${report.written.length} (${report.written.join(', ') || 'none'})`
            : differing.size > 0
              ? '; run again with --write to restore them'
              : ''),
      );
    }
    if (positionals[0] && report.checked.length === 0) {
      console.error(`no recommendation ${positionals[0]} (neither events nor a read-model row)`);
      return 2;
    }
    return report.differences.length > 0 && !values.write ? 1 : 0;
  } finally {
    await ds.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(2);
  },
);
